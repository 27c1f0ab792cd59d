import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("Parallel tables (jobs) within the connection budgets", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct ParallelTablesTests {
    /// Six tables of the three strategies, run three at a time with a tight source budget (the
    /// shared session plus two tables' two connections) and two Redshift sessions: every table
    /// equal, outcomes in configuration order, and a second run after changes picks them all up.
    @Test func sixTablesThreeAtATimeWithinBudgets() async throws {
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        let strategies: [ReplicationStrategy] = [.timed, .identity, .full, .timed, .identity, .full]
        var tables: [TableConfiguration] = []
        for (index, strategy) in strategies.enumerated() {
            let name = TestStack.uniqueName("par\(index)")
            try await source.execute("""
                CREATE TABLE \(name) (id bigint PRIMARY KEY, note text, updated_at timestamp);
                INSERT INTO \(name) SELECT g, 'n' || g, '2024-01-01'::timestamp + g * interval '1 second' FROM generate_series(1, \(20 + index)) g
                """)
            try await redshift.execute("CREATE TABLE \(name) (id BIGINT, note VARCHAR(32), updated_at TIMESTAMP)")
            tables.append(TableConfiguration(name: name, strategy: strategy))
        }
        var config = try TestStack.configuration(tables: tables)
        config.parallelism = Parallelism(jobs: 3, maxSourceConnections: 5, maxRedshiftConnections: 2)
        let replicator = Replicator(configuration: config)
        try await replicator.install(logger: TestStack.logger)

        let first = try await replicator.replicate(logger: TestStack.logger)
        #expect(first.map(\.table) == tables.map(\.name), "outcomes in configuration order")
        #expect(first.allSatisfy { $0.status == .imported }, "\(first)")
        for (index, table) in tables.enumerated() {
            let count = try await redshift.rows("SELECT CAST(COUNT(*) AS VARCHAR) FROM \(table.name)")
            #expect(count.first?.first == "\(20 + index)", "\(table.name)")
        }

        for table in tables {
            try await source.execute("""
                UPDATE \(table.name) SET note = 'changed', updated_at = '2025-01-01' WHERE id = 1;
                INSERT INTO \(table.name) VALUES (1000, 'new', '2025-01-02')
                """)
        }
        let second = try await replicator.replicate(jobs: 6, logger: TestStack.logger)
        #expect(second.allSatisfy { $0.status == .imported }, "\(second)")
        for (index, table) in tables.enumerated() {
            let rows = try await redshift.rows("SELECT CAST(COUNT(*) AS VARCHAR), CAST(SUM(CASE WHEN note = 'changed' THEN 1 ELSE 0 END) AS VARCHAR) FROM \(table.name)")
            // identity appends the new id only; timed merges the change; full copies everything.
            let changed = table.strategy == .identity ? "0" : "1"
            #expect(rows.first == ["\(21 + index)", changed], "\(table.name) \(table.strategy)")
        }
    }

    @Test func configurationReadsJobsAndBudgets() throws {
        let base = """
            source: { url: "postgres://u@localhost/db" }
            redshift: { host: h, database: d, user: u, password: p }
            s3: { bucket: b }
            tables: { t: { strategy: full } }
            """
        let defaults = try ReplicatorConfiguration.parse(yaml: base, environment: [:])
        #expect(defaults.parallelism.jobs == 4)
        #expect(defaults.parallelism.sourceBudget(jobs: 4) == 12)
        #expect(defaults.parallelism.redshiftBudget(jobs: 4) == 4)
        let set = try ReplicatorConfiguration.parse(yaml: base + "\njobs: 8\nmax_source_connections: 10\nmax_redshift_connections: 3", environment: [:])
        #expect(set.parallelism == Parallelism(jobs: 8, maxSourceConnections: 10, maxRedshiftConnections: 3))
        #expect(throws: ConfigurationError.self) { try ReplicatorConfiguration.parse(yaml: base + "\nmax_source_connections: 2", environment: [:]) }
        #expect(throws: ConfigurationError.self) { try ReplicatorConfiguration.parse(yaml: base + "\njobs: 0", environment: [:]) }
    }
}
