/// A table whose hard deletes are recorded in the source's deletions table.
public struct TrackedTable: Sendable, Hashable {
    /// The configured name (CLI, events).
    public var name: String
    /// The source table (may be `schema.table`); also the `source_table` value recorded per delete.
    public var sourceTable: String
    /// The single key column whose value each delete records.
    public var keyColumn: String

    /// Creates a tracked table description.
    public init(name: String, sourceTable: String, keyColumn: String) {
        self.name = name; self.sourceTable = sourceTable; self.keyColumn = keyColumn
    }
}

/// The SQL a source database needs to record hard deletes: the deletions table, the trigger that
/// fills it, and the statement that refuses `TRUNCATE` on a tracked table (a truncate fires no row
/// trigger, so it would silently lose every delete).
///
/// PostgreSQL implements it now (``PostgresDeleteTrackingSQL``); MySQL and SQLite add theirs with
/// the same shape (MySQL: `AFTER DELETE` trigger body inserting `OLD.key`; SQLite the same).
public protocol DeleteTrackingSQL: Sendable {
    /// Statements creating the deletions table and any shared function (idempotent).
    var installDeletionsTable: [String] { get }
    /// Statements installing the delete trigger (and the truncate guard) on `table` (idempotent).
    func installTrigger(_ table: TrackedTable) -> [String]
    /// Statements removing what ``installTrigger(_:)`` installed (idempotent).
    func removeTrigger(_ table: TrackedTable) -> [String]
}

/// The name of the deletions table in the source database.
public let deletionsTableName = "rrr_deleted_keys"
