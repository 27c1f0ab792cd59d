import AsyncSupport
public import RedshiftCSV

/// Where a source puts its rows during ``SlicedExport/write(_:logger:produce:)``.
///
/// Give it complete CSV records: batches from ``CSVWriter/takeBatch()`` (sources that encode
/// fields) or from ``CSVRecordSplitter`` (sources that already emit Redshift CSV), or raw chunks
/// through ``write(csvBytes:)``. Small batches are gathered up to
/// ``SlicedExport/Configuration/batchSize`` bytes; each full batch goes to the slice with the
/// fewest rows so far, so slices differ by at most one batch's rows. Use one kind of input per
/// export (batches or raw chunks): a raw chunk may end inside a record that the next chunk
/// completes. Used by one task only.
public final class ExportSink {
    private let queues: [BoundedChannel<CSVRecordBatch>]
    private var sliceRows: [Int]
    private var pending = CSVRecordBatch()
    private var splitter: CSVRecordSplitter
    /// The size in bytes at which gathered records are handed to a slice.
    public let batchSize: Int

    init(queues: [BoundedChannel<CSVRecordBatch>], batchSize: Int, format: CSVFormat) {
        self.queues = queues
        self.sliceRows = Array(repeating: 0, count: queues.count)
        self.batchSize = batchSize
        self.splitter = CSVRecordSplitter(format: format)
    }

    /// Rows handed to each slice so far (gathered rows not yet included).
    public var rowsPerSlice: [Int] { sliceRows }

    /// Adds complete records. Waits when the slices are busy (backpressure).
    public func write(_ batch: CSVRecordBatch) async throws {
        try Task.checkCancellation()
        guard !batch.isEmpty else { return }
        if pending.isEmpty, batch.bytes.count >= batchSize {
            try await dispatch(batch)
            return
        }
        pending.bytes.append(contentsOf: batch.bytes)
        pending.recordCount += batch.recordCount
        if pending.bytes.count >= batchSize { try await dispatchPending() }
    }

    /// Adds a chunk of a CSV byte stream cut anywhere (e.g. PostgreSQL `COPY ... TO STDOUT
    /// (FORMAT csv)` output); records are completed across chunks by a ``CSVRecordSplitter``.
    public func write(csvBytes chunk: some Collection<UInt8>) async throws {
        try await write(splitter.split(chunk))
    }

    /// Sends what is still gathered, including a final record that lacked its LF.
    func flush() async throws {
        do {
            try await write(splitter.finish())
        } catch let error as CSVError {
            throw ExportError(.csv, "the source's CSV ended inside a quoted field", underlying: error)
        }
        if !pending.isEmpty { try await dispatchPending() }
    }

    private func dispatchPending() async throws {
        let batch = pending
        pending = CSVRecordBatch()
        pending.bytes.reserveCapacity(batchSize + batchSize / 4)
        try await dispatch(batch)
    }

    private func dispatch(_ batch: CSVRecordBatch) async throws {
        let slice = sliceRows.indices.min { sliceRows[$0] < sliceRows[$1] }!
        sliceRows[slice] += batch.recordCount
        try await queues[slice].send(batch)
    }
}
