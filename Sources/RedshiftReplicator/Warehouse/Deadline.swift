import AsyncSupport

/// Runs `body` and gives up on it after `limit`, throwing ``WarehouseError/Code/timedOut``
/// without waiting for `body` to notice. A task group cannot do this: it waits for every child,
/// and a PostgresNIO query blocked on a silent socket ignores cancellation. `abandon` runs when the
/// limit passes or the caller is canceled (close the connection there, which fails `body`'s I/O);
/// `body`'s task then ends on its own, and `discard` receives what it returns if it still succeeds
/// (a connection opened too late must be closed: PostgresNIO traps on one dropped open).
func withDeadline<T: Sendable>(
    _ limit: Duration, what: String, abandon: @escaping @Sendable () -> Void = {},
    discard: @escaping @Sendable (T) async -> Void = { _ in },
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    let work = Task { try await body() }
    let timer = Task {
        guard (try? await Task.sleep(for: limit)) != nil else { return }
        let seconds = limit.components.seconds
        if race.finish(.failure(WarehouseError(.timedOut, "\(what) did not finish within \(seconds) s"))) {
            work.cancel()
            abandon()
        }
    }
    defer { timer.cancel() }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.wait(continuation)
            Task {
                let result = await work.result
                if !race.finish(result), case .success(let late) = result { await discard(late) }
            }
        }
    } onCancel: {
        if race.finish(.failure(CancellationError())) {
            work.cancel()
            abandon()
        }
    }
}

/// The first of the body's result, the timer and cancellation wins; the others are ignored.
private final class DeadlineRace<T: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<T, any Error>)
        case finished(Result<T, any Error>)
        case resumed
    }
    private let state = Locked<State>(.idle)

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLock { state in
            if case .finished(let result) = state {
                state = .resumed
                return result
            }
            state = .waiting(continuation)
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Delivers `result` unless another one came first; true when this one won.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (won, waiter): (Bool, CheckedContinuation<T, any Error>?) = state.withLock { state in
            switch state {
            case .idle:
                state = .finished(result)
                return (true, nil)
            case .waiting(let continuation):
                state = .resumed
                return (true, continuation)
            case .finished, .resumed:
                return (false, nil)
            }
        }
        waiter?.resume(with: result)
        return won
    }
}
