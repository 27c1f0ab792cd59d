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
                try await PostgresConnection.connect(configuration: final, id: 1, logger: logger)
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

    /// Runs a query whose columns are all text (cast them in SQL) and returns the rows.
    func rows(_ query: PostgresQuery, logAs: String? = nil) async throws -> [[String?]] {
        logger.debug("redshift statement", metadata: ["rrr_sql": "\(logAs ?? query.sql)"])
        let connection = self.connection
        let logger = self.logger
        do {
            return try await withTimeout(seconds: statementTimeout, what: "statement") {
                var result: [[String?]] = []
                for try await row in try await connection.query(query, logger: logger) {
                    result.append(try row.map { try $0.decode(String?.self) })
                }
                return result
            }
        } catch let error as WarehouseError {
            throw error
        } catch {
            throw WarehouseError(.statementFailed, "\(Self.describe(error)) (statement: \((logAs ?? query.sql).prefix(400)))")
        }
    }

    func close() async {
        try? await connection.close()
    }

    /// The server's message for a PSQLError (its `description` is deliberately generic).
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let state = psql.serverInfo?[.sqlState].map { " [SQLSTATE \($0)]" } ?? ""
                return message + state
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
