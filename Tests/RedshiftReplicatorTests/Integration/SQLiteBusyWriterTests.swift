import Foundation
import SQLiteClient
import Synchronization
import Testing
@testable import RedshiftReplicator

/// Issue 12, item 12: an application that starts its next write transaction right after each
/// commit leaves SQLite's write lock free only for instants. rrr's own writes must not depend on
/// winning it: the history is a file of its own, and the few writes to the deletions table take
/// the lock in short attempts and give up (with a warning, repeated by a later run).
@Suite("SQLite beside a writer committing back to back", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct SQLiteBusyWriterTests {
    /// Longest a run may take while the writer runs: 12 to 30 s alone, 52 s seen beside 97 other
    /// tests on 2 cores (its writes to the deletions table give up after 10 s). Without a history
    /// file of its own each history statement waited up to 60 s for the lock, and a run did not
    /// end within 200 s.
    static let runBound: Duration = .seconds(120)

    /// WAL only: in rollback-journal mode such a writer keeps readers out too (each commit takes the
    /// file exclusively), which no change in rrr avoids (the README advises WAL).
    @Test(arguments: ["wal"])
    func runsFinishWhileTheApplicationWritesBackToBack(journalMode: String) async throws {
        let name = TestStack.uniqueName("busy")
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("PRAGMA journal_mode = \(journalMode)")
        try await source.execute("""
            CREATE TABLE \(name) (id integer PRIMARY KEY, name text, updated_at datetime NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')))
            """)
        try await source.insertNumbered(name, 1...200, columns: "id, name")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), updated_at TIMESTAMP)")
        let replicator = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(name, lookback: .seconds(5))])

        // The application: its own connection, on its own thread, committing in a tight loop.
        let writer = try await SQLiteDatabase.open(path: source.url.database, mode: .readWrite, busyTimeoutMilliseconds: 60_000, logger: TestStack.logger)
        let stop = Atomic<Bool>(false)
        let writing = Task.detached {
            try await performIsolated(on: writer) { db -> Int in
                var commits = 0
                while !stop.load(ordering: .relaxed) {
                    let id = 1_000 + commits
                    try db.execute("BEGIN IMMEDIATE", logger: TestStack.logger)
                    try db.execute("INSERT INTO \(name) (id, name) VALUES (\(id), 'new \(id)')", logger: TestStack.logger)
                    try db.execute("UPDATE \(name) SET name = 'changed \(id)', updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = \(commits % 200 + 1)", logger: TestStack.logger)
                    if commits % 5 == 4 { try db.execute("DELETE FROM \(name) WHERE id = \(id - 2)", logger: TestStack.logger) }
                    // The application's own work inside its transaction (and a commit that waits for
                    // the disk): the lock is free only between COMMIT and the next BEGIN.
                    Thread.sleep(forTimeInterval: 0.05)
                    try db.execute("COMMIT", logger: TestStack.logger)
                    commits += 1
                }
                return commits
            }
        }
        var outcomes: [TableOutcome] = []
        var durations: [Duration] = []
        do {
            try await Task.sleep(for: .milliseconds(300))
            for _ in 1...2 {
                let start = ContinuousClock.now
                outcomes += try await replicator.replicate(tables: [name], logger: TestStack.logger)
                durations.append(ContinuousClock.now - start)
            }
        } catch {
            stop.store(true, ordering: .relaxed)
            _ = try? await writing.value
            throw error
        }
        stop.store(true, ordering: .relaxed)
        let commits = try await writing.value
        await writer.close()
        #expect(commits > 20, "the writer kept writing: \(commits) commits")
        #expect(outcomes.map(\.status) == [.imported, .imported], "\(outcomes.map { "\($0.status) \($0.error ?? "")" })")
        #expect(durations.allSatisfy { $0 < Self.runBound }, "each run ended within \(Self.runBound) while the writer wrote: \(durations)")

        // The writer stopped: a last run catches up, and the warehouse equals the source.
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger).map(\.status) == [.imported])
        let expected = try await source.rows("SELECT CAST(id AS TEXT), name FROM \(name) ORDER BY \(name).id")
        let loaded = try await redshift.rows("SELECT CAST(id AS VARCHAR), name FROM \(name) ORDER BY \(name).id")
        let differing = zip(loaded, expected).filter { $0.0 != $0.1 }.prefix(5).map { "\($0.0) vs \($0.1)" }
        #expect(loaded.count == expected.count && differing.isEmpty, "Redshift has \(loaded.count) rows, the source \(expected.count); first differences (Redshift vs source): \(differing)")
        #expect(try await DeleteTrackingSupport.recorded(name, source: source).isEmpty, "every deletion record was removed in the end")
    }
}
