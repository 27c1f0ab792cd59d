import Foundation

/// How a database quotes identifiers and string literals. Every name and value rrr puts into
/// SQL text goes through one of these (or is bound as a parameter).
public protocol SQLDialect: Sendable {
    /// `name` quoted as one identifier.
    func quoteIdentifier(_ name: String) -> String
    /// `value` as a string literal (for DDL and COPY, which take no bound parameters).
    func quoteLiteral(_ value: String) -> String
    /// The placeholder of the `index`-th bound value (1-based): `$1` in PostgreSQL, `?` elsewhere.
    func placeholder(_ index: Int) -> String
    /// A bound of the export's range (a value read from `column`) as a literal comparable with the
    /// column's values. Default: a string literal, which the database converts to the column's type.
    func boundLiteral(_ value: String, column: SourceColumn) -> String
}

extension SQLDialect {
    public func boundLiteral(_ value: String, column: SourceColumn) -> String { quoteLiteral(value) }

    /// A possibly schema-qualified name (`schema.table`), each part quoted.
    public func quoteQualified(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { quoteIdentifier(String($0)) }.joined(separator: ".")
    }
}
