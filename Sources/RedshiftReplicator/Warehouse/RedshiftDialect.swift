/// Redshift's quoting. Identifiers as in PostgreSQL (`"ident"`, `""` inside); string literals as in
/// PostgreSQL 8.0, which Redshift keeps: a backslash starts an escape (`'\N'` is `N`), so a literal
/// doubles every backslash as well as every quote, as QUOTE_LITERAL does ("doubles any embedded
/// single quotation marks and backslashes", r_QUOTE_LITERAL). rrr binds every value it can
/// (``RedshiftStatement``); literals remain where Redshift takes no parameters (COPY).
struct RedshiftDialect: SQLDialect {
    func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Redshift numbers parameters as PostgreSQL does.
    func placeholder(_ index: Int) -> String { "$\(index)" }

    func quoteLiteral(_ value: String) -> String {
        // NUL cannot travel in a statement; dropping it is safer than truncating the statement.
        let escaped = value.replacingOccurrences(of: "\0", with: "")
            .replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "'", with: "''")
        return "'" + escaped + "'"
    }
}
