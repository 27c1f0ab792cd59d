/// `ALTER TABLE` forms only Redshift has: `ALTER [COMPOUND|INTERLEAVED] SORTKEY (cols)`,
/// `ALTER SORTKEY NONE|AUTO`, `ALTER DISTKEY c`, `ALTER DISTSTYLE x`, `ALTER ENCODE ...`
/// (recorded in the catalog only) and `ADD [COLUMN] c type ENCODE e` (ENCODE stripped).
struct AlterTableRewrite: Sendable, Equatable {
    var table: TableName
    /// What PostgreSQL runs, if anything.
    var postgresSQL: String?
    /// Catalog updates, in the client's transaction.
    var catalogSQL: String?

    static func classify(tokens: [SQLToken], sql: String) -> InterceptedStatement? {
        guard let (table, next) = TableName.read(tokens, at: 2, sql: sql), next < tokens.count else { return nil }
        let rest = Array(tokens[next...])
        func word(_ i: Int) -> String? { i < rest.count && rest[i].kind == .word ? rest[i].text.uppercased() : nil }
        if word(0) == "ALTER" {
            let keyword = word(1) == "COMPOUND" || word(1) == "INTERLEAVED" ? word(2) : word(1)
            let names = rest.filter { $0.kind == .quotedIdentifier || ($0.kind == .word && !["ALTER", "COMPOUND", "INTERLEAVED", "SORTKEY", "DISTKEY", "DISTSTYLE", "NONE", "AUTO"].contains($0.text.uppercased())) }
                .map { $0.kind == .quotedIdentifier ? $0.text : $0.text.lowercased() }
            switch keyword {
            case "SORTKEY":
                var attributes = TableAttributes()
                attributes.sortkey = names
                attributes.interleaved = word(1) == "INTERLEAVED"
                return .alterTableAttributes(AlterTableRewrite(table: table, postgresSQL: nil, catalogSQL: sortkeySQL(attributes, table)))
            case "DISTKEY", "DISTSTYLE":
                let style = keyword == "DISTKEY" ? "KEY(\(names.first ?? ""))" : (word(2) ?? "AUTO")
                return .alterTableAttributes(AlterTableRewrite(table: table, postgresSQL: nil, catalogSQL: """
                    INSERT INTO rrr_emulator.table_attributes (relid, diststyle) VALUES (\(table.regclass), \(SQLText.literal(style)))
                    ON CONFLICT (relid) DO UPDATE SET diststyle = EXCLUDED.diststyle
                    """))
            case "ENCODE", "COLUMN":
                return .alterTableAttributes(AlterTableRewrite(table: table, postgresSQL: nil, catalogSQL: nil))
            default:
                return nil
            }
        }
        guard word(0) == "ADD", let encode = rest.firstIndex(where: { $0.is("ENCODE") }), encode + 1 < rest.count else { return nil }
        var rewriter = SQLRewriter(sql: sql)
        rewriter.remove(rest[encode].range.lowerBound..<rest[encode + 1].range.upperBound)
        return .alterTableAttributes(AlterTableRewrite(table: table, postgresSQL: rewriter.result, catalogSQL: nil))
    }

    private static func sortkeySQL(_ attributes: TableAttributes, _ table: TableName) -> String {
        let style = attributes.sortkey.isEmpty ? "none" : (attributes.interleaved ? "interleaved" : "compound")
        var values = attributes.sortkey.enumerated().map { position, column in
            "(\(SQLText.literal(column)), \(attributes.interleaved && position % 2 == 0 ? -(position + 1) : position + 1))"
        }
        if values.isEmpty { values = ["(NULL, 0)"] }
        return """
            INSERT INTO rrr_emulator.table_attributes (relid, sortkey_style) VALUES (\(table.regclass), \(SQLText.literal(style)))
            ON CONFLICT (relid) DO UPDATE SET sortkey_style = EXCLUDED.sortkey_style, sorted_rows = 0;
            UPDATE rrr_emulator.column_attributes SET sortkey = 0 WHERE relid = \(table.regclass);
            INSERT INTO rrr_emulator.column_attributes (relid, attnum, sortkey)
            SELECT a.attrelid, a.attnum, v.sortkey FROM (VALUES \(values.joined(separator: ", "))) v(name, sortkey)
            JOIN pg_attribute a ON a.attrelid = \(table.regclass) AND a.attname = v.name AND NOT a.attisdropped
            ON CONFLICT (relid, attnum) DO UPDATE SET sortkey = EXCLUDED.sortkey
            """
    }
}

extension ClientSession {
    func runAlterTable(_ rewrite: AlterTableRewrite) async throws -> StatementResult {
        if let sql = rewrite.postgresSQL { try await backend.query(sql) }
        if let sql = rewrite.catalogSQL { try await backend.query(sql) }
        return StatementResult(tag: "ALTER TABLE")
    }
}
