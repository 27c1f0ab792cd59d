import Logging
import SQLiteClient

/// One read-write handle on a SQLite source file, shared by metadata and history calls and opened
/// on first use. Each call runs as one turn on the database's own thread.
actor SharedSQLiteDatabase {
    let path: String
    private var opening: Task<SQLiteDatabase, any Error>?

    init(path: String) { self.path = path }

    /// Runs `body` on the handle (opening it first if needed).
    func run<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (isolated SQLiteDatabase) throws -> T) async throws -> T {
        let database = try await opened(logger: logger)
        return try await performIsolated(on: database, body)
    }

    private func opened(logger: Logger) async throws -> SQLiteDatabase {
        if let opening { return try await opening.value }
        let path = self.path
        // Read-write without create: a missing file is a configuration error, not a new empty database.
        let task = Task { try await SQLiteDatabase.open(path: path, mode: .readWrite, logger: logger) }
        opening = task
        do { return try await task.value } catch { opening = nil; throw error }
    }

    func close() async {
        if let database = try? await opening?.value { await database.close() }
        opening = nil
    }
}

/// Runs `body` isolated to `database` (on its thread).
func performIsolated<T: Sendable>(on database: isolated SQLiteDatabase, _ body: @Sendable (isolated SQLiteDatabase) throws -> T) throws -> T {
    try body(database)
}
