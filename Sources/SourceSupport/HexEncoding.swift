/// Writes binary values as the lower-case hex text Redshift's COPY loads into VARBYTE.
public enum HexEncoding {
    /// Replaces `output`'s contents with the hex text of `bytes`, reusing its capacity.
    @inlinable
    public static func encode(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digit(byte >> 4))
            output.append(digit(byte & 0x0F))
        }
    }

    @inlinable
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
