/// `VACUUM [FULL | SORT ONLY | DELETE ONLY | REINDEX | RECLUSTER] [table [TO n PERCENT]] [BOOST]`.
struct VacuumCommand: Sendable, Equatable {
    /// `FULL` (Redshift's default), `SORT ONLY`, `DELETE ONLY`, `REINDEX` or `RECLUSTER`.
    var variant: String
    var table: TableName?
    var toPercent: Int?
    var boost: Bool

    /// Variants that sort, and so leave the table 0% unsorted.
    var sorts: Bool { variant != "DELETE ONLY" }

    static func classify(tokens: [SQLToken], sql: String) -> InterceptedStatement {
        var index = 1
        var variant = "FULL"
        func word(_ i: Int) -> String? { i < tokens.count && tokens[i].kind == .word ? tokens[i].text.uppercased() : nil }
        switch word(index) {
        case "FULL", "REINDEX", "RECLUSTER": variant = word(index)!; index += 1
        case "SORT", "DELETE":
            guard word(index + 1) == "ONLY" else { return .invalid(syntaxError(sql)) }
            variant = word(index)! + " ONLY"; index += 2
        default: break
        }
        var command = VacuumCommand(variant: variant, table: nil, toPercent: nil, boost: false)
        if index < tokens.count, word(index) != "TO", word(index) != "BOOST" {
            guard let (table, next) = TableName.read(tokens, at: index, sql: sql) else { return .invalid(syntaxError(sql)) }
            command.table = table
            index = next
        }
        if word(index) == "TO" {
            guard index + 2 < tokens.count, tokens[index + 1].kind == .number, let percent = Int(tokens[index + 1].text),
                  word(index + 2) == "PERCENT", (0...100).contains(percent)
            else { return .invalid(syntaxError(sql)) }
            command.toPercent = percent
            index += 3
        }
        if word(index) == "BOOST" { command.boost = true; index += 1 }
        guard index == tokens.count else { return .invalid(syntaxError(sql)) }
        // r_VACUUM_command: "The TO threshold PERCENT parameter can't be used with REINDEX", and
        // "If you include the TO threshold PERCENT parameter, you must also specify a table name".
        if command.toPercent != nil && command.variant == "REINDEX" {
            return .invalid(PGError(code: "42601", message: "VACUUM REINDEX does not support TO threshold PERCENT"))
        }
        if command.toPercent != nil && command.table == nil {
            return .invalid(PGError(code: "42601", message: "VACUUM TO threshold PERCENT needs a table name"))
        }
        return .vacuum(command)
    }

    private static func syntaxError(_ sql: String) -> PGError {
        PGError(code: "42601", message: "syntax error in VACUUM statement",
                hint: "VACUUM [FULL | SORT ONLY | DELETE ONLY | REINDEX | RECLUSTER] [table [TO n PERCENT]] [BOOST]")
    }
}

extension ClientSession {
    /// Outside a transaction block: runs PostgreSQL's VACUUM, marks the table sorted for sorting
    /// variants, and records the variant in `rrr_emulator.maintenance_log`.
    ///
    /// One VACUUM at a time per cluster (r_VACUUM_command: "You can run only one VACUUM command on
    /// a cluster at any given time"): a second one meanwhile fails with Redshift's
    /// `VACUUM is running` / `re-execute after other vacuum finished`.
    func runVacuum(_ command: VacuumCommand) async throws -> StatementResult {
        guard !backend.transactionStatus.inBlock else { throw PGError.notInTransactionBlock("VACUUM") }
        guard context.vacuumStarting() else {
            throw PGError(code: "XX000", message: "VACUUM is running", hint: "re-execute after other vacuum finished")
        }
        defer { context.vacuumFinished() }
        let backendSQL = "VACUUM" + (command.table.map { " " + $0.sql } ?? "")
        try await backend.query(backendSQL)
        var bookkeeping = """
            INSERT INTO rrr_emulator.maintenance_log (command, variant, table_name, to_percent, boost, backend_sql)
            VALUES ('VACUUM', \(SQLText.literal(command.variant)), \(command.table.map { SQLText.literal($0.sql) } ?? "NULL"),
                    \(command.toPercent.map(String.init) ?? "NULL"), \(command.boost), \(SQLText.literal(backendSQL)));
            """
        if command.sorts {
            let target = command.table.map { "relid = \($0.regclass)" } ?? "true"
            bookkeeping += """
                UPDATE rrr_emulator.table_attributes SET sorted_rows = rrr_emulator.exact_row_count(relid::regclass)
                WHERE \(target) AND EXISTS (SELECT 1 FROM pg_class WHERE oid = relid);
                """
        }
        try await backend.query(bookkeeping)
        return StatementResult(tag: "VACUUM")
    }
}
