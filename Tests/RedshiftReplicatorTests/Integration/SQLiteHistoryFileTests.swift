import Foundation
import Testing
@testable import RedshiftReplicator

/// SQLite's history lives in `<database>.rrr-history.sqlite`; an older rrr's table in the
/// database is moved there once (issue 12, item 12).
@Suite("SQLite history file", .enabled(if: TestStack.enabled), .timeLimit(.minutes(5)))
struct SQLiteHistoryFileTests {
    @Test func anOlderHistoryInTheDatabaseMovesToItsFileOnce() async throws {
        let source = try await TestSource.open(.sqlite)
        defer { Task { await source.close() } }
        // The table as rrr 0.3 made it, in the database, with two records.
        for statement in HistoryMigration(SQLiteHistoryDialect()).createTable { try await source.execute(statement) }
        try await source.execute("""
            INSERT INTO rrr_replications (id, "key", state, upper_bound, source_table, target_table) VALUES \
            (7, 'users_a', 'imported', '2024-01-01 00:00:00', 'users', 'users'), (9, 'users_b', 'imported', '2024-01-02 00:00:00', 'users', 'users')
            """)
        let configuration = try TestStack.configuration(tables: [TableConfiguration(name: "users", strategy: .timed)], source: source.url)
        // Two processes opening it at once (each replicator opens its own connections).
        let first = Replicator(configuration: configuration), second = Replicator(configuration: configuration)
        async let one = first.history(table: "users", logger: TestStack.logger)
        async let two = second.history(table: "users", logger: TestStack.logger)
        let (seenByFirst, seenBySecond) = try await (one, two)
        #expect(Set(seenByFirst.map(\.key)) == ["users_a", "users_b"] && Set(seenBySecond.map(\.key)) == ["users_a", "users_b"])
        #expect(try await source.historyRows("SELECT CAST(id AS TEXT), upper_bound FROM rrr_replications ORDER BY id")
                == [["7", "2024-01-01 00:00:00"], ["9", "2024-01-02 00:00:00"]], "moved once, ids kept")
        #expect(FileManager.default.fileExists(atPath: source.url.database + ".rrr-history.sqlite"))

        // The database's table is no longer read: a later open copies nothing again.
        try await source.execute("INSERT INTO rrr_replications (id, \"key\", state, source_table, target_table) VALUES (11, 'users_c', 'imported', 'users', 'users')")
        let later = Replicator(configuration: configuration)
        #expect(try await later.history(table: "users", logger: TestStack.logger).count == 2)
        #expect(try await source.historyRows("SELECT COUNT(*) FROM rrr_replications") == [["2"]])
    }
}
