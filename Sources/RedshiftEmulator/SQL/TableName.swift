/// A possibly qualified table name as written in a statement (`s."T"`), read from tokens.
struct TableName: Sendable, Equatable {
    /// The name exactly as written: valid SQL, usable in rewritten statements and as a `regclass` literal.
    var sql: String
    /// The unqualified table name as PostgreSQL stores it (unquoted parts lower-cased).
    var relation: String

    /// Reads `name[.name[.name]]` starting at `index`; returns the name and the index after it.
    static func read(_ tokens: [SQLToken], at index: Int, sql: String) -> (TableName, Int)? {
        var position = index
        var parts: [String] = []
        var sqlParts: [String] = []
        while position < tokens.count {
            let token = tokens[position]
            switch token.kind {
            case .word: parts.append(token.text.lowercased())
            case .quotedIdentifier: parts.append(token.text)
            default: return nil
            }
            sqlParts.append(Self.slice(sql, token.range))
            position += 1
            guard position < tokens.count, tokens[position].isSymbol(".") else { break }
            position += 1
        }
        guard let last = parts.last else { return nil }
        return (TableName(sql: sqlParts.joined(separator: "."), relation: last), position)
    }

    /// This name as a `regclass` expression.
    var regclass: String { SQLText.literal(sql) + "::regclass" }

    static func slice(_ sql: String, _ range: Range<Int>) -> String {
        String(decoding: Array(sql.utf8)[range], as: UTF8.self)
    }
}
