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
            let results = try await backend.query(sql + "; SELECT set_config('search_path', \(EmulatorCatalog.searchPathSuffixSQL), false)")
            return StatementResult(tag: results.first?.tag ?? "SET")
        case .commit(let sql):
            if context.faults.commitStartingShouldDrop() { throw InjectedConnectionDrop(point: "at COMMIT") }
            return StatementResult(tag: try await backend.query(sql).last?.tag ?? "COMMIT")
        case .showServerVersion:
            return StatementResult(columns: ["server_version"], rows: [[EmulatorContext.serverVersion]], tag: "SHOW")
        case .invalid(let error):
            throw error
        case .relayed(let sql):
            let results = try await backend.query(sql)
            return StatementResult(columns: results.last?.columns ?? [], rows: results.last?.rows ?? [], tag: results.last?.tag ?? "")
        }
    }

    /// Puts an open transaction block into the failed state after an emulator-side error.
    func failOpenTransaction() async throws {
        guard backend.transactionStatus == .inTransaction else { return }
        _ = try? await backend.query("DO $$ BEGIN RAISE EXCEPTION 'redshift-emulator: statement failed'; END $$")
    }
}
