import NIOCore

/// Decompresses a COPY file chunk by chunk (GZIP, ZSTD or none), handing out plain bytes.
struct StreamDecompressor {
    private enum Kind { case none }
    private var kind: Kind

    static func make(_ compression: CopyOptions.Compression, fileName: String) throws -> StreamDecompressor {
        switch compression {
        case .none: return StreamDecompressor(kind: .none)
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
