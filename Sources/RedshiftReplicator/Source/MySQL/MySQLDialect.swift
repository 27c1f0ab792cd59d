import Foundation

/// MySQL's and MariaDB's quoting: `` `ident` `` with doubled backticks inside; `'literal'` with
/// quotes doubled and backslashes escaped (rrr assumes the server's default `sql_mode`, without
/// `NO_BACKSLASH_ESCAPES`, where `\` starts an escape in a string literal).
struct MySQLDialect: SQLDialect {
    /// Creates the dialect.
    public init() {}

    public func quoteIdentifier(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    public func placeholder(_ index: Int) -> String { "?" }

    public func quoteLiteral(_ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "'", with: "''")
            .replacingOccurrences(of: "\0", with: "\\0")
        return "'" + escaped + "'"
    }
}
