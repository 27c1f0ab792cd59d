/// Compresses a stream given in pieces. One instance makes one file (one gzip member or one zstd
/// frame); it is not thread-safe, so one task owns it.
public protocol StreamCompressor: AnyObject {
    /// Compresses `input`, appending whatever compressed bytes are ready to `output`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError)
    /// Ends the stream, appending the remaining compressed bytes and the trailer to `output`.
    func finish(into output: inout [UInt8]) throws(CompressionError)
}

/// Decompresses a stream given in pieces. Not thread-safe: one task owns it.
public protocol StreamDecompressor: AnyObject {
    /// Decompresses `input`, appending the plain bytes it yields to `output`.
    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError)
    /// Checks that the input ended at a member or frame boundary.
    /// - Throws: ``CompressionError/Code/truncatedInput`` when it did not.
    func finish() throws(CompressionError)
}

extension StreamCompressor {
    /// Compresses the bytes of `input`, appending what is ready to `output`.
    public func compress(_ input: [UInt8], into output: inout [UInt8]) throws(CompressionError) {
        // withUnsafeBytes is untyped `rethrows`: only a CompressionError can come out of it here.
        do { try input.withUnsafeBytes { try compress($0, into: &output) } } catch { throw error as! CompressionError }
    }
}

extension StreamDecompressor {
    /// Decompresses the bytes of `input`, appending the plain bytes to `output`.
    public func decompress(_ input: [UInt8], into output: inout [UInt8]) throws(CompressionError) {
        do { try input.withUnsafeBytes { try decompress($0, into: &output) } } catch { throw error as! CompressionError }
    }
}

/// The ``CompressionFormat/none`` codec: copies bytes.
final class PassthroughCodec: StreamCompressor, StreamDecompressor {
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.append(contentsOf: input)
    }
    func finish(into output: inout [UInt8]) {}
    func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.append(contentsOf: input)
    }
    func finish() {}
}

/// A fixed output area the C libraries write into before the bytes are appended to the caller's
/// array (zlib and zstd need a raw pointer with room; this keeps one allocation per stream).
final class ScratchBuffer {
    static let size = 256 * 1024
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: ScratchBuffer.size)
    deinit { pointer.deallocate() }

    func append(_ count: Int, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
    }
}
