/// Why a value does not fit its column, with Redshift's error code.
struct CheckFailure: Error, Sendable {
    var code: Int
    var reason: String
}

/// Validates and normalizes non-character values the way Redshift's COPY accepts them.
enum ValueChecks {
    static func normalize(_ text: String, kind: LoadColumn.Kind, options: CopyOptions) -> Result<String, CheckFailure> {
        switch kind {
        case .smallint: return integer(text, range: Int64(Int16.min)...Int64(Int16.max), type: "Short")
        case .integer: return integer(text, range: Int64(Int32.min)...Int64(Int32.max), type: "Integer")
        case .bigint: return integer(text, range: Int64.min...Int64.max, type: "Long")
        case .decimal(let precision, let scale): return decimal(text, precision: precision, scale: scale, round: options.roundDecimals)
        case .real, .double:
            guard Double(text) != nil || ["nan", "inf", "-inf", "infinity", "-infinity"].contains(text.lowercased()) else {
                return .failure(CheckFailure(code: 1208, reason: "FLOAT data type format error"))
            }
            return .success(text)
        case .boolean:
            switch text.lowercased() {
            case "t", "true", "1", "y", "yes": return .success("t")
            case "f", "false", "0", "n", "no": return .success("f")
            default: return .failure(CheckFailure(code: 1210, reason: "Invalid boolean value"))
            }
        case .date:
            guard let date = DateTimeParser.date(text, auto: options.dateFormat == "auto") else {
                return .failure(CheckFailure(code: 1205, reason: "Invalid Date Format - length must be 10 or more"))
            }
            return .success(date)
        case .timestamp, .timestamptz:
            guard let value = DateTimeParser.timestamp(text, format: options.timeFormat, withTimeZone: kind == .timestamptz) else {
                return .failure(CheckFailure(code: 1206, reason: "Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]"))
            }
            return .success(value)
        case .time, .timetz:
            guard let value = DateTimeParser.time(text, withTimeZone: kind == .timetz) else {
                return .failure(CheckFailure(code: 1206, reason: "Invalid time format or value [HH24:MI:SS]"))
            }
            return .success(value)
        case .varbyte:
            // "For CSV, the data is loaded from a file in hexadecimal representation of the VARBYTE
            // data" (copy-usage-varbyte); PostgreSQL's bytea takes it as \x<hex>.
            guard text.utf8.count % 2 == 0, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else {
                return .failure(CheckFailure(code: 1241, reason: "Invalid hexadecimal VARBYTE value"))
            }
            return .success("\\x" + text)
        case .char, .varchar, .super, .other:
            return .success(text)
        }
    }

    private static func integer(_ text: String, range: ClosedRange<Int64>, type: String) -> Result<String, CheckFailure> {
        let utf8 = Array(text.utf8)
        var index = 0
        if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") { index = 1 }
        guard index < utf8.count else { return .failure(CheckFailure(code: 1207, reason: "Invalid digit, Value '\(text)', Pos 0, Type: \(type)")) }
        if let bad = utf8[index...].firstIndex(where: { $0 < 0x30 || $0 > 0x39 }) {
            let character = String(decoding: [utf8[bad]], as: UTF8.self)
            return .failure(CheckFailure(code: 1207, reason: "Invalid digit, Value '\(character)', Pos \(bad), Type: \(type)"))
        }
        guard let value = Int64(text), range.contains(value) else {
            return .failure(CheckFailure(code: 1207, reason: "Overflow, Value '\(text)' out of range for type \(type)"))
        }
        return .success(String(value))
    }

    /// DECIMAL(p, s): too many integer digits is an overflow; extra fraction digits are
    /// truncated, or rounded with ROUNDEC.
    private static func decimal(_ text: String, precision: Int, scale: Int, round: Bool) -> Result<String, CheckFailure> {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" { negative = body.first == "-"; body.removeFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        guard !(integerPart.isEmpty && fractionPart.isEmpty),
              integerPart.allSatisfy({ $0.isASCII && $0.isNumber }), fractionPart.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return .failure(CheckFailure(code: 1209, reason: "Invalid numeric value '\(text)'")) }
        var digits = integerPart.drop(while: { $0 == "0" })
        var fraction = fractionPart
        if fraction.count > scale {
            let roundUp = round && (fraction[fraction.index(fraction.startIndex, offsetBy: scale)].wholeNumberValue ?? 0) >= 5
            fraction = String(fraction.prefix(scale))
            if roundUp {
                var all = Array(digits + fraction)
                var position = all.count - 1
                var carry = true
                while carry && position >= 0 {
                    if all[position] == "9" { all[position] = "0"; position -= 1 } else {
                        all[position] = Character(String((all[position].wholeNumberValue ?? 0) + 1)); carry = false
                    }
                }
                if carry { all.insert("1", at: 0) }
                digits = Substring(String(all.prefix(all.count - scale)))
                fraction = String(all.suffix(scale))
            }
        }
        guard digits.count <= precision - scale else {
            return .failure(CheckFailure(code: 1209, reason: "Numeric data overflow (result precision)"))
        }
        let integerText = digits.isEmpty ? "0" : String(digits)
        return .success((negative ? "-" : "") + integerText + (fraction.isEmpty ? "" : "." + fraction))
    }
}
