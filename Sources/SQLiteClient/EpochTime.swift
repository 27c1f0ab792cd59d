/// Writes Unix epoch seconds as the UTC text Redshift's DATE and TIMESTAMP columns load.
enum EpochTime {
    /// The microseconds since 1970-01-01 UTC of `seconds` (a REAL epoch such as Python's
    /// `time.time()`), rounded the way Python's `datetime.fromtimestamp` rounds: whole seconds and
    /// the fraction apart, the fraction half-to-even. Scaling the whole number by 10^6 first
    /// rounds the product in binary and moves about one value in eight a microsecond
    /// (1796049911.6593125 is ...911.659312486... in binary: .659312, not .659313).
    /// nil when the value is not finite or out of Int64 microseconds.
    static func microseconds(fromSeconds seconds: Double) -> Int64? {
        guard seconds.isFinite, abs(seconds) < 9.2e12 else { return nil }
        var whole = seconds.rounded(.towardZero)
        var micros = ((seconds - whole) * 1_000_000).rounded(.toNearestOrEven)
        if abs(micros) >= 1_000_000 {
            whole += micros > 0 ? 1 : -1
            micros = 0
        }
        return Int64(whole) * 1_000_000 + Int64(micros)
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` (or just the date) for `microseconds` since 1970-01-01 UTC.
    static func text(microseconds: Int64, dateOnly: Bool, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        let (days, microOfDay) = floorDivide(microseconds, 86_400_000_000)
        let (year, month, day) = civil(fromDays: days)
        if year < 0 { output.append(UInt8(ascii: "-")) }
        append(year.magnitude, width: 4, to: &output)
        output.append(UInt8(ascii: "-"))
        append(UInt64(month), width: 2, to: &output)
        output.append(UInt8(ascii: "-"))
        append(UInt64(day), width: 2, to: &output)
        guard !dateOnly else { return }
        let seconds = microOfDay / 1_000_000, fraction = microOfDay % 1_000_000
        output.append(UInt8(ascii: " "))
        append(UInt64(seconds / 3600), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        append(UInt64(seconds / 60 % 60), width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        append(UInt64(seconds % 60), width: 2, to: &output)
        if fraction != 0 {
            output.append(UInt8(ascii: "."))
            append(UInt64(fraction), width: 6, to: &output)
        }
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor, remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func append(_ value: UInt64, width: Int, to output: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        for _ in digits.count..<max(width, digits.count) { output.append(UInt8(ascii: "0")) }
        output.append(contentsOf: digits.reversed())
    }
}
