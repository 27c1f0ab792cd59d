import Foundation
import Logging
import PostgresNIO

/// A test's own connection to the source PostgreSQL or to the Redshift emulator, for setting up
/// tables and reading what arrived. Every value comes back as text (cast in SQL).
struct SQLClient: Sendable {
    let connection: PostgresConnection

    static func source() async throws -> SQLClient {
        let url = try DatabaseURLParts(try TestStack.value("RRR_TEST_POSTGRES_URL"))
        return try await connect(host: url.host, port: url.port, user: url.user, password: url.password, database: url.database)
    }

    static func redshift() async throws -> SQLClient {
        try await connect(host: try TestStack.value("RRR_TEST_REDSHIFT_HOST"), port: Int(try TestStack.value("RRR_TEST_REDSHIFT_PORT"))!,
                          user: try TestStack.value("RRR_TEST_REDSHIFT_USER"), password: try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD"),
                          database: try TestStack.value("RRR_TEST_REDSHIFT_DATABASE"))
    }

    static func connect(host: String, port: Int, user: String, password: String, database: String) async throws -> SQLClient {
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        return SQLClient(connection: try await PostgresConnection.connect(configuration: configuration, id: 1, logger: TestStack.logger))
    }

    /// Runs statements separated by `;` one by one (no literals containing `;`).
    func execute(_ sql: String) async throws {
        for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestStack.logger)
        }
    }

    /// Rows of a query whose columns are all cast to text.
    func rows(_ sql: String) async throws -> [[String?]] {
        var result: [[String?]] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestStack.logger) {
            result.append(try row.map { try $0.decode(String?.self) })
        }
        return result
    }

    func count(_ table: String) async throws -> Int {
        Int(try await rows("SELECT CAST(COUNT(*) AS VARCHAR) FROM \(table)").first?.first.flatMap { $0 } ?? "") ?? -1
    }

    func close() async { try? await connection.close() }
}

struct DatabaseURLParts {
    let host: String, port: Int, user: String, password: String, database: String
    init(_ text: String) throws {
        guard let c = URLComponents(string: text) else { throw TestStackError(message: "bad URL") }
        host = c.host ?? "127.0.0.1"; port = c.port ?? 5432; user = c.user ?? ""; password = c.password ?? ""
        database = String(c.path.dropFirst())
    }
}
