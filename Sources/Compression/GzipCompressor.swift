import CZlib

/// Streams deflate output in a gzip wrapper (one member per instance), as `gzip -<level>` does.
public final class GzipCompressor: StreamCompressor {
    private let stream: ZlibStream
    private let scratch = ScratchBuffer()

    /// Creates a compressor.
    /// - Parameter level: 0 (store) to 9 (smallest); default 1, the fastest that compresses.
    /// - Throws: ``CompressionError/Code/invalidLevel`` outside 0...9.
    public init(level: Int = 1) throws(CompressionError) {
        guard (0...9).contains(level) else {
            throw CompressionError(.invalidLevel, format: .gzip, "gzip level \(level) is outside 0...9")
        }
        // Set up zlib before `self` is complete, so a failure never reaches deinit.
        let stream = ZlibStream()
        // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib one.
        let code = deflateInit2_(
            stream.pointer, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else {
            stream.release()
            throw CompressionError(.initializationFailed, format: .gzip, "deflateInit2 returned \(code)")
        }
        self.stream = stream
    }

    deinit {
        deflateEnd(stream.pointer)
        stream.release()
    }

    /// Compresses `input`, appending whatever compressed bytes are ready to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError) {
        for piece in ZlibStream.pieces(of: input) { try deflate(piece, flush: Z_NO_FLUSH, into: &output) }
    }

    /// Ends the stream, appending the remaining bytes and the trailer to `output`.
    public func finish(into output: inout [UInt8]) throws(CompressionError) {
        try deflate(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, into: &output)
    }

    private func deflate(_ input: UnsafeRawBufferPointer, flush: Int32, into output: inout [UInt8]) throws(CompressionError) {
        stream.setInput(input)
        while true {
            stream.setOutput(scratch)
            let code = CZlib.deflate(stream.pointer, flush)
            guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
                throw CompressionError(.compressionFailed, format: .gzip, stream.message(code))
            }
            scratch.append(stream.outputProduced, to: &output)
            // Without Z_FINISH, room left in the output means all input was taken; with it, zlib
            // says when the trailer is written.
            if flush == Z_FINISH ? code == Z_STREAM_END : stream.pointer.pointee.avail_out > 0 { return }
        }
    }
}
