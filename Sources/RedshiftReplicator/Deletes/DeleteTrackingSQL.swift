/// A table whose hard deletes are recorded in the source's deletions table.
public struct TrackedTable: Sendable, Hashable {
    /// The configured name (CLI, events).
    public var name: String
    /// The source table (may be `schema.table` in PostgreSQL); also the `source_table` value
    /// recorded per delete.
    public var sourceTable: String
    /// The single key column whose value each delete records.
    public var keyColumn: String

    /// Creates a tracked table description.
    public init(name: String, sourceTable: String, keyColumn: String) {
        self.name = name; self.sourceTable = sourceTable; self.keyColumn = keyColumn
    }
}

/// The SQL a source database needs to record hard deletes: the deletions table and, per tracked
/// table, an `AFTER DELETE ... FOR EACH ROW` trigger inserting the deleted key into it.
///
/// One implementation per database: ``PostgresDeleteTrackingSQL``, ``MySQLDeleteTrackingSQL``,
/// ``SQLiteDeleteTrackingSQL``. Every identifier is quoted and every value a quoted literal.
public protocol DeleteTrackingSQL: Sendable {
    /// Statements creating the deletions table and any shared function (idempotent).
    var installDeletionsTable: [String] { get }
    /// Statements installing the delete trigger (and the truncate guard where there is one) on
    /// `table` (idempotent: an existing trigger is replaced).
    func installTrigger(_ table: TrackedTable) -> [String]
    /// Statements removing what ``installTrigger(_:)`` installed (idempotent).
    func removeTrigger(_ table: TrackedTable) -> [String]
    /// What a `TRUNCATE` of a tracked table does in this database.
    var truncateHandling: TruncateHandling { get }
    /// Lines for whoever installs the triggers: what they do not catch in this database. Default:
    /// the ``truncateHandling`` note.
    var notes: [String] { get }
}

extension DeleteTrackingSQL {
    public var notes: [String] { [truncateHandling.note] }
}

/// What a `TRUNCATE` of a tracked table does to delete tracking. A truncate fires no row trigger,
/// so each database is in one of these situations.
public enum TruncateHandling: String, Sendable, Hashable, Codable {
    /// A `BEFORE TRUNCATE` trigger refuses it (PostgreSQL).
    case refused
    /// It goes through unrecorded: the rows it removed stay in Redshift (MySQL and MariaDB have no
    /// truncate trigger).
    case unrecorded
    /// The database has no `TRUNCATE`; `DELETE FROM t` without `WHERE` fires the row trigger for
    /// every row (SQLite).
    case notApplicable

    /// One line telling an operator what to expect, e.g. as a comment above the trigger SQL.
    public var note: String {
        switch self {
        case .refused:
            return "TRUNCATE of a tracked table fails (trigger rrr_refuse_truncate): use DELETE, or remove the trigger first and reload the Redshift table"
        case .unrecorded:
            return "MySQL/MariaDB fire no trigger on TRUNCATE: a TRUNCATE of a tracked table is NOT recorded and its rows stay in Redshift; use DELETE, or reload the table (a full run) after a TRUNCATE"
        case .notApplicable:
            return "SQLite has no TRUNCATE; DELETE FROM <table> without WHERE fires the trigger for every row and is recorded"
        }
    }
}

/// The name of the deletions table in the source database.
public let deletionsTableName = "rrr_deleted_keys"
