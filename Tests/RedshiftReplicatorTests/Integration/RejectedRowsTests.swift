import Foundation
import Testing
@testable import RedshiftReplicator

/// `max_copy_errors > 0` (issue 12, item 3): rows COPY rejects are skipped and the high-water mark
/// moves past them, so they are counted in the history, warned about with the load error table's
/// lines, and shown by `status`.
@Suite("Rows COPY rejected", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct RejectedRowsTests {
    @Test func rejectedRowsAreCountedWarnedAndShownInStatus() async throws {
        let name = TestStack.uniqueName("rejected")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, n text, updated_at timestamp NOT NULL DEFAULT now());
            INSERT INTO \(name) (id, n) VALUES (1, '1'), (2, 'x2'), (3, '3')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, n INTEGER, updated_at TIMESTAMP)")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed)]) { $0.maxCopyErrors = 5 })
        try await replicator.install(logger: TestStack.logger)
        let events = EventCollector(replicator)
        let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(outcome.status == .imported, "\(outcome)")
        #expect(outcome.record?.recordCount == 3 && outcome.record?.rejectedCount == 1, "\(String(describing: outcome.record))")
        #expect(try await redshift.count(name) == 2)
        let warnings = await events.finish(replicator).filter { $0.kind == .rowsRejected }
        #expect(warnings.count == 1 && warnings.first?.level == .warning)
        #expect(warnings.first?.message.contains("COPY rejected 1 row(s) (max_copy_errors 5)") == true, "\(warnings)")
        #expect(warnings.first?.message.contains("x2") == true, "the rejected line's value is named: \(warnings)")
        // Saved in the history and visible in status.
        let saved = try await replicator.history(table: name, logger: TestStack.logger).first
        #expect(saved?.rejectedCount == 1)
        let status = try await replicator.status(tables: [name], logger: TestStack.logger)
        #expect(status.first?.rejectedRows == 1)
        // A clean run records 0 and status no longer reports rejected rows.
        try await source.execute("UPDATE \(name) SET n = '2', updated_at = now() WHERE id = 2")
        let clean = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(clean.record?.rejectedCount == 0, "\(String(describing: clean.record))")
        #expect(try await replicator.status(tables: [name], logger: TestStack.logger).first?.rejectedRows == nil)
        #expect(try await redshift.count(name) == 3)
    }
}
