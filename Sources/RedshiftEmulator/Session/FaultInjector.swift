import AsyncSupport
import Logging

/// Counts COPYs and COMMITs over the whole process and says when a configured fault strikes: the
/// Nth one (`FaultInjection.failCopyNumber`...), or at random at the configured rates, drawn from
/// one generator seeded with `FaultInjection.seed`. Every fault it injects is logged as
/// `fault injection: <kind>` (notice), which is what a soak counts.
final class FaultInjector: Sendable {
    let faults: FaultInjection
    private let state: Locked<(copies: Int, commits: Int, random: SeededRandom)>

    init(_ faults: FaultInjection) {
        self.faults = faults
        self.state = Locked((copies: 0, commits: 0, random: SeededRandom(seed: faults.seed)))
    }

    /// What happens to the COPY starting now.
    enum CopyFault: Equatable { case none, fail(number: Int), dropMidway }

    func copyStarting(logger: Logger? = nil) -> CopyFault {
        let (number, draw) = state.withLock { state in
            state.copies += 1
            return (state.copies, faults.drawsForCopies ? state.random.nextUnit() : 1)
        }
        let fault: CopyFault
        if faults.failCopyNumber == number || draw < faults.copyFailureRate {
            fault = .fail(number: number)
        } else if faults.dropConnectionDuringCopyNumber == number || draw < faults.copyFailureRate + faults.copyDropRate {
            fault = .dropMidway
        } else {
            fault = .none
        }
        switch fault {
        case .fail: Self.log(FaultKind.copyFailure, logger)
        case .dropMidway: Self.log(FaultKind.copyDrop, logger)
        case .none: break
        }
        return fault
    }

    /// What happens to the COMMIT starting now.
    enum CommitFault: Equatable { case none, dropConnection, serializableViolation }

    func commitStarting(logger: Logger? = nil) -> CommitFault {
        guard faults.watchesCommits else { return .none }
        let (number, draw) = state.withLock { state in
            state.commits += 1
            return (state.commits, faults.drawsForCommits ? state.random.nextUnit() : 1)
        }
        if faults.dropConnectionAtCommitNumber == number || draw < faults.commitDropRate {
            Self.log(FaultKind.commitDrop, logger)
            return .dropConnection
        }
        if faults.serializableViolationAtCommitNumber == number || draw < faults.commitDropRate + faults.serializableViolationRate {
            Self.log(FaultKind.serializableViolation, logger)
            return .serializableViolation
        }
        return .none
    }

    /// The names faults are logged by.
    enum FaultKind {
        static let copyFailure = "copy-failure", copyDrop = "copy-drop"
        static let commitDrop = "commit-drop", serializableViolation = "serializable-violation"
    }

    private static func log(_ kind: String, _ logger: Logger?) {
        logger?.notice("fault injection: \(kind)", metadata: ["rrr_fault": "\(kind)"])
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

/// SplitMix64: a small generator whose sequence is fixed by its seed, so a soak run with the same
/// seed draws the same faults in the same order (which statement a draw meets depends on timing).
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in [0, 1) from the top 53 bits.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

/// Thrown to end a session abruptly on purpose (fault injection).
struct InjectedConnectionDrop: Error, CustomStringConvertible {
    var point: String
    var description: String { "fault injection: connection dropped \(point)" }
}
