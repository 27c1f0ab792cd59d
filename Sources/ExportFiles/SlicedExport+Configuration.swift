public import Compression
public import RedshiftCSV

extension SlicedExport {
    /// Where and how slice files are written.
    public struct Configuration: Sendable, Hashable {
        /// The local directory the files go to (it must exist).
        public var directory: String
        /// The file-name stem: files are `<baseName>.<slice>.csv<extension>`.
        public var baseName: String
        /// How many files rows are spread over; default 2 (Redshift loads one file per slice in
        /// parallel, so use the cluster's slice count). At least 1.
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

        /// The path of slice `index`'s file.
        public func path(ofSlice index: Int) -> String {
            ExportFile.path(directory: directory, baseName: baseName, slice: index, compression: compression)
        }

        func validate() throws(ExportError) {
            func invalid(_ message: String) -> ExportError { ExportError(.invalidConfiguration, message) }
            if sliceCount < 1 { throw invalid("sliceCount must be at least 1, got \(sliceCount)") }
            if batchSize < 1 { throw invalid("batchSize must be at least 1 byte, got \(batchSize)") }
            if queueDepth < 1 { throw invalid("queueDepth must be at least 1, got \(queueDepth)") }
            if directory.isEmpty { throw invalid("directory is empty") }
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
