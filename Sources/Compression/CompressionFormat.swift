/// How export files are compressed, and how Redshift's COPY is told about it.
public enum CompressionFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// Plain bytes.
    case none
    /// gzip (deflate in a gzip wrapper); COPY keyword `GZIP`, extension `.gz`. Default level 1.
    case gzip
    /// Zstandard; COPY keyword `ZSTD`, extension `.zst`. Default level 1 (about half gzip-1's CPU).
    case zstd

    /// The file-name suffix: `""`, `".gz"` or `".zst"`.
    public var fileExtension: String {
        switch self {
        case .none: ""
        case .gzip: ".gz"
        case .zstd: ".zst"
        }
    }

    /// The COPY option that names the compression (`GZIP`, `ZSTD`), or nil for ``none``.
    public var copyKeyword: String? {
        switch self {
        case .none: nil
        case .gzip: "GZIP"
        case .zstd: "ZSTD"
        }
    }

    /// The level used when none is given: 1 for gzip and zstd (fast; export is CPU-bound), 0 for none.
    public var defaultLevel: Int {
        switch self {
        case .none: 0
        case .gzip, .zstd: 1
        }
    }

    /// Creates a streaming compressor for this format.
    /// - Parameter level: the compression level, default ``defaultLevel``; gzip accepts 0...9,
    ///   zstd its own range (negative levels trade ratio for speed); ignored for ``none``.
    /// - Throws: ``CompressionError/Code/invalidLevel`` or ``CompressionError/Code/initializationFailed``.
    public func makeCompressor(level: Int? = nil) throws(CompressionError) -> any StreamCompressor {
        switch self {
        case .none: PassthroughCodec()
        case .gzip: try GzipCompressor(level: level ?? defaultLevel)
        case .zstd: try ZstdCompressor(level: level ?? defaultLevel)
        }
    }

    /// Creates a streaming decompressor for this format. The gzip one reads multi-member files and
    /// the zstd one concatenated frames, as the command-line tools do.
    public func makeDecompressor() throws(CompressionError) -> any StreamDecompressor {
        switch self {
        case .none: PassthroughCodec()
        case .gzip: try GzipDecompressor()
        case .zstd: try ZstdDecompressor()
        }
    }
}
