/// The history table's DDL for each source database, generated from one column list.
///
/// `rrr install` creates the table when it is missing; on an existing table it only adds the
/// columns an older rrr did not have. It never alters a table that is already current: an
/// `ALTER TABLE` takes the strongest table lock, and `rrr install` runs from deploy scripts while
/// replications may be running.
struct HistoryMigration: Sendable {
    /// One column: its name and the kind of value it holds (each database spells the type).
    struct Column: Sendable {
        let name: String
        let kind: HistoryColumnKind

        init(_ name: String, _ kind: HistoryColumnKind) { self.name = name; self.kind = kind }
    }

    /// Every column after `id`, oldest first: new columns go at the end, nullable or with a default.
    static let columns: [Column] = [
        Column("replication_type", .label(maxLength: 16, default: "timed")),
        Column("key", .label(maxLength: 255, default: "")),
        Column("state", .label(maxLength: 16, default: "enqueued")),
        Column("lower_bound", .text),
        Column("upper_bound", .text),
        Column("record_count", .bigint),
        Column("null_field_count", .bigint),
        Column("retries", .integer(default: 0)),
        Column("last_error", .text),
        Column("source_table", .label(maxLength: 255, default: "")),
        Column("target_table", .label(maxLength: 255, default: "")),
        Column("slices", .integer(default: 1)),
        Column("export_format", .label(maxLength: 8, default: "csv")),
        Column("export_duration", .double),
        Column("upload_duration", .double),
        Column("import_duration", .double),
        Column("created_at", .timestamp),
        Column("updated_at", .timestamp),
        Column("deleted_count", .bigint),
        Column("nulled_value_count", .bigint),
        Column("replication_field", .text),
        Column("key_columns", .text),
        Column("rrr_version", .text),
        Column("warehouse", .label(maxLength: 255, default: "")),
        Column("rejected_count", .bigint),
    ]

    /// The database's spelling.
    let spelling: any HistoryTableDialect

    init(_ spelling: any HistoryTableDialect) { self.spelling = spelling }

    private var table: String { spelling.sql.quoteIdentifier(HistorySQL.table) }
    private func q(_ name: String) -> String { spelling.sql.quoteIdentifier(name) }

    /// Statements creating the table and its indexes when the table does not exist yet.
    var createTable: [String] {
        let definitions = [spelling.idColumn] + Self.columns.map { "\(q($0.name)) \(spelling.type($0.kind))" }
        return spelling.createTable(table, definitions: definitions, keyIndex: "rrr_replications_key_idx", tableIndex: "rrr_replications_table_idx")
    }

    /// A query listing the table's column names (no rows when the table does not exist).
    var existingColumns: SQLQuery { spelling.existingColumnsQuery }

    /// The statements bringing a table with `existing` columns up to date (empty when it is).
    func upgrade(existing: Set<String>) -> [String] {
        Self.columns.filter { !existing.contains($0.name) }.map {
            "ALTER TABLE \(table) ADD COLUMN \(q($0.name)) \(spelling.type($0.kind))"
        }
    }
}
