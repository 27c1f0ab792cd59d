extension ClientSession {
    /// Carries out an intercepted statement on the client's backend session. A failure inside a
    /// transaction block fails that block, as any error does on Redshift.
    func execute(_ statement: InterceptedStatement) async throws -> StatementResult {
        do {
            return try await executeUnguarded(statement)
        } catch let error as PGError {
            try await failOpenTransaction()
            throw error
        }
    }

    private func executeUnguarded(_ statement: InterceptedStatement) async throws -> StatementResult {
        switch statement {
        case .copyFromS3(let command):
            return try await runCopy(command)
        case .createTable(let rewrite):
            return try await runCreateTable(rewrite)
        case .alterTableAttributes(let rewrite):
            return try await runAlterTable(rewrite)
        case .drop(let command):
            return try await runDrop(command)
        case .truncate(let sql):
            // TRUNCATE commits the transaction it runs in (r_TRUNCATE).
            if backend.transactionStatus == .inTransaction { try await backend.query("COMMIT") }
            let results = try await backend.query(sql)
            return StatementResult(tag: results.last?.tag ?? "TRUNCATE TABLE")
        case .vacuum(let command):
            return try await runVacuum(command)
        case .analyze(let sql):
            guard let sql else { return StatementResult(tag: "ANALYZE") }
            return StatementResult(tag: try await backend.query(sql).last?.tag ?? "ANALYZE")
        case .alterTableAppend(let command):
            return try await runAppend(command)
        case .mergeRemoveDuplicates(let merge):
            return try await runMergeRemoveDuplicates(merge)
        case .setSearchPath(let sql):
            let results = try await backend.query(sql + "; " + EmulatorCatalog.appendCatalogToSearchPath(context.configuration))
            // RESET ALL resets the emulator's own session settings too.
            if SQLTokenizer.tokenize(sql).dropFirst().first?.is("ALL") == true { caseSensitiveIdentifiers = false }
            return StatementResult(tag: results.first?.tag ?? "SET")
        case .commit(let sql):
            switch context.faults.commitStarting(logger: logger) {
            case .dropConnection: throw InjectedConnectionDrop(point: "at COMMIT")
            case .serializableViolation: throw try await serializableViolation()
            case .none: return StatementResult(tag: try await backend.query(sql).last?.tag ?? "COMMIT")
            }
        case .showServerVersion:
            return StatementResult(columns: ["server_version"], rows: [[EmulatorContext.serverVersion]], tag: "SHOW")
        case .setCaseSensitiveIdentifier(let on):
            caseSensitiveIdentifiers = on
            return StatementResult(tag: "SET")
        case .showCaseSensitiveIdentifier:
            return StatementResult(columns: ["enable_case_sensitive_identifier"], rows: [[caseSensitiveIdentifiers ? "on" : "off"]], tag: "SHOW")
        case .invalid(let error):
            throw error
        case .relayed(let sql):
            let results = try await backend.query(sql)
            return StatementResult(columns: results.last?.columns ?? [], rows: results.last?.rows ?? [], tag: results.last?.tag ?? "")
        }
    }

    /// Rolls the open transaction back and returns Redshift's serializable isolation violation:
    /// `ERROR: 1023`, `DETAIL: Serializable isolation violation on table - <oid>, transactions
    /// forming the cycle are: <xid>, <xid> (pid:<pid>)`, SQLSTATE XX000.
    private func serializableViolation() async throws -> PGError {
        let facts = backend.transactionStatus == .inTransaction
            ? try await backend.rows("""
                SELECT (SELECT relid FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relid LIMIT 1)::text,
                       txid_current()::text
                """).first ?? []
            : []
        if backend.transactionStatus.inBlock { try await backend.query("ROLLBACK") }
        let table = facts.first.flatMap { $0 } ?? "0", transaction = facts.count > 1 ? facts[1] ?? "0" : "0"
        return PGError(code: "XX000", message: "1023",
                       detail: "Serializable isolation violation on table - \(table), transactions forming the cycle are: \(transaction), \((Int(transaction) ?? 0) + 1) (pid:\(backend.processID))")
    }

    /// Puts an open transaction block into the failed state after an emulator-side error.
    func failOpenTransaction() async throws {
        guard backend.transactionStatus == .inTransaction else { return }
        _ = try? await backend.query("DO $$ BEGIN RAISE EXCEPTION 'redshift-emulator: statement failed'; END $$")
    }
}
