/// MySQL/MariaDB's spelling of `rrr verify`'s range checksum (the session is utf8mb4 in UTC).
struct MySQLChecksumSpelling: ChecksumSpelling {
    let dialect = MySQLDialect()

    func quoteIdentifier(_ name: String) -> String { dialect.quoteIdentifier(name) }
    func quoteLiteral(_ value: String) -> String { dialect.quoteLiteral(value) }

    func canonical(_ column: ChecksumColumn) -> String {
        let c = quoteIdentifier(column.sourceName)
        switch column.kind {
        case .integer: return "CAST(\(c) AS CHAR)"
        case .boolean: return "CASE WHEN \(c) <> 0 THEN 't' WHEN \(c) = 0 THEN 'f' END"
        case .date: return "DATE_FORMAT(\(c), '%Y-%m-%d')"
        case .timestamp: return "DATE_FORMAT(\(c), '%Y-%m-%d %H:%i:%s.%f')"
        case .decimal(let precision, let scale): return "CAST(CAST(\(c) AS DECIMAL(\(precision),\(scale))) AS CHAR)"
        case .float: return "CAST(CAST(\(c) AS DECIMAL(38,6)) AS CHAR)"
        case .bytes: return "LOWER(HEX(\(c)))"
        case .paddedText: return "RTRIM(CONVERT(\(c) USING utf8mb4))"
        case .text: return "CONVERT(\(c) USING utf8mb4)"
        }
    }

    func concat(_ parts: [String]) -> String { "CONCAT(\(parts.joined(separator: ", ")))" }
    func md5(_ text: String) -> String { "MD5(\(text))" }
    func hexInteger(_ hex: String, start: Int) -> String { "CAST(CONV(SUBSTRING(\(hex), \(start), 8), 16, 10) AS UNSIGNED)" }
    func bucket(key: String, lower: Int64, width: Int64) -> String { "((CAST(\(key) AS SIGNED) - \(lower)) DIV \(width))" }
    func asText(_ expression: String) -> String { "CAST(\(expression) AS CHAR)" }
}
