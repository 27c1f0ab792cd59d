/// What rrr does with a source value its Redshift column cannot hold (`invalid_values`).
public enum InvalidValuePolicy: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Stop the export with an error naming the table, the row's key and the column (the default).
    case fail
    /// Load NULL instead (refused for a NOT NULL column: the export fails as with `fail`).
    case null
    /// Cut text and binary values to the column's width; values no cut can fix (infinity, NaN,
    /// dates out of range) load as NULL, as with `null`.
    case truncate

    public var description: String { rawValue }
}

/// The limit a Redshift column puts on what COPY loads into it, checked on the exported text.
///
/// Limits from the Redshift Database Developer Guide: character types count bytes, VARCHAR at most
/// 65535 (r_Character_types); VARBYTE's length is in bytes, loaded from hex text in CSV
/// (r_VARBYTE_type, copy-usage-varbyte); DATE and TIMESTAMP(TZ) range from 4713 BC to 294276 AD
/// (r_Datetime_types); NUMERIC(p, s) holds p - s digits before the decimal point and has no NaN or
/// infinity (r_Numeric_types201).
public enum ValueLimit: Sendable, Hashable, CustomStringConvertible {
    /// VARCHAR(n) / CHAR(n): at most n bytes of UTF-8.
    case characterBytes(Int)
    /// VARBYTE(n): at most n bytes, written as 2n hex digits.
    case binaryBytes(Int)
    /// DATE, TIMESTAMP, TIMESTAMPTZ: a calendar date from 4713 BC to 294276 AD, no infinity.
    case dateTime
    /// NUMERIC(precision, scale): finite, at most precision - scale integer digits.
    case numeric(precision: Int, scale: Int)

    public var description: String {
        switch self {
        case .characterBytes(let n): return "VARCHAR(\(n))"
        case .binaryBytes(let n): return "VARBYTE(\(n))"
        case .dateTime: return "DATE/TIMESTAMP"
        case .numeric(let p, let s): return "NUMERIC(\(p),\(s))"
        }
    }

    /// Why `value` (the exported text) cannot load into a column with this limit; `nil` when it can
    /// (or when its form is not one rrr recognises: COPY then judges it).
    public func problem(_ value: UnsafeBufferPointer<UInt8>) -> InvalidValueProblem? {
        switch self {
        case .characterBytes(let limit):
            return value.count > limit ? .tooLong(bytes: value.count, limit: limit) : nil
        case .binaryBytes(let limit):
            return value.count / 2 > limit ? .tooLong(bytes: value.count / 2, limit: limit) : nil
        case .dateTime:
            return DateTimeText.problem(value)
        case .numeric(let precision, let scale):
            return NumericText.problem(value, integerDigits: precision - scale)
        }
    }

    /// `problem` over any bytes (tests, error paths).
    public func problem(_ value: some Collection<UInt8>) -> InvalidValueProblem? {
        Array(value).withUnsafeBufferPointer { problem($0) }
    }

    /// How many leading bytes of `value` fit under a `.characterBytes` / `.binaryBytes` limit: for
    /// text the longest prefix of at most n bytes that ends on a UTF-8 character boundary, for hex
    /// 2n digits. `nil` for limits a cut cannot satisfy.
    public func truncatedLength(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        switch self {
        case .characterBytes(let limit): return UTF8Prefix.length(value, atMost: limit)
        case .binaryBytes(let limit): return min(value.count, 2 * limit)
        case .dateTime, .numeric: return nil
        }
    }
}

/// Why a value cannot load into its Redshift column.
public enum InvalidValueProblem: Sendable, Hashable, CustomStringConvertible {
    /// Longer than the column's width (VARCHAR and VARBYTE count bytes).
    case tooLong(bytes: Int, limit: Int)
    /// `infinity`, `-infinity` or `NaN`: Redshift's DATE, TIMESTAMP and NUMERIC have none.
    case notFinite(String)
    /// A date with a zero month or day (MySQL's `0000-00-00`).
    case zeroDate
    /// Outside what the column holds; the reason in words.
    case outOfRange(String)

    /// Whether `truncate` can make the value fit.
    public var isTruncatable: Bool { if case .tooLong = self { true } else { false } }

