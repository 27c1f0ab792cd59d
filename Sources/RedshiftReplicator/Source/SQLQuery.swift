/// SQL text with its values kept apart, bound as parameters when it runs: binding by construction.
///
/// ```swift
/// let query: SQLQuery = "SELECT state FROM \(identifier: "rrr_replications") WHERE key = \(key) LIMIT \(integer: 1)"
/// ```
/// An interpolated `String?` becomes a placeholder of the database's dialect (`$1`, `?`) and a
/// bound value (`nil` = SQL NULL); only `\(identifier:)` (quoted), `\(integer:)` (a number) and
/// `\(unescaped:)` (SQL text rrr wrote itself) put text into the statement.
struct SQLQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Part: Sendable, Hashable {
        case text(String)
        case identifier(String)
        case qualified(String)
        case value(String?)
    }

    private(set) var parts: [Part]

    init(stringLiteral value: String) { parts = [.text(value)] }

    init(stringInterpolation: StringInterpolation) { parts = stringInterpolation.parts }

    struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        init(literalCapacity: Int, interpolationCount: Int) {}
        mutating func appendLiteral(_ literal: String) { parts.append(.text(literal)) }
        /// A value, bound as a parameter.
        mutating func appendInterpolation(_ value: String?) { parts.append(.value(value)) }
        /// A name, quoted by the dialect as one identifier.
        mutating func appendInterpolation(identifier name: String) { parts.append(.identifier(name)) }
        /// A possibly schema-qualified name (`schema.table`), each part quoted.
        mutating func appendInterpolation(qualified name: String) { parts.append(.qualified(name)) }
        /// A whole number, written as digits (LIMIT/OFFSET and ids: MySQL takes no bound LIMIT).
        mutating func appendInterpolation<Number: BinaryInteger>(integer number: Number) { parts.append(.text(String(number))) }
        /// SQL text written by rrr (a function call, a type name from the catalog), pasted as is.
        mutating func appendInterpolation(unescaped text: String) { parts.append(.text(text)) }
        /// Another query, its parts kept.
        mutating func appendInterpolation(_ query: SQLQuery) { parts += query.parts }
    }

    /// The statement for `dialect`: text with the dialect's placeholders, and the values in order.
    func rendered(for dialect: any SQLDialect) -> (sql: String, bindings: [String?]) {
        var sql = "", bindings: [String?] = []
        for part in parts {
            switch part {
            case .text(let text): sql += text
            case .identifier(let name): sql += dialect.quoteIdentifier(name)
            case .qualified(let name): sql += dialect.quoteQualified(name)
            case .value(let value):
                bindings.append(value)
                sql += dialect.placeholder(bindings.count)
            }
        }
        return (sql, bindings)
    }

    /// The queries joined with `separator` (text).
    static func joined(_ queries: [SQLQuery], separator: String) -> SQLQuery {
        var result = SQLQuery(stringLiteral: "")
        for (index, query) in queries.enumerated() {
            if index > 0 { result.parts.append(.text(separator)) }
            result.parts += query.parts
        }
        return result
    }

    /// The statement with `?` for values (for logs; values are not shown).
    var description: String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .identifier(let name): PostgresDialect().quoteIdentifier(name)
            case .qualified(let name): PostgresDialect().quoteQualified(name)
            case .value: "?"
            }
        }.joined()
    }
}
