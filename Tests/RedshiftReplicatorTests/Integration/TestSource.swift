import Foundation
import Logging
import MySQLClient
import SQLiteClient
@testable import RedshiftReplicator

/// The source kinds the end-to-end suite runs against: the stack's PostgreSQL and MariaDB, and a
/// fresh SQLite file (WAL mode) per test.
enum SourceKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case postgres, mariadb, sqlite
    var description: String { rawValue }

    /// Column types spelled for this database.
    var text: String { self == .mariadb ? "varchar(255)" : "text" }
    var timestamp: String {
        switch self {
        case .postgres: return "timestamp"
        case .mariadb: return "datetime"
        case .sqlite: return "datetime"
        }
    }

    /// An `updated_at` column defaulting to the current time; whole seconds outside PostgreSQL, so
    /// its text compares equal to what Redshift shows.
    var timestampDefaultNow: String {
        switch self {
        case .postgres: return "timestamp NOT NULL DEFAULT now()"
        case .mariadb: return "datetime NOT NULL DEFAULT CURRENT_TIMESTAMP"
        case .sqlite: return "datetime NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))"
        }
    }
}

/// A test's own connection to the source, for creating tables and writing rows.
struct TestSource: Sendable {
    let kind: SourceKind
    /// The URL the replicator is configured with.
    let url: DatabaseURL
    private let postgres: SQLClient?
    private let mysql: MySQLConnection?
    private let sqlite: SQLiteDatabase?

