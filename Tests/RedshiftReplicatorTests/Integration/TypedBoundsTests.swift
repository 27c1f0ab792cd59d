import Foundation
import Testing
@testable import RedshiftReplicator

/// Bounds typed by the column (issue 12, item 8): a range literal written as text must not stop
/// matching numbers, nor make a bound NULL.
@Suite("Bounds typed by the column", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct TypedBoundsTests {
    /// SQLite compares a column without affinity as stored: every INTEGER sorts below every TEXT,
    /// so `id > '-997'` matched nothing after the first run.
    @Test func sqliteUntypedIntegerFieldKeepsReplicating() async throws {
        let name = TestStack.uniqueName("untyped")
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("CREATE TABLE \(name) (id PRIMARY KEY, note TEXT); INSERT INTO \(name) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, note VARCHAR(16))")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .identity, replicationField: "id", lookback: .ids(1))], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger).map(\.status) == [.imported])
        try await source.execute("INSERT INTO \(name) VALUES (4, 'd'), (5, 'e')")
        let second = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(second.status == .imported && second.record?.recordCount == 3, "rows 3 (lookback), 4, 5: \(second)")
        #expect(try await redshift.count(name) == 5)
    }

    /// A MySQL timed field holding epoch seconds: the lower bound is computed in numbers (as a
    /// DATETIME it was NULL, and every run exported the whole table).
    @Test func mysqlEpochFieldExportsOnlyTheIncrement() async throws {
        let name = TestStack.uniqueName("epoch")
        let source = try await TestSource.open(.mariadb), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, updated_at bigint NOT NULL);
            INSERT INTO \(name) VALUES (1, 1699990000), (2, 1699990001), (3, 1700000000)
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at BIGINT)")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed, lookback: .seconds(10))], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger).first?.record?.recordCount == 3)
        try await source.execute("INSERT INTO \(name) VALUES (4, 1700001000)")
        let second = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(second.status == .imported && second.record?.lowerBound == "1699999990" && second.record?.recordCount == 2, "\(second)")
        #expect(try await redshift.count(name) == 4)
    }
}
