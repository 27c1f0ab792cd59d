import Logging
import SQLiteClient

extension SQLiteSource: SnapshotDeleteTrackingSource {
    var deleteTracker: SnapshotDeleteTracker<SQLiteDatabase> {
        SnapshotDeleteTracker(source: self, shared: shared, sql: SQLiteDeleteTrackingSQL())
    }
}
