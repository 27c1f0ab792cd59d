import Logging
import PostgresClient

extension PostgresSource: DeleteTrackingSource {
    public func deleteTrackingSQL(logger: Logger) async throws -> any DeleteTrackingSQL {
        try await postgresTrackingSQL(logger: logger)
    }

    /// The generator for the deletions table in the session's `current_schema()`, where
    /// `rrr install` also puts the history table.
    func postgresTrackingSQL(logger: Logger) async throws -> PostgresDeleteTrackingSQL {
        let schema = try await shared.run(logger: logger) { try $0.scalar("SELECT current_schema()") }
        return PostgresDeleteTrackingSQL(schema: schema ?? "public")
    }

    public func installDeletionsTable(logger: Logger) async throws {
        let sql = try await postgresTrackingSQL(logger: logger)
        let statements = sql.installDeletionsTable
        logger.info("installing the deletions table \(deletionsTableName) in the source database")
        try await shared.run(logger: logger) { session in
            // One transaction, serialized by an advisory lock: concurrent installs would otherwise
            // fail with "tuple concurrently updated" on CREATE OR REPLACE FUNCTION.
            try session.withTransactionLock("rrr install") { session in
                // CREATE INDEX IF NOT EXISTS takes its table lock before looking: behind an open app
                // transaction that recorded a delete it would wait, and every later delete behind it.
                // So an installed table (its index exists) is left alone; only the functions are replaced.
                let installed = try session.scalar("SELECT to_regclass($1)::text", [sql.deletionsIndex]) != nil
                for statement in statements where !(installed && sql.createsDeletionsTable(statement)) {
                    try session.execute(statement)
                }
            }
        }
    }

    public func setTrigger(_ table: TrackedTable, installed: Bool, logger: Logger) async throws {
        let sql = try await postgresTrackingSQL(logger: logger)
        let statements = installed ? sql.installTrigger(table) : sql.removeTrigger(table)
        let quoted = dialect.quoteQualified(table.sourceTable)
        try await shared.run(logger: logger) { session in
            guard try session.tableExists(quoted: quoted) else { throw SourceError(.tableNotFound, "source table `\(table.sourceTable)` does not exist") }
            try session.execute("BEGIN")
            do {
                for statement in statements { try session.execute(statement) }
                try session.execute("COMMIT")
            } catch {
                try? session.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func hasTrigger(_ table: TrackedTable, logger: Logger) async throws -> Bool {
        let quoted = dialect.quoteQualified(table.sourceTable)
        let rows = try await shared.run(logger: logger) { try $0.query(PostgresDeleteTrackingSQL.installedTriggersQuery, [quoted]) }
        return rows.contains { $0.first == PostgresDeleteTrackingSQL.triggerName }
    }

    public func pendingDeletes(_ table: TrackedTable, limit: Int, logger: Logger) async throws -> PendingDeletes {
        let sql = try await postgresTrackingSQL(logger: logger)
        let quoted = dialect.quoteQualified(table.sourceTable)
        let rows = try await shared.run(logger: logger) { session -> [[String?]] in
            guard try session.tableExists(quoted: quoted) else { throw SourceError(.tableNotFound, "source table `\(table.sourceTable)` does not exist") }
            if try session.scalar("SELECT to_regclass($1)::text", [sql.deletionsTable]) == nil {
                throw DeleteTrackingError.deletionsTableMissing
            }
            guard let keyType = try session.scalar(PostgresDeleteTrackingSQL.keyTypeQuery, [quoted, table.keyColumn]) else {
                throw SourceError.keyColumnMissing(table)
            }
            return try session.query(sql.pendingQuery(source: table, keyType: keyType), [table.sourceTable, String(limit + 1)])
        }
        return PendingDeletes(rows: rows, limit: limit)
    }

    public func forgetDeletes(ids: [Int64], logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        let sql = try await postgresTrackingSQL(logger: logger)
        let array = "{" + ids.map(String.init).joined(separator: ",") + "}"
        try await shared.run(logger: logger) { try $0.query(sql.forgetQuery, [array]) }
    }
}
