import CZlib

/// A heap-allocated `z_stream`: zlib keeps a pointer back to it, so it must never move.
struct ZlibStream {
    let pointer: UnsafeMutablePointer<z_stream>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
    }

    func release() {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// Points zlib at `input` (which must stay valid during the call that uses it).
    func setInput(_ input: UnsafeRawBufferPointer) {
        pointer.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        pointer.pointee.avail_in = uInt(input.count)
    }

    func setOutput(_ scratch: ScratchBuffer) {
        pointer.pointee.next_out = scratch.pointer
        pointer.pointee.avail_out = uInt(ScratchBuffer.size)
    }

    var inputRemaining: Int { Int(pointer.pointee.avail_in) }
    var outputProduced: Int { ScratchBuffer.size - Int(pointer.pointee.avail_out) }

    /// zlib's message for the last error, or the return code.
    func message(_ code: Int32) -> String {
        if let message = pointer.pointee.msg { return String(cString: message) + " (zlib \(code))" }
        return "zlib returned \(code)"
    }

    /// Splits `input` so each piece fits zlib's 32-bit length fields.
    static func pieces(of input: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        let limit = 1 << 30
        guard input.count > limit else { return [input] }
        return stride(from: 0, to: input.count, by: limit).map {
            UnsafeRawBufferPointer(rebasing: input[$0..<min($0 + limit, input.count)])
        }
    }
}
