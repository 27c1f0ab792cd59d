public import Compression

/// One slice file written by ``SlicedExport``.
public struct ExportFile: Sendable, Hashable {
    /// The 0-based slice that wrote this file.
    public let sliceIndex: Int
    /// The 0-based round of the export the file belongs to: an export writes rounds of one file
    /// per slice, adding a round whenever the files would pass the size limit.
    public let round: Int
    /// Where the file went: its local path `<directory>/<baseName>.<n>.csv<extension>` with
    /// `n = round * slices + slice`, or just that file name for another ``SliceOutput``.
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
        sliceIndex: Int, round: Int = 0, path: String, compression: CompressionFormat,
        rowCount: Int, rawByteCount: Int, compressedByteCount: Int
    ) {
        self.sliceIndex = sliceIndex
        self.round = round
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

    /// The name of an export's file number `index` (`round * slices + slice`).
    static func name(baseName: String, index: Int, compression: CompressionFormat) -> String {
        "\(baseName).\(index).csv\(compression.fileExtension)"
    }

    /// The local path of an export's file number `index`.
    static func path(directory: String, baseName: String, index: Int, compression: CompressionFormat) -> String {
        let separator = directory.hasSuffix("/") ? "" : "/"
        return directory + separator + name(baseName: baseName, index: index, compression: compression)
    }
}

/// What an export produced: its files, in slice order, and their totals.
public struct ExportResult: Sendable, Hashable {
    /// The files written, by round then slice. Slices that received no rows in a round have no file.
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
