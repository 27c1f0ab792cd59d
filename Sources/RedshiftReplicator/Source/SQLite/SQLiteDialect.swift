import Foundation

/// SQLite's quoting: `"ident"` and `'literal'`, the quote character doubled inside.
struct SQLiteDialect: SQLDialect {
    /// Creates the dialect.
    public init() {}

    public func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func placeholder(_ index: Int) -> String { "?\(index)" }

    public func quoteLiteral(_ value: String) -> String {
        // A NUL would end the statement text early in the C API; dropping it is safer.
        "'" + value.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
