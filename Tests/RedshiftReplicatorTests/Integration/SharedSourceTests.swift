import Foundation
import Testing
@testable import RedshiftReplicator

/// Two configurations replicating one source table into two warehouses (here two schemas of the
/// emulator: production and staging, say) keep two histories and two locks (issue 12, item 2).
@Suite("One source, two warehouses", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(5)), .closesResources)
struct SharedSourceTests {
    @Test(arguments: SourceKind.allCases)
    func twoWarehousesKeepTheirOwnHistoryAndLock(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("shared"), staging = TestStack.uniqueName("staging")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, kind varchar(16))")
        try await source.insertNumbered(name, 1...5)
        try await redshift.execute("""
            CREATE SCHEMA \(staging);
            CREATE TABLE public.\(name) (id BIGINT, kind VARCHAR(16));
            CREATE TABLE \(staging).\(name) (id BIGINT, kind VARCHAR(16))
            """)
        let tables = [TableConfiguration(name: name, strategy: .identity)]
        let production = Replicator(configuration: try TestStack.configuration(tables: tables, source: source.url))
        var stagingConfiguration = try TestStack.configuration(tables: tables, source: source.url)
        stagingConfiguration.redshift.schema = staging
        let other = Replicator(configuration: stagingConfiguration)
        try await production.install(logger: TestStack.logger)
        try await other.install(logger: TestStack.logger)  // its ledger, in its schema
        #expect(production.configuration.warehouseIdentity != other.configuration.warehouseIdentity)
        let table = try production.configuration.table(named: name)
        #expect(production.configuration.lockKey(for: table) != other.configuration.lockKey(for: table))

        #expect(try await production.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        // Staging has no history of its own yet: it exports every row rather than continuing from
        // production's high-water mark (which would leave its table empty).
        let first = try await other.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(first.map(\.status) == [.imported], "\(first)")
        #expect(first.first?.record?.recordCount == 5)
        try await source.insertNumbered(name, 6...8)
        // Production's lock held: staging still runs, under its own.
        let release = try await source.holdTableLock(production.configuration.lockKey(for: table))
        #expect(try await production.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.skippedLocked])
        #expect(try await other.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        await release()
        #expect(try await production.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count("public.\(name)") == 8)
        #expect(try await redshift.count("\(staging).\(name)") == 8)

        // PostgreSQL's client here reads text columns only; the others convert.
        let owners = try await source.historyRows(kind == .postgres
            ? "SELECT CAST(warehouse AS text), CAST(COUNT(*) AS text) FROM rrr_replications WHERE target_table = '\(name)' GROUP BY warehouse ORDER BY 1"
            : "SELECT warehouse, COUNT(*) FROM rrr_replications WHERE target_table = '\(name)' GROUP BY warehouse ORDER BY 1")
        #expect(owners.map { $0[0] ?? "" }.sorted() == [production.configuration.warehouseIdentity, other.configuration.warehouseIdentity].sorted(), "\(owners)")
        // Each sees only its own records.
        #expect(try await production.history(table: name, limit: 10, logger: TestStack.logger).count == 2)
        #expect(try await other.history(table: name, limit: 10, logger: TestStack.logger).count == 2)
        // A reset of staging leaves production's high-water mark alone.
        #expect(try await other.reset(table: name, logger: TestStack.logger) == 2)
        try await source.insertNumbered(name, 9...9)
        let next = try await production.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(next.first?.record?.lowerBound != nil, "production went on from its high-water mark, not from scratch: \(next)")
    }

    /// Records written before records carried a warehouse belong to whichever configuration runs
    /// the table first after the upgrade: it continues from their high-water mark.
    @Test func recordsWithoutAWarehouseAreAdoptedByTheFirstRun() async throws {
        let name = TestStack.uniqueName("legacy")
        let source = try await TestSource.open(.postgres), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, kind varchar(16))")
        try await source.insertNumbered(name, 1...4)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, kind VARCHAR(16))")
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .identity)], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).first?.record?.recordCount == 4)
        try await source.execute("UPDATE rrr_replications SET warehouse = '' WHERE target_table = '\(name)'")
        try await source.insertNumbered(name, 5...6)
        let next = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(next.first?.record?.lowerBound != nil, "continued from the adopted high-water mark: \(next)")
        let unowned = try await source.rows("SELECT CAST(COUNT(*) AS text) FROM rrr_replications WHERE target_table = '\(name)' AND warehouse = ''")
        #expect(unowned.first?.first == "0")
        #expect(try await redshift.count(name) == 6)
    }
}
