import Compression
import NIOCore

/// Decompresses a COPY file chunk by chunk (GZIP, ZSTD or none) with the Compression module,
/// handing out plain bytes; memory stays at one chunk's worth.
struct FileDecompressor {
    private let codec: (any StreamDecompressor)?
    private var output: [UInt8] = []

    static func make(_ compression: CopyOptions.Compression, fileName: String) throws -> FileDecompressor {
        do {
            switch compression {
            case .none: return FileDecompressor(codec: nil)
            case .gzip: return FileDecompressor(codec: try GzipDecompressor())
            case .zstd: return FileDecompressor(codec: try ZstdDecompressor())
            }
        } catch {
            throw PGError(code: "XX000", message: "cannot start decompressing \(fileName): \(error)")
        }
    }

    private init(codec: (any StreamDecompressor)?) {
        self.codec = codec
    }

    mutating func decompress(_ chunk: ByteBuffer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let codec else {
            try chunk.withUnsafeReadableBytes { try emit($0) }
            return
        }
        output.removeAll(keepingCapacity: true)
        do {
            try chunk.withUnsafeReadableBytes { bytes in try codec.decompress(bytes, into: &output) }
        } catch {
            throw LoadFileCorrupt(reason: "\(error)")
        }
        try output.withUnsafeBytes { try emit($0) }
    }

    mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        do {
            try codec?.finish()
        } catch {
            throw LoadFileCorrupt(reason: "\(error)")
        }
    }
}

/// A compressed file could not be decompressed (corrupt or truncated).
struct LoadFileCorrupt: Error, CustomStringConvertible {
    var reason: String
    var description: String { "invalid compressed data: \(reason)" }
}
