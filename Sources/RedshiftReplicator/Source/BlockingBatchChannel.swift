import Foundation
import RedshiftCSV

/// Hands record batches from a blocking producer thread (libpq's COPY loop) to an async
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
