import CZstd

/// Streams one Zstandard frame (with a content checksum, as the `zstd` tool writes by default).
public final class ZstdCompressor: StreamCompressor {
    private let context: OpaquePointer
    private let scratch = ScratchBuffer()

    /// The levels zstd accepts: negative (fastest) up to 22 (smallest).
    public static var levelRange: ClosedRange<Int> { Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel()) }

    /// Creates a compressor.
    /// - Parameter level: default 1; see ``levelRange``.
    /// - Throws: ``CompressionError/Code/invalidLevel`` outside ``levelRange``.
    public init(level: Int = 1) throws(CompressionError) {
        guard Self.levelRange.contains(level), level != 0 else {
            throw CompressionError(.invalidLevel, format: .zstd, "zstd level \(level) is outside \(Self.levelRange) or 0")
        }
        guard let context = ZSTD_createCCtx() else {
            throw CompressionError(.initializationFailed, format: .zstd, "ZSTD_createCCtx failed")
        }
        for (parameter, value) in [(ZSTD_c_compressionLevel, Int32(level)), (ZSTD_c_checksumFlag, 1)] {
            let result = ZSTD_CCtx_setParameter(context, parameter, value)
            if ZSTD_isError(result) != 0 {
                ZSTD_freeCCtx(context)
                throw CompressionError(.initializationFailed, format: .zstd, Zstd.message(result))
            }
        }
        self.context = context
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input`, appending whatever compressed bytes are ready to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError) {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        repeat {
            _ = try step(&source, ZSTD_e_continue, into: &output)
        } while source.pos < source.size
    }

    /// Ends the stream, appending the remaining bytes and the trailer to `output`.
    public func finish(into output: inout [UInt8]) throws(CompressionError) {
        var source = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        // ZSTD_e_end returns how many bytes remain to flush; 0 once the frame is complete.
        while try step(&source, ZSTD_e_end, into: &output) != 0 {}
    }

    private func step(
        _ source: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective, into output: inout [UInt8]
    ) throws(CompressionError) -> Int {
        var target = ZSTD_outBuffer(dst: scratch.pointer, size: ScratchBuffer.size, pos: 0)
        let result = ZSTD_compressStream2(context, &target, &source, directive)
        if ZSTD_isError(result) != 0 {
            throw CompressionError(.compressionFailed, format: .zstd, Zstd.message(result))
        }
        scratch.append(target.pos, to: &output)
        return result
    }
}

enum Zstd {
    static func message(_ code: Int) -> String { String(cString: ZSTD_getErrorName(code)) }
}
