import NIOCore

/// Decompresses a COPY file chunk by chunk (GZIP, ZSTD or none), handing out plain bytes.
struct FileDecompressor {
    private enum Kind { case none }
    private var kind: Kind

    static func make(_ compression: CopyOptions.Compression, fileName: String) throws -> FileDecompressor {
        switch compression {
        case .none: return FileDecompressor(kind: .none)
        case .gzip, .zstd: throw PGError.notSupported("compressed COPY (pending the Compression module)")
        }
    }

    mutating func decompress(_ chunk: ByteBuffer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch kind {
        case .none: try chunk.withUnsafeReadableBytes { try emit($0) }
        }
    }

    mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {}
}
