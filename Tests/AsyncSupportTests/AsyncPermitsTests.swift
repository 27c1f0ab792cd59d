import AsyncSupport
import Testing

/// Permits held now and the most ever held at once.
private final class Holders: Sendable {
    private let state = Locked((now: 0, peak: 0))
    func withLock<T>(_ body: (inout (now: Int, peak: Int)) -> T) -> T { state.withLock { body(&$0) } }
}

@Suite("AsyncPermits")
struct AsyncPermitsTests {
    @Test("never more holders than permits, every waiter served")
    func neverExceeded() async throws {
        let permits = AsyncPermits(total: 5)
        let holding = Holders()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let count = index % 3 + 1
                    try await permits.withPermits(count) {
                        holding.withLock { $0.now += count; $0.peak = max($0.peak, $0.now) }
                        try await Task.sleep(for: .milliseconds(2))
                        holding.withLock { $0.now -= count }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(holding.withLock { $0.peak } <= 5)
        #expect(holding.withLock { $0.peak } >= 3)
        #expect(permits.available == 5)
    }

    @Test("tryAcquire takes only what is free; a cancelled waiter takes nothing")
    func tryAndCancel() async throws {
        let permits = AsyncPermits(total: 3)
        #expect(permits.tryAcquire(upTo: 2) == 2)
        #expect(permits.tryAcquire(upTo: 5) == 1)
        #expect(permits.tryAcquire(upTo: 1) == 0)
        let waiter = Task { try await permits.acquire(2) }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        permits.release(3)
        #expect(permits.available == 3)
    }
}
