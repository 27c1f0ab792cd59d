import Logging
import MySQLClient

extension MySQLSource {
    /// The history in the connection's database; an insert's id is `LAST_INSERT_ID()`, read in the
    /// same actor turn (so it is this insert's).
    public var history: any HistoryStore {
        SQLHistoryStore(database: SharedHistoryDatabase(connection: shared, spelling: MySQLHistoryDialect()) { handle, sql, bindings, logger in
            try handle.execute(sql, bindings, table: HistorySQL.table, logger: logger)
            return Int64(try handle.scalar("SELECT LAST_INSERT_ID()", table: HistorySQL.table, logger: logger) ?? "") ?? 0
        })
    }
}

/// MySQL's and MariaDB's spelling of the history table (InnoDB, utf8mb4). `TIMESTAMP(6)` is stored in UTC.
struct MySQLHistoryDialect: HistoryTableDialect {
    var sql: any SQLDialect { MySQLDialect() }
    var idColumn: String { "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY" }
    var now: String { "CURRENT_TIMESTAMP(6)" }

    func type(_ kind: HistoryColumnKind) -> String {
        switch kind {
        case .label(let length, let value): return "VARCHAR(\(length)) NOT NULL DEFAULT \(sql.quoteLiteral(value))"
        case .text: return "TEXT"
        case .bigint: return "BIGINT"
        case .integer(let value): return "INT NOT NULL DEFAULT \(value)"
        case .double: return "DOUBLE"
        case .timestamp: return "TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
        }
    }

    /// One statement: the indexes are declared inside `CREATE TABLE`.
    func createTable(_ table: String, definitions: [String], keyIndex: String, tableIndex: String) -> [String] {
        let q = sql.quoteIdentifier
        let pair = [q("source_table"), q("target_table"), q("id")].joined(separator: ", ")
        return ["CREATE TABLE IF NOT EXISTS \(table) (\(definitions.joined(separator: ", ")), "
                + "UNIQUE KEY \(q(keyIndex)) (\(q("key"))), KEY \(q(tableIndex)) (\(pair))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"]
    }

    var existingColumnsQuery: SQLQuery {
        "SELECT CAST(column_name AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = \(HistorySQL.table)"
    }

    func epoch(_ column: String) -> String { "UNIX_TIMESTAMP(\(column))" }
}
