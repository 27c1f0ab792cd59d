import Logging
import MySQLClient
import SQLiteClient

/// What the shared MySQL/SQLite delete tracking (``SnapshotDeleteTracker``) needs from a client
/// handle; every call runs on the handle's own thread.
protocol DeleteTrackingHandle: SnapshotExportHandle {
    /// Starts a read-only transaction whose snapshot every following query shares.
    func beginReadSnapshot(logger: Logger) throws
    /// Starts a read-write transaction.
    func beginWrite(logger: Logger) throws
    /// Rolls the current transaction back.
    func rollback(logger: Logger) throws
}

extension MySQLConnection: DeleteTrackingHandle {
    /// `START TRANSACTION WITH CONSISTENT SNAPSHOT`: the snapshot is taken now, not at the first read.
    func beginReadSnapshot(logger: Logger) throws { try beginConsistentSnapshot(logger: logger) }

    /// DDL commits implicitly in MySQL: only DML in the transaction is atomic.
    func beginWrite(logger: Logger) throws { try execute("START TRANSACTION", logger: logger) }
}

extension SQLiteDatabase: DeleteTrackingHandle {
    /// `BEGIN IMMEDIATE` takes the write lock now (waiting up to the busy timeout), so the
    /// transaction cannot fail later on upgrading a read lock.
    func beginWrite(logger: Logger) throws { try execute("BEGIN IMMEDIATE", logger: logger) }
}
