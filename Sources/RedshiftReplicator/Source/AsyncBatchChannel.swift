import RedshiftCSV
import Synchronization

/// Hands record batches from async producers (the MySQL and SQLite clients' export loops, one or
/// several readers at once) to one async consumer, holding at most `capacity` batches.
///
/// A full channel suspends the producer rather than blocking its thread: the clients call their
/// sink from an async context, which runs on the cooperative pool, and a pool thread blocked there
/// is a core taken from the compressors (with two producers on two cores, a deadlock).
final class AsyncBatchChannel: Sendable {
    private enum SendResult: Sendable { case done, retry }

    private struct State: ~Copyable {
        var queue: [CSVRecordBatch] = []
        var senders: [CheckedContinuation<SendResult, any Error>] = []
        var receiver: CheckedContinuation<CSVRecordBatch?, Never>?
        var finished = false
        var failure: (any Error)?

        mutating func takeReceiver() -> CheckedContinuation<CSVRecordBatch?, Never>? {
            defer { receiver = nil }
            return receiver
        }
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Producer side: waits while the channel is full; throws once the consumer failed.
    func send(_ batch: CSVRecordBatch) async throws {
        try Task.checkCancellation()
        while true {
            let result = try await withCheckedThrowingContinuation { (sender: CheckedContinuation<SendResult, any Error>) in
                enum Step { case fail(any Error), hand(CheckedContinuation<CSVRecordBatch?, Never>), done, wait }
                let step: Step = state.withLock { state in
                    if let failure = state.failure { return .fail(failure) }
                    if let receiver = state.receiver {
                        state.receiver = nil
                        return .hand(receiver)
                    }
                    if state.queue.count < capacity {
                        state.queue.append(batch)
                        return .done
                    }
                    // Resumed with `.retry` once the consumer takes a batch, or with the failure.
                    state.senders.append(sender)
                    return .wait
                }
                switch step {
                case .fail(let error): sender.resume(throwing: error)
                case .hand(let receiver): receiver.resume(returning: batch); sender.resume(returning: .done)
                case .done: sender.resume(returning: .done)
                case .wait: break
                }
            }
            if result == .done { return }
        }
    }

    /// Consumer side: the next batch, or `nil` once every producer finished (or after a failure).
    func next() async -> CSVRecordBatch? {
        await withCheckedContinuation { (receiver: CheckedContinuation<CSVRecordBatch?, Never>) in
            enum Step { case give(CSVRecordBatch, CheckedContinuation<SendResult, any Error>?), end, wait }
            let step: Step = state.withLock { state in
                if state.failure != nil { return .end }
                if !state.queue.isEmpty {
                    let batch = state.queue.removeFirst()
                    return .give(batch, state.senders.isEmpty ? nil : state.senders.removeFirst())
                }
                if state.finished { return .end }
                state.receiver = receiver
                return .wait
            }
            switch step {
            case .give(let batch, let waitingSender):
                waitingSender?.resume(returning: .retry)
                receiver.resume(returning: batch)
            case .end: receiver.resume(returning: nil)
            case .wait: break
            }
        }
    }

    /// Producer side: no more batches from any producer.
    func finish() {
        let receiver = state.withLock { state in
            state.finished = true
            return state.queue.isEmpty ? state.takeReceiver() : nil
        }
        receiver?.resume(returning: nil)
    }

    /// Either side: stops everything with `error` (waiting producers throw it, the consumer ends).
    func fail(_ error: any Error) {
        let (senders, receiver) = state.withLock { state in
            if state.failure == nil { state.failure = error }
            let senders = state.senders
            state.senders = []
            return (senders, state.takeReceiver())
        }
        for sender in senders { sender.resume(throwing: error) }
        receiver?.resume(returning: nil)
    }
}

extension AsyncBatchChannel: RecordBatchChannel {
    /// A new channel of `capacity` batches pumping `producers` into `sink` (see ``RecordBatchChannel/pump(producers:sink:)``).
    static func pump<T: Sendable>(
        capacity: Int = 4, producers: [@Sendable (AsyncBatchChannel) async throws -> T],
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ([T], Int64) {
        try await AsyncBatchChannel(capacity: capacity).pump(producers: producers, sink: sink)
    }
}
