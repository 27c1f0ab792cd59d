import Logging

extension MySQLConnection {
    /// Runs a query whose `?` placeholders take `bindings` in order (`nil` = SQL NULL) and returns
    /// its (small) result as text.
    ///
    /// Each value is escaped by libmariadb for this session's character set and `sql_mode`
    /// (`mysql_real_escape_string`) as it replaces its placeholder, so callers never build
    /// literals. (Server-side prepared statements would answer in the binary protocol, whose
    /// text forms of DOUBLE and temporal values differ from the text protocol's.) `?` inside
    /// quoted strings, identifiers and comments is left alone.
    /// - Throws: ``MySQLError`` `.queryFailed` when the counts of placeholders and values differ.
    package func query(_ sql: String, _ bindings: [String?], table: String? = nil, logger: Logger) throws -> MySQLResultSet {
        try query(try bind(sql, bindings, table: table), table: table, logger: logger)
    }

    /// Runs a statement whose `?` placeholders take `bindings` (see ``query(_:_:table:logger:)``).
    @discardableResult
    package func execute(_ sql: String, _ bindings: [String?], table: String? = nil, logger: Logger) throws -> Int {
        try execute(try bind(sql, bindings, table: table), table: table, logger: logger)
    }

    /// `sql` with each placeholder replaced by its value, escaped for this session (with no values,
    /// `sql` as it is).
    func bind(_ sql: String, _ bindings: [String?], table: String?) throws -> String {
        if bindings.isEmpty { return sql }
        let pieces = Self.splitAtPlaceholders(sql)
        guard pieces.count == bindings.count + 1 else {
            throw MySQLError(.queryFailed, "\(pieces.count - 1) placeholder(s) for \(bindings.count) value(s)", table: table)
        }
        var text = pieces[0]
        for (value, piece) in zip(bindings, pieces.dropFirst()) {
            text += try value.map { try quoteLiteral($0) } ?? "NULL"
            text += piece
        }
        return text
    }

    /// The text around each `?` placeholder outside quotes and comments (placeholders + 1 pieces).
    nonisolated static func splitAtPlaceholders(_ sql: String) -> [String] {
        var pieces: [String] = [], current = "", quote: Character?
        var iterator = sql.makeIterator()
        var previous: Character?
        while let character = iterator.next() {
            if let open = quote {
                current.append(character)
                if character == "\\" && open != "`", let escaped = iterator.next() { current.append(escaped); continue }
                if character == open { quote = nil }
            } else if character == "?" {
                pieces.append(current); current = ""
            } else {
                current.append(character)
                if character == "'" || character == "\"" || character == "`" { quote = character }
                if character == "-" && previous == "-" || character == "#" {  // a comment runs to the end of the line
                    while let next = iterator.next() { current.append(next); if next == "\n" { break } }
                }
            }
            previous = character
        }
        pieces.append(current)
        return pieces
    }
}
