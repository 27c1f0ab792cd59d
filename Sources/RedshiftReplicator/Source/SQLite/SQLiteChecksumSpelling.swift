/// SQLite's spelling of `rrr verify`'s range checksum. SQLite has no MD5 or base conversion: rrr
/// registers `md5(text)` and `strtol(text, base)` on its connections (`SQLiteDatabase+Functions`).
/// Values are read as rrr exports them: date-times are ISO text or Unix epoch numbers.
struct SQLiteChecksumSpelling: ChecksumSpelling {
    let dialect = SQLiteDialect()

    func quoteIdentifier(_ name: String) -> String { dialect.quoteIdentifier(name) }
    func quoteLiteral(_ value: String) -> String { dialect.quoteLiteral(value) }

    func canonical(_ column: ChecksumColumn) -> String {
        let c = quoteIdentifier(column.sourceName)
        let isNumber = "typeof(\(c)) IN ('integer', 'real')"
        // Epoch seconds in microseconds, rounded as the exporter rounds them.
        let micros = "CAST(round(\(c) * 1000000) AS INTEGER)"
        switch column.kind {
        case .integer: return "CAST(CAST(\(c) AS INTEGER) AS TEXT)"
        case .boolean: return "CASE WHEN \(c) IS NULL THEN NULL WHEN \(c) <> 0 THEN 't' ELSE 'f' END"
        case .date: return "CASE WHEN \(isNumber) THEN date(\(c), 'unixepoch') ELSE substr(\(c), 1, 10) END"
        case .timestamp:
            return """
                CASE WHEN \(isNumber) THEN strftime('%Y-%m-%d %H:%M:%S', \(micros) / 1000000, 'unixepoch') || '.' || printf('%06d', \(micros) % 1000000) \
                WHEN length(\(c)) = 10 THEN \(c) || ' 00:00:00.000000' \
                ELSE substr(\(c), 1, 10) || ' ' || substr(\(c), 12, 8) || '.' || substr(substr(\(c), 21) || '000000', 1, 6) END
                """
        case .decimal(_, let scale): return "printf('%.\(scale)f', \(c))"
        case .float: return "printf('%.6f', \(c))"
        case .bytes: return "lower(hex(\(c)))"
        case .paddedText: return "rtrim(CAST(\(c) AS TEXT))"
        case .text: return "CAST(\(c) AS TEXT)"
        }
    }

    func hexInteger(_ hex: String, start: Int) -> String { "strtol(substr(\(hex), \(start), 8), 16)" }
    func bucket(key: String, lower: Int64, width: Int64) -> String { "((CAST(\(key) AS INTEGER) - \(lower)) / \(width))" }
    func asText(_ expression: String) -> String { "CAST(\(expression) AS TEXT)" }
}
