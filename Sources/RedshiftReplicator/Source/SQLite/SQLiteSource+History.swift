import Logging
import SQLiteClient

extension SQLiteSource {
    /// The history in the database file; an insert returns its id with `RETURNING id`.
    public var history: any HistoryStore {
        SQLHistoryStore(database: SharedHistoryDatabase(connection: shared, spelling: SQLiteHistoryDialect()) { handle, sql, bindings, logger in
            Int64(try handle.scalar(sql + " RETURNING id", bindings, table: HistorySQL.table, logger: logger) ?? "") ?? 0
        })
    }
}

/// SQLite's spelling of the history table: timestamps are UTC text `YYYY-MM-DD HH:MM:SS.SSS`.
struct SQLiteHistoryDialect: HistoryTableDialect {
    var sql: any SQLDialect { SQLiteDialect() }
    var idColumn: String { "id INTEGER PRIMARY KEY AUTOINCREMENT" }
    var now: String { "strftime('%Y-%m-%d %H:%M:%f', 'now')" }

    func type(_ kind: HistoryColumnKind) -> String {
        switch kind {
        case .label(_, let value): return "TEXT NOT NULL DEFAULT \(sql.quoteLiteral(value))"
        case .text: return "TEXT"
        case .bigint: return "INTEGER"
        case .integer(let value): return "INTEGER NOT NULL DEFAULT \(value)"
        case .double: return "REAL"
        case .timestamp: return "TEXT NOT NULL DEFAULT (\(now))"
        }
    }

    var existingColumnsQuery: SQLQuery { "SELECT name FROM pragma_table_info(\(HistorySQL.table))" }

    func epoch(_ column: String) -> String { "((julianday(\(column)) - 2440587.5) * 86400.0)" }
}
