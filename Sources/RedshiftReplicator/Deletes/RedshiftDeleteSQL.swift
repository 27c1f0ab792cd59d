/// `DELETE ... WHERE key IN ($1, $2, ...)` statements in bounded batches for Redshift. The keys are
/// bound without a type (``UntypedParameter``): Redshift types each from the key column, as it would
/// an untyped literal, so one form serves BIGINT, VARCHAR and uuid-as-text keys; 1,000 keys per
/// statement (2,000 values for a VARCHAR key) stay far below the protocol's 32,767 parameters.
///
/// Redshift ignores trailing blanks when it compares VARCHAR values (r_Character_types), so a
/// VARCHAR key is also compared with a character appended (`(key || '|') IN ($1001, ...)` with the
/// keys plus `|`), which no trailing blank survives: `'a'` never deletes the row of `'a '`.
struct RedshiftDeleteSQL {
    let dialect = RedshiftDialect()
    /// The key column as Redshift stores it.
    var keyColumn: String
    /// Whether the key is a VARCHAR (compared exactly, see above).
    var exact: Bool
    /// Keys per `DELETE`. Default 1,000.
    var batchSize = 1_000

    init(keyColumn: String, exact: Bool, batchSize: Int = 1_000) {
        self.keyColumn = keyColumn; self.exact = exact; self.batchSize = batchSize
    }

    /// For the tracked key `sourceKey` of `table`: the Redshift column of that name, as stored.
    init(key sourceKey: String, in target: WarehouseTable, table: String) throws {
        guard let column = target.column(sourceKey) else {
            throw WarehouseError(.statementFailed, "table \(table): the tracked key `\(sourceKey)` is not a column of Redshift table `\(target.schema).\(target.name)`")
        }
        self.init(keyColumn: column.name, exact: column.isVarchar)
    }

    /// Statements deleting `keys` from `table` (already qualified and quoted).
    func deletes(from table: String, keys: [String]) -> [RedshiftStatement] {
        let column = dialect.quoteIdentifier(keyColumn)
        return stride(from: 0, to: keys.count, by: max(batchSize, 1)).map { start in
            let batch = Array(keys[start..<min(start + batchSize, keys.count)])
            let parameters = batch.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            guard exact else {
                return RedshiftStatement("DELETE FROM \(table) WHERE \(column) IN (\(parameters))", values: batch)
            }
            let suffixed = batch.indices.map { "$\(batch.count + $0 + 1)" }.joined(separator: ", ")
            return RedshiftStatement("DELETE FROM \(table) WHERE \(column) IN (\(parameters)) AND (\(column) || '|') IN (\(suffixed))",
                                     values: batch + batch.map { $0 + "|" })
        }
    }
}

extension RedshiftWarehouse {
    /// Deletes `keys` from the target table in one transaction of its own (no load running),
    /// retried after a serializable isolation violation as a load is.
    func deleteKeys(_ keys: [String], table configured: String, keyColumn: String, session: RedshiftSession,
                    onRetry: (_ attempt: Int, _ delay: Duration, _ error: WarehouseError) -> Void = { _, _, _ in }) async throws {
        let target = try await table(configured, session: session)
        let qualified = RedshiftLoadSQL(schema: target.schema, target: target.name, stage: "", columns: []).qualifiedTarget
        let statements = try RedshiftDeleteSQL(key: keyColumn, in: target, table: configured).deletes(from: qualified, keys: keys)
        guard !statements.isEmpty else { return }
        try await transactionRetry.run(onRetry: onRetry) {
            do {
                try await session.execute("BEGIN")
                for statement in statements { try await session.execute(statement) }
                try await session.execute("COMMIT")
            } catch {
                try? await session.execute("ROLLBACK")
                throw error
            }
        }
    }
}
