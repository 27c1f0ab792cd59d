/// Recorded deletes of one table read in one snapshot of the source.
public struct PendingDeletes: Sendable, Hashable {
    /// Keys whose row no longer exists in the source: these are deleted in Redshift.
    public var keys: [String]
    /// Keys deleted and re-created since: left to the load (the row is exported again).
    public var recreatedKeys: [String]
    /// Every deletion record read (`id <= maxID`), removed once Redshift has the result.
    public var ids: [Int64]
    /// Whether more records were waiting beyond the limit.
    public var truncated: Bool

    /// The snapshot's highest deletion id read; `nil` when nothing was recorded.
    public var maxID: Int64? { ids.max() }
    /// Whether there is nothing to do.
    public var isEmpty: Bool { ids.isEmpty }

    /// Creates a set of pending deletes.
    public init(keys: [String] = [], recreatedKeys: [String] = [], ids: [Int64] = [], truncated: Bool = false) {
        self.keys = keys; self.recreatedKeys = recreatedKeys; self.ids = ids; self.truncated = truncated
    }

    /// The result of a pending-deletes query (every source's has the same shape): rows of
    /// `id, key_value, exists again`, where "exists" is a boolean as the database prints it
    /// (`t`, `1`, `true`). The query asks for `limit + 1` rows; one more means more are waiting.
    init(rows: [[String?]], limit: Int) {
        self.init(truncated: rows.count > limit)
        for row in rows.prefix(limit) where row.count >= 3 {
            guard let id = row[0].flatMap({ Int64($0) }), let key = row[1] else { continue }
            ids.append(id)
            if ["t", "1", "true"].contains(row[2]?.lowercased()) { recreatedKeys.append(key) } else { keys.append(key) }
        }
    }
}