    public var description: String {
        switch self {
        case .tooLong(let bytes, let limit): return "a value of \(bytes) bytes, longer than the column's \(limit) (Redshift counts bytes)"
        case .notFinite(let text): return "'\(text)', which Redshift's types have no value for"
        case .zeroDate: return "a zero date (month or day 00)"
        case .outOfRange(let reason): return "a value \(reason)"
        }
    }
}

/// A source value its Redshift column cannot hold, found at export: the export stops before
/// anything is loaded, naming the table, the row's key and the column (never the value itself,
/// which may be long or private), and what to do.
public struct InvalidValue: Error, Sendable, CustomStringConvertible {
    /// The words every such error carries (`rrr status` recognises a table stuck on one by them).
    public static let phrase = "holds a value its Redshift column cannot hold"

    /// The source table, when the client knows it.
    public var table: String?
    /// The column holding the value.
    public var column: String
    /// The row's key columns and their values (shortened); the first column's when there is no key.
    public var row: [(String, String)]
    /// What is wrong with the value.
    public var problem: InvalidValueProblem
    /// The column's limit.
    public var limit: ValueLimit?
    /// The policy in force; `null`/`truncate` fail only for a NOT NULL column.
    public var policy: InvalidValuePolicy

    public init(table: String? = nil, column: String, row: [(String, String)], problem: InvalidValueProblem,
                limit: ValueLimit? = nil, policy: InvalidValuePolicy = .fail) {
        self.table = table; self.column = column; self.row = row; self.problem = problem
        self.limit = limit; self.policy = policy
    }

    public var description: String {
        let rowText = row.map { "\($0.0) = '\($0.1)'" }.joined(separator: ", ")
        let target = limit.map { " (\($0))" } ?? ""
        var text = "table `\(table ?? "?")`: column `\(column)`\(target) of the row with \(rowText) \(Self.phrase): \(problem); "
        if policy == .fail {
            text += "fix the row in the source, or set `invalid_values: null` (or `truncate`) for the table to load "
                + (problem.isTruncatable ? "it cut to the column's width (truncate) or as NULL" : "NULL instead")
        } else {
            text += "`invalid_values: \(policy)` would load NULL, but the Redshift column is NOT NULL: fix the row in the source, "
                + "or allow NULL in the column"
        }
        return text
    }

    /// A key value as shown in errors: at most 100 bytes, NUL as `\0`.
    public static func printable(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        let kept = array.withUnsafeBufferPointer { UTF8Prefix.length($0, atMost: 100) }
        let text = UnloadableValue.printable(array.prefix(kept))
        return kept < array.count ? text + "..." : text
    }
}

/// What an export column does with a value that fails its limit.
public enum InvalidValueAction: Sendable, Hashable {
    /// Stop the export (``InvalidValue``).
    case fail
    /// Write NULL.
    case null
    /// Write the first `n` bytes.
    case truncate(Int)
}

extension ExportColumn {
    /// What to do with `value`, which has `problem`, under the column's policy: NULL only where the
    /// Redshift column takes it; a cut only where it fixes the value.
    public func action(for problem: InvalidValueProblem, value: UnsafeBufferPointer<UInt8>) -> InvalidValueAction {
        switch invalidValues {
        case .fail: return .fail
        case .truncate where problem.isTruncatable:
            return limit?.truncatedLength(value).map { .truncate($0) } ?? .fail
        case .null, .truncate: return targetIsNullable ? .null : .fail
        }
    }
}

/// The longest prefix of UTF-8 text within a byte budget that does not split a character.
public enum UTF8Prefix {
    /// `value.count` when it fits, else the largest length <= `limit` at which no character is cut
    /// (a continuation byte, 10xxxxxx, never starts a character).
    @inlinable
    public static func length(_ value: UnsafeBufferPointer<UInt8>, atMost limit: Int) -> Int {
        guard value.count > limit else { return value.count }
        var length = max(0, limit)
        while length > 0, value[length] & 0xC0 == 0x80 { length -= 1 }
        return length
    }
}

