import Foundation
import RedshiftCSV

/// Hands record batches from a blocking producer thread (the libpq COPY loop on its connection's queue) to an async
/// consumer, holding at most `capacity` batches: a slow consumer makes the producer wait, so
/// memory stays bounded whatever the table size.
final class BlockingBatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [CSVRecordBatch] = []
    private var finished = false
    private var failure: (any Error)?
    private let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Producer side: blocks while the channel is full; throws once the consumer failed.
    func send(_ batch: CSVRecordBatch) throws {
        condition.lock(); defer { condition.unlock() }
        while queue.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        condition.broadcast()
    }

    /// Producer side: no more batches.
    func finish() {
        condition.lock(); finished = true; condition.broadcast(); condition.unlock()
    }

    /// Consumer side: stops the producer with `error`.
    func fail(_ error: any Error) {
        condition.lock(); failure = error; condition.broadcast(); condition.unlock()
    }

    /// Consumer side: the next batch, or `nil` at the end. Waits on a dispatch thread, never the pool.
    func next() async -> CSVRecordBatch? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.condition.lock(); defer { self.condition.unlock() }
                while self.queue.isEmpty && !self.finished && self.failure == nil { self.condition.wait() }
                if self.queue.isEmpty || self.failure != nil { continuation.resume(returning: nil); return }
                let batch = self.queue.removeFirst()
                self.condition.broadcast()
                continuation.resume(returning: batch)
            }
        }
    }
}

/// The consumer side both channels share: the pump that drains a channel into the sliced writer.
protocol RecordBatchChannel: Sendable {
    /// The next batch, or `nil` at the end or after a failure.
    func next() async -> CSVRecordBatch?
    /// No more batches.
    func finish()
    /// Stops the producers with `error`.
    func fail(_ error: any Error)
}

extension BlockingBatchChannel: RecordBatchChannel {}

extension RecordBatchChannel {
    /// Runs `producers` (each sending batches into `self`, together) next to a loop handing every
    /// batch to `sink` here; returns the producers' results in order and the bytes passed on. A
    /// failing sink stops the producers (their next `send` throws); a failing producer stops the
    /// others at once.
    func pump<T: Sendable>(
        producers: [@Sendable (Self) async throws -> T], sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ([T], Int64) {
        try await withThrowingTaskGroup(of: [T].self) { group in
            group.addTask {
                do {
                    let results = try await withThrowingTaskGroup(of: (Int, T).self) { producing in
                        for (index, producer) in producers.enumerated() {
                            producing.addTask {
                                do {
                                    return (index, try await producer(self))
                                } catch {
                                    self.fail(error)
                                    throw error
                                }
                            }
                        }
                        var results: [(Int, T)] = []
                        for try await result in producing { results.append(result) }
                        return results.sorted { $0.0 < $1.0 }.map(\.1)
                    }
                    self.finish()
                    return results
                } catch {
                    self.fail(error)
                    throw error
                }
            }
            var bytes: Int64 = 0
            do {
                while let batch = await next() {
                    try await sink(batch)
                    bytes += Int64(batch.bytes.count)
                }
            } catch {
                fail(error)
                throw error
            }
            guard let results = try await group.next() else { throw CancellationError() }
            return (results, bytes)
        }
    }
}

extension Lookback {
    /// The exclusive lower id of an identity range: `previousUpper - ids` (integer ids only).
    static func lowerID(previousUpper: String, ids: Int64, table: String) throws -> String {
        guard let upper = Int64(previousUpper.trimmingCharacters(in: .whitespaces)) else {
            throw SourceError(.queryFailed, "identity table `\(table)`: the previous upper bound `\(previousUpper)` is not an integer id")
        }
        return String(upper - ids)
    }
}
