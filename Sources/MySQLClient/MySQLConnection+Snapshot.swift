import Logging

extension MySQLConnection {
    /// Starts a read-only REPEATABLE READ transaction with a consistent snapshot taken now, so bounds
    /// (`MIN`/`MAX`) and the exported rows see the same committed data whatever commits meanwhile.
    /// End it with ``commit(logger:)`` or ``rollback(logger:)``.
    package func beginConsistentSnapshot(logger: Logger) throws {
        // SET TRANSACTION (without SESSION) applies to the next transaction only.
        try execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
        try execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", logger: logger)
    }

    /// Commits the current transaction.
    package func commit(logger: Logger) throws { try execute("COMMIT", logger: logger) }

    /// Rolls the current transaction back.
    package func rollback(logger: Logger) throws { try execute("ROLLBACK", logger: logger) }

    /// Takes the named session lock (`GET_LOCK`), waiting at most `timeoutSeconds`.
    ///
    /// The lock belongs to this session: it is released by ``releaseLock(_:logger:)`` or when the
    /// session ends. Use ``lockName(database:table:)`` for a table's replication lock.
    /// - Throws: ``MySQLError`` `.lockTimedOut` when another session holds it past the timeout.
    package func acquireLock(_ name: String, timeoutSeconds: Int, logger: Logger) throws {
        // Waits in steps shorter than the read timeout, which would otherwise end a long wait.
        var remaining = max(0, timeoutSeconds)
        while true {
            let step = min(remaining, max(1, readTimeoutSeconds / 2))
            let sql = "SELECT GET_LOCK(\(try quoteLiteral(name)), \(step))"
            switch try query(sql, logger: logger).scalar {
            case "1":
                logger.debug("mysql lock taken", metadata: ["rrr_lock": "\(name)"])
                return
            case "0" where remaining > step:
                remaining -= step
            case "0": throw MySQLError(.lockTimedOut, "lock \(name) is held by another session (waited \(timeoutSeconds) s)")
            default: throw MySQLError(.unexpectedResult, "GET_LOCK(\(name)) returned NULL")
            }
        }
    }

    /// Releases a lock taken by ``acquireLock(_:timeoutSeconds:logger:)``.
    /// - Returns: whether this session held it.
    @discardableResult
    package func releaseLock(_ name: String, logger: Logger) throws -> Bool {
        try query("SELECT RELEASE_LOCK(\(try quoteLiteral(name)))", logger: logger).scalar == "1"
    }

    /// The lock name for replicating `database.table`: `rrr:<database>.<table>`, shortened with a hash
    /// when longer than MySQL's 64-character limit for lock names.
    package nonisolated static func lockName(database: String, table: String) -> String {
        boundedName("rrr:\(database).\(table)")
    }

    /// `name` unchanged when it has at most `limit` characters (MySQL's limit for identifiers and
    /// lock names is 64), else cut and ended with `~` and a hash of the whole name, so distinct long
    /// names stay distinct and the same name always gives the same result.
    package nonisolated static func boundedName(_ name: String, limit: Int = 64) -> String {
        // MySQL counts code points, not grapheme clusters.
        let scalars = name.unicodeScalars
        guard scalars.count > limit else { return name }
        // FNV-1a over the full name.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars.prefix(limit - digits.count - 1))
        return String(kept) + "~" + digits
    }
}
