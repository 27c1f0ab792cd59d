import Logging
import PostgresClient

extension PostgresSource {
    /// The history in the session's `current_schema()`; an insert returns its id with `RETURNING id`.
    public var history: any HistoryStore {
        SQLHistoryStore(database: SharedHistoryDatabase(connection: shared, spelling: PostgresHistoryDialect()) { handle, sql, bindings, logger in
            Int64(try handle.scalar(sql + " RETURNING id", bindings, table: HistorySQL.table, logger: logger) ?? "") ?? 0
        })
    }
}

/// PostgreSQL's spelling of the history table.
struct PostgresHistoryDialect: HistoryTableDialect {
    var sql: any SQLDialect { PostgresDialect() }
    var idColumn: String { "id bigserial PRIMARY KEY" }
    var now: String { "now()" }

    func type(_ kind: HistoryColumnKind) -> String {
        switch kind {
        case .label(_, let value): return "text NOT NULL DEFAULT \(sql.quoteLiteral(value))"
        case .text: return "text"
        case .bigint: return "bigint"
        case .integer(let value): return "integer NOT NULL DEFAULT \(value)"
        case .double: return "double precision"
        case .timestamp: return "timestamptz NOT NULL DEFAULT now()"
        }
    }

    var existingColumnsQuery: SQLQuery {
        "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(HistorySQL.table)"
    }

    func epoch(_ column: String) -> String { "extract(epoch from \(column))::float8" }
}
