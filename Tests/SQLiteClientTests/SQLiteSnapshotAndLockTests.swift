import Foundation
import Logging
import SQLiteClient
import SourceSupport
import Testing

@Suite("SQLite snapshots while another process writes, and the table lock", .timeLimit(.minutes(10)))
struct SQLiteSnapshotAndLockTests {
    let logger = Logger(label: "test")

    @Test func aReadSnapshotIgnoresAnotherProcesssCommits() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/app.sqlite3"
        let setup = try runSQLiteShell(path, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT);
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100)
            INSERT INTO events SELECT n, '2024-01-01 00:00:00' FROM s;
            """)
        try #require(setup.status == 0, "\(setup.output)")

        let database = try await SQLiteDatabase.open(path: path, logger: logger)
        #expect(try await database.journalMode(logger: logger) == "wal")
        try await database.beginReadSnapshot(logger: logger)
        #expect(try await database.query("SELECT max(id) FROM events", logger: logger).scalar == .integer(100))

        // The sqlite3 shell, a separate process, writes and commits while our snapshot is open:
        // in WAL mode it is not blocked.
        let write = try runSQLiteShell(path, "INSERT INTO events VALUES (101, 'late'); DELETE FROM events WHERE id = 1;")
        #expect(write.status == 0, "\(write.output)")

        let (inside, rows) = try await database.exportCollecting(table: "events", columns: [ExportColumn("id")])
        #expect(inside.rowCount == 100 && rows.first == ["1"] && !rows.contains(["101"]))
        try await database.commit(logger: logger)
        let (after, newRows) = try await database.exportCollecting(table: "events", columns: [ExportColumn("id")])
        #expect(after.rowCount == 100 && newRows.last == ["101"])
    }

    @Test func theTableLockStopsASecondHolderUntilReleased() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/app.sqlite3"
        let first = try await SQLiteTableLock.acquire(databasePath: path, table: "users/../x y", logger: logger)
        #expect(first.path == path + ".rrr-users%2F..%2Fx%20y.lock")
        let started = ContinuousClock.now
        await #expect {
            _ = try await SQLiteTableLock.acquire(
                databasePath: path, table: "users/../x y", timeout: .milliseconds(300), logger: logger)
        } throws: { ($0 as? SQLiteError)?.code == .lockTimedOut }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        // Another table is independent.
        let other = try await SQLiteTableLock.acquire(databasePath: path, table: "orders", logger: logger)
        other.release()

        // Released while a second holder waits: it gets the lock.
        async let second = SQLiteTableLock.acquire(
            databasePath: path, table: "users/../x y", timeout: .seconds(5), logger: logger)
        try await Task.sleep(for: .milliseconds(200))
        first.release()
        let taken = try await second
        taken.release()
    }

    @Test func anotherProcesssFlockHoldsTheLock() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/app.sqlite3"
        let lockFile = SQLiteTableLock.lockFilePath(databasePath: path, table: "users")
        // flock(1) in a child process holds the same lock until the test closes its stdin (-o: only
        // flock itself holds it, not `cat`): the release is an event the test causes, not a timer.
        let holder = Process(), input = Pipe()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", lockFile, "cat"]
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        // On a loaded machine the child may take a while to start: wait until it holds the lock.
        try await waitUntilAnotherProcessHolds(lockFile)
        await #expect {
            _ = try await SQLiteTableLock.acquire(databasePath: path, table: "users", logger: logger)
        } throws: { ($0 as? SQLiteError)?.code == .lockTimedOut }
        async let waiting = SQLiteTableLock.acquire(databasePath: path, table: "users", timeout: .seconds(60), logger: logger)
        try input.fileHandleForWriting.close()  // cat ends, flock exits and releases the lock
        let lock = try await waiting
        holder.waitUntilExit()
        lock.release()
    }

    /// Polls with `flock -n` (which fails while someone else holds the lock), for up to 10 s.
    private func waitUntilAnotherProcessHolds(_ lockFile: String) async throws {
        for _ in 0..<200 {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            probe.arguments = ["-n", lockFile, "true"]
            try probe.run()
            probe.waitUntilExit()
            if probe.terminationStatus != 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the flock(1) child never took the lock on \(lockFile)")
    }
}
