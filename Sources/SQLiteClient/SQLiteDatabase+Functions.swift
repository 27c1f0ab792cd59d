import CSQLite
import Crypto

/// SQL functions SQLite lacks and Redshift has, registered on every connection rrr opens so that
/// `rrr verify` computes the same checksum on both sides: `md5(text)` (lower-case hex, as
/// Redshift's MD5) and `strtol(text, base)` (as Redshift's STRTOL: an integer in base 2-36, an
/// optional sign and, in base 16, `0x`). Both return NULL for NULL.
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
