import Logging
import MySQLClient
import SQLiteClient

/// One client handle (a MySQL session, a SQLite read-write handle) shared by a source's metadata
/// and history calls, opened on first use. Each call runs as one turn on the handle's own thread,
/// so statements never interleave.
actor SharedHandle<Handle: SnapshotExportHandle> {
    private let open: @Sendable (Logger) async throws -> Handle
    private var opening: Task<Handle, any Error>?

    init(open: @escaping @Sendable (Logger) async throws -> Handle) { self.open = open }

    /// Runs `body` on the handle (opening it first if needed).
    func run<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (isolated Handle) throws -> T) async throws -> T {
        let handle = try await opened(logger: logger)
        return try await performIsolated(on: handle, body)
    }

    private func opened(logger: Logger) async throws -> Handle {
        if let opening { return try await opening.value }
        let open = self.open
        let task = Task { try await open(logger) }
        opening = task
        do { return try await task.value } catch { opening = nil; throw error }
    }

    func close() async {
        if let handle = try? await opening?.value { await handle.close() }
        opening = nil
    }
}

typealias SharedMySQLConnection = SharedHandle<MySQLConnection>
typealias SharedSQLiteDatabase = SharedHandle<SQLiteDatabase>

extension SharedHandle where Handle == MySQLConnection {
    init(configuration: MySQLConfiguration) {
        self.init { try await MySQLConnection.connect(configuration, logger: $0) }
    }
}

extension SharedHandle where Handle == SQLiteDatabase {
    init(path: String) {
        // Read-write without create: a missing file is a configuration error, not a new empty database.
        // History writes wait up to a minute for the app's write transaction: failing a run because
        // the app held the write lock for a few seconds would only move the work to the next run.
        self.init { try await SQLiteDatabase.open(path: path, mode: .readWrite, busyTimeoutMilliseconds: 60_000, logger: $0) }
    }
}

/// Runs `body` isolated to `handle` (on its thread).
func performIsolated<A: Actor, T: Sendable>(on handle: isolated A, _ body: @Sendable (isolated A) throws -> T) throws -> T {
    try body(handle)
}
