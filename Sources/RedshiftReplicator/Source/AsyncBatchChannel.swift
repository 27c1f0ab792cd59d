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

extension AsyncBatchChannel {
    /// Runs `producers` (each sending batches into the channel) next to a loop handing every batch to
    /// `sink` here; returns the producers' results in order and the bytes passed on. A failing sink
    /// stops the producers (their next `send` throws); a failing producer stops the others.
    static func pump<T: Sendable>(
        capacity: Int = 4, producers: [@Sendable (AsyncBatchChannel) async throws -> T],
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ([T], Int64) {
        let channel = AsyncBatchChannel(capacity: capacity)
        return try await withThrowingTaskGroup(of: [T].self) { group in
            group.addTask {
                do {
                    let results = try await withThrowingTaskGroup(of: (Int, T).self) { producing in
                        for (index, producer) in producers.enumerated() {
                            producing.addTask {
                                do {
                                    return (index, try await producer(channel))
                                } catch {
                                    channel.fail(error) // at once: the other producers' next send throws
                                    throw error
                                }
                            }
                        }
                        var results: [(Int, T)] = []
                        for try await result in producing { results.append(result) }
                        return results.sorted { $0.0 < $1.0 }.map(\.1)
                    }
                    channel.finish()
                    return results
                } catch {
                    channel.fail(error)
                    throw error
                }
            }
            var bytes: Int64 = 0
            do {
                while let batch = await channel.next() {
                    try await sink(batch)
                    bytes += Int64(batch.bytes.count)
                }
            } catch {
                channel.fail(error)
                throw error
            }
            guard let results = try await group.next() else { throw CancellationError() }
            return (results, bytes)
        }
    }
}
