import Foundation
import Logging
import PostgresClient
import SourceSupport

/// A PostgreSQL source read through libpq (``LibpqConnection``): metadata and history on one
/// shared session, each export on its own REPEATABLE READ READ ONLY transaction (several sessions
/// in one exported snapshot for whole tables), each table lock on its own session.
struct PostgresSource: ReplicationSource {
    let configuration: PostgresConfiguration
    let shared: SharedHandle<LibpqConnection>

    /// Creates a source for `url` (`postgres://` or `postgresql://`). Connects lazily.
    public init(url: DatabaseURL) {
        configuration = url.postgresConfiguration
        let configuration = configuration
        shared = SharedHandle { try await LibpqConnection.connect(configuration, logger: $0) }
    }

    /// A new session with `applicationName` (shown in `pg_stat_activity`).
    func connect(_ applicationName: String, logger: Logger) async throws -> LibpqConnection {
        var configuration = configuration
        configuration.applicationName = applicationName
        return try await LibpqConnection.connect(configuration, logger: logger)
    }

    public var dialect: any SQLDialect { PostgresDialect() }

    public func columns(of table: String, logger: Logger) async throws -> [SourceColumn] {
        let quoted = dialect.quoteQualified(table)
        let columns = try await shared.run(logger: logger) { try $0.columns(ofTable: quoted) }
        guard !columns.isEmpty else { throw SourceError(.tableNotFound, "source table `\(table)` does not exist") }
        return columns.map { SourceColumn(name: $0.name, typeName: $0.typeName, conversion: $0.baseTypeName == "bytea" ? .hex : .text, isNullable: $0.isNullable) }
    }

    public func primaryKey(of table: String, logger: Logger) async throws -> [String] {
        _ = try await columns(of: table, logger: logger)
        let quoted = dialect.quoteQualified(table)
        return try await shared.run(logger: logger) { try $0.primaryKey(ofTable: quoted) }
    }

    public func withTableLock<T: Sendable>(_ key: String, wait: Bool, logger: Logger, body: () async throws -> T) async throws -> T? {
        let connection = try await connect("rrr lock", logger: logger)
        let acquired: Bool
        do { acquired = try await connection.acquireLock(key, wait: wait) } catch {
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
        _ = try? await connection.releaseLock(key)
        await connection.close()
    }

    /// The first key of rrr's two-key advisory locks (see ``LibpqConnection/lockNamespace``).
    static var lockNamespace: Int32 { LibpqConnection.lockNamespace }

    public func close() async { await shared.close() }
}

extension DatabaseURL {
    /// The libpq settings for this URL, password included: only ever handed to the client, never
    /// logged (its description is redacted).
    var postgresConfiguration: PostgresConfiguration {
        PostgresConfiguration(host: host, port: port, user: user, password: password?.value, database: database, options: parameters)
    }
}

extension LibpqConnection: SnapshotExportHandle {
    func exportRows(table: String, columns: [ExportColumn], whereClause: String?, logger: Logger,
                    into sink: RecordBatchSink) async throws -> ExportSummary {
        try await export(table: table, columns: columns, whereClause: whereClause, logger: logger, into: sink)
    }

    func textRows(_ sql: String, _ bindings: [String?], table: String?, logger: Logger) throws -> [[String?]] {
        logger.trace("postgres statement", metadata: ["rrr_sql": "\(sql)"])
        return try query(sql, bindings)
    }

    func commit(logger: Logger) throws { try commit() }

    static func isConnectionLost(_ error: any Error) -> Bool {
        (error as? LibpqError)?.code == .connectionFailed
    }
}

/// libpq's errors are source failures (a busy lock is `nil` from ``LibpqConnection/acquireLock(_:wait:)``, not an error).
extension LibpqError: SourceClientError {}
