/// `DROP TABLE ...` and `DROP SCHEMA ...`: run as written, then the dropped tables' keys and
/// encodings leave the emulator catalog in the same transaction. PostgreSQL reuses OIDs, and a
/// table created later must not inherit a dropped table's sort key or encodings.
struct DropCommand: Sendable, Equatable {
    enum Target: Sendable, Equatable {
        case tables([TableName])
        case schemas([String])
    }

    var sql: String
    var target: Target

    static func classify(tokens: [SQLToken], sql: String) -> InterceptedStatement? {
        guard tokens.count >= 3, tokens[0].is("DROP"), tokens[1].is("TABLE") || tokens[1].is("SCHEMA") else { return nil }
        var index = 2
        if index + 1 < tokens.count, tokens[index].is("IF"), tokens[index + 1].is("EXISTS") { index += 2 }
        var tables: [TableName] = []
        while let (name, next) = TableName.read(tokens, at: index, sql: sql) {
            tables.append(name)
            index = next
            guard index < tokens.count, tokens[index].isSymbol(",") else { break }
            index += 1
        }
        guard !tables.isEmpty else { return nil }
        let target: Target = tokens[1].is("TABLE") ? .tables(tables) : .schemas(tables.map(\.relation))
        return .drop(DropCommand(sql: sql, target: target))
    }

    /// The OIDs of the relations the statement drops (read before it runs).
    var relationOIDsSQL: String {
        switch target {
        case .tables(let names):
            return "SELECT CAST(oid AS text) FROM pg_class WHERE oid IN (\(names.map { "to_regclass(\(SQLText.literal($0.sql)))" }.joined(separator: ", ")))"
        case .schemas(let names):
            return """
                SELECT CAST(c.oid AS text) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                WHERE n.nspname IN (\(names.map(SQLText.literal).joined(separator: ", ")))
                """
        }
    }

    static func forgetSQL(oids: [String]) -> String {
        let list = oids.compactMap { UInt32($0) }.map(String.init).joined(separator: ", ")
        return """
            DELETE FROM rrr_emulator.column_attributes WHERE relid IN (\(list));
            DELETE FROM rrr_emulator.table_attributes WHERE relid IN (\(list));
            """
    }
}

extension ClientSession {
    func runDrop(_ command: DropCommand) async throws -> StatementResult {
        let oids = try await backend.rows(command.relationOIDsSQL).compactMap { $0.first ?? nil }
        let results = try await backend.query(command.sql)
        if !oids.isEmpty { try await backend.query(DropCommand.forgetSQL(oids: oids)) }
        return StatementResult(tag: results.last?.tag ?? "DROP TABLE")
    }
}
