import RedshiftCSV
import SourceSupport

/// A bounded hand-off between the export (producer) and the stdout writer (consumer), so the export
/// keeps converting rows while earlier batches are written, as the engine's compressing writer does.
actor BatchPipe {
    private var queue: [CSVRecordBatch] = []
    private var waitingProducer: CheckedContinuation<Void, Never>?
    private var waitingConsumer: CheckedContinuation<CSVRecordBatch?, Never>?
    private var finished = false
    private let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Hands over a batch, waiting while `capacity` batches are already queued.
    func push(_ batch: CSVRecordBatch) async {
        while queue.count >= capacity { await withCheckedContinuation { waitingProducer = $0 } }
        if let consumer = waitingConsumer {
            waitingConsumer = nil
            consumer.resume(returning: batch)
        } else {
            queue.append(batch)
        }
    }

    /// The next batch, or nil once ``finish()`` was called and the queue is empty.
    func pop() async -> CSVRecordBatch? {
        if !queue.isEmpty {
            let batch = queue.removeFirst()
            waitingProducer?.resume()
            waitingProducer = nil
            return batch
        }
        if finished { return nil }
        return await withCheckedContinuation { waitingConsumer = $0 }
    }

    /// No more batches will come.
    func finish() {
        finished = true
        waitingConsumer?.resume(returning: nil)
        waitingConsumer = nil
    }
}
