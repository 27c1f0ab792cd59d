extension LibpqConnection {
    /// Starts a `REPEATABLE READ READ ONLY` transaction: every following statement sees one snapshot.
    /// End it with ``commit()`` or ``rollback()``.
    package func beginReadSnapshot() throws {
        try execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    }

    /// Exports the snapshot of the transaction begun by ``beginReadSnapshot()`` for other sessions
    /// (`pg_export_snapshot`); valid while this transaction is open.
    package func exportSnapshot() throws -> String {
        try scalar("SELECT pg_export_snapshot()") ?? ""
    }

    /// Starts a `REPEATABLE READ READ ONLY` transaction in the snapshot `id` another session exported.
    package func beginReadSnapshot(adopting id: String) throws {
        try beginReadSnapshot()
        // SET TRANSACTION SNAPSHOT takes no parameter: the id is checked to be an exported-snapshot id.
        guard !id.isEmpty, id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw LibpqError(.queryFailed, "`\(id)` is not a snapshot id (on \(name))")
        }
        try execute("SET TRANSACTION SNAPSHOT '\(id)'")
    }

    /// Commits the current transaction.
    package func commit() throws { try execute("COMMIT") }

    /// Rolls the current transaction back.
    package func rollback() throws { try execute("ROLLBACK") }

    /// The first key of rrr's two-key advisory locks ('rrrl' as a 32-bit number), so rrr's locks
    /// do not collide with an application's single-key locks.
    package nonisolated static let lockNamespace: Int32 = 0x7272_726C

    /// Takes the session-level advisory lock named `key` (`pg_advisory_lock(namespace, hashtext(key))`),
    /// waiting for it when `wait` is true (cancel the calling task to stop waiting).
    /// - Returns: `false` when another session holds it and `wait` is false.
    package func acquireLock(_ key: String, wait: Bool) async throws -> Bool {
        try await withCancellation { connection in
            if wait {
                try connection.query("SELECT pg_advisory_lock(\(Self.lockNamespace), hashtext($1))", [key])
                return true
            }
            return try connection.scalar("SELECT pg_try_advisory_lock(\(Self.lockNamespace), hashtext($1))", [key]) == "t"
        }
    }

    /// Releases a lock taken by ``acquireLock(_:wait:)``; returns whether this session held it.
    @discardableResult
    package func releaseLock(_ key: String) throws -> Bool {
        try scalar("SELECT pg_advisory_unlock(\(Self.lockNamespace), hashtext($1))", [key]) == "t"
    }

    /// Runs `body` in a transaction holding the transaction-level advisory lock `key` (for
    /// one-time setup that concurrent processes must not run at once); rolled back on failure.
    package func withTransactionLock<T: Sendable>(_ key: String, _ body: (isolated LibpqConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            try query("SELECT pg_advisory_xact_lock(\(Self.lockNamespace), hashtext($1))", [key])
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
