import Foundation
import Logging
import SQLiteClient
import SourceSupport
import Testing

@Suite("SQLite readers sharing one snapshot, and rowid shares", .timeLimit(.minutes(10)))
struct SQLiteSharedSnapshotTests {
    let logger = Logger(label: "test")

    @Test func readersOpenedTogetherSeeTheSameRowsWhileAnotherConnectionCommits() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/busy.sqlite3"
        let writer = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        try await writer.enableWriteAheadLog(logger: logger)
        try await writer.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT)", logger: logger)
        // Commits as fast as it can, each one row, until stopped.
        let writing = Task {
            var id: Int64 = 0
            while !Task.isCancelled {
                id += 1
                try? await writer.query("INSERT INTO events VALUES (?, 'x')", [.integer(id)], logger: logger)
            }
            return id
        }
        var counts: [[Int64]] = []
        for _ in 0..<15 {
            let readers = try await SQLiteDatabase.openReadersInOneSnapshot(path: path, count: 3, logger: logger)
            #expect(readers.count == 3, "the write lock is taken between two autocommits")
            var seen: [Int64] = []
            for reader in readers {
                if case .integer(let count) = try await reader.query("SELECT count(*) FROM events", logger: logger).scalar { seen.append(count) }
                try await reader.commit(logger: logger)
                await reader.close()
            }
            counts.append(seen)
            try await Task.sleep(for: .milliseconds(20))
        }
        writing.cancel()
        let written = await writing.value
        #expect(written > 100, "the writer was committing meanwhile (\(written) rows)")
        #expect(counts.allSatisfy { Set($0).count == 1 && $0.count == 3 }, "every reader of a group saw the same rows: \(counts)")
        #expect(Set(counts.map { $0[0] }).count > 1, "and the data did change between groups: \(counts)")
    }

    @Test func readersAlignInRollbackJournalModeToo() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/journal.sqlite3"
        let app = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        #expect(try await app.journalMode(logger: logger) == "delete")
        try await app.execute("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3)", logger: logger)
        let readers = try await SQLiteDatabase.openReadersInOneSnapshot(path: path, count: 2, logger: logger)
        #expect(readers.count == 2)
        for reader in readers {
            #expect(try await reader.query("SELECT count(*) FROM t", logger: logger).scalar == .integer(3))
            try await reader.commit(logger: logger)
            await reader.close()
        }
        // Once the readers are done, the app writes again (no lock was left behind).
        try await app.execute("INSERT INTO t VALUES (4)", logger: logger)
        #expect(try await app.query("SELECT count(*) FROM t", logger: logger).scalar == .integer(4))
    }

    @Test func aHeldWriteLockFallsBackToOneReader() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/locked.sqlite3"
        let app = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        try await app.enableWriteAheadLog(logger: logger)
        try await app.execute("CREATE TABLE t (id INTEGER PRIMARY KEY); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)", logger: logger)
        let readers = try await SQLiteDatabase.openReadersInOneSnapshot(path: path, count: 2, freezeTimeoutMilliseconds: 100, logger: logger)
        #expect(readers.count == 1, "the app's open write transaction is not waited for")
        #expect(try await readers[0].query("SELECT count(*) FROM t", logger: logger).scalar == .integer(0), "uncommitted rows are not seen")
        try await app.rollback(logger: logger)
    }

    @Test func rowidSharesCoverEveryRowOnceAndSkipTablesWithoutAUsableRowid() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/shares.sqlite3"
        let db = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        try await db.execute("""
            CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) INSERT INTO big SELECT n * 7, 'v' FROM s;
            CREATE TABLE keyed (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
            INSERT INTO keyed VALUES ('a', 'b');
            CREATE TABLE shadow (_rowid_ INTEGER, v TEXT);
            INSERT INTO shadow VALUES (NULL, 'lost if split on the column');
            """, logger: logger)
        let bounds = try #require(try await db.rowidSplit(table: "big", parts: 3, minimumRows: 100, logger: logger))
        #expect(bounds.count == 2 && bounds == bounds.sorted())
        let shares = ["_rowid_ <= \(bounds[0])", "_rowid_ > \(bounds[0]) AND _rowid_ <= \(bounds[1])", "_rowid_ > \(bounds[1])"]
        var total = 0
        for share in shares {
            let (summary, _) = try await db.exportCollecting(table: "big", columns: [ExportColumn("id")], whereClause: share)
            #expect(summary.rowCount > 250, "shares are about even: \(summary.rowCount)")
            total += summary.rowCount
        }
        #expect(total == 1000)
        #expect(try await db.rowidSplit(table: "big", parts: 2, minimumRows: 100_000, logger: logger) == nil, "small tables stay whole")
        #expect(try await db.rowidSplit(table: "keyed", parts: 2, minimumRows: 0, logger: logger) == nil, "WITHOUT ROWID")
        #expect(try await db.rowidSplit(table: "shadow", parts: 2, minimumRows: 0, logger: logger) == nil, "a column named _rowid_")
    }
}
