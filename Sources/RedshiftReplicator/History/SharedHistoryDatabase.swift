import Logging

/// A source's history connection: its shared handle, which binds every value. Only the spelling
/// of the table (``HistoryTableDialect``) and the way a new row's id comes back differ per
/// database; each source builds its own in its folder (`<Source>+History.swift`).
struct SharedHistoryDatabase<Handle: SnapshotExportHandle>: HistoryDatabase {
    let connection: SharedHandle<Handle>
    let historySQL: HistorySQL
    /// Runs the rendered `INSERT` on the handle and returns the new id.
    let insertReturningID: @Sendable (isolated Handle, _ sql: String, _ bindings: [String?], Logger) throws -> Int64

    init(connection: SharedHandle<Handle>, spelling: any HistoryTableDialect,
         insertReturningID: @escaping @Sendable (isolated Handle, _ sql: String, _ bindings: [String?], Logger) throws -> Int64) {
        self.connection = connection
        self.historySQL = HistorySQL(spelling)
        self.insertReturningID = insertReturningID
    }

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
