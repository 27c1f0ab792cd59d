public import Compression

/// One slice file written by ``SlicedExport``.
public struct ExportFile: Sendable, Hashable {
    /// The 0-based slice this file holds.
    public let sliceIndex: Int
    /// The file's local path: `<directory>/<baseName>.<sliceIndex>.csv<extension>`.
    public let path: String
    /// How the file is compressed.
    public let compression: CompressionFormat
    /// Records (rows) in the file.
    public let rowCount: Int
    /// Bytes of CSV before compression.
    public let rawByteCount: Int
    /// Bytes of the file on disk (equal to ``rawByteCount`` without compression).
    public let compressedByteCount: Int

    /// Creates a description of a written file.
    public init(
        sliceIndex: Int, path: String, compression: CompressionFormat,
        rowCount: Int, rawByteCount: Int, compressedByteCount: Int
    ) {
        self.sliceIndex = sliceIndex
        self.path = path
        self.compression = compression
        self.rowCount = rowCount
        self.rawByteCount = rawByteCount
        self.compressedByteCount = compressedByteCount
    }

    /// The last path component, e.g. `users.0.csv.gz`: append it to an S3 key prefix.
    public var fileName: String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// The path a slice file of this export gets.
    static func path(directory: String, baseName: String, slice: Int, compression: CompressionFormat) -> String {
        let separator = directory.hasSuffix("/") ? "" : "/"
        return "\(directory)\(separator)\(baseName).\(slice).csv\(compression.fileExtension)"
    }
}

/// What an export produced: its files, in slice order, and their totals.
public struct ExportResult: Sendable, Hashable {
    /// The files written, in slice order. Slices that received no rows have no file.
    public let files: [ExportFile]

    /// Creates a result.
    public init(files: [ExportFile]) { self.files = files }

    /// Rows across all files.
    public var rowCount: Int { files.reduce(0) { $0 + $1.rowCount } }
    /// CSV bytes across all files, before compression.
    public var rawByteCount: Int { files.reduce(0) { $0 + $1.rawByteCount } }
    /// Bytes on disk across all files.
    public var compressedByteCount: Int { files.reduce(0) { $0 + $1.compressedByteCount } }
}
