import Foundation

/// SQLite's quoting: `"ident"` and `'literal'`, the quote character doubled inside.
struct SQLiteDialect: SQLDialect {
    /// Creates the dialect.
    public init() {}

    public func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func placeholder(_ index: Int) -> String { "?\(index)" }

    /// A column without affinity (declared without a type, or BLOB) compares values as stored, and
    /// any INTEGER or REAL sorts below any TEXT: a bound of such a column holding numbers is written
    /// as a number, or `id > '100'` would match no integer at all. Columns with an affinity convert
    /// the string literal themselves (a TEXT column keeps `'007'` as text).
    public func boundLiteral(_ value: String, column: SourceColumn) -> String {
        let type = column.typeName.uppercased()
        guard type.isEmpty || (type.contains("BLOB") && !type.contains("INT") && !type.contains("CHAR") && !type.contains("CLOB") && !type.contains("TEXT")),
              Self.isPlainNumber(value) else { return quoteLiteral(value) }
        return value
    }

    /// `-?digits[.digits]`: a number SQLite reads back as the same value.
    static func isPlainNumber(_ value: String) -> Bool {
        let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    public func quoteLiteral(_ value: String) -> String {
        // A NUL would end the statement text early in the C API; dropping it is safer.
        "'" + value.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
