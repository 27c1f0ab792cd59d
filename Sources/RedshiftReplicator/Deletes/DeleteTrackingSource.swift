import Logging

/// A source database that records hard deletes: PostgreSQL (``PostgresSource``), MySQL/MariaDB
/// (``MySQLSource``) and SQLite (``SQLiteSource``).
public protocol DeleteTrackingSource: ReplicationSource {
    /// The SQL generator for this database, for the deletions table in the source's default schema.
    func deleteTrackingSQL(logger: Logger) async throws -> any DeleteTrackingSQL

    /// Creates the deletions table and shared functions (idempotent; an installed table is left
    /// alone, so no lock waits behind the application's open transactions).
    func installDeletionsTable(logger: Logger) async throws

    /// Installs (`true`) or removes (`false`) the delete trigger (and truncate guard) on `table`.
    /// - Throws: ``SourceError`` `.tableNotFound` naming the table when it does not exist;
    ///   ``DeleteTrackingError`` `.missingPrivilege` when the database refuses to create it.
    func setTrigger(_ table: TrackedTable, installed: Bool, logger: Logger) async throws

    /// Whether rrr's delete trigger is installed on `table`.
    func hasTrigger(_ table: TrackedTable, logger: Logger) async throws -> Bool

    /// Reads up to `limit` recorded deletes of `table`, oldest first, in one snapshot, each
    /// marked with whether a row with that key exists again in the source.
    func pendingDeletes(_ table: TrackedTable, limit: Int, logger: Logger) async throws -> PendingDeletes

    /// Removes exactly the deletion records `ids` (the ones that reached Redshift).
    func forgetDeletes(ids: [Int64], logger: Logger) async throws
}

/// Why delete tracking could not run.
public struct DeleteTrackingError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable {
        /// The source database kind has no delete tracking.
        case unsupportedSource
        /// The table's key is not a single column, or its type cannot be recorded.
        case unsupportedKey
        /// The deletions table is missing (`rrr install` not run).
        case notInstalled
        /// The database user may not create (or drop) the trigger.
        case missingPrivilege
    }
    /// The kind.
    public var code: Code
    /// A message naming the table and setting.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }

    public var description: String { "delete tracking: \(message)" }

    /// The deletions table does not exist in the source database.
    static var deletionsTableMissing: DeleteTrackingError {
        DeleteTrackingError(.notInstalled, "the deletions table \(deletionsTableName) is missing in the source database: run `rrr install`")
    }

    /// `source` as a delete-tracking source (every built-in source is one).
    static func tracking(_ source: any ReplicationSource, table: String? = nil) throws -> any DeleteTrackingSource {
        guard let tracking = source as? any DeleteTrackingSource else {
            throw DeleteTrackingError(.unsupportedSource, (table.map { "table \($0): " } ?? "") + "enable_delete_tracking: this source cannot record deletes")
        }
        return tracking
    }
}

extension SourceError {
    /// The tracked table's key column is not a column of its source table.
    static func keyColumnMissing(_ table: TrackedTable) -> SourceError {
        SourceError(.columnMissing, "table \(table.name): key column `\(table.keyColumn)` is not a column of `\(table.sourceTable)`")
    }
}
