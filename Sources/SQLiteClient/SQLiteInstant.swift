/// A time value as SQLite stores it, read as an instant: microseconds since 1970-01-01 UTC.
///
/// SQLite has no time type: a column holds ISO-8601 text of several shapes, with or without a
/// zone, or Unix epoch numbers. Compared as stored, `2026-12-01T10:00:00+02:00` sorts after
/// `2026-12-01 09:30:00` although it is half an hour earlier; rrr compares replication bounds
/// through ``microseconds(_:)`` (the SQL function `rrr_instant`) instead.
package enum SQLiteInstant {
    /// The instant of `value`: an INTEGER or REAL (or text holding only such a number) is Unix
    /// epoch seconds, as rrr exports them; text is `YYYY-MM-DD`, optionally followed by `T` or a
    /// space, `HH:MM[:SS[.fraction]]` and a zone (`Z`, `±HH:MM`, `±HHMM`, `±HH`; none = UTC).
    /// Fractions beyond microseconds are cut. nil for anything else (and NULL).
    package static func microseconds(_ value: SQLiteValue) -> Int64? {
        switch value {
        case .integer(let seconds): return seconds.multipliedReportingOverflow(by: 1_000_000).overflow ? nil : seconds * 1_000_000
        case .real(let seconds): return EpochTime.microseconds(fromSeconds: seconds)
        case .text(let text): return microseconds(text: Array(text.utf8))
        case .null, .blob: return nil
        }
    }

    /// See ``microseconds(_:)``; `bytes` is the text's UTF-8.
    package static func microseconds(text bytes: [UInt8]) -> Int64? {
        let trimmed = trimmed(bytes)
        if let number = number(trimmed) { return microseconds(number) }
        return isoMicroseconds(trimmed)
    }

    /// `value` made comparable as a time with SQLite's own ordering (numbers below text): ISO-8601
    /// text becomes ``text(microseconds:)`` of its instant, text holding a number that number.
    /// Numbers become the text of their instant as Unix epoch seconds when `numbersAreTimes` (a
    /// column declared as a date or time, whose numbers the export reads so), so that numbers and
    /// text compare on one time line; else they stay numbers. Other text stays as it is (compared
    /// as SQLite compares it), a BLOB is NULL. Replication bounds compare
    /// `rrr_time_key(field)` with `rrr_time_key(bound)`.
    package static func timeKey(_ value: SQLiteValue, numbersAreTimes: Bool = false) -> SQLiteValue {
        let asTime = { (number: SQLiteValue) -> SQLiteValue in
            guard numbersAreTimes, let micros = microseconds(number) else { return number }
            return .text(text(microseconds: micros))
        }
        switch value {
        case .null, .blob: return .null
        case .integer, .real: return asTime(value)
        case .text(let text):
            let bytes = trimmed(Array(text.utf8))
            if let number = number(bytes) { return asTime(number) }
            return isoMicroseconds(bytes).map { .text(Self.text(microseconds: $0)) } ?? value
        }
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var trimmed = bytes[...]
        while let first = trimmed.first, first == 0x20 { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last == 0x20 { trimmed = trimmed.dropLast() }
        return trimmed
    }

    private static func isoMicroseconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var reader = Reader(bytes: bytes)
        return reader.isoInstant()
    }

    /// `value` as `YYYY-MM-DD HH:MM:SS.ffffff` in UTC: the shape rrr writes a computed bound in.
    package static func text(microseconds: Int64) -> String {
        var output: [UInt8] = []
        EpochTime.text(microseconds: microseconds, dateOnly: false, into: &output)
        var text = String(decoding: output, as: UTF8.self)
        if !text.contains(".") { text += ".000000" }
        return text
    }

    /// A number written as text (`1796049911`, `1796049911.659`, `1.7e9`).
    private static func number(_ bytes: ArraySlice<UInt8>) -> SQLiteValue? {
        guard !bytes.isEmpty, bytes.allSatisfy({ isDigit($0) || Array("+-.eE".utf8).contains($0) }) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        if let whole = Int64(text) { return .integer(whole) }
        return Double(text).map(SQLiteValue.real)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A cursor over ISO-8601 text.
    private struct Reader {
        var bytes: ArraySlice<UInt8>

        mutating func isoInstant() -> Int64? {
            guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
                  (1...12).contains(month), (1...31).contains(day) else { return nil }
            let days = Self.days(year: Int64(year), month: month, day: day)
            var micros: Int64 = 0
            if !bytes.isEmpty, !isZoneStart {
                guard take("T") || take("t") || take(" "), let hour = digits(2), take(":"), let minute = digits(2),
                      hour < 24, minute < 60 else { return nil }
                var second = 0, fraction: Int64 = 0
                if take(":") {
                    guard let s = digits(2), s < 61 else { return nil }
                    second = s
                    if take(".") {
                        var scale: Int64 = 100_000, any = false
                        while let byte = bytes.first, SQLiteInstant.isDigit(byte) {
                            fraction += Int64(byte - 0x30) * scale
                            scale /= 10
                            any = true
                            bytes = bytes.dropFirst()
                        }
                        guard any else { return nil }
                    }
                }
                micros = (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * 1_000_000 + fraction
            }
            _ = take(" ")
            var offset: Int64 = 0
            if take("Z") || take("z") {
            } else if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                bytes = bytes.dropFirst()
                guard let hours = digits(2), hours <= 14 else { return nil }
                var minutes = 0
                if take(":") { guard let m = digits(2) else { return nil }; minutes = m } else if let m = digits(2) { minutes = m }
                guard minutes < 60 else { return nil }
                offset = (Int64(hours) * 3600 + Int64(minutes) * 60) * 1_000_000 * (sign == UInt8(ascii: "-") ? -1 : 1)
            }
            guard bytes.isEmpty else { return nil }
            // Local time = UTC + offset.
            return days * 86_400_000_000 + micros - offset
        }

        var isZoneStart: Bool {
            guard let first = bytes.first else { return false }
            return first == UInt8(ascii: "Z") || first == UInt8(ascii: "z") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        }

        mutating func take(_ character: Character) -> Bool {
            guard let first = bytes.first, first == character.asciiValue else { return false }
            bytes = bytes.dropFirst()
            return true
        }

        mutating func digits(_ count: Int) -> Int? {
            guard bytes.count >= count else { return nil }
            var value = 0
            for byte in bytes.prefix(count) {
                guard SQLiteInstant.isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            bytes = bytes.dropFirst(count)
            return value
        }

        /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
        static func days(year: Int64, month: Int, day: Int) -> Int64 {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let m = Int64(month)
            let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return era * 146_097 + dayOfEra - 719_468
        }
    }
}
