
/// A counted budget of permits (connections, sessions) shared by concurrent tasks: `acquire`
/// waits, first come first served, until enough permits are free; `tryAcquire` takes what is free
/// now without waiting. Every permit taken is given back with `release`.
///
/// rrr's parallel tables take their source and Redshift connections from two of these, so a
/// database's connection budget is never exceeded however many tables run at once.
public final class AsyncPermits: Sendable {
    private struct Waiter {
        let id: Int
        let count: Int
        let continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state: Locked<State>
    /// How many permits exist.
    public let total: Int

    /// Creates a budget of `total` permits (at least 1).
    public init(total: Int) {
        self.total = Swift.max(1, total)
        state = Locked(State(available: Swift.max(1, total)))
    }

    /// Permits free now.
    public var available: Int { state.withLock { $0.available } }

    /// Takes `count` permits (at most ``total``), waiting until they are free; waiters are served in order.
    /// - Throws: `CancellationError` when the task is cancelled while waiting (nothing is then taken).
    public func acquire(_ count: Int = 1) async throws {
        let count = Swift.min(Swift.max(1, count), total)
        let id = state.withLock { state -> Int? in
            if state.waiters.isEmpty && state.available >= count {
                state.available -= count
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                    Self.serve(&state)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let removed = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                let waiter = state.waiters.remove(at: index)
                Self.serve(&state)
                return waiter
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Takes up to `count` permits that are free now (none while others wait) and returns how many.
    public func tryAcquire(upTo count: Int) -> Int {
        guard count > 0 else { return 0 }
        return state.withLock { state in
            guard state.waiters.isEmpty else { return 0 }
            let taken = Swift.min(count, state.available)
            state.available -= taken
            return taken
        }
    }

    /// Gives back `count` permits, waking the waiters they satisfy.
    public func release(_ count: Int = 1) {
        guard count > 0 else { return }
        state.withLock { state in
            state.available = Swift.min(total, state.available + count)
            Self.serve(&state)
        }
    }

    /// Runs `body` holding `count` permits.
    public func withPermits<T>(_ count: Int = 1, _ body: () async throws -> T) async throws -> T {
        try await acquire(count)
        defer { release(Swift.min(Swift.max(1, count), total)) }
        return try await body()
    }

    /// Resumes waiters in order while the first one's permits are free (resuming only schedules).
    private static func serve(_ state: inout State) {
        while let first = state.waiters.first, state.available >= first.count {
            state.available -= first.count
            state.waiters.removeFirst()
            first.continuation.resume()
        }
    }
}
