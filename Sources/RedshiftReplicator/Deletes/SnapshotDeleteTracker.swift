import Logging

/// Delete tracking for the MySQL and SQLite sources: the same steps on the source's shared
/// handle, each database's SQL from its ``SnapshotDeleteTrackingSQL``.
struct SnapshotDeleteTracker<Handle: DeleteTrackingHandle>: Sendable {
    /// The source, for its table and column checks.
    let source: any ReplicationSource
    let shared: SharedHandle<Handle>
    let sql: any SnapshotDeleteTrackingSQL
    /// Turns a failure to create or drop `table`'s trigger into a clearer error (MySQL: privileges).
    var explainTriggerFailure: @Sendable (any Error, TrackedTable) -> any Error = { error, _ in error }

    func installDeletionsTable(logger: Logger) async throws {
        let sql = self.sql
        try await shared.run(logger: logger) { handle in
            // An installed table is left alone: no DDL, so nothing waits behind (and then blocks)
            // an application transaction that recorded a delete.
            guard try handle.rows(sql.deletionsTableExistsQuery, in: sql.dialect, table: deletionsTableName, logger: logger).isEmpty else { return }
            logger.info("installing the deletions table \(deletionsTableName) in the source database")
            try Self.write(handle, sql.installDeletionsTable.map(SQLQuery.init(stringLiteral:)), sql.dialect, table: deletionsTableName, logger: logger)
        }
    }

    func setTrigger(_ table: TrackedTable, installed: Bool, logger: Logger) async throws {
        try await checkKeyColumn(table, logger: logger)
        let sql = self.sql
        let statements = (installed ? sql.installTrigger(table) : sql.removeTrigger(table)).map(SQLQuery.init(stringLiteral:))
        do {
            try await shared.run(logger: logger) { handle in
                if installed { _ = try Self.keyMatch(handle, sql, table, logger) }  // refuses keys it cannot record
                let current = try handle.rows(sql.triggerDefinitionQuery(table), in: sql.dialect, table: table.sourceTable, logger: logger)
                // Already as wanted: no DDL (it would wait for the table's open transactions, and block the next ones).
                let unchanged = installed ? Set(current.map { $0.first ?? nil }) == Set(sql.triggerDefinitions(table)) : current.isEmpty
                if !unchanged { try Self.write(handle, statements, sql.dialect, table: table.sourceTable, logger: logger) }
            }
        } catch let error as DeleteTrackingError {
            throw error
        } catch {
            throw explainTriggerFailure(error, table)
        }
    }

    func hasTrigger(_ table: TrackedTable, logger: Logger) async throws -> Bool {
        let query = sql.triggerDefinitionQuery(table), dialect = sql.dialect
        return try await !shared.run(logger: logger) { try $0.rows(query, in: dialect, table: table.sourceTable, logger: logger) }.isEmpty
    }

    /// Reads the records and whether each key exists again in one snapshot, so both agree.
    func pendingDeletes(_ table: TrackedTable, limit: Int, logger: Logger) async throws -> PendingDeletes {
        try await checkKeyColumn(table, logger: logger)
        let sql = self.sql
        let rows = try await shared.run(logger: logger) { handle -> [[String?]] in
            try handle.beginReadSnapshot(logger: logger)
            do {
                if try handle.rows(sql.deletionsTableExistsQuery, in: sql.dialect, table: deletionsTableName, logger: logger).isEmpty {
                    throw DeleteTrackingError.deletionsTableMissing
                }
                let match = try Self.keyMatch(handle, sql, table, logger)
                let rows = try handle.rows(sql.pendingQuery(table, keyMatch: match, limit: limit + 1), in: sql.dialect, table: table.sourceTable, logger: logger)
                try handle.commit(logger: logger)
                return rows
            } catch {
                try? handle.rollback(logger: logger)
                throw error
            }
        }
        return PendingDeletes(rows: rows, limit: limit)
    }

    /// Deletes exactly the records `ids`, in batches, in one transaction.
    func forgetDeletes(ids: [Int64], logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        let statements = sql.forgetStatements(ids: ids), dialect = sql.dialect
        try await shared.run(logger: logger) { try Self.write($0, statements, dialect, table: deletionsTableName, logger: logger) }
    }

    /// - Throws: ``SourceError`` `.tableNotFound` (from the source) or `.columnMissing`.
    private func checkKeyColumn(_ table: TrackedTable, logger: Logger) async throws {
        let columns = try await source.columns(of: table.sourceTable, logger: logger)
        guard columns.contains(where: { $0.name == table.keyColumn }) else { throw SourceError.keyColumnMissing(table) }
    }

    private static func keyMatch(_ handle: isolated Handle, _ sql: any SnapshotDeleteTrackingSQL, _ table: TrackedTable, _ logger: Logger) throws -> String {
        let column = try sql.keyColumnQuery(table).map { try handle.rows($0, in: sql.dialect, table: table.sourceTable, logger: logger).first ?? [] }
        return try sql.keyMatch(table, column: column ?? [])
    }

    /// Runs `statements` in one write transaction, rolled back on failure.
    private static func write(_ handle: isolated Handle, _ statements: [SQLQuery], _ dialect: any SQLDialect, table: String, logger: Logger) throws {
        try handle.beginWrite(logger: logger)
        do {
            for statement in statements { try handle.rows(statement, in: dialect, table: table, logger: logger) }
            try handle.commit(logger: logger)
        } catch {
            try? handle.rollback(logger: logger)
            throw error
        }
    }
}
