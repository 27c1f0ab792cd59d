/// SQLite delete tracking: `rrr_deleted_keys (id INTEGER PRIMARY KEY AUTOINCREMENT, source_table,
/// key_value TEXT, deleted_at)` in the database file, and per tracked table an `AFTER DELETE ...
/// FOR EACH ROW` trigger inserting `OLD.key`, and an `AFTER UPDATE OF <key>` trigger inserting it
/// when the key changed (a changed key deletes the old one).
///
/// Trigger names are per database in SQLite, so each is `rrr_track_deletes_<table>`. A trigger
/// body cannot name another schema, so the deletions table lives in `main` with the tables.
/// SQLite has no `TRUNCATE`, and a `DELETE` without `WHERE` fires row triggers when the table has
/// one (the truncate optimisation is off then): see ``truncateHandling``.
struct SQLiteDeleteTrackingSQL: SnapshotDeleteTrackingSQL {
    var dialect: any SQLDialect { SQLiteDialect() }

    /// Creates the generator.
    public init() {}

    /// `.notApplicable`: SQLite has no `TRUNCATE`.
    public var truncateHandling: TruncateHandling { .notApplicable }

    public var installDeletionsTable: [String] {
        [
            // AUTOINCREMENT: ids never reused, so "records up to id N" always means the same records.
            """
            CREATE TABLE IF NOT EXISTS \(deletionsTable) (id INTEGER PRIMARY KEY AUTOINCREMENT, source_table TEXT NOT NULL, \
            key_value TEXT NOT NULL, deleted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')))
            """,
            "CREATE INDEX IF NOT EXISTS \(q(deletionsTableName + "_table_idx")) ON \(deletionsTable) (source_table, id)",
        ]
    }

    /// `rrr_track_deletes_<table>`.
    public func triggerName(_ table: TrackedTable) -> String { "rrr_track_deletes_" + table.sourceTable }

    /// `rrr_track_key_changes_<table>`.
    public func keyChangeTriggerName(_ table: TrackedTable) -> String { "rrr_track_key_changes_" + table.sourceTable }

    public func installTrigger(_ table: TrackedTable) -> [String] {
        removeTrigger(table) + triggerDefinitions(table)
    }

    public func removeTrigger(_ table: TrackedTable) -> [String] {
        ["DROP TRIGGER IF EXISTS \(q(triggerName(table)))", "DROP TRIGGER IF EXISTS \(q(keyChangeTriggerName(table)))"]
    }

    /// The `CREATE TRIGGER` statements (delete, key change), which `sqlite_master.sql` keeps as written.
    func triggerDefinitions(_ table: TrackedTable) -> [String] {
        let key = q(table.keyColumn)
        let insert = "INSERT INTO \(deletionsTable) (source_table, key_value) VALUES (\(dialect.quoteLiteral(table.sourceTable)), OLD.\(key)); END"
        return [
            "CREATE TRIGGER \(q(triggerName(table))) AFTER DELETE ON \(q(table.sourceTable)) FOR EACH ROW BEGIN \(insert)",
            "CREATE TRIGGER \(q(keyChangeTriggerName(table))) AFTER UPDATE OF \(key) ON \(q(table.sourceTable)) FOR EACH ROW "
                + "WHEN OLD.\(key) IS NOT NEW.\(key) BEGIN \(insert)",
        ]
    }

    var deletionsTableExistsQuery: SQLQuery {
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = \(deletionsTableName)"
    }

    func triggerDefinitionQuery(_ table: TrackedTable) -> SQLQuery {
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (\(triggerName(table)), \(keyChangeTriggerName(table))) AND tbl_name = \(table.sourceTable)"
    }

    /// SQLite converts by the column's affinity itself (the text `'5'` equals the integer `5`).
    func keyColumnQuery(_ table: TrackedTable) -> SQLQuery? { nil }

    /// Once in the column's collation (so its index serves), once byte for byte: a `NOCASE` key
    /// would call `abc` and `ABC` the same key; Redshift does not.
    func keyMatch(_ table: TrackedTable, column: [String?]) throws -> String {
        let key = "s." + q(table.keyColumn)
        return "\(key) = d.key_value AND \(key) = d.key_value COLLATE BINARY"
    }

    private func q(_ name: String) -> String { dialect.quoteIdentifier(name) }
}
