import Foundation

/// PostgreSQL's quoting: `"ident"` with `""` inside, `'literal'` with `''` inside
/// (standard-conforming strings, which rrr sets on every source session). Redshift reads backslashes
/// in literals as escapes and has its own, `RedshiftDialect`.
struct PostgresDialect: SQLDialect {
    /// Creates the dialect.
    public init() {}

    public func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func placeholder(_ index: Int) -> String { "$\(index)" }

    public func quoteLiteral(_ value: String) -> String {
        // NUL cannot travel in a PostgreSQL string; dropping it is safer than truncating the statement.
        let cleaned = value.replacingOccurrences(of: "\0", with: "")
        return "'" + cleaned.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
