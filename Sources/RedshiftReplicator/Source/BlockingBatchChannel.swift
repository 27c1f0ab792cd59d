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

extension BlockingBatchChannel {
    /// Runs `producer` (which sends batches into the channel from its own thread) next to a loop
    /// handing each batch to `sink` here; returns the producer's result and the bytes passed on.
    /// A failing sink stops the producer (its next `send` throws).
    static func pump<T: Sendable>(
        capacity: Int = 4, producer: @escaping @Sendable (BlockingBatchChannel) async throws -> T,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> (T, Int64) {
        let channel = BlockingBatchChannel(capacity: capacity)
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask {
                do {
                    let result = try await producer(channel)
                    channel.finish()
                    return result
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
            guard let result = try await group.next() else { throw CancellationError() }
            return (result, bytes)
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
