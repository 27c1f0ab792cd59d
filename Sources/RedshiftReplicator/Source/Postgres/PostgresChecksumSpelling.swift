/// PostgreSQL's spelling of `rrr verify`'s range checksum (the session runs in UTC, as exports do).
struct PostgresChecksumSpelling: ChecksumSpelling {
    let dialect = PostgresDialect()

    func quoteIdentifier(_ name: String) -> String { dialect.quoteIdentifier(name) }
    func quoteTable(_ name: String) -> String { dialect.quoteQualified(name) }
    func quoteLiteral(_ value: String) -> String { dialect.quoteLiteral(value) }

    func canonical(_ column: ChecksumColumn) -> String {
        let c = quoteIdentifier(column.sourceName)
        switch column.kind {
        case .integer: return "CAST(\(c) AS text)"
        case .boolean:
            return column.sourceType.lowercased().hasPrefix("bool")
                ? "CASE WHEN \(c) THEN 't' WHEN NOT \(c) THEN 'f' END"
                : "CASE WHEN \(c) <> 0 THEN 't' WHEN \(c) = 0 THEN 'f' END"
        case .date: return "to_char(\(c), 'YYYY-MM-DD')"
        case .timestamp: return "to_char(\(c), 'YYYY-MM-DD HH24:MI:SS.US')"
        case .decimal(let precision, let scale): return "CAST(CAST(\(c) AS numeric(\(precision),\(scale))) AS text)"
        case .float: return "CAST(CAST(\(c) AS numeric(38,6)) AS text)"
        case .bytes: return "encode(\(c), 'hex')"
        case .paddedText: return "rtrim(CAST(\(c) AS text))"
        case .text: return "CAST(\(c) AS text)"
        }
    }

    func hexInteger(_ hex: String, start: Int) -> String { "CAST(CAST('x' || substr(\(hex), \(start), 8) AS bit(32)) AS bigint)" }
    func bucket(key: String, lower: Int64, width: Int64) -> String { "((CAST(\(key) AS bigint) - \(lower)) / \(width))" }
    func asText(_ expression: String) -> String { "CAST(\(expression) AS text)" }
}
