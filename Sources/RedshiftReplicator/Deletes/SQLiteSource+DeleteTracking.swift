import Logging
import SQLiteClient

extension SQLiteSource: DeleteTrackingSource {
    var deleteTracker: SnapshotDeleteTracker<SQLiteDatabase> {
        SnapshotDeleteTracker(source: self, shared: shared, sql: SQLiteDeleteTrackingSQL())
    }

    public func deleteTrackingSQL(logger: Logger) async throws -> any DeleteTrackingSQL { SQLiteDeleteTrackingSQL() }

    public func installDeletionsTable(logger: Logger) async throws {
        try await deleteTracker.installDeletionsTable(logger: logger)
    }

    public func setTrigger(_ table: TrackedTable, installed: Bool, logger: Logger) async throws {
        try await deleteTracker.setTrigger(table, installed: installed, logger: logger)
    }

    public func hasTrigger(_ table: TrackedTable, logger: Logger) async throws -> Bool {
        try await deleteTracker.hasTrigger(table, logger: logger)
    }

    public func pendingDeletes(_ table: TrackedTable, limit: Int, logger: Logger) async throws -> PendingDeletes {
        try await deleteTracker.pendingDeletes(table, limit: limit, logger: logger)
    }

    public func forgetDeletes(ids: [Int64], logger: Logger) async throws {
        try await deleteTracker.forgetDeletes(ids: ids, logger: logger)
    }
}
