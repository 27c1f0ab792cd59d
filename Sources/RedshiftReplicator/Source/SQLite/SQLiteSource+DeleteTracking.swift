import Logging
import SQLiteClient

extension SQLiteSource: SnapshotDeleteTrackingSource {
    var deleteTracker: SnapshotDeleteTracker<SQLiteDatabase> {
        SnapshotDeleteTracker(source: self, shared: shared, sql: SQLiteDeleteTrackingSQL())
    }
}

extension SQLiteDatabase: DeleteTrackingHandle {
    /// `BEGIN IMMEDIATE` takes the write lock now (waiting up to the busy timeout), so the
    /// transaction cannot fail later on upgrading a read lock.
    func beginWrite(logger: Logger) throws { try execute("BEGIN IMMEDIATE", logger: logger) }
}
