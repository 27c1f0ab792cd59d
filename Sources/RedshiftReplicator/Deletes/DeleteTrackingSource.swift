import Logging

/// A source database that can record hard deletes (PostgreSQL now; MySQL and SQLite later).
public protocol DeleteTrackingSource: ReplicationSource {
    /// The SQL generator for this database, for the deletions table in the source's default schema.
    func deleteTrackingSQL(logger: Logger) async throws -> any DeleteTrackingSQL

    /// Creates the deletions table and shared functions (idempotent).
    func installDeletionsTable(logger: Logger) async throws

    /// Installs (`true`) or removes (`false`) the delete trigger and truncate guard on `table`.
    func setTrigger(_ table: TrackedTable, installed: Bool, logger: Logger) async throws

    /// Whether rrr's delete trigger is installed on `table`.
    func hasTrigger(_ table: TrackedTable, logger: Logger) async throws -> Bool

    /// Reads up to `limit` recorded deletes of `table`, oldest first, in one snapshot, each
    /// marked with whether a row with that key exists again in the source.
    func pendingDeletes(_ table: TrackedTable, limit: Int, logger: Logger) async throws -> PendingDeletes

    /// Removes exactly the deletion records `ids` (the ones that reached Redshift).
    func forgetDeletes(ids: [Int64], logger: Logger) async throws
}

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
}

/// Why delete tracking could not run.
public struct DeleteTrackingError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable {
        /// The source database kind has no delete tracking yet.
        case unsupportedSource
        /// The table's key is not a single column.
        case unsupportedKey
        /// The deletions table is missing (`rrr install` not run).
        case notInstalled
    }
    /// The kind.
    public var code: Code
    /// A message naming the table and setting.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }

    public var description: String { "delete tracking (\(code.rawValue)): \(message)" }
}
