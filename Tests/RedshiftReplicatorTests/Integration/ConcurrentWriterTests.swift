import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("A writer changing the table while rrr replicates", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)), .closesResources)
struct ConcurrentWriterTests {
    @Test func sourceAndRedshiftEndEqualRowForRow() async throws {
        let name = TestStack.uniqueName("busy")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift(), writer = try await SQLClient.source()
        closeAfterTest { await source.close(); await redshift.close(); await writer.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, version int NOT NULL DEFAULT 0, updated_at timestamp NOT NULL DEFAULT clock_timestamp());
            INSERT INTO \(name) (id) SELECT g FROM generate_series(1, 2000) g
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, version INTEGER, updated_at TIMESTAMP)")
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)]))
        try await replicator.install(logger: TestStack.logger)

        // Inserts and updates in small transactions, bounded in count, while three runs happen.
        let writing = Task {
            for round in 0..<60 {
                try await writer.execute("""
                    BEGIN; INSERT INTO \(name) (id) VALUES (\(3000 + round));
                    UPDATE \(name) SET version = version + 1, updated_at = clock_timestamp() WHERE id % 60 = \(round); COMMIT
                    """)
                try await Task.sleep(for: .milliseconds(15))
            }
        }
        for _ in 0..<3 {
            let outcome = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
            #expect(outcome.allSatisfy { $0.status == .imported || $0.status == .upToDate }, "\(outcome)")
        }
        try await writing.value
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        let query = "SELECT CAST(id AS VARCHAR) || ':' || CAST(version AS VARCHAR) || ':' || CAST(updated_at AS VARCHAR) FROM \(name)"
        let expected = try await source.rows(query).compactMap { $0[0] }.sorted()
        let actual = try await redshift.rows(query).compactMap { $0[0] }.sorted()
        #expect(expected.count == 2060)
        #expect(actual == expected, "source and Redshift equal row for row")
    }
}
