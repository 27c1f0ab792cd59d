import AsyncSupport
public import RedshiftCSV

/// What a slice's queue carries: records, or the signal to close its file and start the next round's.
enum SliceItem: Sendable {
    case batch(CSVRecordBatch)
    case nextRound
}

/// Where a source puts its rows during ``SlicedExport/write(_:logger:produce:)``.
///
/// Give it complete CSV records: batches from ``CSVWriter/takeBatch()`` (sources that encode
/// fields) or from ``CSVRecordSplitter`` (sources that already emit Redshift CSV), or raw chunks
/// through ``write(csvBytes:)``. Small batches are gathered up to
/// ``SlicedExport/Configuration/batchSize`` bytes. The export is written in rounds of one file
/// per slice: a round opens once it has a batch for every slice (one each), then each batch goes
/// to the slice with the fewest bytes in the round, so a round's files differ by at most one
/// batch. When the slice's file would pass ``SlicedExport/Configuration/maxFileSize`` (estimated
/// with the compression ratio measured so far, with a 10% margin), every slice closes its file
/// and the next round begins. At the end, a last round that did not open is cut at record
/// boundaries into one piece per slice, so the file count stays a multiple of the slice count;
/// an export smaller than one batch per slice is one file (see ``SlicedExport``).
/// Use one kind of input per export (batches or raw chunks): a raw chunk may end inside a record
/// that the next chunk completes. Used by one task only.
public final class ExportSink {
    private let queues: [BoundedChannel<SliceItem>]
    private let maxFileSize: Int?
    private let meter: ExportMeter
    private let format: CSVFormat
    private var sliceRows: [Int]
    private var roundBytes: [Int]
    /// The batches of a round that has not opened yet (fewer than one per slice).
    private var opening: [CSVRecordBatch] = []
    private var pending = CSVRecordBatch()
    private var splitter: CSVRecordSplitter
    /// The size in bytes at which gathered records are handed to a slice.
    public let batchSize: Int
    /// The current round (0-based): rounds started so far minus one.
    private(set) var round = 0
    private var roundOpen = false

    init(queues: [BoundedChannel<SliceItem>], batchSize: Int, format: CSVFormat, maxFileSize: Int?, meter: ExportMeter) {
        self.queues = queues
        self.sliceRows = Array(repeating: 0, count: queues.count)
        self.roundBytes = Array(repeating: 0, count: queues.count)
        self.batchSize = batchSize
        self.format = format
        self.maxFileSize = maxFileSize
        self.meter = meter
        self.splitter = CSVRecordSplitter(format: format)
    }

    /// Rows handed to each slice so far, over every round (gathered rows not yet included).
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

    /// Sends what is still gathered, including a final record that lacked its LF, and the last
    /// round's batches.
    func flush() async throws {
        do {
            try await write(splitter.finish())
        } catch let error as CSVError {
            throw ExportError(.csv, "the source's CSV ended inside a quoted field", underlying: error)
        }
        if !pending.isEmpty { try await dispatchPending() }
        guard !opening.isEmpty else { return }
        var rest = CSVRecordBatch()
        for batch in opening {
            rest.bytes.append(contentsOf: batch.bytes)
            rest.recordCount += batch.recordCount
        }
        opening = []
        // A small export (less than a batch per slice) is one file: loading it on one slice takes
        // less than the extra files' requests would. A later round is spread over every slice.
        let pieces = round == 0 ? [rest] : rest.split(into: queues.count, format: format)
        for (slice, piece) in pieces.enumerated() where !piece.isEmpty { try await send(piece, to: slice) }
    }

    private func dispatchPending() async throws {
        let batch = pending
        pending = CSVRecordBatch()
        pending.bytes.reserveCapacity(batchSize + batchSize / 4)
        try await dispatch(batch)
    }

    private func dispatch(_ batch: CSVRecordBatch) async throws {
        if !roundOpen {
            opening.append(batch)
            guard opening.count == queues.count else { return }
            // The round opens with one batch per slice.
            let batches = opening
            opening = []
            roundOpen = true
            for (slice, batch) in batches.enumerated() { try await send(batch, to: slice) }
            return
        }
        let slice = roundBytes.indices.min { roundBytes[$0] < roundBytes[$1] }!
        if let maxFileSize, Double(roundBytes[slice] + batch.bytes.count) * meter.ratio > 0.9 * Double(maxFileSize) {
            for queue in queues { try await queue.send(.nextRound) }
            round += 1
            roundBytes = Array(repeating: 0, count: queues.count)
            roundOpen = false
            try await dispatch(batch)
            return
        }
        try await send(batch, to: slice)
    }

    private func send(_ batch: CSVRecordBatch, to slice: Int) async throws {
        sliceRows[slice] += batch.recordCount
        roundBytes[slice] += batch.bytes.count
        try await queues[slice].send(.batch(batch))
    }
}
