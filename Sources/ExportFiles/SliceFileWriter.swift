import Compression
import RedshiftCSV

/// Compresses one slice's batches into its file. The file is created with the first batch, so a
/// slice that gets no rows leaves no file.
final class SliceFileWriter {
    let sliceIndex: Int
    let path: String
    private let compression: CompressionFormat
    private let level: Int?
    private var output: FileOutput?
    private var compressor: (any StreamCompressor)?
    private var compressed: [UInt8] = []
    private var rowCount = 0
    private var rawByteCount = 0
    private var compressedByteCount = 0

    init(sliceIndex: Int, path: String, compression: CompressionFormat, level: Int?) {
        self.sliceIndex = sliceIndex
        self.path = path
        self.compression = compression
        self.level = level
    }

    func write(_ batch: CSVRecordBatch) throws(ExportError) {
        if output == nil {
            compressor = try wrap { () throws(CompressionError) in try compression.makeCompressor(level: level) }
            output = try FileOutput(path: path)
        }
        compressed.removeAll(keepingCapacity: true)
        try wrap { () throws(CompressionError) in try compressor!.compress(batch.bytes, into: &compressed) }
        try flush()
        rowCount += batch.recordCount
        rawByteCount += batch.bytes.count
    }

    /// Ends the compressed stream and closes the file; nil when the slice got no rows.
    func finish() throws(ExportError) -> ExportFile? {
        guard let output, let compressor else { return nil }
        compressed.removeAll(keepingCapacity: true)
        try wrap { () throws(CompressionError) in try compressor.finish(into: &compressed) }
        try flush()
        try output.closeFile()
        return ExportFile(
            sliceIndex: sliceIndex, path: path, compression: compression, rowCount: rowCount,
            rawByteCount: rawByteCount, compressedByteCount: compressedByteCount)
    }

    private func flush() throws(ExportError) {
        guard !compressed.isEmpty else { return }
        try output!.append(compressed)
        compressedByteCount += compressed.count
    }

    private func wrap<T>(_ body: () throws(CompressionError) -> T) throws(ExportError) -> T {
        do {
            return try body()
        } catch {
            throw ExportError(.compression, "slice \(sliceIndex) (\(path))", underlying: error)
        }
    }
}
