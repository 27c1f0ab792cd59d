import Foundation
import Testing
@testable import RedshiftReplicator

/// Issue 12, item 8 (SQLite): text times with zone offsets. Compared as text,
/// `2026-01-01T09:30:00Z` sorts below a high-water mark of `2026-01-01T10:00:00+02:00` (08:00 UTC)
/// although it is later, and the row was never replicated; the bounds compare instants.
@Suite("SQLite text times with zone offsets", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct SQLiteTimeBoundsTests {
    @Test func mixedOffsetsAcrossRunsLoseNoRow() async throws {
        let name = TestStack.uniqueName("offsets")
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("""
            CREATE TABLE \(name) (id integer PRIMARY KEY, name text, updated_at text NOT NULL);
            INSERT INTO \(name) VALUES (1, 'a', '2026-01-01T07:00:00Z'), (2, 'b', '2026-01-01T10:00:00+02:00')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), updated_at VARCHAR(40))")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed, lookback: .seconds(0))], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        func run() async throws -> TableOutcome {
            let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
            #expect(outcome.status == .imported, "\(outcome)")
            return outcome
        }
        func ids() async throws -> [String] {
            try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] }
        }

        #expect(try await run().record?.upperBound == "2026-01-01T10:00:00+02:00", "the latest instant, 08:00 UTC")
        #expect(try await ids() == ["1", "2"])

        // Later instants whose text sorts below the high-water mark's: 09:30 UTC, and 15:00 UTC
        // written with a space (below any `T`) and a negative offset.
        try await source.execute("INSERT INTO \(name) VALUES (3, 'c', '2026-01-01T09:30:00Z'), (4, 'd', '2026-01-01 12:00:00-03:00')")
        #expect(try await run().record?.upperBound == "2026-01-01 12:00:00-03:00")
        #expect(try await ids() == ["1", "2", "3", "4"])

        // Once more against that mark: 18:00 UTC as `10:00-08:00`, 15:30:00.25 UTC with a fraction,
        // and 16:00 UTC at +09:00 on the next day's date.
        try await source.execute("""
            INSERT INTO \(name) VALUES (5, 'e', '2026-01-01 10:00:00-08:00'), (6, 'f', '2026-01-01T15:30:00.250+00:00'), (7, 'g', '2026-01-02T01:00:00+09:00')
            """)
        let third = try await run()
        #expect(third.record?.upperBound == "2026-01-01 10:00:00-08:00", "18:00 UTC is the latest")
        #expect(third.record?.recordCount == 3)
        #expect(try await ids() == ["1", "2", "3", "4", "5", "6", "7"])

        // Nothing new: nothing exported again (the lower bound is that instant, not its text).
        let fourth = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(fourth.status != .failed && (fourth.record?.recordCount ?? 0) == 0, "\(fourth)")
        #expect(try await redshift.count(name) == 7)
    }
}
