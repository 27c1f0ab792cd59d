import MySQLClient

/// MySQL/MariaDB delete tracking: `rrr_deleted_keys (id bigint auto_increment, source_table,
/// key_value text, deleted_at)` (InnoDB, `utf8mb4_bin`: exact comparison) in the connection's
/// database, and per tracked table an `AFTER DELETE ... FOR EACH ROW` trigger inserting `OLD.key`
/// and an `AFTER UPDATE` trigger inserting it when the key changed (a changed key deletes the old one).
///
/// Trigger names are per database in MySQL, so each is `rrr_track_deletes_<table>`, shortened with
/// a hash past MySQL's 64-character limit. The body is a single `INSERT` (no `BEGIN ... END`), so
/// the printed SQL runs in the `mysql` client without `DELIMITER`. Not caught: `TRUNCATE` (no
/// truncate trigger in MySQL) and rows removed by foreign-key cascades (they fire no trigger):
/// see ``notes``.
struct MySQLDeleteTrackingSQL: SnapshotDeleteTrackingSQL {
    var dialect: any SQLDialect { MySQLDialect() }

    /// Creates the generator.
    public init() {}

    /// `.unrecorded`: a `TRUNCATE` fires no trigger in MySQL, its deletes are lost to tracking.
    public var truncateHandling: TruncateHandling { .unrecorded }

    /// The truncate note, and that foreign-key cascades fire no trigger in MySQL/MariaDB.
    public var notes: [String] {
        [truncateHandling.note,
         "MySQL/MariaDB fire no trigger for rows removed by ON DELETE CASCADE: those deletes are NOT recorded; delete child rows explicitly, or replicate such tables with the full strategy"]
    }

    public var installDeletionsTable: [String] {
        [
            """
            CREATE TABLE IF NOT EXISTS \(deletionsTable) (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, \
            source_table varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, \
            key_value text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, \
            deleted_at timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \
            KEY \(q(deletionsTableName + "_table_idx")) (source_table, id)) ENGINE=InnoDB
            """,
        ]
    }

    /// `rrr_track_deletes_<table>`, at most 64 characters.
    public func triggerName(_ table: TrackedTable) -> String {
        MySQLConnection.boundedName("rrr_track_deletes_" + table.sourceTable)
    }

    /// `rrr_track_key_changes_<table>`, at most 64 characters.
    public func keyChangeTriggerName(_ table: TrackedTable) -> String {
        MySQLConnection.boundedName("rrr_track_key_changes_" + table.sourceTable)
    }

    public func installTrigger(_ table: TrackedTable) -> [String] {
        let definitions = triggerDefinitions(table)
        return removeTrigger(table) + [
            "CREATE TRIGGER \(q(triggerName(table))) AFTER DELETE ON \(q(table.sourceTable)) FOR EACH ROW \(definitions[0])",
            "CREATE TRIGGER \(q(keyChangeTriggerName(table))) AFTER UPDATE ON \(q(table.sourceTable)) FOR EACH ROW \(definitions[1])",
        ]
    }

    public func removeTrigger(_ table: TrackedTable) -> [String] {
        ["DROP TRIGGER IF EXISTS \(q(triggerName(table)))", "DROP TRIGGER IF EXISTS \(q(keyChangeTriggerName(table)))"]
    }

    /// The triggers' bodies (delete, key change), as `information_schema.TRIGGERS.ACTION_STATEMENT`
    /// shows them: single statements, so no `BEGIN ... END` (and no `DELIMITER` in the mysql client).
    func triggerDefinitions(_ table: TrackedTable) -> [String] {
        let key = q(table.keyColumn), source = dialect.quoteLiteral(table.sourceTable)
        return [
            "INSERT INTO \(deletionsTable) (source_table, key_value) VALUES (\(source), OLD.\(key))",
            "INSERT INTO \(deletionsTable) (source_table, key_value) SELECT \(source), OLD.\(key) FROM DUAL WHERE NOT (OLD.\(key) <=> NEW.\(key))",
        ]
    }

    var deletionsTableExistsQuery: SQLQuery {
        "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = \(deletionsTableName)"
    }

    func triggerDefinitionQuery(_ table: TrackedTable) -> SQLQuery {
        """
        SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() \
        AND TRIGGER_NAME IN (\(triggerName(table)), \(keyChangeTriggerName(table))) AND EVENT_OBJECT_TABLE = \(table.sourceTable)
        """
    }

    /// Row: data type, full column type, character set, collation, precision, scale.
    func keyColumnQuery(_ table: TrackedTable) -> SQLQuery? {
        """
        SELECT DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, NUMERIC_PRECISION, NUMERIC_SCALE \
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
        AND TABLE_NAME = \(table.sourceTable) AND COLUMN_NAME = \(table.keyColumn)
        """
    }

    /// The recorded text converted back to the key's type, so the key's index is used and the
    /// comparison is exact: integers and decimals by `CAST`; text in the column's character set
    /// and collation (the index), then byte for byte (a case-insensitive collation would call
    /// `abc` and `ABC` the same key; Redshift does not).
    func keyMatch(_ table: TrackedTable, column: [String?]) throws -> String {
        let key = "s." + q(table.keyColumn)
        let dataType = (column.first ?? nil)?.lowercased() ?? ""
        let columnType = (column.count > 1 ? column[1] : nil)?.lowercased() ?? ""
        switch dataType {
        case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
            return "\(key) = CAST(d.key_value AS \(columnType.contains("unsigned") ? "UNSIGNED" : "SIGNED"))"
        case "decimal", "numeric":
            let precision = column.count > 4 ? Int(column[4] ?? "") : nil, scale = column.count > 5 ? Int(column[5] ?? "") : nil
            return "\(key) = CAST(d.key_value AS DECIMAL(\(precision ?? 65), \(scale ?? 0)))"
        case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit", "geometry":
            throw DeleteTrackingError(.unsupportedKey, "table \(table.name): key column `\(table.keyColumn)` is \(dataType); delete tracking records keys as text, so binary keys cannot be tracked")
        default:
            guard column.count > 3, let charset = column[2], let collation = column[3] else { return "\(key) = d.key_value" }
            // Catalog names, checked rather than quoted: CONVERT ... USING / COLLATE take bare names.
            guard [charset, collation].allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } }) else {
                throw DeleteTrackingError(.unsupportedKey, "table \(table.name): key column `\(table.keyColumn)` has an unexpected character set or collation (\(charset), \(collation))")
            }
            let recorded = "CONVERT(d.key_value USING \(charset))"
            return "\(key) = \(recorded) COLLATE \(collation) AND CAST(\(key) AS BINARY) = CAST(\(recorded) AS BINARY)"
        }
    }

    private func q(_ name: String) -> String { dialect.quoteIdentifier(name) }
}
