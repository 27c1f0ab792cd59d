import Logging
import MySQLClient
import SQLiteClient

/// PostgreSQL's history connection: the source's shared libpq session.
struct PostgresHistoryDatabase: HistoryDatabase {
    let connection: SharedLibpqConnection
    var historySQL: HistorySQL {
        HistorySQL(dialect: PostgresDialect(), migration: HistoryMigration(flavor: .postgres, dialect: PostgresDialect()), now: "now()",
                   epoch: { "extract(epoch from \($0))::float8" })
    }

    func execute(_ sql: [String], logger: Logger) async throws {
        try await connection.run { session in try sql.forEach { try session.execute($0) } }
    }

    func query(_ sql: String, logger: Logger) async throws -> [[String?]] {
        try await connection.run { try $0.query(sql) }
    }

    func insert(_ sql: String, logger: Logger) async throws -> Int64 {
        let id = try await connection.run { try $0.scalar(sql + " RETURNING id") }
        return id.flatMap { Int64($0) } ?? 0
    }
}

/// MySQL's history connection: the source's shared metadata session.
struct MySQLHistoryDatabase: HistoryDatabase {
    let connection: SharedMySQLConnection
    var historySQL: HistorySQL {
        HistorySQL(dialect: MySQLDialect(), migration: HistoryMigration(flavor: .mysql, dialect: MySQLDialect()), now: "CURRENT_TIMESTAMP(6)",
                   epoch: { "UNIX_TIMESTAMP(\($0))" })
    }

    func execute(_ sql: [String], logger: Logger) async throws {
        try await connection.run(logger: logger) { session in try sql.forEach { try session.execute($0, logger: logger) } }
    }

    func query(_ sql: String, logger: Logger) async throws -> [[String?]] {
        try await connection.run(logger: logger) { try $0.query(sql, logger: logger).rows }
    }

    func insert(_ sql: String, logger: Logger) async throws -> Int64 {
        // Both statements run in one actor turn, so LAST_INSERT_ID() is this insert's.
        try await connection.run(logger: logger) { session in
            try session.execute(sql, logger: logger)
            return Int64(try session.query("SELECT LAST_INSERT_ID()", logger: logger).scalar ?? "") ?? 0
        }
    }
}

/// SQLite's history connection: a read-write handle on the source file.
struct SQLiteHistoryDatabase: HistoryDatabase {
    let connection: SharedSQLiteDatabase
    var historySQL: HistorySQL {
        HistorySQL(dialect: SQLiteDialect(), migration: HistoryMigration(flavor: .sqlite, dialect: SQLiteDialect()), now: "strftime('%Y-%m-%d %H:%M:%f', 'now')",
                   epoch: { "((julianday(\($0)) - 2440587.5) * 86400.0)" })
    }

    func execute(_ sql: [String], logger: Logger) async throws {
        try await connection.run(logger: logger) { db in try sql.forEach { try db.execute($0, logger: logger) } }
    }

    func query(_ sql: String, logger: Logger) async throws -> [[String?]] {
        try await connection.run(logger: logger) { try $0.query(sql, logger: logger).rows.map { $0.map(\.text) } }
    }

    func insert(_ sql: String, logger: Logger) async throws -> Int64 {
        try await connection.run(logger: logger) { db in
            if case .integer(let id) = try db.query(sql + " RETURNING id", logger: logger).scalar { return id }
            return 0
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
