import AsyncSupport
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One PostgresNIO connection to Redshift. Every statement runs under a deadline, because a
/// query on a connection that died underneath (or a server that stopped answering) can otherwise
/// wait forever while the run holds the table's lock.
struct RedshiftSession: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// How long one statement may take (COPY and merges included); the server's `statement_timeout`.
    var statementTimeout: Duration = .seconds(3600)
    /// Set once the connection is closed: PostgresNIO never answers a query on a closed connection.
    let closed = ClosedFlag()

    /// The logger PostgresNIO gets: never below debug, because at trace it prints every statement
    /// as sent, and a COPY authorized with keys carries them.
    static func driverLogger(_ logger: Logger) -> Logger {
        var logger = logger
        if logger.logLevel < .debug { logger.logLevel = .debug }
        return logger
    }

    /// Connects as `login` says (password, Secrets Manager or IAM) with the configured TLS and TCP
    /// keepalives, and sets the session's `statement_timeout`; the password is sent, never logged.
    static func connect(_ settings: ReplicatorConfiguration.Redshift, login: RedshiftLogin, logger: Logger) async throws -> RedshiftSession {
        let credentials = try await login.credentials()
        let tls: PostgresConnection.Configuration.TLS
        do { tls = try Self.tls(settings) } catch {
            throw WarehouseError(.connectionFailed, "redshift.ssl_root_cert \(settings.sslRootCertificate ?? ""): \(error)")
        }
        let session: RedshiftSession
        do {
            session = try await withDeadline(.seconds(30), what: "connecting to Redshift", discard: { late in await late.close() }) {
                let channel = try await Self.openChannel(settings)
                var configuration = PostgresConnection.Configuration(
                    establishedChannel: channel, tls: tls, username: credentials.user,
                    password: credentials.password, database: settings.database)
                if (try? SocketAddress(ipAddress: settings.host, port: 0)) == nil { configuration.options.tlsServerName = settings.host }
                do {
                    let connection = try await PostgresConnection.connect(
                        on: channel.eventLoop, configuration: configuration, id: 1, logger: Self.driverLogger(logger)).get()
                    return RedshiftSession(connection: connection, logger: logger, statementTimeout: settings.statementTimeout)
                } catch {
                    try? await channel.close()
                    throw error
                }
            }
        } catch let error as WarehouseError {
            throw error
        } catch {
            throw WarehouseError(.connectionFailed, "cannot connect to Redshift at \(settings.host):\(settings.port)/\(settings.database) as \(credentials.user) (sslmode \(settings.effectiveSSLMode.rawValue)): \(Self.describe(error))")
        }
        do {
            try await session.execute("SET statement_timeout TO \(settings.statementTimeout.components.seconds * 1000)")
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    /// Runs a statement and discards its rows.
    func execute(_ sql: String, logAs: String? = nil) async throws {
        _ = try await rows(PostgresQuery(unsafeSQL: sql), logAs: logAs ?? sql)
    }

    /// Runs a statement with bound values and discards its rows; logged without the values.
    func execute(_ statement: RedshiftStatement) async throws {
        _ = try await rows(statement.query, logAs: statement.description)
    }

    /// Runs a query whose columns are all text (cast them in SQL) and returns the rows.
    func rows(_ query: PostgresQuery, logAs: String? = nil) async throws -> [[String?]] {
        logger.debug("redshift statement", metadata: ["rrr_sql": "\(logAs ?? query.sql)"])
        let connection = self.connection, logger = self.logger, closed = self.closed
        // A connection the server closed (or that broke) is closed here too: a statement sent on it
        // would wait for the deadline, an hour, e.g. the ROLLBACK after a COPY whose connection dropped.
        if connection.isClosed { closed.set() }
        guard !closed.isSet else {
            throw WarehouseError(.connectionFailed, "the connection to Redshift is closed (statement: \((logAs ?? query.sql).prefix(400)))")
        }
        do {
            // The server ends the statement at `statement_timeout`; past that and a grace period it
            // is not answering, so the connection is closed (which fails the query) and left.
            let limit = statementTimeout + ReplicatorConfiguration.Redshift.statementGrace
            return try await withDeadline(limit, what: "statement \((logAs ?? query.sql).prefix(120))", abandon: {
                closed.set()
                Task { try? await connection.close() }
            }) {
                var result: [[String?]] = []
                for try await row in try await connection.query(query, logger: Self.driverLogger(logger)) {
                    result.append(try row.map { try $0.decode(String?.self) })
                }
                return result
            }
        } catch let error as WarehouseError {
            throw error
        } catch {
            if Self.isConnectionLost(error) || connection.isClosed {
                closed.set()
                throw WarehouseError(.connectionFailed, "\(Self.describe(error)) (statement: \((logAs ?? query.sql).prefix(400)))")
            }
            let code: WarehouseError.Code = Self.isSerializableViolation(error) ? .serializableIsolationViolation : .statementFailed
            throw WarehouseError(code, "\(Self.describe(error)) (statement: \((logAs ?? query.sql).prefix(400)))")
        }
    }

    /// Redshift's `ERROR: 1023` / `DETAIL: Serializable isolation violation on table ...`
    /// (c_serial_isolation-serializable-isolation-troubleshooting): the transaction was canceled
    /// and may be retried.
    static func isSerializableViolation(_ error: any Error) -> Bool {
        guard let info = (error as? PSQLError)?.serverInfo else { return false }
        let message = info[.message] ?? "", detail = info[.detail] ?? ""
        return message.trimmingCharacters(in: .whitespaces) == "1023" || (message + detail).contains("Serializable isolation violation")
    }

    /// A failure that leaves no connection: the server closed it, or it broke.
    static func isConnectionLost(_ error: any Error) -> Bool {
        guard let code = (error as? PSQLError)?.code else { return false }
        return code == .serverClosedConnection || code == .uncleanShutdown || code == .connectionError || code == .clientClosedConnection
    }

    func close() async {
        guard closed.set() else { return }
        try? await connection.close()
    }

    /// The server's message for a PSQLError (its `description` is deliberately generic).
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let state = psql.serverInfo?[.sqlState].map { " [SQLSTATE \($0)]" } ?? ""
                // The DETAIL says what failed (`Serializable isolation violation on table ...`); a
                // failed COPY's lists the first rejected row, which the load errors give in full.
                let detail = message.hasPrefix("Load into table") ? "" : psql.serverInfo?[.detail].map { " (\($0.trimmingCharacters(in: .whitespacesAndNewlines)))" } ?? ""
                return connectionReason(sqlState: psql.serverInfo?[.sqlState]) + message + detail + state
            }
            return connectionReason(psql)
        }
        // NIO's connect errors (rrr opens the channel itself, for keepalives).
        let text = "\(error)"
        return socketReason(text).map { $0.hasSuffix(text) ? $0 : "\($0) (\(text))" } ?? text
    }
}

/// Whether a session's connection was closed, set once.
final class ClosedFlag: Sendable {
    private let value = Locked(false)
    var isSet: Bool { value.withLock { $0 } }
    /// Sets the flag; true when this call set it.
    @discardableResult func set() -> Bool { value.withLock { wasSet in defer { wasSet = true }; return !wasSet } }
}
