import AsyncSupport
import Testing
@testable import RedshiftReplicator

/// `withDeadline` gives up on a body that ignores cancellation (as a PostgresNIO query on a silent
/// socket does) instead of waiting for it, as a task group would.
@Suite("Deadlines", .timeLimit(.minutes(1)))
struct DeadlineTests {
    /// A wait only `release()` ends: it ignores cancellation.
    final class StuckWait: Sendable {
        private let waiter = Locked<CheckedContinuation<Void, Never>?>(nil)
        private let released = Locked(false)
        func wait() async {
            await withCheckedContinuation { continuation in
                let now = released.withLock { $0 }
                if now { continuation.resume() } else { waiter.withLock { $0 = continuation } }
            }
        }
        func release() {
            released.withLock { $0 = true }
            waiter.withLock { waiting in defer { waiting = nil }; return waiting }?.resume()
        }
    }

    @Test func aBodyThatIgnoresCancellationTimesOutAndIsAbandoned() async throws {
        let stuck = StuckWait(), abandoned = ClosedFlag()
        let started = ContinuousClock.now
        await #expect(throws: WarehouseError.self) {
            try await withDeadline(.milliseconds(300), what: "the COPY", abandon: {
                abandoned.set()
            }) {
                await stuck.wait()
                return 1
            }
        }
        // The body never ends by itself: any bound proves it was not waited for (loose for loaded CI machines).
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(abandoned.isSet, "the connection would have been closed")
        stuck.release()
    }

    @Test func aFastBodyReturnsItsValueAndIsNotAbandoned() async throws {
        let abandoned = ClosedFlag()
        let value = try await withDeadline(.seconds(10), what: "a query", abandon: { abandoned.set() }) { 42 }
        #expect(value == 42)
        #expect(!abandoned.isSet)
    }

    @Test func aBodysErrorPassesThrough() async throws {
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await withDeadline(.seconds(10), what: "a query") { () async throws -> Int in throw Refused() }
        }
    }

    @Test func theTimeoutMessageNamesWhatAndTheLimit() async throws {
        let stuck = StuckWait()
        do {
            _ = try await withDeadline(.seconds(1), what: "statement COPY t") { await stuck.wait(); return 0 }
            Issue.record("expected a timeout")
        } catch let error as WarehouseError {
            #expect(error.code == .timedOut)
            #expect("\(error)".contains("statement COPY t did not finish within 1 s"))
        }
        stuck.release()
    }
}
