/// The history table's DDL for each source database, generated from one column list.
///
/// `rrr install` creates the table when it is missing; on an existing table it only adds the
/// columns an older rrr did not have. It never alters a table that is already current: an
/// `ALTER TABLE` takes the strongest table lock, and `rrr install` runs from deploy scripts while
/// replications may be running.
struct HistoryMigration: Sendable {
    /// The database kinds with their own spelling of types.
    enum Flavor: Sendable { case postgres, mysql, sqlite }

    /// One column: its name and its type (with default) in each flavor.
    struct Column: Sendable {
        let name: String
        let postgres: String, mysql: String, sqlite: String

        init(_ name: String, _ postgres: String, _ mysql: String, _ sqlite: String) {
            self.name = name; self.postgres = postgres; self.mysql = mysql; self.sqlite = sqlite
        }

        func type(_ flavor: Flavor) -> String {
            switch flavor {
            case .postgres: return postgres
            case .mysql: return mysql
            case .sqlite: return sqlite
            }
        }
    }

    /// Every column after `id`, oldest first: new columns go at the end, nullable or with a default.
    static let columns: [Column] = [
        Column("replication_type", "text NOT NULL DEFAULT 'timed'", "VARCHAR(16) NOT NULL DEFAULT 'timed'", "TEXT NOT NULL DEFAULT 'timed'"),
        Column("key", "text NOT NULL DEFAULT ''", "VARCHAR(255) NOT NULL DEFAULT ''", "TEXT NOT NULL DEFAULT ''"),
        Column("state", "text NOT NULL DEFAULT 'enqueued'", "VARCHAR(16) NOT NULL DEFAULT 'enqueued'", "TEXT NOT NULL DEFAULT 'enqueued'"),
        Column("lower_bound", "text", "TEXT", "TEXT"),
        Column("upper_bound", "text", "TEXT", "TEXT"),
        Column("record_count", "bigint", "BIGINT", "INTEGER"),
        Column("null_field_count", "bigint", "BIGINT", "INTEGER"),
        Column("retries", "integer NOT NULL DEFAULT 0", "INT NOT NULL DEFAULT 0", "INTEGER NOT NULL DEFAULT 0"),
        Column("last_error", "text", "TEXT", "TEXT"),
        Column("source_table", "text NOT NULL DEFAULT ''", "VARCHAR(255) NOT NULL DEFAULT ''", "TEXT NOT NULL DEFAULT ''"),
        Column("target_table", "text NOT NULL DEFAULT ''", "VARCHAR(255) NOT NULL DEFAULT ''", "TEXT NOT NULL DEFAULT ''"),
        Column("slices", "integer NOT NULL DEFAULT 1", "INT NOT NULL DEFAULT 1", "INTEGER NOT NULL DEFAULT 1"),
        Column("export_format", "text NOT NULL DEFAULT 'csv'", "VARCHAR(8) NOT NULL DEFAULT 'csv'", "TEXT NOT NULL DEFAULT 'csv'"),
        Column("export_duration", "double precision", "DOUBLE", "REAL"),
        Column("upload_duration", "double precision", "DOUBLE", "REAL"),
        Column("import_duration", "double precision", "DOUBLE", "REAL"),
        // MySQL TIMESTAMP(6) is stored in UTC; SQLite keeps UTC text `YYYY-MM-DD HH:MM:SS.SSS`.
        Column("created_at", "timestamptz NOT NULL DEFAULT now()", "TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)",
               "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))"),
        Column("updated_at", "timestamptz NOT NULL DEFAULT now()", "TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)",
               "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))"),
        Column("deleted_count", "bigint", "BIGINT", "INTEGER"),
        Column("nulled_value_count", "bigint", "BIGINT", "INTEGER"),
        Column("replication_field", "text", "VARCHAR(255)", "TEXT"),
        Column("key_columns", "text", "TEXT", "TEXT"),
        Column("rrr_version", "text", "VARCHAR(32)", "TEXT"),
    ]

    let flavor: Flavor
    let dialect: any SQLDialect

    private var table: String { dialect.quoteIdentifier(HistorySQL.table) }
    private func q(_ name: String) -> String { dialect.quoteIdentifier(name) }

    /// Statements creating the table and its indexes when the table does not exist yet.
    var createTable: [String] {
        let id: String
        switch flavor {
        case .postgres: id = "id bigserial PRIMARY KEY"
        case .mysql: id = "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
        case .sqlite: id = "id INTEGER PRIMARY KEY AUTOINCREMENT"
        }
        let definitions = [id] + Self.columns.map { "\(q($0.name)) \($0.type(flavor))" }
        let keyIndex = "rrr_replications_key_idx", tableIndex = "rrr_replications_table_idx"
        let pair = [q("source_table"), q("target_table"), q("id")].joined(separator: ", ")
        switch flavor {
        case .mysql:
            return ["CREATE TABLE IF NOT EXISTS \(table) (\(definitions.joined(separator: ", ")), "
                    + "UNIQUE KEY \(q(keyIndex)) (\(q("key"))), KEY \(q(tableIndex)) (\(pair))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"]
        case .postgres, .sqlite:
            return ["CREATE TABLE IF NOT EXISTS \(table) (\(definitions.joined(separator: ", ")))",
                    "CREATE UNIQUE INDEX IF NOT EXISTS \(q(keyIndex)) ON \(table) (\(q("key")))",
                    "CREATE INDEX IF NOT EXISTS \(q(tableIndex)) ON \(table) (\(pair))"]
        }
    }

    /// A query listing the table's column names (no rows when the table does not exist).
    var existingColumns: SQLQuery {
        let name = HistorySQL.table
        switch flavor {
        case .postgres:
            return "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(name)"
        case .mysql:
            return "SELECT CAST(column_name AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = \(name)"
        case .sqlite:
            return "SELECT name FROM pragma_table_info(\(name))"
        }
    }

    /// The statements bringing a table with `existing` columns up to date (empty when it is).
    func upgrade(existing: Set<String>) -> [String] {
        Self.columns.filter { !existing.contains($0.name) }.map {
            "ALTER TABLE \(table) ADD COLUMN \(q($0.name)) \($0.type(flavor))"
        }
    }
}
