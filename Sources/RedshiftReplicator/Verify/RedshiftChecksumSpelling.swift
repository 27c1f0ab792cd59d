/// Redshift's spelling of the range checksum, with only functions AWS documents: `MD5` (r_MD5),
/// `STRTOL(hex, 16)` (r_STRTOL, BIGINT), `SUBSTRING`, `TO_CHAR` with `YYYY-MM-DD HH24:MI:SS.US`
/// (r_FORMAT_strings), `FROM_VARBYTE(v, 'hex')` (r_FROM_VARBYTE), `SUM` of BIGINT (r_SUM).
struct RedshiftChecksumSpelling: ChecksumSpelling {
    let dialect = RedshiftDialect()
    /// The schema the table is in.
    let schema: String

    func quoteIdentifier(_ name: String) -> String { dialect.quoteIdentifier(name) }
    func quoteTable(_ name: String) -> String { dialect.quoteIdentifier(schema) + "." + dialect.quoteIdentifier(name) }
    func quoteLiteral(_ value: String) -> String { dialect.quoteLiteral(value) }

    func canonical(_ column: ChecksumColumn) -> String {
        let c = quoteIdentifier(column.redshiftName)
        switch column.kind {
        case .integer: return "CAST(\(c) AS VARCHAR)"
        case .boolean: return "CASE WHEN \(c) THEN 't' WHEN NOT \(c) THEN 'f' END"
        case .date: return "TO_CHAR(\(c), 'YYYY-MM-DD')"
        case .timestamp: return "TO_CHAR(\(c), 'YYYY-MM-DD HH24:MI:SS.US')"
        case .decimal: return "CAST(\(c) AS VARCHAR)"
        case .float: return "CAST(CAST(\(c) AS DECIMAL(38,6)) AS VARCHAR)"
        case .bytes: return "FROM_VARBYTE(\(c), 'hex')"
        case .paddedText: return "RTRIM(\(c))"
        case .text: return "CAST(\(c) AS VARCHAR(65535))"
        }
    }

    func hexInteger(_ hex: String, start: Int) -> String { "STRTOL(SUBSTRING(\(hex), \(start), 8), 16)" }
    func bucket(key: String, lower: Int64, width: Int64) -> String { "((CAST(\(key) AS BIGINT) - \(lower)) / \(width))" }
    func asText(_ expression: String) -> String { "CAST(\(expression) AS VARCHAR)" }
}
