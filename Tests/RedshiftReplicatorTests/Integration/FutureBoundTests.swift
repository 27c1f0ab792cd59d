import Foundation
import Testing
@testable import RedshiftReplicator

/// Future-dated high-water marks (issue 12, item 1): one row dated years ahead must not put every
/// later change below the window; it waits, counted in a warning, until its time comes.
@Suite("Future-dated replication fields", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct FutureBoundTests {
    @Test(arguments: [SourceKind.postgres, .mariadb])
    func aFutureRowDoesNotHoldBackLaterChanges(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("future")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        let past = kind == .postgres ? "now() - interval '1 hour'" : "UTC_TIMESTAMP() - INTERVAL 1 HOUR"
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, name \(kind.text), updated_at \(kind.timestamp) NOT NULL);
            INSERT INTO \(name) VALUES (1, 'a', \(past)), (2, 'wrong clock', '2099-01-01 00:00:00')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), updated_at TIMESTAMP)")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed, lookback: .seconds(0))], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let events = EventCollector(replicator)
        let first = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(first.status == .imported, "\(first)")
        #expect(first.record?.upperBound?.hasPrefix("2099") == false, "the upper bound is clamped: \(String(describing: first.record?.upperBound))")
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["1"])
        let warnings = await events.finish(replicator).filter { $0.kind == .futureReplicationField }.map(\.message)
        #expect(warnings.count == 1 && warnings.first?.hasPrefix("1 row(s) have a replication field later than the source's current time") == true, "\(warnings)")
        // A change made after the first run is replicated (with the bound at 2099 it never was).
        let now = kind == .postgres ? "now() AT TIME ZONE 'UTC'" : "UTC_TIMESTAMP()"
        try await source.execute("INSERT INTO \(name) VALUES (3, 'later', \(now))")
        let second = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(second.status == .imported, "\(second)")
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["1", "3"])
        // Once its time has come (here: corrected), the waiting row is read too.
        try await source.execute("UPDATE \(name) SET updated_at = \(now) WHERE id = 2")
        let third = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(third.status == .imported, "\(third)")
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["1", "2", "3"])
    }

    /// The identity half of item 1: a far higher id is warned about (and still replicated).
    @Test(arguments: SourceKind.allCases)
    func anIdentityJumpIsWarnedAbout(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("jump")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name \(kind.text))")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(64))")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .identity, lookback: .ids(0))], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let events = EventCollector(replicator)
        for round in 0..<4 {
            try await source.insertNumbered(name, (round * 10 + 1)...(round * 10 + 10))
            #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger)[0].status == .imported)
        }
        try await source.insertNumbered(name, 41...45)
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger)[0].status == .imported)
        try await source.execute("INSERT INTO \(name) VALUES (9000000000, 'typo')")
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger)[0].status == .imported)
        let warnings = await events.finish(replicator).filter { $0.kind == .identityJump }.map(\.message)
        #expect(warnings.count == 1, "only the jump, not the usual growth: \(warnings)")
        #expect(warnings.first?.contains("from 45 to 9000000000") == true, "\(warnings)")
        #expect(try await redshift.count(name) == 46)
    }
}
