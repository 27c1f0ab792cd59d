/// How one source database spells the history table `rrr_replications`: its column types, its
/// auto-incrementing id, the catalog query for its columns, "now" and epoch seconds. Each source
/// gives one, in its own folder (`PostgresHistoryDialect`, `MySQLHistoryDialect`,
/// `SQLiteHistoryDialect`); ``HistoryMigration`` and ``HistorySQL`` build every statement from it.
protocol HistoryTableDialect: Sendable {
    /// The database's quoting and placeholders.
    var sql: any SQLDialect { get }
    /// The `id` column's definition: an auto-incrementing primary key whose values are never reused.
    var idColumn: String { get }
    /// The type (with `NOT NULL` and default where the kind has them) of a column of `kind`.
    func type(_ kind: HistoryColumnKind) -> String
    /// The statements creating `table` (quoted) from its column `definitions`, with a unique index
    /// `keyIndex` on `key` and an index `tableIndex` on `(source_table, target_table, id)`.
    /// Default: `CREATE TABLE IF NOT EXISTS`, then each index on its own.
    func createTable(_ table: String, definitions: [String], keyIndex: String, tableIndex: String) -> [String]
    /// A query listing the history table's column names (no rows when the table does not exist).
    var existingColumnsQuery: SQLQuery { get }
    /// The database's current time, as stored in `updated_at`.
    var now: String { get }
    /// A stored timestamp column (quoted) as Unix epoch seconds (a number).
    func epoch(_ column: String) -> String
}

/// The kinds of column the history table has; each database spells them in its own types.
enum HistoryColumnKind: Sendable, Hashable {
    /// A short `NOT NULL` string with a default (MySQL needs a length to index it).
    case label(maxLength: Int, default: String)
    /// Nullable text of any length.
    case text
    /// A nullable 64-bit integer.
    case bigint
    /// A `NOT NULL` integer with a default.
    case integer(default: Int)
    /// A nullable double.
    case double
    /// A `NOT NULL` timestamp defaulting to the current time.
    case timestamp
}

extension HistoryTableDialect {
    func createTable(_ table: String, definitions: [String], keyIndex: String, tableIndex: String) -> [String] {
        let q = sql.quoteIdentifier
        let pair = [q("source_table"), q("target_table"), q("id")].joined(separator: ", ")
        return ["CREATE TABLE IF NOT EXISTS \(table) (\(definitions.joined(separator: ", ")))",
                "CREATE UNIQUE INDEX IF NOT EXISTS \(q(keyIndex)) ON \(table) (\(q("key")))",
                "CREATE INDEX IF NOT EXISTS \(q(tableIndex)) ON \(table) (\(pair))"]
    }
}
