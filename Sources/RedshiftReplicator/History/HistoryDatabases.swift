import Logging
import MySQLClient
import PostgresClient
import SQLiteClient

/// A source's history connection: its shared handle, which binds every value. Only the way a new
/// row's id comes back differs per database.
struct SharedHistoryDatabase<Handle: SnapshotExportHandle>: HistoryDatabase {
    let connection: SharedHandle<Handle>
    let historySQL: HistorySQL
    /// Runs the rendered `INSERT` on the handle and returns the new id.
    let insertReturningID: @Sendable (isolated Handle, _ sql: String, _ bindings: [String?], Logger) throws -> Int64

    func execute(_ statements: [SQLQuery], logger: Logger) async throws {
        let rendered = statements.map { $0.rendered(for: historySQL.dialect) }
        try await connection.run(logger: logger) { handle in
            for (sql, bindings) in rendered { _ = try handle.textRows(sql, bindings, table: HistorySQL.table, logger: logger) }
        }
    }

    func query(_ query: SQLQuery, logger: Logger) async throws -> [[String?]] {
        let (sql, bindings) = query.rendered(for: historySQL.dialect)
        return try await connection.run(logger: logger) { try $0.textRows(sql, bindings, table: HistorySQL.table, logger: logger) }
    }

    func insert(_ statement: SQLQuery, logger: Logger) async throws -> Int64 {
        let (sql, bindings) = statement.rendered(for: historySQL.dialect)
        let insert = insertReturningID
        return try await connection.run(logger: logger) { try insert($0, sql, bindings, logger) }
    }
}

extension SharedHistoryDatabase where Handle == LibpqConnection {
    /// PostgreSQL's history: `INSERT ... RETURNING id`.
    init(postgres connection: SharedHandle<LibpqConnection>) {
        self.init(connection: connection, historySQL: HistorySQL(
            dialect: PostgresDialect(), migration: HistoryMigration(flavor: .postgres, dialect: PostgresDialect()),
            now: "now()", epoch: { "extract(epoch from \($0))::float8" })) { handle, sql, bindings, logger in
            Int64(try handle.scalar(sql + " RETURNING id", bindings, table: HistorySQL.table, logger: logger) ?? "") ?? 0
        }
    }
}

extension SharedHistoryDatabase where Handle == MySQLConnection {
    /// MySQL's history: the insert, then `LAST_INSERT_ID()` in the same actor turn (so it is this insert's).
    init(mysql connection: SharedHandle<MySQLConnection>) {
        self.init(connection: connection, historySQL: HistorySQL(
            dialect: MySQLDialect(), migration: HistoryMigration(flavor: .mysql, dialect: MySQLDialect()),
            now: "CURRENT_TIMESTAMP(6)", epoch: { "UNIX_TIMESTAMP(\($0))" })) { handle, sql, bindings, logger in
            try handle.execute(sql, bindings, table: HistorySQL.table, logger: logger)
            return Int64(try handle.scalar("SELECT LAST_INSERT_ID()", table: HistorySQL.table, logger: logger) ?? "") ?? 0
        }
    }
}

extension SharedHistoryDatabase where Handle == SQLiteDatabase {
    /// SQLite's history: `INSERT ... RETURNING id`.
    init(sqlite connection: SharedHandle<SQLiteDatabase>) {
        self.init(connection: connection, historySQL: HistorySQL(
            dialect: SQLiteDialect(), migration: HistoryMigration(flavor: .sqlite, dialect: SQLiteDialect()),
            now: "strftime('%Y-%m-%d %H:%M:%f', 'now')", epoch: { "((julianday(\($0)) - 2440587.5) * 86400.0)" })) { handle, sql, bindings, logger in
            Int64(try handle.scalar(sql + " RETURNING id", bindings, table: HistorySQL.table, logger: logger) ?? "") ?? 0
        }
    }
}

extension SQLiteValue {
    /// The value as text, as a history or bounds query needs it.
    var text: String? {
        switch self {
        case .null: return nil
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .text(let text): return text
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }
}