    static func open(_ kind: SourceKind) async throws -> TestSource {
        switch kind {
        case .postgres:
            return TestSource(kind: kind, url: try DatabaseURL(parsing: try TestStack.value("RRR_TEST_POSTGRES_URL")),
                              postgres: try await SQLClient.source(), mysql: nil, sqlite: nil)
        case .mariadb:
            let configuration = try mysqlConfiguration()
            let text = "mariadb://\(configuration.username):\(configuration.password ?? "")@\(try TestStack.value("RRR_TEST_MYSQL_HOST")):"
                + "\(try TestStack.value("RRR_TEST_MYSQL_PORT"))/\(configuration.database)"
            return TestSource(kind: kind, url: try DatabaseURL(parsing: text), postgres: nil,
                              mysql: try await MySQLConnection.connect(configuration, logger: TestStack.logger), sqlite: nil)
        case .sqlite:
            let path = NSTemporaryDirectory() + "/" + TestStack.uniqueName("rrr_source") + ".db"
            let database = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: TestStack.logger)
            try await database.enableWriteAheadLog(logger: TestStack.logger)
            return TestSource(kind: kind, url: try DatabaseURL(parsing: "sqlite://" + path), postgres: nil, mysql: nil, sqlite: database)
        }
    }

    /// A source in a namespace of its own, so a test may create or drop `rrr_replications` without
    /// disturbing suites running in parallel: a fresh PostgreSQL schema (the URL sets `search_path`),
    /// a fresh MariaDB database, a fresh SQLite file.
    static func openIsolated(_ kind: SourceKind) async throws -> TestSource {
        let namespace = TestStack.uniqueName("rrr_ns").lowercased()
        switch kind {
        case .postgres:
            let client = try await SQLClient.source()
            try await client.execute("CREATE SCHEMA \(namespace); SET search_path TO \(namespace)")
            let base = try TestStack.value("RRR_TEST_POSTGRES_URL")
            let url = try DatabaseURL(parsing: base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(namespace)")
            return TestSource(kind: kind, url: url, postgres: client, mysql: nil, sqlite: nil)
        case .mariadb:
            let admin = try await MySQLConnection.connect(try mysqlConfiguration(), logger: TestStack.logger)
            try await admin.execute("CREATE DATABASE `\(namespace)` CHARACTER SET utf8mb4", logger: TestStack.logger)
            await admin.close()
            var configuration = try mysqlConfiguration()
            configuration.database = namespace
            let text = "mariadb://\(configuration.username):\(configuration.password ?? "")@\(try TestStack.value("RRR_TEST_MYSQL_HOST")):"
                + "\(try TestStack.value("RRR_TEST_MYSQL_PORT"))/\(namespace)"
            return TestSource(kind: kind, url: try DatabaseURL(parsing: text), postgres: nil,
                              mysql: try await MySQLConnection.connect(configuration, logger: TestStack.logger), sqlite: nil)
        case .sqlite:
            return try await open(kind)
        }
    }

    /// A second session on the same database and namespace (for readers holding locks).
    func readerSession() async throws -> TestSource {
        switch kind {
        case .postgres:
            let client = try await SQLClient.source()
            if let options = url.parameters["options"], let path = options.components(separatedBy: "search_path=").last {
                try await client.execute("SET search_path TO \(path)")
            }
            return TestSource(kind: kind, url: url, postgres: client, mysql: nil, sqlite: nil)
        case .mariadb:
            var configuration = try Self.mysqlConfiguration()
            configuration.database = url.database
            return TestSource(kind: kind, url: url, postgres: nil, mysql: try await MySQLConnection.connect(configuration, logger: TestStack.logger), sqlite: nil)
        case .sqlite:
            return try await another()
        }
    }

    /// Another session on the same database (for concurrent writers).
    func another() async throws -> TestSource {
        switch kind {
        case .postgres, .mariadb: return try await Self.open(kind)
        case .sqlite:
            let database = try await SQLiteDatabase.open(path: url.database, mode: .readWrite, logger: TestStack.logger)
            return TestSource(kind: kind, url: url, postgres: nil, mysql: nil, sqlite: database)
        }
    }

    static func mysqlConfiguration() throws -> MySQLConfiguration {
        MySQLConfiguration(endpoint: .tcp(host: try TestStack.value("RRR_TEST_MYSQL_HOST"), port: Int(try TestStack.value("RRR_TEST_MYSQL_PORT")) ?? 3306),
                           username: try TestStack.value("RRR_TEST_MYSQL_USER"), password: TestStack.environment["RRR_TEST_MYSQL_PASSWORD"],
                           database: try TestStack.value("RRR_TEST_MYSQL_DATABASE"))
    }

    /// Runs statements separated by `;` (no literal may contain `;`).
    func execute(_ sql: String) async throws {
        if let postgres { return try await postgres.execute(sql) }
        for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
            if let mysql { try await mysql.execute(statement, logger: TestStack.logger) }
            if let sqlite { try await sqlite.execute(statement, logger: TestStack.logger) }
        }
    }

    /// `INSERT INTO table [(columns)] VALUES (n, 'prefix' n), ...` for ids in `ids`.
    func insertNumbered(_ table: String, _ ids: ClosedRange<Int>, prefix: String = "k", columns: String? = nil) async throws {
        try await execute("INSERT INTO \(table) \(columns.map { "(\($0)) " } ?? "")VALUES " + ids.map { "(\($0), '\(prefix)\($0)')" }.joined(separator: ", "))
    }

    /// The source URL as an operator writes it in rrr.yml (credentials from the environment).
    var configURL: String {
        switch kind {
        case .postgres: return "${RRR_TEST_POSTGRES_URL}"
        case .mariadb: return "mariadb://${RRR_TEST_MYSQL_USER}:${RRR_TEST_MYSQL_PASSWORD}@${RRR_TEST_MYSQL_HOST}:${RRR_TEST_MYSQL_PORT}/\(url.database)"
        case .sqlite: return url.database
        }
    }

    /// Rows of a small query, values as text.
    func rows(_ sql: String) async throws -> [[String?]] {
        if let postgres { return try await postgres.rows(sql) }
        if let mysql { return try await mysql.query(sql, logger: TestStack.logger).rows }
        return try await sqlite!.query(sql, logger: TestStack.logger).rows.map { $0.map(\.text) }
    }

    /// Runs statements on the history table's database: the source itself, except for SQLite,
    /// whose history is a file of its own beside the database.
    func executeOnHistory(_ sql: String) async throws {
        guard kind == .sqlite else { return try await execute(sql) }
        let history = try await SQLiteDatabase.open(path: SQLiteSource.historyPath(for: url.database), mode: .readWriteCreate, logger: TestStack.logger)
        defer { Task { await history.close() } }
        for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
            try await history.execute(statement, logger: TestStack.logger)
        }
    }

    /// Rows of a small query on the history table's database (see ``executeOnHistory(_:)``).
    func historyRows(_ sql: String) async throws -> [[String?]] {
        guard kind == .sqlite else { return try await rows(sql) }
        let history = try await SQLiteDatabase.open(path: SQLiteSource.historyPath(for: url.database), mode: .readOnly, logger: TestStack.logger)
        defer { Task { await history.close() } }
        return try await history.query(sql, logger: TestStack.logger).rows.map { $0.map(\.text) }
    }

    /// Holds rrr's table lock for `key` the way another rrr process would, until `release` is called.
    func holdTableLock(_ key: String) async throws -> @Sendable () async -> Void {
        switch kind {
        case .postgres:
            let holder = try await SQLClient.source()
            _ = try await holder.rows("SELECT CAST(pg_advisory_lock(\(PostgresSource.lockNamespace), hashtext('\(key)')) AS VARCHAR)")
            return {
                _ = try? await holder.rows("SELECT CAST(pg_advisory_unlock(\(PostgresSource.lockNamespace), hashtext('\(key)')) AS VARCHAR)")
                await holder.close()
            }
        case .mariadb:
            let holder = try await MySQLConnection.connect(try Self.mysqlConfiguration(), logger: TestStack.logger)
            let name = MySQLConnection.lockName(database: try holder_database(), table: key)
            try await holder.acquireLock(name, timeoutSeconds: 0, logger: TestStack.logger)
            // Released explicitly: a closed session's locks go only once the server has noticed.
            return { _ = try? await holder.releaseLock(name, logger: TestStack.logger); await holder.close() }
        case .sqlite:
            let lock = try await SQLiteTableLock.acquire(databasePath: url.database, table: key, logger: TestStack.logger)
            return { lock.release() }
        }
    }

    private func holder_database() throws -> String { try TestStack.value("RRR_TEST_MYSQL_DATABASE") }

    func close() async {
        await postgres?.close()
        await mysql?.close()
        await sqlite?.close()
    }
}
