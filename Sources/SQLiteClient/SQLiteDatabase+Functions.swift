import CSQLite
import Crypto

/// SQL functions SQLite lacks and Redshift has, registered on every connection rrr opens so that
/// `rrr verify` computes the same checksum on both sides: `md5(text)` (lower-case hex, as
/// Redshift's MD5) and `strtol(text, base)` (as Redshift's STRTOL: an integer in base 2-36, an
/// optional sign and, in base 16, `0x`). Both return NULL for NULL. And for replication bounds
/// (``SQLiteInstant``): `rrr_time_key(value[, numbersAreTimes])`, a time value made comparable (ISO text of
/// any zone as UTC text), and `rrr_instant(value)`, its microseconds since 1970 UTC (NULL if not a time).
enum SQLiteFunctions {
    static func register(on db: OpaquePointer) {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC
        sqlite3_create_function_v2(db, "md5", 1, flags, nil, { context, _, arguments in
            guard let context, let argument = arguments?[0], sqlite3_value_type(argument) != SQLITE_NULL else {
                sqlite3_result_null(context); return
            }
            let count = Int(sqlite3_value_bytes(argument))
            let bytes = sqlite3_value_text(argument).map { UnsafeRawBufferPointer(start: $0, count: count) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            let hex = Insecure.MD5.hash(data: bytes).map { byte in
                let digits = Array("0123456789abcdef".utf8)
                return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
            }.joined()
            sqlite3_result_text(context, hex, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }, nil, nil, nil)
        sqlite3_create_function_v2(db, "strtol", 2, flags, nil, { context, _, arguments in
            guard let context, let text = arguments?[0], let baseValue = arguments?[1],
                  sqlite3_value_type(text) != SQLITE_NULL, sqlite3_value_type(baseValue) != SQLITE_NULL else {
                sqlite3_result_null(context); return
            }
            let base = Int(sqlite3_value_int64(baseValue))
            guard (2...36).contains(base) else { sqlite3_result_error(context, "strtol: base must be between 2 and 36", -1); return }
            let string = sqlite3_value_text(text).map { String(cString: $0) } ?? ""
            guard let value = SQLiteFunctions.strtol(string, base: base) else {
                sqlite3_result_error(context, "strtol: invalid number", -1); return
            }
            sqlite3_result_int64(context, value)
        }, nil, nil, nil)
        sqlite3_create_function_v2(db, "rrr_instant", 1, flags, nil, { context, _, arguments in
            guard let context, let argument = arguments?[0] else { return }
            let micros: Int64? = switch sqlite3_value_type(argument) {
            case SQLITE_INTEGER: SQLiteInstant.microseconds(.integer(sqlite3_value_int64(argument)))
            case SQLITE_FLOAT: SQLiteInstant.microseconds(.real(sqlite3_value_double(argument)))
            case SQLITE_TEXT:
                SQLiteInstant.microseconds(text: Array(UnsafeRawBufferPointer(start: sqlite3_value_text(argument), count: Int(sqlite3_value_bytes(argument)))))
            default: nil
            }
            if let micros { sqlite3_result_int64(context, micros) } else { sqlite3_result_null(context) }
        }, nil, nil, nil)
        // rrr_time_key(value[, numbers are epoch seconds])
        sqlite3_create_function_v2(db, "rrr_time_key", -1, flags, nil, { context, count, arguments in
            guard let context else { return }
            guard (1...2).contains(count), let argument = arguments?[0] else {
                sqlite3_result_error(context, "rrr_time_key: one or two arguments", -1); return
            }
            let numbersAreTimes = count == 2 && arguments?[1].map { sqlite3_value_int64($0) != 0 } == true
            let value: SQLiteValue = switch sqlite3_value_type(argument) {
            case SQLITE_INTEGER: .integer(sqlite3_value_int64(argument))
            case SQLITE_FLOAT: .real(sqlite3_value_double(argument))
            case SQLITE_TEXT:
                .text(String(decoding: UnsafeRawBufferPointer(start: sqlite3_value_text(argument), count: Int(sqlite3_value_bytes(argument))), as: UTF8.self))
            default: .null
            }
            switch SQLiteInstant.timeKey(value, numbersAreTimes: numbersAreTimes) {
            case .integer(let number): sqlite3_result_int64(context, number)
            case .real(let number): sqlite3_result_double(context, number)
            case .text(let text): sqlite3_result_text(context, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            case .null, .blob: sqlite3_result_null(context)
            }
        }, nil, nil, nil)
    }

    /// Redshift's STRTOL: leading white space, an optional sign, `0x` in base 16; empty is 0.
    static func strtol(_ text: String, base: Int) -> Int64? {
        var digits = Substring(text.drop { $0 == " " || $0 == "\t" || $0 == "\n" })
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" { negative = sign == "-"; digits = digits.dropFirst() }
        if base == 16, digits.lowercased().hasPrefix("0x") { digits = digits.dropFirst(2) }
        if digits.isEmpty { return 0 }
        guard let magnitude = UInt64(digits, radix: base) else { return nil }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(bitPattern: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}
