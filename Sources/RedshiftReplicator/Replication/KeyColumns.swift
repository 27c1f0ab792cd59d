import Logging

/// The columns a table's rows are matched by: `key_columns` when configured, else the source's
/// primary key. One place decides them for the run, delete tracking and `rrr doctor`.
enum KeyColumns {
    /// The key columns as the source names them; empty when neither configuration nor a primary key gives any.
    static func configuredOrPrimary(_ table: TableConfiguration, source: any ReplicationSource, logger: Logger) async throws -> [String] {
        if let configured = table.keyColumns, !configured.isEmpty { return configured }
        return try await source.primaryKey(of: table.sourceTable, logger: logger)
    }

    /// Refuses a key column that can hold NULL in the source: Redshift's merge matches keys with
    /// `=`, which never matches NULL, so such rows would be inserted again on every run. Sources
    /// whose export checks every row's key (SQLite) are exempt; a NULL there stops the export.
    static func checkNotNullable(_ keys: [String], table: TableConfiguration, source: any ReplicationSource, logger: Logger) async throws {
        guard !source.refusesNullKeysAtExport else { return }
        let columns = try await source.columns(of: table.sourceTable, logger: logger)
        for key in keys {
            let column = columns.first { $0.name == key } ?? columns.first { $0.name.lowercased() == key.lowercased() }
            guard let column, column.isNullable else { continue }
            throw SourceError(.nullableKeyColumn, "table \(table.name): the key column `\(column.name)` of `\(table.sourceTable)` can hold NULL; "
                + "rows with a NULL key would be copied again on every run (the merge never matches NULL). "
                + "Declare it NOT NULL in the source or set `tables.\(table.name).key_columns` to NOT NULL columns")
        }
    }
}
