import Foundation
import Logging
import MySQLClient
import RedshiftCSV
import SourceSupport

/// The MariaDB server of `scripts/stack` (RRR_TEST_MYSQL_*). Locally the suites skip without it;
/// under CI (`CI=true`) they run and fail.
enum TestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let isCI = environment["CI"] == "true"
    static var isConfigured: Bool { environment["RRR_TEST_MYSQL_HOST"] != nil }
    /// Whether the server suites run: configured, or CI (where a missing server must fail).
    static var enabled: Bool {
        if !isConfigured && !isCI { print("MySQLClientTests: RRR_TEST_MYSQL_* not set, skipping server tests") }
        return isConfigured || isCI
    }

    static var password: String { environment["RRR_TEST_MYSQL_PASSWORD"] ?? "" }

    /// A required variable of the stack's env file.
    static func value(_ name: String) throws -> String {
        guard let value = environment[name], !value.isEmpty else { throw MySQLError(.invalidConfiguration, "\(name) is not set (scripts/stack env)") }
        return value
    }

    static func configuration() throws -> MySQLConfiguration {
        guard let host = environment["RRR_TEST_MYSQL_HOST"], let port = environment["RRR_TEST_MYSQL_PORT"].flatMap(Int.init),
            let user = environment["RRR_TEST_MYSQL_USER"], let database = environment["RRR_TEST_MYSQL_DATABASE"]
        else { throw MySQLError(.invalidConfiguration, "RRR_TEST_MYSQL_HOST/PORT/USER/DATABASE are not set") }
        return MySQLConfiguration(endpoint: .tcp(host: host, port: port), username: user, password: password, database: database)
    }

    static func connect(logger: Logger = Logger(label: "test")) async throws -> MySQLConnection {
        try await MySQLConnection.connect(configuration(), logger: logger)
    }

    /// A table name unique to one test run, so parallel tests never share tables.
    static func uniqueTable(_ stem: String) -> String {
        "\(stem)_\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// Collects an export's batches (as the engine's sliced writer would) and reads them back with
/// RedshiftCSV's reader.
actor CollectingSink {
    private(set) var bytes: [UInt8] = []
    private(set) var batches: [Int] = []
    private(set) var recordCount = 0

    func receive(_ batch: CSVRecordBatch) {
        bytes += batch.bytes
        batches.append(batch.bytes.count)
        recordCount += batch.recordCount
    }

    /// The records as text fields, `nil` for NULL.
    func rows() throws -> [[String?]] {
        try CSVReader.records(in: bytes).map(\.strings)
    }
}

extension MySQLConnection {
    /// Exports into a ``CollectingSink``.
    func exportCollecting(
        table: String, columns: [ExportColumn], whereClause: String? = nil, batchSize: Int = defaultExportBatchSize
    ) async throws -> (ExportSummary, CollectingSink) {
        let sink = CollectingSink()
        let summary = try await export(
            table: table, columns: columns, whereClause: whereClause, batchSize: batchSize,
            logger: Logger(label: "test"), into: { try await sink.receive($0) })
        return (summary, sink)
    }
}

extension TestServer {
    /// Creates `CREATE TABLE <unique name> (<definition>)`, runs `body`, and drops the table even when
    /// `body` throws.
    static func withTable<T>(
        _ stem: String, _ definition: String, _ body: (MySQLConnection, String) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "test")
        let connection = try await connect()
        let table = uniqueTable(stem)
        let quoted = MySQLConnection.quoteIdentifier(table)
        try await connection.execute("CREATE TABLE \(quoted) (\(definition))", logger: logger)
        do {
            let result = try await body(connection, table)
            try await connect().execute("DROP TABLE \(quoted)", logger: logger)
            return result
        } catch {
            try? await connect().execute("DROP TABLE \(quoted)", logger: logger)
            throw error
        }
    }
}
