import AsyncSupport
import Foundation
import Logging
import PostgresClient
import RedshiftCSV
import SourceSupport
import Synchronization
import Testing

/// The PostgreSQL server of `scripts/stack` (RRR_TEST_POSTGRES_*). Locally the suite skips without
/// it; under CI (`CI=true`) it runs and fails.
enum TestServer {
    static let environment = ProcessInfo.processInfo.environment
    static var enabled: Bool {
        let configured = environment["RRR_TEST_POSTGRES_HOST"] != nil, ci = environment["CI"] == "true"
        if !configured && !ci { print("PostgresClientTests: RRR_TEST_POSTGRES_* not set, skipping server tests") }
        return configured || ci
    }

    static func connect(_ name: String = "rrr test") async throws -> LibpqConnection {
        let configuration = PostgresConfiguration(
            host: environment["RRR_TEST_POSTGRES_HOST"] ?? "", port: environment["RRR_TEST_POSTGRES_PORT"].flatMap { Int($0) },
            user: environment["RRR_TEST_POSTGRES_USER"], password: environment["RRR_TEST_POSTGRES_PASSWORD"],
            database: environment["RRR_TEST_POSTGRES_DATABASE"] ?? "", applicationName: name)
        return try await LibpqConnection.connect(configuration, logger: Logger(label: "test"))
    }

    /// Creates a table of `rows` rows under a unique name, runs `body`, and drops the table and
    /// closes the connection whether `body` succeeds or throws.
    static func withTable<T>(rows: Int, _ body: (LibpqConnection, String) async throws -> T) async throws -> T {
        let connection = try await connect()
        let table = "pgclient_\(UInt32.random(in: 0...UInt32.max))"
        do {
            try await connection.execute("""
                CREATE TABLE \(table) (id bigint PRIMARY KEY, name text, flag smallint, at timestamp, blob bytea);
                INSERT INTO \(table) SELECT g, 'n,"' || g, g % 2, timestamp '2024-01-01' + g * interval '1 second',
                  CASE WHEN g % 3 = 0 THEN NULL ELSE '\\x00ff'::bytea END FROM generate_series(1, \(rows)) g
                """)
            let result = try await body(connection, table)
            try await connection.execute("DROP TABLE \(table)")
            await connection.close()
            return result
        } catch {
            try? await connection.execute("DROP TABLE IF EXISTS \(table)")
            await connection.close()
            throw error
        }
    }
}

@Suite("LibpqConnection against PostgreSQL", .enabled(if: TestServer.enabled), .timeLimit(.minutes(2)))
struct LibpqConnectionTests {
    let logger = Logger(label: "test")

    @Test func exportsRowsAsRedshiftCSVWithBoundParametersForQueries() async throws {
        try await TestServer.withTable(rows: 5) { connection, table in
            let matching = try await connection.scalar("SELECT count(*) FROM \(table) WHERE name = $1", [#"n,"3"#])
            #expect(matching == "1", "values are bound")
            let columns = try await connection.columns(ofTable: table).map(\.name)
            #expect(columns == ["id", "name", "flag", "at", "blob"])
            let key = try await connection.primaryKey(ofTable: table)
            #expect(key == ["id"])
            let bytes = Locked<[UInt8]>([])
            let summary = try await connection.export(
                table: table, columns: [ExportColumn("id"), ExportColumn("name"), ExportColumn("flag", target: .boolean),
                                        ExportColumn("at", target: .date), ExportColumn("blob")],
                whereClause: "id <= 3", logger: logger, into: { _ in })
            #expect(summary.rowCount == 3)
            _ = try await connection.export(table: table, columns: [ExportColumn("name"), ExportColumn("blob")], whereClause: "id = 3",
                                            logger: logger, into: { batch in bytes.withLock { $0 += batch.bytes } })
            let rows = try CSVReader.records(in: bytes.withLock { $0 }).map(\.strings)
            #expect(rows == [[#"n,"3"#, nil]], "quotes survive, NULL stays NULL")
        }
    }

    @Test func aFailingSinkStopsTheCopyAndTheConnectionStaysUsable() async throws {
        struct Stop: Error {}
        try await TestServer.withTable(rows: 200_000) { connection, table in
            let batches = Atomic<Int>(0)
            await #expect(throws: Stop.self) {
                _ = try await connection.export(table: table, columns: [ExportColumn("id"), ExportColumn("name")],
                                                batchSize: 4096, logger: logger, into: { _ in
                    if batches.add(1, ordering: .relaxed).newValue == 2 { throw Stop() }
                })
            }
            #expect(batches.load(ordering: .relaxed) == 2, "no batch after the failure")
            let answer = try await connection.scalar("SELECT 41 + $1::int", ["1"])
            #expect(answer == "42")
        }
    }

    @Test func cancellingTheTaskStopsALockWait() async throws {
        let holder = try await TestServer.connect("rrr test holder")
        let key = "pgclient-lock-\(UInt32.random(in: 0...UInt32.max))"
        #expect(try await holder.acquireLock(key, wait: false))
        let waiterName = "rrr test \(key)"
        let waiter = try await TestServer.connect(waiterName)
        #expect(try await waiter.acquireLock(key, wait: false) == false, "held by the other session")
        let waiting = Task { try await waiter.acquireLock(key, wait: true) }
        // Cancel once the server shows the waiter waiting for the lock (polled, not guessed with a sleep).
        for _ in 0..<500 {
            let waits = try await holder.scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [waiterName])
            if waits == "1" { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        waiting.cancel()
        await #expect(throws: (any Error).self) { _ = try await waiting.value }
        #expect(try await holder.releaseLock(key))
        #expect(try await waiter.acquireLock(key, wait: false), "usable after the cancelled wait")
        await holder.close()
        await waiter.close()
    }
}
