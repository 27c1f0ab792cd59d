import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("VACUUM / ANALYZE against the Redshift emulator", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct MaintenanceTests {
    /// The variants the emulator recorded for `table` (its `rrr_emulator.maintenance_log`).
    static func vacuums(_ table: String, _ redshift: SQLClient) async throws -> [String] {
        try await redshift.rows("""
            SELECT variant FROM rrr_emulator.maintenance_log WHERE command = 'VACUUM' AND table_name LIKE '%\(table)%' ORDER BY id
            """).map { $0[0] ?? "" }
    }

    @Test func autoPicksReindexFullOrDeleteOnlyBySortKeyInACustomSchema() async throws {
        let schema = TestStack.uniqueName("Mart"), interleaved = TestStack.uniqueName("clicks"),
            compound = TestStack.uniqueName("sales"), unsorted = TestStack.uniqueName("notes")
        let redshift = try await SQLClient.redshift()
        closeAfterTest { await redshift.close() }
        try await redshift.execute("""
            CREATE SCHEMA "\(schema)";
            CREATE TABLE "\(schema)".\(interleaved) (id BIGINT, at TIMESTAMP) INTERLEAVED SORTKEY (id, at);
            CREATE TABLE "\(schema)".\(compound) (id BIGINT, at TIMESTAMP) COMPOUND SORTKEY (at);
            CREATE TABLE "\(schema)".\(unsorted) (id BIGINT, at TIMESTAMP)
            """)
        var config = try TestStack.configuration(tables: [interleaved, compound, unsorted].map { TableConfiguration(name: $0, strategy: .full) })
        config.redshift.schema = schema
        let replicator = Replicator(configuration: config)
        let outcomes = try await replicator.vacuum(logger: TestStack.logger)
        #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes)")
        #expect(outcomes.map(\.sortKey) == [.interleaved, .compound, SortKeyKind.none])
        #expect(try await Self.vacuums(interleaved, redshift) == ["REINDEX"])
        #expect(try await Self.vacuums(compound, redshift) == ["FULL"])
        #expect(try await Self.vacuums(unsorted, redshift) == ["DELETE ONLY"])
        // The schema was created as "Mart_...": Redshift stores it folded to lower case, and rrr finds it so (r_names).
        #expect(outcomes.first?.statement == "VACUUM REINDEX \"\(schema.lowercased())\".\"\(interleaved)\"")

        // An explicit mode with options; the emulator refuses VACUUM in a transaction block, so a
        // recorded run also proves rrr sent it outside one.
        let sortOnly = try await replicator.vacuum(tables: .named([compound]), options: VacuumOptions(mode: .sortOnly, toPercent: 80, boost: true), logger: TestStack.logger)
        #expect(sortOnly.first?.succeeded == true, "\(sortOnly)")
        let row = try await redshift.rows("""
            SELECT variant, CAST(to_percent AS VARCHAR), CAST(boost AS VARCHAR) FROM rrr_emulator.maintenance_log \
            WHERE table_name LIKE '%\(compound)%' ORDER BY id DESC LIMIT 1
            """).first
        #expect(row == ["SORT ONLY", "80", "true"])
    }

    @Test func analyzeRunsAndOneMissingTableFailsAlone() async throws {
        let present = TestStack.uniqueName("present"), missing = TestStack.uniqueName("missing")
        let redshift = try await SQLClient.redshift()
        closeAfterTest { await redshift.close() }
        try await redshift.execute("CREATE TABLE \(present) (id BIGINT) SORTKEY (id); INSERT INTO \(present) VALUES (1), (2), (3)")
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [missing, present].map { TableConfiguration(name: $0, strategy: .full) }))
        let reltuples = "SELECT CAST(reltuples AS VARCHAR) FROM pg_class WHERE relname = '\(present)'"
        let before = try await redshift.rows(reltuples).first?.first ?? nil
        let analyzed = try await replicator.analyze(tables: .named([present]), predicateColumns: true, logger: TestStack.logger)
        #expect(analyzed.map(\.succeeded) == [true], "\(analyzed)")
        #expect(analyzed.first?.statement?.hasSuffix("PREDICATE COLUMNS") == true)
        let after = try await redshift.rows(reltuples).first?.first ?? nil
        #expect(after == "3" && before != after, "ANALYZE refreshed the statistics (\(before ?? "nil") -> \(after ?? "nil"))")

        let outcomes = try await replicator.vacuum(logger: TestStack.logger)
        #expect(outcomes.map(\.succeeded) == [false, true])
        #expect(outcomes.first?.error?.contains(missing) == true, "\(outcomes)")
        #expect(try await Self.vacuums(present, redshift) == ["FULL"])
    }

    @Test func afterLoadMaintenanceRunsOnceTheLoadCommitted() async throws {
        let name = TestStack.uniqueName("ledger")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, updated_at timestamp); INSERT INTO \(name) VALUES (1, now())")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP) COMPOUND SORTKEY (updated_at)")
        var overrides = TableSettingsOverrides()
        overrides.vacuumAfterLoad = .auto
        overrides.analyzeAfterLoad = true
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .full, overrides: overrides)]))
        try await replicator.install(logger: TestStack.logger)
        let events = EventCollector(replicator)
        #expect(try await replicator.replicate(logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await Self.vacuums(name, redshift) == ["FULL"])
        let received = await events.finish(replicator)
        #expect(received.contains { $0.message.hasPrefix("after load: \(name): ANALYZE ok") })
    }
}
