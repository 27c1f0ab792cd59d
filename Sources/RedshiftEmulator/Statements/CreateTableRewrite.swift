/// `CREATE TABLE` with Redshift's attributes, rewritten for PostgreSQL: `DISTSTYLE`, `DISTKEY`,
/// `[COMPOUND | INTERLEAVED] SORTKEY`, `ENCODE`, `BACKUP` are cut and remembered; `IDENTITY(s, i)`
/// becomes an identity column (`GENERATED ALWAYS`); types get Redshift's meaning (see
/// `AttributeScanner`): lengths of VARCHAR/CHAR, NUMERIC's default precision, VARBYTE.
struct CreateTableRewrite: Sendable, Equatable {
    var table: TableName
    /// The statement PostgreSQL runs.
    var postgresSQL: String
    var attributes: TableAttributes
    /// `(LIKE source)`: the source's keys and encodings are copied.
    var likeSource: TableName?

    static func classify(tokens: [SQLToken], sql: String) -> InterceptedStatement? {
        guard let tableIndex = tokens.prefix(5).firstIndex(where: { $0.is("TABLE") }),
              tokens[1..<tableIndex].allSatisfy({ $0.is("TEMP") || $0.is("TEMPORARY") || $0.is("LOCAL") || $0.is("GLOBAL") })
        else { return nil }
        var nameIndex = tableIndex + 1
        if nameIndex + 2 < tokens.count, tokens[nameIndex].is("IF"), tokens[nameIndex + 1].is("NOT"), tokens[nameIndex + 2].is("EXISTS") {
            nameIndex += 3
        }
        guard let (table, bodyStart) = TableName.read(tokens, at: nameIndex, sql: sql) else { return nil }
        var rewrite = CreateTableRewrite(table: table, postgresSQL: sql, attributes: TableAttributes(), likeSource: nil)
        var rewriter = SQLRewriter(sql: sql)
        var changed = false
        var scanner = AttributeScanner(tokens: tokens, sql: sql, start: bodyStart)
        scanner.scan(into: &rewrite.attributes, rewriter: &rewriter, changed: &changed, likeSource: &rewrite.likeSource)
        if let error = scanner.typeError { return .invalid(error) }
        // Every CREATE TABLE is intercepted, also one without Redshift attributes: a new table may
        // reuse the OID of a dropped one, whose attributes must not carry over (see runCreateTable).
        if changed { rewrite.postgresSQL = rewriter.result }
        return .createTable(rewrite)
    }
}

/// Keys and encodings PostgreSQL has no place for, kept in `rrr_emulator`.
struct TableAttributes: Sendable, Equatable {
    /// e.g. `KEY`, `EVEN`, `ALL`, `AUTO`; nil when not given.
    var diststyle: String?
    var distkey: String?
    /// Sort key columns in order.
    var sortkey: [String] = []
    var interleaved = false
    /// Column name -> encoding.
    var encodings: [String: String] = [:]

    var isEmpty: Bool { diststyle == nil && distkey == nil && sortkey.isEmpty && encodings.isEmpty }
}

extension ClientSession {
    func runCreateTable(_ rewrite: CreateTableRewrite) async throws -> StatementResult {
        let existed = try await backend.rows("SELECT CAST(to_regclass(\(SQLText.literal(rewrite.table.sql))) AS text)").first?.first ?? nil
        let results = try await backend.query(rewrite.postgresSQL)
        if existed == nil {
            // A temp table gone with its session leaves its attributes behind (nothing intercepted
            // its DROP); the new table may have its OID.
            try await backend.query(TableAttributesSQL.forget(rewrite.table))
        }
        if let source = rewrite.likeSource {
            try await backend.query(TableAttributesSQL.copy(from: source, to: rewrite.table))
        }
        if !rewrite.attributes.isEmpty {
            try await backend.query(TableAttributesSQL.record(rewrite.attributes, for: rewrite.table))
        }
        return StatementResult(tag: results.last?.tag ?? "CREATE TABLE")
    }
}

/// SQL that writes table attributes into the emulator catalog (in the client's transaction, so
/// they vanish with a rolled-back CREATE).
enum TableAttributesSQL {
    static func record(_ attributes: TableAttributes, for table: TableName) -> String {
        let diststyle = attributes.diststyle.map { $0 == "KEY" ? "KEY(\(attributes.distkey ?? ""))" : $0 }
            ?? (attributes.distkey.map { "KEY(\($0))" } ?? "AUTO(EVEN)")
        let style = attributes.sortkey.isEmpty ? "none" : (attributes.interleaved ? "interleaved" : "compound")
        var values: [String] = []
        let columns = Set(attributes.sortkey + Array(attributes.encodings.keys) + (attributes.distkey.map { [$0] } ?? []))
        for column in columns.sorted() {
            var order = 0
            if let position = attributes.sortkey.firstIndex(of: column) {
                order = position + 1
                // Interleaved keys alternate signs, starting negative so a one-column key still reads as interleaved.
                if attributes.interleaved && position % 2 == 0 { order = -order }
            }
            values.append("(\(SQLText.literal(column)), \(SQLText.literal(attributes.encodings[column] ?? "none")), \(attributes.distkey == column), \(order))")
        }
        var sql = """
            INSERT INTO rrr_emulator.table_attributes (relid, diststyle, sortkey_style) VALUES (\(table.regclass), \(SQLText.literal(diststyle)), \(SQLText.literal(style)))
            ON CONFLICT (relid) DO UPDATE SET diststyle = EXCLUDED.diststyle, sortkey_style = EXCLUDED.sortkey_style, sorted_rows = 0;
            DELETE FROM rrr_emulator.column_attributes WHERE relid = \(table.regclass);
            """
        if !values.isEmpty {
            sql += """
                INSERT INTO rrr_emulator.column_attributes (relid, attnum, encoding, distkey, sortkey)
                SELECT a.attrelid, a.attnum, v.encoding, v.distkey, v.sortkey
                FROM (VALUES \(values.joined(separator: ", "))) v(name, encoding, distkey, sortkey)
                JOIN pg_attribute a ON a.attrelid = \(table.regclass) AND a.attname = v.name AND NOT a.attisdropped;
                """
        }
        return sql
    }

    static func forget(_ table: TableName) -> String {
        """
        DELETE FROM rrr_emulator.column_attributes WHERE relid = \(table.regclass);
        DELETE FROM rrr_emulator.table_attributes WHERE relid = \(table.regclass);
        """
    }

    static func copy(from source: TableName, to target: TableName) -> String {
        """
        INSERT INTO rrr_emulator.table_attributes (relid, diststyle, sortkey_style)
        SELECT \(target.regclass), diststyle, sortkey_style FROM rrr_emulator.table_attributes WHERE relid = \(source.regclass)
        ON CONFLICT (relid) DO NOTHING;
        INSERT INTO rrr_emulator.column_attributes (relid, attnum, encoding, distkey, sortkey)
        SELECT t.attrelid, t.attnum, c.encoding, c.distkey, c.sortkey
        FROM rrr_emulator.column_attributes c
        JOIN pg_attribute s ON s.attrelid = c.relid AND s.attnum = c.attnum
        JOIN pg_attribute t ON t.attrelid = \(target.regclass) AND t.attname = s.attname AND NOT t.attisdropped
        WHERE c.relid = \(source.regclass)
        ON CONFLICT (relid, attnum) DO NOTHING;
        """
    }
}
