import CZstd

/// Decompresses Zstandard streams, including several frames concatenated.
public final class ZstdDecompressor: StreamDecompressor {
    private let context: OpaquePointer
    private let scratch = ScratchBuffer()
    /// Whether a frame has started and not yet ended.
    private var insideFrame = false

    /// Creates a decompressor.
    public init() throws(CompressionError) {
        guard let context = ZSTD_createDCtx() else {
            throw CompressionError(.initializationFailed, format: .zstd, "ZSTD_createDCtx failed")
        }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses `input`, appending the plain bytes it yields to `output`.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError) {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var target = ZSTD_outBuffer(dst: scratch.pointer, size: ScratchBuffer.size, pos: 0)
            let result = ZSTD_decompressStream(context, &target, &source)
            if ZSTD_isError(result) != 0 {
                throw CompressionError(.corruptInput, format: .zstd, Zstd.message(result))
            }
            scratch.append(target.pos, to: &output)
            // 0 means a frame just ended and is fully flushed; anything else, it goes on.
            if input.count > 0 { insideFrame = result != 0 }
            // A full output buffer may hide more pending output even when the input is used up.
            if source.pos == source.size, target.pos < target.size { return }
        }
    }

    /// Throws ``CompressionError/Code/truncatedInput`` when the input stopped inside a member or frame.
    public func finish() throws(CompressionError) {
        if insideFrame {
            throw CompressionError(.truncatedInput, format: .zstd, "the input ends inside a zstd frame")
        }
    }
}
