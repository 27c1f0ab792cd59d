import Logging

/// One client handle (a PostgreSQL or MySQL session, a SQLite read-write handle) shared by a
/// source's metadata, history and delete-tracking calls, opened on first use and opened again
/// after the connection was lost. Each call runs as one turn on the handle's own thread, so
/// statements never interleave.
actor SharedHandle<Handle: SnapshotExportHandle> {
    private let open: @Sendable (Logger) async throws -> Handle
    private var opening: Task<Handle, any Error>?

    init(open: @escaping @Sendable (Logger) async throws -> Handle) { self.open = open }

    /// Runs `body` on the handle (opening it first if needed). A lost connection is closed and
    /// the error rethrown; the next call opens a new one.
    func run<T: Sendable>(logger: Logger, _ body: @escaping @Sendable (isolated Handle) throws -> T) async throws -> T {
        let handle = try await opened(logger: logger)
        do {
            return try await performIsolated(on: handle, body)
        } catch where Handle.isConnectionLost(error) {
            opening = nil
            await handle.close()
            throw error
        }
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

/// Runs `body` isolated to `handle` (on its thread).
func performIsolated<A: Actor, T: Sendable>(on handle: isolated A, _ body: @Sendable (isolated A) throws -> T) throws -> T {
    try body(handle)
}
