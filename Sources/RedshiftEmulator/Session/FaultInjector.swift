import AsyncSupport

/// Counts COPYs and COMMITs over the whole process and says when a configured fault strikes.
final class FaultInjector: Sendable {
    let faults: FaultInjection
    private let counters = Locked((copies: 0, commits: 0))

    init(_ faults: FaultInjection) {
        self.faults = faults
    }

    /// What happens to the COPY starting now.
    enum CopyFault: Equatable { case none, fail(number: Int), dropMidway }

    func copyStarting() -> CopyFault {
        let number = counters.withLock { $0.copies += 1; return $0.copies }
        if faults.failCopyNumber == number { return .fail(number: number) }
        if faults.dropConnectionDuringCopyNumber == number { return .dropMidway }
        return .none
    }

    /// What happens to the COMMIT starting now.
    enum CommitFault: Equatable { case none, dropConnection, serializableViolation }

    func commitStarting() -> CommitFault {
        guard faults.watchesCommits else { return .none }
        let number = counters.withLock { $0.commits += 1; return $0.commits }
        if faults.dropConnectionAtCommitNumber == number { return .dropConnection }
        if faults.serializableViolationAtCommitNumber == number { return .serializableViolation }
        return .none
    }

    /// A slow COPY (a real cluster's load of a large table), for tests that act while one runs.
    func delayCopy() async throws {
        if faults.copyDelayMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(faults.copyDelayMilliseconds))
        }
    }

    func delayStatement() async throws {
        if faults.statementDelayMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(faults.statementDelayMilliseconds))
        }
    }
}

/// Thrown to end a session abruptly on purpose (fault injection).
struct InjectedConnectionDrop: Error, CustomStringConvertible {
    var point: String
    var description: String { "fault injection: connection dropped \(point)" }
}
