import AsyncSupport
import Compression
import RedshiftCSV

/// Compresses one slice's batches into one export file. The output is opened with the first
/// batch, so a slice that gets no rows in a round leaves no file.
final class SliceFileWriter {
    let sliceIndex: Int
    let round: Int
    let fileName: String
    let path: String
    private let compression: CompressionFormat
    private let level: Int?
    private let open: () async throws -> any SliceOutput
    private let meter: ExportMeter
    private var output: (any SliceOutput)?
    private var compressor: (any StreamCompressor)?
    private var compressed: [UInt8] = []
    private var rowCount = 0
    private var rawByteCount = 0
    private var compressedByteCount = 0

    init(sliceIndex: Int, round: Int, fileName: String, path: String, compression: CompressionFormat, level: Int?,
         meter: ExportMeter, open: @escaping () async throws -> any SliceOutput) {
        self.sliceIndex = sliceIndex
        self.round = round
        self.fileName = fileName
        self.path = path
        self.compression = compression
        self.level = level
        self.meter = meter
        self.open = open
    }

    func write(_ batch: CSVRecordBatch) async throws {
        if output == nil {
            compressor = try wrap { () throws(CompressionError) in try compression.makeCompressor(level: level) }
            output = try await open()
        }
        compressed.removeAll(keepingCapacity: true)
        try wrap { () throws(CompressionError) in try compressor!.compress(batch.bytes, into: &compressed) }
        try await flush()
        meter.add(raw: batch.bytes.count, compressed: compressed.count)
        rowCount += batch.recordCount
        rawByteCount += batch.bytes.count
    }

    /// Ends the compressed stream and completes the output; nil when the slice got no rows.
    func finish() async throws -> ExportFile? {
        guard let output, let compressor else { return nil }
        compressed.removeAll(keepingCapacity: true)
        try wrap { () throws(CompressionError) in try compressor.finish(into: &compressed) }
        try await flush()
        meter.add(raw: 0, compressed: compressed.count)
        try await output.finish()
        self.output = nil
        return ExportFile(
            sliceIndex: sliceIndex, round: round, path: path, compression: compression, rowCount: rowCount,
            rawByteCount: rawByteCount, compressedByteCount: compressedByteCount)
    }

    /// Abandons an unfinished output (a file removed, an upload aborted).
    func abort() async {
        await output?.abort()
        output = nil
    }

    private func flush() async throws {
        guard !compressed.isEmpty else { return }
        try await output!.write(compressed)
        compressedByteCount += compressed.count
    }

    private func wrap<T>(_ body: () throws(CompressionError) -> T) throws(ExportError) -> T {
        do {
            return try body()
        } catch {
            throw ExportError(.compression, "slice \(sliceIndex) (\(fileName))", underlying: error)
        }
    }
}

/// Raw bytes compressed so far and the compressed bytes they gave, over all of the export's
/// files: the compression ratio the sink uses to tell when a round's files reach the size limit.
final class ExportMeter: Sendable {
    private let bytes = Locked<(raw: Int, compressed: Int)>((0, 0))
    /// Raw bytes below which the running ratio is not trusted: a compressor holds back up to a
    /// block of input per open file (zstd: 128 KiB; deflate: less), so early on the ratio reads
    /// too low. Past 4 MiB per slice that is a few percent at most, which the sink's 10% margin covers.
    let trustedAfter: Int

    init(sliceCount: Int) { trustedAfter = max(1, sliceCount) * (4 << 20) }

    func add(raw: Int, compressed: Int) { bytes.withLock { $0.raw += raw; $0.compressed += compressed } }

    /// Compressed bytes per raw byte so far; 1 until ``trustedAfter`` raw bytes were compressed
    /// (files are then cut at `maxFileSize` raw bytes: smaller than the limit, never larger).
    /// Measured while files are still open, not only over finished ones, so the first round of a
    /// large export is already sized by the real ratio (waiting for finished files made its files
    /// about the ratio times smaller than the later rounds').
    var ratio: Double {
        let (raw, compressed) = bytes.withLock { $0 }
        guard raw >= trustedAfter else { return 1 }
        return max(Double(compressed) / Double(raw), 0.01)
    }
}
