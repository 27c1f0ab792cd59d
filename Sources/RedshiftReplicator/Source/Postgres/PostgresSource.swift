import Foundation
import Logging
import RedshiftCSV

/// A PostgreSQL source read through libpq: metadata and history on one shared session, each
/// export on its own REPEATABLE READ READ ONLY transaction, each table lock on its own session.
public struct PostgresSource: ReplicationSource {
    let url: DatabaseURL
    let shared: SharedLibpqConnection
    let sql = PostgresExportSQL()

    /// Creates a source for `url` (`postgres://` or `postgresql://`). Connects lazily.
    public init(url: DatabaseURL) {
        self.url = url
        self.shared = SharedLibpqConnection(url: url, applicationName: "rrr")
    }

    public var dialect: any SQLDialect { PostgresDialect() }
    public var history: any HistoryStore { SQLHistoryStore(database: PostgresHistoryDatabase(connection: shared)) }

    public func columns(of table: String, logger: Logger) async throws -> [SourceColumn] {
        let quoted = dialect.quoteQualified(table)
        let rows = try await shared.run { session in
            try Self.tableExists(session, quoted, table)
            return try session.query(PostgresExportSQL.columnsQuery, [quoted])
        }
        return rows.map { SourceColumn(name: $0[0] ?? "", typeName: $0[1] ?? "", conversion: PostgresExportSQL.conversion(typeName: $0[2] ?? "")) }
    }

    public func primaryKey(of table: String, logger: Logger) async throws -> [String] {
        let quoted = dialect.quoteQualified(table)
        return try await shared.run { session in
            try Self.tableExists(session, quoted, table)
            return try session.query(PostgresExportSQL.primaryKeyQuery, [quoted]).compactMap { $0[0] }
        }
    }

    static func tableExists(_ session: LibpqSession, _ quoted: String, _ table: String) throws {
        if try session.scalar("SELECT to_regclass($1)::text", [quoted]) == nil {
            throw SourceError(.tableNotFound, "source table `\(table)` does not exist")
        }
    }

    public func withTableLock<T: Sendable>(_ key: String, wait: Bool, logger: Logger, body: () async throws -> T) async throws -> T? {
        let connection = try await LibpqConnection.connect(url, applicationName: "rrr lock")
        let acquired: Bool
        do {
            acquired = try await connection.run { session -> Bool in
                if wait {
                    try session.query("SELECT pg_advisory_lock(\(Self.lockNamespace), hashtext($1))", [key])
                    return true
                }
                return try session.scalar("SELECT pg_try_advisory_lock(\(Self.lockNamespace), hashtext($1))", [key]) == "t"
            }
        } catch {
            await connection.close()
            throw error
        }
        guard acquired else { await connection.close(); return nil }
        logger.debug("holding table lock", metadata: ["rrr_lock": "\(key)"])
        do {
            let result = try await body()
            await Self.unlockAndClose(connection, key)
            return result
        } catch {
            await Self.unlockAndClose(connection, key)
            throw error
        }
    }

    /// Unlocks before closing: the server drops a closed session's locks only once its backend
    /// has processed the termination, so a run that starts right after ours could still find the
    /// table locked.
    private static func unlockAndClose(_ connection: LibpqConnection, _ key: String) async {
        _ = try? await connection.run { session in
            try session.query("SELECT pg_advisory_unlock(\(Self.lockNamespace), hashtext($1))", [key])
        }
        await connection.close()
    }

    /// The first key of rrr's two-key advisory locks ('rrrl' as a 32-bit number), so rrr's locks
    /// do not collide with an application's single-key locks.
    static let lockNamespace: Int32 = 0x7272_726C

    public func close() async { await shared.close() }
}
