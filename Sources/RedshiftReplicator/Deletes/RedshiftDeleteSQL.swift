/// `DELETE ... WHERE key IN (...)` statements in bounded batches for Redshift, values as quoted
/// literals: Redshift types an untyped literal from the column it is compared with, so one form
/// serves BIGINT, VARCHAR and uuid-as-text keys, and no statement nears the parameter limit.
struct RedshiftDeleteSQL {
    let dialect = PostgresDialect()
    /// Keys per `DELETE`. Default 1,000.
    var batchSize = 1_000

    /// Statements deleting `keys` from `table` (already qualified and quoted) by `keyColumn`.
    func deletes(from table: String, keyColumn: String, keys: [String]) -> [String] {
        let column = dialect.quoteIdentifier(keyColumn)
        return stride(from: 0, to: keys.count, by: max(batchSize, 1)).map { start in
            let batch = keys[start..<min(start + batchSize, keys.count)]
            return "DELETE FROM \(table) WHERE \(column) IN (\(batch.map(dialect.quoteLiteral).joined(separator: ", ")))"
        }
    }
}

extension RedshiftWarehouse {
    /// Deletes `keys` from the target table in one transaction of its own (no load running).
    func deleteKeys(_ keys: [String], table: String, keyColumn: String, session: RedshiftSession) async throws {
        let target = RedshiftLoadSQL(schema: settings.schema, target: table, stage: "", columns: []).qualifiedTarget
        let statements = RedshiftDeleteSQL().deletes(from: target, keyColumn: keyColumn, keys: keys)
        guard !statements.isEmpty else { return }
        do {
            try await session.execute("BEGIN")
            for statement in statements { try await session.execute(statement, logAs: String(statement.prefix(200))) }
            try await session.execute("COMMIT")
        } catch {
            try? await session.execute("ROLLBACK")
            throw error
        }
    }
}
