import Logging

/// A source whose delete tracking is a ``SnapshotDeleteTracker`` on its shared handle (MySQL,
/// SQLite): the ``DeleteTrackingSource`` requirements all forward to it.
protocol SnapshotDeleteTrackingSource: DeleteTrackingSource {
    associatedtype TrackingHandle: DeleteTrackingHandle
    /// The tracker over this source's shared handle.
    var deleteTracker: SnapshotDeleteTracker<TrackingHandle> { get }
}

extension SnapshotDeleteTrackingSource {
    public func deleteTrackingSQL(logger: Logger) async throws -> any DeleteTrackingSQL { deleteTracker.sql }

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
