import Foundation
import Logging
import MySQLClient
import SourceSupport
import Testing

@Suite("MySQL consistent snapshots, session locks and streaming", .enabled(if: TestServer.enabled), .timeLimit(.minutes(10)))
struct MySQLSnapshotAndLockTests {
    let logger = Logger(label: "test")

    @Test func rowsCommittedAfterTheSnapshotAreNotExported() async throws {
        try await TestServer.withTable("snapshot", "id INT PRIMARY KEY, updated DATETIME(6)") { connection, table in
            let quoted = MySQLConnection.quoteIdentifier(table)
            try await connection.execute("INSERT INTO \(quoted) SELECT seq, NOW(6) FROM seq_1_to_100", logger: logger)
            try await connection.beginConsistentSnapshot(logger: logger)
            let bound = try await connection.query("SELECT MAX(id), COUNT(*) FROM \(quoted)", logger: logger)
            #expect(bound.rows == [["100", "100"]])

            let other = try await TestServer.connect()
            try await other.execute("INSERT INTO \(quoted) VALUES (101, NOW(6))", logger: logger)
            try await other.execute("DELETE FROM \(quoted) WHERE id = 1", logger: logger)

            let (inside, _) = try await connection.exportCollecting(table: table, columns: [ExportColumn("id")])
            #expect(inside.rowCount == 100)
            try await connection.commit(logger: logger)
            let (after, sink) = try await connection.exportCollecting(table: table, columns: [ExportColumn("id")])
            #expect(after.rowCount == 100)
            #expect(try await sink.rows().contains(["101"]))
        }
    }

    @Test func getLockBlocksASecondSessionUntilReleased() async throws {
        let name = MySQLConnection.lockName(database: "rrr_test", table: TestServer.uniqueTable("locked"))
        let first = try await TestServer.connect(), second = try await TestServer.connect()
        try await first.acquireLock(name, timeoutSeconds: 0, logger: logger)
        let started = ContinuousClock.now
        await #expect {
            try await second.acquireLock(name, timeoutSeconds: 1, logger: logger)
        } throws: { ($0 as? MySQLError)?.code == .lockTimedOut }
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(try await first.releaseLock(name, logger: logger))
        try await second.acquireLock(name, timeoutSeconds: 0, logger: logger)
        #expect(try await !first.releaseLock(name, logger: logger))
        // Closing a session releases its locks.
        await second.close()
        try await first.acquireLock(name, timeoutSeconds: 1, logger: logger)
    }

    @Test func aFailingSinkClosesTheConnectionAndTheErrorSurfaces() async throws {
        struct SinkFailed: Error {}
        try await TestServer.withTable("abort", "id INT PRIMARY KEY, body TEXT") { connection, table in
            try await connection.execute(
                "INSERT INTO \(MySQLConnection.quoteIdentifier(table)) SELECT seq, REPEAT('x', 500) FROM seq_1_to_20000",
                logger: logger)
            let busy = Box()
            await #expect(throws: SinkFailed.self) {
                try await connection.export(
                    table: table, columns: [ExportColumn("id"), ExportColumn("body")], batchSize: 4096,
                    logger: logger
                ) { _ in
                    // The session is mid-stream: anything else must be refused, not interleaved.
                    do { try await connection.execute("DO 1", logger: logger) } catch { await busy.set("\(error)") }
                    throw SinkFailed()
                }
            }
            let refusal = await busy.value
            #expect(refusal?.contains("busy") == true)
            await #expect {
                try await connection.execute("DO 1", logger: logger)
            } throws: { ($0 as? MySQLError)?.code == .connectionClosed }
        }
    }

    @Test func streamsTwoHundredThousandRowsInBoundedBatches() async throws {
        try await TestServer.withTable("stream", "id BIGINT PRIMARY KEY, name VARCHAR(64), amount DECIMAL(12,2)") {
            connection, table in
            try await connection.execute("""
                INSERT INTO \(MySQLConnection.quoteIdentifier(table))
                SELECT seq, CONCAT('name, "', seq, '"'), seq / 100 FROM seq_1_to_200000
                """, logger: logger)
            let counter = Counter()
            let summary = try await connection.export(
                table: table, columns: ["id", "name", "amount"].map { ExportColumn($0) }, logger: logger
            ) { batch in await counter.add(batch.recordCount, bytes: batch.bytes.count) }
            let (rows, largestBatch) = (await counter.rows, await counter.largestBatch)
            #expect(summary.rowCount == 200_000 && rows == 200_000)
            #expect(largestBatch < defaultExportBatchSize + 1024)
            // Peak memory is measured by scripts/bench-sources, not here: process RSS in a test
            // process that runs other suites in parallel says nothing about this export.
        }
    }
}

private actor Box {
    var value: String?
    func set(_ value: String) { self.value = value }
}

private actor Counter {
    var rows = 0, largestBatch = 0
    func add(_ count: Int, bytes: Int) {
        rows += count
        largestBatch = max(largestBatch, bytes)
    }
}

