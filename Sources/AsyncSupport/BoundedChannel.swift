
/// A bounded, backpressured hand-off of values from one or more producer tasks to one consumer.
///
/// `send` suspends (never blocks a thread) while `capacity` values wait, so memory stays bounded
/// whatever the producers' speed; `next` suspends until a value, the end, or a failure arrives.
/// The one way the pipeline moves batches between tasks: source readers to the export writer,
/// the export writer to each slice's compressor.
///
/// Ending and failing:
/// - ``finish()``: no more values; the consumer drains what is queued, then gets `nil`.
/// - ``fail(_:)``: either side stops everything. Queued values are dropped, every waiting and
///   later `send`/`next` throws the error (the first failure wins).
/// - Cancellation: a task cancelled while it waits in `send` or `next` fails the channel with
///   `CancellationError`, so the other side stops too instead of waiting forever.
public final class BoundedChannel<Element: Sendable>: Sendable {
    private struct State: ~Copyable {
        var queue: [Element] = []
        /// Producers waiting for room, each with the value it brings (moved in when room frees).
        var senders: [(element: Element, continuation: CheckedContinuation<Void, any Error>)] = []
        var receiver: CheckedContinuation<Element?, any Error>?
        var finished = false
        var failure: (any Error)?
    }

    private let state: Locked<State>
    /// The most values waiting at once.
    public let capacity: Int

    /// Creates a channel holding at most `capacity` values (at least 1).
    public init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        state = Locked(State())
    }

    // MARK: Producer side

    /// Hands `element` to the consumer, waiting while the channel is full.
    /// - Throws: the channel's failure, or `CancellationError` when the task is cancelled while waiting.
    public func send(_ element: Element) async throws {
        if try state.withLock({ try Self.offer(element, to: &$0, capacity: capacity) }) { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (sender: CheckedContinuation<Void, any Error>) in
                let result = Result { try state.withLock { state -> Bool in
                    if try Self.offer(element, to: &state, capacity: capacity) { return true }
                    state.senders.append((element, sender))
                    return false
                } }
                switch result {
                case .success(true): sender.resume()
                case .success(false): break  // resumed by `next` (room) or `fail`
                case .failure(let error): sender.resume(throwing: error)
                }
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// Gives `element` to a waiting consumer or queues it: `true`. `false` when full. Throws the failure.
    private static func offer(_ element: Element, to state: inout State, capacity: Int) throws -> Bool {
        if let failure = state.failure { throw failure }
        precondition(!state.finished, "send after finish")
        if let receiver = state.receiver {
            state.receiver = nil
            receiver.resume(returning: element)  // only schedules the consumer: safe under the lock
            return true
        }
        guard state.queue.count < capacity else { return false }
        state.queue.append(element)
        return true
    }

    /// No more values will be sent; the consumer gets `nil` once it has taken every queued value.
    public func finish() {
        state.withLock { state in
            state.finished = true
            if state.queue.isEmpty, state.senders.isEmpty, let receiver = state.receiver {
                state.receiver = nil
                receiver.resume(returning: nil)
            }
        }
    }

    // MARK: Consumer side

    /// The next value, or `nil` once the channel is finished and drained.
    /// - Throws: the channel's failure, or `CancellationError` when the task is cancelled while waiting.
    public func next() async throws -> Element? {
        if let taken = try state.withLock({ try Self.take(from: &$0) }) { return taken.element }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (receiver: CheckedContinuation<Element?, any Error>) in
                let result = Result { try state.withLock { state -> Taken? in
                    if let taken = try Self.take(from: &state) { return taken }
                    precondition(state.receiver == nil, "one consumer at a time")
                    state.receiver = receiver
                    return nil
                } }
                switch result {
                case .success(let taken?): receiver.resume(returning: taken.element)
                case .success(nil): break  // resumed by `send`, `finish` or `fail`
                case .failure(let error): receiver.resume(throwing: error)
                }
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// A value taken, or the end (`element == nil`).
    private struct Taken { var element: Element? }

    /// Takes the next value (letting the first waiting producer move its value in), or the end;
    /// `nil` when the consumer must wait. Throws the failure.
    private static func take(from state: inout State) throws -> Taken? {
        if let failure = state.failure { throw failure }
        if !state.queue.isEmpty {
            let element = state.queue.removeFirst()
            if !state.senders.isEmpty {
                let sender = state.senders.removeFirst()
                state.queue.append(sender.element)
                sender.continuation.resume()
            }
            return Taken(element: element)
        }
        if !state.senders.isEmpty {  // capacity reached with an empty queue cannot happen, but be exact
            let sender = state.senders.removeFirst()
            sender.continuation.resume()
            return Taken(element: sender.element)
        }
        return state.finished ? Taken(element: nil) : nil
    }

    // MARK: Either side

    /// Stops the channel: queued values are dropped; waiting and later calls on both sides throw
    /// `error` (the first failure wins, later ones are ignored).
    public func fail(_ error: any Error) {
        state.withLock { state in
            let reported = state.failure ?? error
            state.failure = reported
            state.queue.removeAll()
            for sender in state.senders { sender.continuation.resume(throwing: reported) }
            state.senders.removeAll()
            state.receiver?.resume(throwing: reported)
            state.receiver = nil
        }
    }
}

extension BoundedChannel: AsyncSequence {
    /// Iterates the values until the end; throws the channel's failure.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let channel: BoundedChannel
        public mutating func next() async throws -> Element? { try await channel.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: self) }
}
