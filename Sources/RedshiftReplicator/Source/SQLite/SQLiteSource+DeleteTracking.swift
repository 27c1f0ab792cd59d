import Logging
import SQLiteClient

extension SQLiteSource: SnapshotDeleteTrackingSource {
    var deleteTracker: SnapshotDeleteTracker<SQLiteDatabase> {
        SnapshotDeleteTracker(source: self, shared: shared, sql: SQLiteDeleteTrackingSQL())
    }
}

extension SQLiteDatabase: DeleteTrackingHandle {
    /// How long rrr tries to win the application's write lock for one of its writes here.
    static let writeLockBudget: Duration = .seconds(10)

    /// `BEGIN IMMEDIATE` takes the write lock now, so the transaction cannot fail later on
    /// upgrading a read lock; in short attempts for at most ``writeLockBudget`` (an application
    /// writing back to back leaves the lock free only for instants, see
    /// ``SQLiteDatabase/beginImmediate(within:logger:)``).
    func beginWrite(logger: Logger) throws { try beginImmediate(within: Self.writeLockBudget, logger: logger) }
}

extension SQLiteError {
    /// `SQLITE_BUSY`: the application kept the write lock.
    package var isWriteContention: Bool { isBusy }
}
