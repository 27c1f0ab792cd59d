import AsyncSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An actor on its own thread, as the blocking clients are.
private actor ThreadBound {
    private let executor = DedicatedThreadExecutor()
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var inside = 0

    /// The thread the call runs on, and whether another call ran at the same time.
    func work() -> (thread: pthread_t, overlapped: Bool) {
        inside += 1
        defer { inside -= 1 }
        executor.checkIsolated()
        let overlapped = inside > 1
        var spin = 0
        for index in 0..<10_000 { spin &+= index }  // some work that a concurrent call could overlap
        _ = spin
        return (pthread_self(), overlapped || inside > 1)
    }
}

@Suite("DedicatedThreadExecutor: an actor's calls run one at a time on its own thread", .timeLimit(.minutes(3)))
struct DedicatedThreadExecutorTests {
    @Test func callsFromManyTasksRunSeriallyOnOneThreadOfTheirOwn() async throws {
        let actor = ThreadBound()
        let results = await withTaskGroup(of: (pthread_t, Bool).self) { group in
            for _ in 0..<50 { group.addTask { await actor.work() } }
            var results: [(pthread_t, Bool)] = []
            for await result in group { results.append(result) }
            return results
        }
        let first = results[0].0
        #expect(results.allSatisfy { pthread_equal($0.0, first) != 0 }, "one thread for every call")
        #expect(results.allSatisfy { !$0.1 }, "no two calls overlapped")
        #expect(pthread_equal(first, pthread_self()) == 0, "not the caller's thread")
    }

    @Test func twoActorsHaveTwoThreads() async throws {
        let a = ThreadBound(), b = ThreadBound()
        let threadA = await a.work().thread, threadB = await b.work().thread
        #expect(pthread_equal(threadA, threadB) == 0)
    }
}
