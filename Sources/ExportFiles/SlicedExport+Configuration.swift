public import Compression
public import RedshiftCSV

extension SlicedExport {
    /// Where and how slice files are written.
    public struct Configuration: Sendable {
        /// The local directory the files go to (it must exist), unless ``outputs`` is set.
        public var directory: String
        /// Where files go instead of ``directory`` (e.g. streamed to S3); default nil.
        public var outputs: (any SliceOutputFactory)?
        /// The largest compressed file to write, in bytes: when a round's files would pass it, the
        /// export starts a new round of ``sliceCount`` files. Default nil: one round.
        public var maxFileSize: Int?
        /// The file-name stem: files are `<baseName>.<slice>.csv<extension>`.
        public var baseName: String
        /// Files per round, rows spread evenly over them; default 2 (Redshift loads one file per slice
        /// in parallel, so use the cluster's slice count). At least 1.
        public var sliceCount: Int
        /// The compression, default ``CompressionFormat/gzip``.
        public var compression: CompressionFormat
        /// The compression level, default nil = the format's ``CompressionFormat/defaultLevel`` (1).
        public var compressionLevel: Int?
        /// The dialect of the records (used to cut raw CSV into records), default ``CSVFormat/default``.
        public var format: CSVFormat
        /// Bytes of records gathered before they go to one slice; default 1 MiB. Slices differ by at
        /// most one such batch's rows.
        public var batchSize: Int
        /// Batches waiting per slice before the source is held back; default 2. Memory in flight
        /// is about `sliceCount * (queueDepth + 2) * batchSize`.
        public var queueDepth: Int

        /// Creates a configuration; see each property for its default.
        public init(
            directory: String, baseName: String, sliceCount: Int = 2,
            compression: CompressionFormat = .gzip, compressionLevel: Int? = nil,
            format: CSVFormat = .default, batchSize: Int = 1 << 20, queueDepth: Int = 2
        ) {
            self.directory = directory
            self.baseName = baseName
            self.sliceCount = sliceCount
            self.compression = compression
            self.compressionLevel = compressionLevel
            self.format = format
            self.batchSize = batchSize
            self.queueDepth = queueDepth
        }

        /// The local path of the first round's file of slice `index`.
        public func path(ofSlice index: Int) -> String { path(ofFile: index) }

        /// The local path (or, with ``outputs``, the name) of the export's file number `index`
        /// (`round * sliceCount + slice`).
        public func path(ofFile index: Int) -> String {
            outputs == nil
                ? ExportFile.path(directory: directory, baseName: baseName, index: index, compression: compression)
                : ExportFile.name(baseName: baseName, index: index, compression: compression)
        }

        /// The batch size in force: at most a quarter of ``maxFileSize`` so that a round's files can
        /// stop below it, at least 4 KiB.
        var effectiveBatchSize: Int {
            guard let maxFileSize else { return batchSize }
            return max(4096, min(batchSize, maxFileSize / 4))
        }

        func validate() throws(ExportError) {
            func invalid(_ message: String) -> ExportError { ExportError(.invalidConfiguration, message) }
            if sliceCount < 1 { throw invalid("sliceCount must be at least 1, got \(sliceCount)") }
            if batchSize < 1 { throw invalid("batchSize must be at least 1 byte, got \(batchSize)") }
            if queueDepth < 1 { throw invalid("queueDepth must be at least 1, got \(queueDepth)") }
            if directory.isEmpty, outputs == nil { throw invalid("directory is empty") }
            if let maxFileSize, maxFileSize < 16 << 10 { throw invalid("maxFileSize must be at least 16 KiB, got \(maxFileSize)") }
            if baseName.isEmpty || baseName.contains("/") {
                throw invalid("baseName \(String(reflecting: baseName)) must be a non-empty file name without '/'")
            }
            // Surface a bad level now rather than from inside a slice task.
            do {
                _ = try compression.makeCompressor(level: compressionLevel)
            } catch {
                throw ExportError(.invalidConfiguration, "compressionLevel", underlying: error)
            }
        }
    }
}
