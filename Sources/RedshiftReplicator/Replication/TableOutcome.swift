/// How one table's run ended. One failing table never stops the others.
public struct TableOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The result kinds.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Loaded into Redshift (state `imported`).
        case imported
        /// Exported and uploaded, not imported (the `export` step).
        case exported
        /// Found no rows to replicate (timed/identity); no record was saved.
        case upToDate
        /// The `import` step found no uploaded replication.
        case nothingToImport
        /// Another process holds the table's lock; nothing was done.
        case skippedLocked
        /// Another process replicated the table while this run was going (several processes
        /// sharing the same tables); nothing was done. Counts as success.
        case replicatedElsewhere
        /// Failed; see ``failure``. The record keeps its state for the next run to resume.
        case failed
    }

    /// The table's configured name.
    public var table: String
    /// The result.
    public var status: Status
    /// The replication record, when one exists.
    public var record: ReplicationRecord?
    /// Why it failed, when ``status`` is `.failed`: where (``ReplicationFailure/Kind``) and what.
    public var failure: ReplicationFailure?

    /// ``failure``'s message, for a human.
    public var error: String? { failure?.message }

    /// Creates an outcome.
    public init(table: String, status: Status, record: ReplicationRecord? = nil, failure: ReplicationFailure? = nil) {
        self.table = table; self.status = status; self.record = record; self.failure = failure
    }

    /// Whether this counts as success for the exit code (skipped-locked is reported separately).
    public var succeeded: Bool { status != .failed && status != .skippedLocked }

    public var description: String {
        var text = "\(table): \(status.rawValue)"
        if let record { text += " (#\(record.id), \(record.recordCount ?? 0) rows)" }
        if let error { text += ": \(error)" }
        return text
    }
}
