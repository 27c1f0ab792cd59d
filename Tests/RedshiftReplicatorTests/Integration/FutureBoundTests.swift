import Foundation
import Testing
@testable import RedshiftReplicator

/// Future-dated high-water marks (issue 12, item 1): one row dated years ahead must not put every
/// later change below the window; it waits, counted in a warning, until its time comes.
@Suite("Future-dated replication fields", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct FutureBoundTests {
    @Test(arguments: SourceKind.allCases)
    func aFutureRowDoesNotHoldBackLaterChanges(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("future")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        let past = switch kind {
        case .postgres: "now() - interval '1 hour'"
        case .mariadb: "UTC_TIMESTAMP() - INTERVAL 1 HOUR"
        case .sqlite: "strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 hour')"
        }
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
        let now = switch kind {
        case .postgres: "now() AT TIME ZONE 'UTC'"
        case .mariadb: "UTC_TIMESTAMP()"
        case .sqlite: "strftime('%Y-%m-%d %H:%M:%S', 'now')"
        }
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

    /// SQLite stores times as text of any shape or as epoch numbers: the clamp compares them as the
    /// bounds do (as instants; numbers as Unix epoch seconds in a DATETIME column), so neither a
    /// future number nor future text with a zone moves the high-water mark.
    @Test func sqliteClampsTextOfAnyShapeAndEpochNumbers() async throws {
        let name = TestStack.uniqueName("future_shapes")
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        let hourAgo = Int(Date().timeIntervalSince1970) - 3600
        try await source.execute("""
            CREATE TABLE \(name) (id integer PRIMARY KEY, name text, updated_at datetime NOT NULL);
            INSERT INTO \(name) VALUES (1, 'epoch past', \(hourAgo)), (2, 'epoch future', 4102444800.5),
              (3, 'text future with zone', '2099-01-01T00:00:00+14:00'), (4, 'date future', '2098-12-31'),
              (5, 'text past', strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 hours'))
            """)
        // Text: the values arrive as written (with their zones), epoch numbers as UTC text.
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), updated_at VARCHAR(40))")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed, lookback: .seconds(0))], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let events = EventCollector(replicator)
        let first = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(first.status == .imported, "\(first)")
        #expect(first.record?.upperBound == String(hourAgo), "the latest row that is not in the future: \(String(describing: first.record?.upperBound))")
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["1", "5"])
        let warnings = await events.finish(replicator).filter { $0.kind == .futureReplicationField }.map(\.message)
        #expect(warnings.count == 1 && warnings.first?.hasPrefix("3 row(s) have a replication field later") == true, "\(warnings)")
        // A change written now, as text in another shape, is replicated; the future rows still wait.
        try await source.execute("INSERT INTO \(name) VALUES (6, 'later', strftime('%Y-%m-%d %H:%M:%f', 'now'))")
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger)[0].status == .imported)
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["1", "5", "6"])
        // Their time come (here: corrected to now, one as a number, one as text with a zone), they are
        // read. A second later than row 6, which has milliseconds where these have whole seconds.
        try await Task.sleep(for: .seconds(1.1))
        try await source.execute("""
            UPDATE \(name) SET updated_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 2;
            UPDATE \(name) SET updated_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') WHERE id IN (3, 4)
            """)
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger)[0].status == .imported)
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["1", "2", "3", "4", "5", "6"])
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
