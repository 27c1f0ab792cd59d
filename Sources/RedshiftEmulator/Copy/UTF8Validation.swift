/// Redshift's view of UTF-8: at most 4 bytes, no surrogates, no overlong forms.
enum UTF8Validation {
    static func isValid(_ bytes: [UInt8]) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return firstInvalid(bytes) == nil
    }

    /// Index and length of the first invalid sequence, nil when all is valid.
    static func firstInvalid(_ bytes: [UInt8], from start: Int = 0) -> (index: Int, length: Int)? {
        var index = start
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length == 0 { return (index, 1) }
            index += length
        }
        return nil
    }

    /// Length of the valid sequence starting at `index`, 0 when the byte there starts none.
    static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0 // no surrogates
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }

    /// ACCEPTINVCHARS: each byte of an invalid sequence becomes `replacement`.
    static func replacingInvalidBytes(_ bytes: [UInt8], with replacement: UInt8) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length == 0 {
                output.append(replacement); index += 1
            } else {
                output += bytes[index..<(index + length)]; index += length
            }
        }
        return output
    }

    static func firstInvalidSequenceHex(_ bytes: [UInt8]) -> String {
        guard let (index, _) = firstInvalid(bytes) else { return "" }
        return bytes[index..<min(bytes.count, index + 4)].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
    }

    /// The longest prefix of at most `maxBytes` that does not split a character (TRUNCATECOLUMNS).
    static func prefix(_ bytes: [UInt8], maxBytes: Int) -> [UInt8] {
        var end = min(maxBytes, bytes.count)
        while end > 0 && end < bytes.count && (bytes[end] & 0xC0) == 0x80 { end -= 1 }
        return Array(bytes[..<end])
    }
}