/// Checks on date and timestamp text in the forms the sources write (`YYYY-MM-DD[ ...]`, a
/// `BC` suffix from PostgreSQL, `infinity`).
public enum DateTimeText {
    /// Years Redshift's DATE and TIMESTAMP hold: 4713 BC to 294276 AD (r_Datetime_types).
    public static let latestYear = 294_276
    public static let earliestYearBC = 4713

    public static func problem(_ value: UnsafeBufferPointer<UInt8>) -> InvalidValueProblem? {
        guard let first = value.first else { return nil }
        let digit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        if !digit(first) {
            // infinity, -infinity, +infinity (PostgreSQL; SQLite text)
            let text = String(decoding: value.prefix(10), as: UTF8.self).lowercased()
            if ["infinity", "-infinity", "+infinity"].contains(text) { return .notFinite(text) }
            if first == UInt8(ascii: "-"), value.count > 1, digit(value[1]) { return .outOfRange("with a negative year") }
            return nil
        }
        var index = 0, year = 0
        while index < value.count, digit(value[index]), index < 9 {
            year = year * 10 + Int(value[index] - 0x30); index += 1
        }
        guard index >= 4, index + 5 < value.count, value[index] == UInt8(ascii: "-"),
              digit(value[index + 1]), digit(value[index + 2]), value[index + 3] == UInt8(ascii: "-"),
              digit(value[index + 4]), digit(value[index + 5]) else { return nil }
        let month = Int(value[index + 1] - 0x30) * 10 + Int(value[index + 2] - 0x30)
        let day = Int(value[index + 4] - 0x30) * 10 + Int(value[index + 5] - 0x30)
        if month == 0 || day == 0 { return .zeroDate }
        let isBC = value.count >= 3 && value[value.count - 3] == UInt8(ascii: " ")
            && value[value.count - 2] == UInt8(ascii: "B") && value[value.count - 1] == UInt8(ascii: "C")
        if isBC {
            if year > earliestYearBC { return .outOfRange("before 4713 BC") }
        } else {
            if year > latestYear { return .outOfRange("after 294276 AD") }
            if year == 0 { return .outOfRange("in year 0, which the calendar does not have") }
        }
        guard month <= 12 else { return .outOfRange("with month \(month)") }
        if day > daysIn(month: month, year: isBC ? 1 - year : year) { return .outOfRange("that is not a calendar date (day \(day) of month \(month))") }
        return nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Checks on number text loading into NUMERIC(p, s).
public enum NumericText {
    public static func problem(_ value: UnsafeBufferPointer<UInt8>, integerDigits: Int) -> InvalidValueProblem? {
        guard let first = value.first else { return nil }
        var index = 0
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { index = 1 }
        guard index < value.count else { return nil }
        let lead = value[index] | 0x20
        if lead == UInt8(ascii: "n") || lead == UInt8(ascii: "i") {
            // NaN, Infinity, inf (PostgreSQL numeric and floats, SQLite REAL, MySQL cannot hold them)
            let text = String(decoding: value.prefix(12), as: UTF8.self)
            if ["nan", "infinity", "inf"].contains(text.dropFirst(index).lowercased()) { return .notFinite(text) }
            return nil
        }
        var digits = 0, leadingZero = true, sawExponent = false
        while index < value.count {
            let byte = value[index]
            if byte >= 0x30 && byte <= 0x39 {
                if byte != 0x30 || !leadingZero { leadingZero = false; digits += 1 }
            } else {
                sawExponent = byte | 0x20 == UInt8(ascii: "e")
                break
            }
            index += 1
        }
        if sawExponent, let number = Double(String(decoding: value, as: UTF8.self)) {
            // 1e+20 (float text): compare the magnitude.
            guard number.isFinite else { return .notFinite(String(decoding: value.prefix(12), as: UTF8.self)) }
            var bound = 1.0
            for _ in 0..<max(0, integerDigits) { bound *= 10 }
            return abs(number) >= bound ? .outOfRange("with more than \(integerDigits) digit(s) before the decimal point") : nil
        }
        return digits > integerDigits ? .outOfRange("with \(digits) digit(s) before the decimal point, more than the column's \(integerDigits)") : nil
    }
}
