import CZlib

/// Decompresses gzip streams, including several members concatenated (as `cat a.gz b.gz` or
/// `pigz` produce): each member's output follows the previous one's. Bytes after a member that do
/// not start another member are corrupt input (the `gzip` tool ignores them with a warning).
/// Empty input decompresses to nothing.
public final class GzipDecompressor: StreamDecompressor {
    private let stream: ZlibStream
    private let scratch = ScratchBuffer()
    /// Whether bytes of a member were read whose end has not been seen yet.
    private var insideMember = false

    /// Creates a decompressor. Only the gzip wrapper is accepted (not raw zlib or deflate).
    public init() throws(CompressionError) {
        let stream = ZlibStream()
        let code = inflateInit2_(stream.pointer, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else {
            stream.release()
            throw CompressionError(.initializationFailed, format: .gzip, "inflateInit2 returned \(code)")
        }
        self.stream = stream
    }

    deinit {
        inflateEnd(stream.pointer)
        stream.release()
    }

    /// Decompresses `input`, appending the plain bytes it yields to `output`.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError) {
        for piece in ZlibStream.pieces(of: input) { try inflate(piece, into: &output) }
    }

    /// Throws ``CompressionError/Code/truncatedInput`` when the input stopped inside a member or frame.
    public func finish() throws(CompressionError) {
        if insideMember {
            throw CompressionError(.truncatedInput, format: .gzip, "the input ends inside a gzip member")
        }
    }

    private func inflate(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError) {
        stream.setInput(input)
        while true {
            if stream.inputRemaining > 0 { insideMember = true }
            stream.setOutput(scratch)
            let code = CZlib.inflate(stream.pointer, Z_NO_FLUSH)
            scratch.append(stream.outputProduced, to: &output)
            switch code {
            case Z_STREAM_END:
                // A member ended; another may follow in this input or the next.
                insideMember = false
                inflateReset(stream.pointer)
                if stream.inputRemaining == 0 { return }
            case Z_OK, Z_BUF_ERROR:
                // Done when all input is taken and zlib had room to spare (nothing left to flush).
                if stream.inputRemaining == 0, stream.pointer.pointee.avail_out > 0 { return }
                if code == Z_BUF_ERROR, stream.outputProduced == 0 {
                    throw CompressionError(.corruptInput, format: .gzip, stream.message(code))
                }
            default:
                throw CompressionError(.corruptInput, format: .gzip, stream.message(code))
            }
        }
    }
}
