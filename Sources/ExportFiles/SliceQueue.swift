import Foundation
import RedshiftCSV

/// A bounded single-producer, single-consumer queue of batches for one slice.
///
/// `send` suspends while the queue is full, which holds the source back when compression is the
/// bottleneck: memory stays at `capacity` batches per slice whatever the table size. `fail` wakes
/// both sides with the error (used when any slice or the source fails, or on cancellation).
final class SliceQueue: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`. Continuations are resumed while it is
    // held, which is safe: resuming only schedules the waiting task.
    private let lock = NSLock()
    private let capacity: Int
    private var items: [CSVRecordBatch] = []
    private var finished = false
    private var failure: (any Error)?
    private var waitingReceiver: CheckedContinuation<CSVRecordBatch?, any Error>?
    private var blockedSend: (batch: CSVRecordBatch, continuation: CheckedContinuation<Void, any Error>)?

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    /// Enqueues `batch`, waiting for room. Throws the queue's failure, or on cancellation.
    func send(_ batch: CSVRecordBatch) async throws {
        if try lock.withLock({ try enqueueLocked(batch, suspended: nil) }) { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                do {
                    if try lock.withLock({ try enqueueLocked(batch, suspended: continuation) }) {
                        continuation.resume()
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// The next batch, or nil once the producer called `finish` and the queue is drained.
    /// Throws the queue's failure, or on cancellation.
    func receive() async throws -> CSVRecordBatch? {
        if let taken = try lock.withLock({ try dequeueLocked(suspended: nil) }) { return taken.batch }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CSVRecordBatch?, any Error>) in
                do {
                    if let taken = try lock.withLock({ try dequeueLocked(suspended: continuation) }) {
                        continuation.resume(returning: taken.batch)
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// Tells the consumer no more batches come.
    func finish() {
        lock.withLock {
            finished = true
            if items.isEmpty, let receiver = waitingReceiver {
                waitingReceiver = nil
                receiver.resume(returning: nil)
            }
        }
    }

    /// Fails the queue: pending batches are dropped and both sides get `error` (the first one wins).
    func fail(_ error: any Error) {
        lock.withLock {
            let reported = failure ?? error
            failure = reported
            items.removeAll()
            waitingReceiver?.resume(throwing: reported)
            blockedSend?.continuation.resume(throwing: reported)
            waitingReceiver = nil
            blockedSend = nil
        }
    }

    // MARK: - With the lock held

    /// Hands `batch` to a waiting receiver or stores it: true. When full, parks `suspended` (if
    /// given) with the batch and returns false.
    private func enqueueLocked(
        _ batch: CSVRecordBatch, suspended: CheckedContinuation<Void, any Error>?
    ) throws -> Bool {
        if let failure { throw failure }
        if let receiver = waitingReceiver {
            waitingReceiver = nil
            receiver.resume(returning: batch)
            return true
        }
        if items.count < capacity {
            items.append(batch)
            return true
        }
        if let suspended { blockedSend = (batch, suspended) }
        return false
    }

    /// A batch taken from the queue, or nil for the end of the stream.
    private struct Taken { var batch: CSVRecordBatch? }

    /// Takes the next batch, or the end of the stream; when neither is there yet, parks
    /// `suspended` (if given) and returns nil.
    private func dequeueLocked(
        suspended: CheckedContinuation<CSVRecordBatch?, any Error>?
    ) throws -> Taken? {
        if let failure { throw failure }
        if !items.isEmpty {
            let batch = items.removeFirst()
            if let sender = blockedSend {
                items.append(sender.batch)
                blockedSend = nil
                sender.continuation.resume()
            }
            return Taken(batch: batch)
        }
        if finished { return Taken(batch: nil) }
        if let suspended { waitingReceiver = suspended }
        return nil
    }
}
