import Foundation
import Logging
import PostgresNIO

/// One PostgresNIO connection to Redshift. Every statement runs under a timeout, because a
/// query on a connection that died underneath can otherwise wait forever.
struct RedshiftSession: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// Seconds a single statement may take (COPY and merges included). Default one hour.
    var statementTimeout: Double = 3600

    /// Connects as `login` says (password, Secrets Manager or IAM) with the configured TLS; the
    /// password is sent, never logged.
    /// The logger PostgresNIO gets: never below debug, because at trace it prints every statement
    /// as sent, and a COPY authorized with keys carries them.
    static func driverLogger(_ logger: Logger) -> Logger {
        var logger = logger
        if logger.logLevel < .debug { logger.logLevel = .debug }
        return logger
    }

    static func connect(_ settings: ReplicatorConfiguration.Redshift, login: RedshiftLogin, logger: Logger) async throws -> RedshiftSession {
        let credentials = try await login.credentials()
        let tls: PostgresConnection.Configuration.TLS
        do { tls = try Self.tls(settings) } catch {
            throw WarehouseError(.connectionFailed, "redshift.ssl_root_cert \(settings.sslRootCertificate ?? ""): \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: credentials.user,
            password: credentials.password, database: settings.database, tls: tls)
        configuration.options.connectTimeout = .seconds(15)
        let final = configuration
        do {
            let connection = try await withTimeout(seconds: 30, what: "connecting to Redshift") {
                try await PostgresConnection.connect(configuration: final, id: 1, logger: Self.driverLogger(logger))
            }
            return RedshiftSession(connection: connection, logger: logger)
        } catch let error as WarehouseError {
            throw error
        } catch {
            throw WarehouseError(.connectionFailed, "cannot connect to Redshift at \(settings.host):\(settings.port)/\(settings.database) as \(credentials.user) (sslmode \(settings.effectiveSSLMode.rawValue)): \(Self.describe(error))")
        }
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
        let connection = self.connection
        let logger = self.logger
        do {
            return try await withTimeout(seconds: statementTimeout, what: "statement") {
                var result: [[String?]] = []
                for try await row in try await connection.query(query, logger: Self.driverLogger(logger)) {
                    result.append(try row.map { try $0.decode(String?.self) })
                }
                return result
            }
        } catch let error as WarehouseError {
            throw error
        } catch {
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

    func close() async {
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
                return message + detail + state
            }
            return "\(psql.code)"
        }
        return "\(error)"
    }
}

/// Runs `body`, throwing ``WarehouseError/Code/timedOut`` after `seconds`.
func withTimeout<T: Sendable>(seconds: Double, what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw WarehouseError(.timedOut, "\(what) did not finish within \(Int(seconds)) s")
        }
        return value
    }
}
