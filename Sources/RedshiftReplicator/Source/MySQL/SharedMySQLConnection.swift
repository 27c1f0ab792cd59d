import Logging
import MySQLClient

/// One MySQL session shared by a source's metadata and history calls, opened on first use.
/// Each call runs as one turn on the connection's own thread, so statements never interleave.
actor SharedMySQLConnection {
    let configuration: MySQLConfiguration
    private var opening: Task<MySQLConnection, any Error>?

    init(configuration: MySQLConfiguration) { self.configuration = configuration }

    /// Runs `body` on the session (connecting first if needed).
    func run<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (isolated MySQLConnection) throws -> T) async throws -> T {
        let connection = try await connected(logger: logger)
        return try await performIsolated(on: connection, body)
    }

    private func connected(logger: Logger) async throws -> MySQLConnection {
        if let opening { return try await opening.value }
        let configuration = self.configuration
        let task = Task { try await MySQLConnection.connect(configuration, logger: logger) }
        opening = task
        do { return try await task.value } catch { opening = nil; throw error }
    }

    func close() async {
        if let connection = try? await opening?.value { await connection.close() }
        opening = nil
    }
}

/// Runs `body` isolated to `connection` (on its thread).
func performIsolated<T: Sendable>(on connection: isolated MySQLConnection, _ body: @Sendable (isolated MySQLConnection) throws -> T) throws -> T {
    try body(connection)
}
