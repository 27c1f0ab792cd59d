@testable import RedshiftReplicator

/// Collects a replicator's events while a test runs.
final class EventCollector: Sendable {
    private let task: Task<[ReplicationEvent], Never>

    init(_ replicator: Replicator) {
        let stream = replicator.events
        task = Task { var events: [ReplicationEvent] = []; for await e in stream { events.append(e) }; return events }
    }

    /// Ends the subscription and returns everything received.
    func finish(_ replicator: Replicator) async -> [ReplicationEvent] {
        replicator.finishEvents()
        return await task.value
    }
}
