import Logging

extension SQLiteDatabase {
    /// Starts a read transaction and takes its snapshot at once (SQLite starts a deferred
    /// transaction's snapshot at its first read, so this reads the schema page).
    ///
    /// Bounds and the exported rows then see the same data while other processes write. In WAL mode
    /// writers carry on meanwhile; in rollback-journal mode they wait (up to their busy timeout) until
    /// ``commit(logger:)`` or ``rollback(logger:)`` ends the snapshot, so keep it short there.
    package func beginReadSnapshot(logger: Logger) throws {
        try execute("BEGIN DEFERRED", logger: logger)
        _ = try query("SELECT count(*) FROM sqlite_schema", logger: logger)
    }

    /// Commits the current transaction.
    package func commit(logger: Logger) throws { try execute("COMMIT", logger: logger) }

    /// Rolls the current transaction back.
    package func rollback(logger: Logger) throws { try execute("ROLLBACK", logger: logger) }

    /// Switches the database file to write-ahead logging (needs a read-write connection; persistent).
    /// - Returns: the journal mode now in effect, `wal` when it worked.
    @discardableResult
    package func enableWriteAheadLog(logger: Logger) throws -> String {
        guard case .text(let mode) = try query("PRAGMA journal_mode = WAL", logger: logger).scalar else {
            throw SQLiteError(.unexpectedResult, "PRAGMA journal_mode returned no text")
        }
        return mode
    }

    /// The file's journal mode (`wal`, `delete`, ...).
    package func journalMode(logger: Logger) throws -> String {
        guard case .text(let mode) = try query("PRAGMA journal_mode", logger: logger).scalar else {
            throw SQLiteError(.unexpectedResult, "PRAGMA journal_mode returned no text")
        }
        return mode
    }
}
