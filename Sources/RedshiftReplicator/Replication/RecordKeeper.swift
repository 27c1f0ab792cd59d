import Foundation
import Logging

/// Holds the current replication record and saves every change to the history at once, so a
/// crash at any point leaves the history describing how far the replication got.
actor RecordKeeper {
    private(set) var record: ReplicationRecord
    private let history: any HistoryStore
    private let logger: Logger

    init(_ record: ReplicationRecord, history: any HistoryStore, logger: Logger) {
        self.record = record
        self.history = history
        self.logger = logger
    }

    /// Applies `change` and saves the record.
    func save(_ change: @Sendable (inout ReplicationRecord) -> Void) async throws {
        change(&record)
        record.updatedAt = .now
        try await history.update(record, logger: logger)
        Failpoint.hit(record.state.rawValue)
    }

    /// Records `error` as the last error without changing the state; best effort.
    func recordFailure(_ message: String) async {
        record.lastError = message
        try? await history.update(record, logger: logger)
    }

    /// Removes the record (an incremental export that found no rows leaves no record).
    func discard() async throws {
        try await history.delete(id: record.id, logger: logger)
    }
}
