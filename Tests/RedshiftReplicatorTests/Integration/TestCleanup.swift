import AsyncSupport
import Testing

/// Closes what a test opened, awaited once the test ends (passed or failed), newest first.
/// `defer` cannot await, and a `Task { close }` in a `defer` outlives the test (its connection
/// may still be open while the next test runs): register the close with ``closeAfterTest(_:)``
/// in a suite with the ``Trait/closesResources`` trait instead.
struct ClosesResources: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }  // a suite: its tests get their own scope
        let cleanup = TestCleanup()
        try await TestCleanup.$current.withValue(cleanup) {
            do { try await function() } catch {
                await cleanup.run()
                throw error
            }
            await cleanup.run()
        }
    }
}

extension Trait where Self == ClosesResources {
    /// Each test's ``closeAfterTest(_:)`` actions run, awaited, when it ends.
    static var closesResources: Self { ClosesResources() }
}

/// The close actions registered by the running test.
final class TestCleanup: Sendable {
    @TaskLocal static var current: TestCleanup?
    private let actions = Locked<[@Sendable () async -> Void]>([])

    func add(_ action: @escaping @Sendable () async -> Void) { actions.withLock { $0.append(action) } }

    func run() async {
        let pending = actions.withLock { actions in
            defer { actions = [] }
            return actions
        }
        for action in pending.reversed() { await action() }
    }
}

/// Runs `close` when the current test ends, awaited (the suite needs ``Trait/closesResources``).
func closeAfterTest(_ close: @escaping @Sendable () async -> Void) {
    guard let cleanup = TestCleanup.current else {
        Issue.record("closeAfterTest outside a test with the .closesResources trait: nothing would await the close")
        return
    }
    cleanup.add(close)
}
