import Logging

extension MySQLConnection {
    /// Starts a read-only REPEATABLE READ transaction with a consistent snapshot taken now, so bounds
    /// (`MIN`/`MAX`) and the exported rows see the same committed data whatever commits meanwhile.
    /// End it with ``commit(logger:)`` or ``rollback(logger:)``.
    public func beginConsistentSnapshot(logger: Logger) throws {
        // SET TRANSACTION (without SESSION) applies to the next transaction only.
        try execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
        try execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", logger: logger)
    }

    /// Commits the current transaction.
    public func commit(logger: Logger) throws { try execute("COMMIT", logger: logger) }

    /// Rolls the current transaction back.
    public func rollback(logger: Logger) throws { try execute("ROLLBACK", logger: logger) }

    /// Takes the named session lock (`GET_LOCK`), waiting at most `timeoutSeconds`.
    ///
    /// The lock belongs to this session: it is released by ``releaseLock(_:logger:)`` or when the
    /// session ends. Use ``lockName(database:table:)`` for a table's replication lock.
    /// - Throws: ``MySQLError`` `.lockTimedOut` when another session holds it past the timeout.
    public func acquireLock(_ name: String, timeoutSeconds: Int, logger: Logger) throws {
        let sql = "SELECT GET_LOCK(\(try quoteLiteral(name)), \(max(0, timeoutSeconds)))"
        switch try query(sql, logger: logger).scalar {
        case "1": logger.debug("mysql lock taken", metadata: ["rrr_lock": "\(name)"])
        case "0": throw MySQLError(.lockTimedOut, "lock \(name) is held by another session (waited \(timeoutSeconds) s)")
        default: throw MySQLError(.unexpectedResult, "GET_LOCK(\(name)) returned NULL")
        }
    }

    /// Releases a lock taken by ``acquireLock(_:timeoutSeconds:logger:)``.
    /// - Returns: whether this session held it.
    @discardableResult
    public func releaseLock(_ name: String, logger: Logger) throws -> Bool {
        try query("SELECT RELEASE_LOCK(\(try quoteLiteral(name)))", logger: logger).scalar == "1"
    }

    /// The lock name for replicating `database.table`: `rrr:<database>.<table>`, shortened with a hash
    /// when longer than MySQL's 64-character limit for lock names.
    public nonisolated static func lockName(database: String, table: String) -> String {
        let name = "rrr:\(database).\(table)"
        guard name.count > 64 else { return name }
        // FNV-1a over the full name keeps distinct long names distinct.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return String(name.prefix(64 - digits.count - 1)) + "~" + digits
    }
}
