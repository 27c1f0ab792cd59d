/// `ALTER TABLE target APPEND FROM source [IGNOREEXTRA | FILLTARGET]`.
struct AppendCommand: Sendable, Equatable {
    var target: TableName
    var source: TableName
    /// Source columns the target lacks are dropped (`IGNOREEXTRA`).
    var ignoreExtra: Bool
    /// Target columns the source lacks get their defaults (`FILLTARGET`).
    var fillTarget: Bool

    static func classify(tokens: [SQLToken], sql: String) -> InterceptedStatement? {
        guard let (target, next) = TableName.read(tokens, at: 2, sql: sql),
              next + 1 < tokens.count, tokens[next].is("APPEND"), tokens[next + 1].is("FROM")
        else { return nil }
        guard let (source, end) = TableName.read(tokens, at: next + 2, sql: sql) else {
            return .invalid(PGError(code: "42601", message: "syntax error in ALTER TABLE APPEND: expected the source table"))
        }
        var command = AppendCommand(target: target, source: source, ignoreExtra: false, fillTarget: false)
        for token in tokens[end...] {
            if token.is("IGNOREEXTRA") { command.ignoreExtra = true } else if token.is("FILLTARGET") { command.fillTarget = true } else {
                return .invalid(PGError(code: "42601", message: "syntax error at or near \"\(token.text)\" in ALTER TABLE APPEND"))
            }
        }
        return .alterTableAppend(command)
    }
}

extension ClientSession {
    /// Moves every row of the source into the target (insert + delete, committed at once);
    /// refused inside a transaction block as on Redshift.
    func runAppend(_ command: AppendCommand) async throws -> StatementResult {
        guard !backend.transactionStatus.inBlock else { throw PGError.notInTransactionBlock("ALTER TABLE APPEND") }
        let targetColumns = try await columnNames(of: command.target)
        let sourceColumns = try await columnNames(of: command.source)
        let extra = sourceColumns.filter { !targetColumns.contains($0) }
        let missing = targetColumns.filter { !sourceColumns.contains($0) }
        if let column = extra.first, !command.ignoreExtra {
            throw PGError(code: "42703", message: "ALTER TABLE APPEND: source table \"\(command.source.relation)\" has column \"\(column)\" that target table \"\(command.target.relation)\" lacks",
                          hint: "Use IGNOREEXTRA to drop such columns.")
        }
        if let column = missing.first, !command.fillTarget {
            throw PGError(code: "42703", message: "ALTER TABLE APPEND: target table \"\(command.target.relation)\" has column \"\(column)\" that source table \"\(command.source.relation)\" lacks",
                          hint: "Use FILLTARGET to fill such columns with their defaults.")
        }
        let common = targetColumns.filter(sourceColumns.contains).map(SQLText.identifier).joined(separator: ", ")
        do {
            let results = try await backend.query("""
                BEGIN;
                INSERT INTO \(command.target.sql) (\(common)) SELECT \(common) FROM \(command.source.sql);
                DELETE FROM \(command.source.sql);
                COMMIT;
                """)
            _ = results
        } catch {
            if backend.transactionStatus.inBlock { _ = try? await backend.query("ROLLBACK") }
            throw error
        }
        return StatementResult(tag: "ALTER TABLE APPEND")
    }

    /// The table's live column names in order.
    func columnNames(of table: TableName) async throws -> [String] {
        try await backend.rows("""
            SELECT attname FROM pg_attribute WHERE attrelid = \(table.regclass) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """).compactMap { $0.first ?? nil }
    }
}
