import Foundation
import Testing
@testable import RedshiftReplicator

/// Keys that can hold NULL (issue 12, item 4): the merge matches keys with `=`, which never matches
/// NULL, so a row with a NULL key would be inserted again on every run.
@Suite("Nullable key columns", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct NullKeyTests {
    /// A configured key column declared without NOT NULL is refused before the export, naming table and column.
    @Test(arguments: [SourceKind.postgres, .mariadb])
    func aNullableKeyColumnIsRefused(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("nullkey")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint NOT NULL, code varchar(16), updated_at \(kind.timestampDefaultNow), UNIQUE (code));
            INSERT INTO \(name) (id, code) VALUES (1, 'a'), (2, NULL)
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, code VARCHAR(16), updated_at TIMESTAMP)")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed, keyColumns: ["code"])], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(outcome.status == .failed, "\(outcome)")
        #expect(outcome.error?.contains("table \(name): the key column `code` of `\(name)` can hold NULL") == true, "\(outcome.error ?? "")")
        #expect(try await redshift.count(name) == 0, "nothing loaded")
        // A NOT NULL key column is accepted.
        let byID = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed, keyColumns: ["id"])], source: source.url))
        _ = try await byID.reset(table: name, logger: TestStack.logger)
        #expect(try await byID.replicate(tables: [name], logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(name) == 2)
    }

    /// SQLite lets `id bigint PRIMARY KEY` hold NULL: the table is accepted, a row with a NULL key
    /// stops the export before anything loads, and the next run after the fix loads every row once.
    @Test func aSQLiteNullPrimaryKeyStopsTheExport() async throws {
        let name = TestStack.uniqueName("nullkey")
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, code text, updated_at \(SourceKind.sqlite.timestampDefaultNow));
            INSERT INTO \(name) (id, code) VALUES (1, 'a'), (NULL, 'b'), (NULL, 'c')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, code VARCHAR(16), updated_at TIMESTAMP)")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed)], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        for _ in 1...2 {
            let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
            #expect(outcome.status == .failed, "\(outcome)")
            #expect(outcome.error?.contains("table `\(name)`: the key column `id` holds NULL") == true, "\(outcome.error ?? "")")
            #expect(try await redshift.count(name) == 0, "nothing loaded")
        }
        try await source.execute("UPDATE \(name) SET id = 2 WHERE code = 'b'; UPDATE \(name) SET id = 3 WHERE code = 'c'")
        let fixed = try await replicator.replicate(tables: [name], logger: TestStack.logger)
        #expect(fixed.map(\.status) == [.imported], "\(fixed)")
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["1", "2", "3"])
    }
}
