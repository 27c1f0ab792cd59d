import Foundation
import Logging
import SQLiteClient

extension SQLiteSource {
    /// The history file beside the database: `<database>.rrr-history.sqlite`.
    ///
    /// The history lives outside the application's database so that rrr's own writes never wait
    /// for the application's write lock: an application that starts its next write transaction
    /// right after each commit leaves that lock free only for instants, and a run whose every
    /// history write waited for it would make no progress at all.
    static func historyPath(for databasePath: String) -> String { databasePath + ".rrr-history.sqlite" }

    /// See ``historyPath(for:)``.
    var historyPath: String { Self.historyPath(for: path) }

    /// The history in the history file; an insert returns its id with `RETURNING id`.
    public var history: any HistoryStore {
        var store = SQLHistoryStore(database: SharedHistoryDatabase(connection: historyHandle, spelling: SQLiteHistoryDialect()) { handle, sql, bindings, logger in
            Int64(try handle.scalar(sql + " RETURNING id", bindings, table: HistorySQL.table, logger: logger) ?? "") ?? 0
        })
        store.location = "the history file \(historyPath)"
        return store
    }

    /// Opens the history file (created when missing, in WAL mode so `rrr status` never waits for a
    /// run), after checking that the database itself exists, and moves an older rrr's history out
    /// of the database into it (``moveHistory(from:into:logger:)``).
    static func openHistory(sourcePath: String, logger: Logger) async throws -> SQLiteDatabase {
        // Opened first: a missing database fails here, before a history file is created beside it.
        let source = try await SQLiteDatabase.open(path: sourcePath, mode: .readOnly, busyTimeoutMilliseconds: 60_000, logger: logger)
        let history: SQLiteDatabase
        do {
            history = try await SQLiteDatabase.open(path: historyPath(for: sourcePath), mode: .readWriteCreate, busyTimeoutMilliseconds: 60_000, logger: logger)
        } catch {
            await source.close()
            throw error
        }
        do {
            try await history.enableWriteAheadLog(logger: logger)
            try await moveHistory(from: source, into: history, logger: logger)
            await source.close()
            return history
        } catch {
            await source.close()
            await history.close()
            throw error
        }
    }

    /// Up to rrr 0.3 the history table was in the database itself: when the history file has no
    /// table yet and the database has one, the table is created current in the file and every row
    /// copied (ids kept), in one transaction under the file's write lock, so concurrent processes
    /// move it once. The database's table is left as it was (dropping it would need the
    /// application's write lock again); rrr no longer reads it.
    static func moveHistory(from source: SQLiteDatabase, into history: SQLiteDatabase, logger: Logger) async throws {
        let columnsQuery = "SELECT name FROM pragma_table_info('\(HistorySQL.table)')"
        guard try await history.query(columnsQuery, logger: logger).rows.isEmpty else { return }
        let old = Set(try await source.query(columnsQuery, logger: logger).rows.compactMap { $0.first?.text })
        guard !old.isEmpty else { return }
        let dialect = SQLiteDialect()
        let columns = (["id"] + HistoryMigration.columns.map(\.name)).filter(old.contains)
        let list = columns.map(dialect.quoteIdentifier).joined(separator: ", ")
        let rows = try await source.query("SELECT \(list) FROM \(dialect.quoteIdentifier(HistorySQL.table)) ORDER BY id", logger: logger).rows
        let insert = "INSERT INTO \(dialect.quoteIdentifier(HistorySQL.table)) (\(list)) VALUES (\(columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")))"
        let create = HistoryMigration(SQLiteHistoryDialect()).createTable
        let moved = try await performIsolated(on: history) { history -> Bool in
            try history.execute("BEGIN IMMEDIATE", logger: logger)
            do {
                // Another process may have moved it while this one waited for the lock.
                guard try history.query(columnsQuery, logger: logger).rows.isEmpty else {
                    try history.execute("COMMIT", logger: logger)
                    return false
                }
                for statement in create { try history.execute(statement, table: HistorySQL.table, logger: logger) }
                for row in rows { _ = try history.query(insert, row, table: HistorySQL.table, logger: logger) }
                try history.execute("COMMIT", logger: logger)
                return true
            } catch {
                try? history.execute("ROLLBACK", logger: logger)
                throw error
            }
        }
        if moved {
            logger.notice("moved \(rows.count) history record(s) from \(source.path) into its history file \(history.path); the table \(HistorySQL.table) left in the database is no longer used")
        }
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
