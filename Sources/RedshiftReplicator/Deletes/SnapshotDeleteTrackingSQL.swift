/// The catalog queries and statements the MySQL and SQLite delete tracking shares
/// (``SnapshotDeleteTracker``); each database spells them in its own SQL.
///
/// Both record into `rrr_deleted_keys` in the connection's database (main schema), next to the
/// tracked tables, through one trigger per table named after it (trigger names are per database
/// there, not per table as in PostgreSQL).
protocol SnapshotDeleteTrackingSQL: DeleteTrackingSQL {
    /// The database's quoting.
    var dialect: any SQLDialect { get }
    /// A query with a row when the deletions table exists.
    var deletionsTableExistsQuery: SQLQuery { get }
    /// The delete trigger's name on `table`.
    func triggerName(_ table: TrackedTable) -> String
    /// The name of the trigger on `table` recording the old key when an UPDATE changes the key.
    func keyChangeTriggerName(_ table: TrackedTable) -> String
    /// A query with one row per trigger of rrr's on `table`, its definition as the catalog keeps it.
    func triggerDefinitionQuery(_ table: TrackedTable) -> SQLQuery
    /// What ``triggerDefinitionQuery(_:)`` returns (in any order) when the triggers
    /// ``installTrigger(_:)`` creates are in place (so identical triggers are not dropped and re-created).
    func triggerDefinitions(_ table: TrackedTable) -> [String]
    /// A query describing the key column (its row goes to ``keyMatch(_:column:)``), or `nil` when
    /// the comparison does not depend on the column's type.
    func keyColumnQuery(_ table: TrackedTable) -> SQLQuery?
    /// The condition true when source row `s` has the key recorded in deletion record `d`,
    /// compared exactly (Redshift compares keys exactly) and using the key's index.
    /// - Throws: ``DeleteTrackingError`` `.unsupportedKey` when keys of this type cannot be recorded.
    func keyMatch(_ table: TrackedTable, column: [String?]) throws -> String
}

extension SnapshotDeleteTrackingSQL {
    /// The quoted deletions table.
    var deletionsTable: String { dialect.quoteIdentifier(deletionsTableName) }

    /// Rows `id, key_value, exists again (1/0)` of `table`'s records, oldest first, at most `limit`.
    func pendingQuery(_ table: TrackedTable, keyMatch: String, limit: Int) -> SQLQuery {
        """
        SELECT d.id, d.key_value, EXISTS (SELECT 1 FROM \(identifier: table.sourceTable) s WHERE \(unescaped: keyMatch)) \
        FROM \(unescaped: deletionsTable) d WHERE d.source_table = \(table.sourceTable) ORDER BY d.id LIMIT \(integer: max(limit, 0))
        """
    }

    /// `DELETE` statements removing exactly the records `ids`, `batchSize` ids each.
    func forgetStatements(ids: [Int64], batchSize: Int = 1_000) -> [SQLQuery] {
        let size = max(batchSize, 1)
        return stride(from: 0, to: ids.count, by: size).map { start in
            let batch = ids[start..<min(start + size, ids.count)]
            return "DELETE FROM \(unescaped: deletionsTable) WHERE id IN (\(unescaped: batch.map(String.init).joined(separator: ", ")))"
        }
    }
}
