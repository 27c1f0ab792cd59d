/// The shapes nearly every loaded value has (`123`, `-4.50`, `t`, `2024-01-12`,
/// `2024-01-12 13:50:40.5+00`), checked byte by byte without building Strings.
///
/// A value in one of these shapes is exactly what ``ValueChecks`` would accept and write, so it
/// goes to the output as it is (a TIMESTAMPTZ without an offset gets `+00`, a TIMESTAMP read with
/// `'auto'` loses its offset, as there); anything else (spaces around it, a `+` sign, leading
/// zeros, epoch formats, an out-of-range part) returns false and takes the full check, which
/// stays the one definition of Redshift's rules. `ValueShapeTests` holds the two to the same
/// output over generated values.
enum CommonValueShapes {
    /// Appends the value when it has a common shape of `kind`; false (nothing appended) otherwise.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, kind: LoadColumn.Kind, options: CopyOptions, to output: inout [UInt8]) -> Bool {
        switch kind {
        case .smallint: return integer(bytes, maxDigits: 4, to: &output)
        case .integer: return integer(bytes, maxDigits: 9, to: &output)
        case .bigint: return integer(bytes, maxDigits: 18, to: &output)
        case .decimal(let precision, let scale): return decimal(bytes, precision: precision, scale: scale, to: &output)
        case .real, .double: return float(bytes, to: &output)
        case .boolean: return boolean(bytes, to: &output)
        case .date: return date(bytes, to: &output)
        case .timestamp, .timestamptz:
            guard options.timeFormat == nil || options.timeFormat == "auto" else { return false }
            return timestamp(bytes, withTimeZone: kind == .timestamptz, auto: options.timeFormat == "auto", to: &output)
        default: return false
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// Digits from `start` while they are digits; returns the index after them.
    @inline(__always)
    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index
    }

    /// The value of the two digits at `index` (both checked to be digits by the caller's shape).
    @inline(__always)
    private static func twoDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int? {
        guard index + 1 < bytes.count, isDigit(bytes[index]), isDigit(bytes[index + 1]) else { return nil }
        return Int(bytes[index] - 0x30) * 10 + Int(bytes[index + 1] - 0x30)
    }

    /// `-?[1-9][0-9]*` or `0`, with at most `maxDigits` digits (always inside the type's range).
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>, maxDigits: Int, to output: inout [UInt8]) -> Bool {
        let start = bytes.first == UInt8(ascii: "-") ? 1 : 0
        let count = bytes.count - start
        guard count >= 1, count <= maxDigits, digits(bytes, from: start) == bytes.count else { return false }
        // A leading zero (and `-0`) is rewritten by the full check.
        if bytes[start] == UInt8(ascii: "0"), count > 1 || start == 1 { return false }
        output.append(contentsOf: bytes)
        return true
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]{1,scale})?` with at most `precision - scale` integer digits.
    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int, to output: inout [UInt8]) -> Bool {
        let start = bytes.first == UInt8(ascii: "-") ? 1 : 0
        let integerEnd = digits(bytes, from: start)
        let integerCount = integerEnd - start
        guard integerCount >= 1 else { return false }
        if bytes[start] == UInt8(ascii: "0"), integerCount > 1 { return false }
        let significant = bytes[start] == UInt8(ascii: "0") ? 0 : integerCount
        guard significant <= precision - scale else { return false }
        if integerEnd < bytes.count {
            guard bytes[integerEnd] == UInt8(ascii: "."), digits(bytes, from: integerEnd + 1) == bytes.count else { return false }
            let fraction = bytes.count - integerEnd - 1
            guard fraction >= 1, fraction <= scale else { return false }
        }
        output.append(contentsOf: bytes)
        return true
    }

    /// `-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,2})?` in at most 32 bytes (never out of `Double`'s
    /// range), written as it is.
    private static func float(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
        guard bytes.count <= 32 else { return false }
        var index = bytes.first == UInt8(ascii: "-") ? 1 : 0
        var end = digits(bytes, from: index)
        guard end > index else { return false }
        index = end
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            end = digits(bytes, from: index + 1)
            guard end > index + 1 else { return false }
            index = end
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            end = digits(bytes, from: index)
            guard end > index, end - index <= 2 else { return false }
            index = end
        }
        guard index == bytes.count else { return false }
        output.append(contentsOf: bytes)
        return true
    }

    /// `t` `f` `1` `0`, written as `t` or `f`.
    private static func boolean(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
        guard bytes.count == 1 else { return false }
        switch bytes[0] {
        case UInt8(ascii: "t"), UInt8(ascii: "1"): output.append(UInt8(ascii: "t"))
        case UInt8(ascii: "f"), UInt8(ascii: "0"): output.append(UInt8(ascii: "f"))
        default: return false
        }
        return true
    }

    /// `YYYY-MM-DD` of an existing day (years 1-9999).
    private static func validDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let century = twoDigits(bytes, 0), let yearInCentury = twoDigits(bytes, 2),
              let month = twoDigits(bytes, 5), let day = twoDigits(bytes, 8) else { return false }
        let year = century * 100 + yearInCentury
        guard year >= 1, month >= 1, month <= 12, day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = month == 2 ? (leap ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31)
        return day <= days
    }

    private static func date(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
        guard bytes.count == 10, validDate(bytes) else { return false }
        output.append(contentsOf: bytes)
        return true
    }

    /// `YYYY-MM-DD HH:MM:SS[.f{1,6}]` then, optionally, `±HH` or `±HH:MM` (hours up to 15).
    /// TIMESTAMPTZ: written as it is, `+00` added when there is no offset. TIMESTAMP: with
    /// `'auto'` the offset is dropped, by default an offset is an error (the full check's).
    private static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>, withTimeZone: Bool, auto: Bool, to output: inout [UInt8]) -> Bool {
        guard bytes.count >= 19, validDate(bytes), bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = twoDigits(bytes, 11), let minute = twoDigits(bytes, 14), let second = twoDigits(bytes, 17),
              hour <= 23, minute <= 59, second <= 59 else { return false }
        var end = 19
        if end < bytes.count, bytes[end] == UInt8(ascii: ".") {
            let fractionEnd = digits(bytes, from: end + 1)
            guard fractionEnd > end + 1, fractionEnd - end - 1 <= 6 else { return false }
            end = fractionEnd
        }
        let timeEnd = end
        if end < bytes.count {
            guard bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-"), let hours = twoDigits(bytes, end + 1), hours <= 15 else { return false }
            end += 3
            if end < bytes.count {
                guard bytes[end] == UInt8(ascii: ":"), let minutes = twoDigits(bytes, end + 1), minutes <= 59 else { return false }
                end += 3
            }
            guard end == bytes.count else { return false }
        }
        let hasOffset = timeEnd < bytes.count
        if withTimeZone {
            output.append(contentsOf: bytes)
            if !hasOffset { output.append(contentsOf: [UInt8(ascii: "+"), UInt8(ascii: "0"), UInt8(ascii: "0")]) }
            return true
        }
        guard !hasOffset || auto else { return false }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<timeEnd]))
        return true
    }
}
