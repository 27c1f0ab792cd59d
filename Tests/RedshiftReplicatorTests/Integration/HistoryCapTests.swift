import Foundation
import Testing
@testable import RedshiftReplicator

/// `history_cap` on every source kind: many newer records without bounds (delete-only runs) must
/// not remove the record that holds the high-water mark, nor an unfinished one.
@Suite("History cap keeps the high-water mark and unfinished records", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct HistoryCapTests {
    @Test(arguments: SourceKind.allCases)
    func capKeepsTheHighWaterMarkAndUnfinishedRecords(kind: SourceKind) async throws {
        let source = try await TestSource.openIsolated(kind)
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: "users", strategy: .timed)], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let replicationSource = try replicator.makeSource()
        let store = replicationSource.history
        func record(_ key: String, _ state: ReplicationState, upper: String?) async throws -> ReplicationRecord {
            var record = try await store.insert(ReplicationRecord(replicationType: .timed, key: key, sourceTable: "users", targetTable: "users",
                                                                  slices: 1, exportFormat: .gzip), logger: TestStack.logger)
            record.state = state
            record.upperBound = upper
            try await store.update(record, logger: TestStack.logger)
            return record
        }
        let stuck = try await record("stuck", .uploaded, upper: "2024-01-01 00:00:00")
        let mark = try await record("mark", .imported, upper: "2024-02-01 00:00:00")
        _ = try await record("old-canceled", .canceled, upper: nil)
        for n in 0..<5 { _ = try await record("deletes-\(n)", .imported, upper: nil) }

        try await store.cap(source: "users", target: "users", keep: 2, logger: TestStack.logger)

        let kept = try await store.records(source: "users", target: "users", limit: 100, logger: TestStack.logger).map(\.key)
        #expect(kept == ["deletes-4", "deletes-3", "mark", "stuck"], "\(kind): \(kept)")
        #expect(try await store.highWaterMark(source: "users", target: "users", logger: TestStack.logger) == mark.upperBound)
        #expect(stuck.id < mark.id)
        await replicationSource.close()
        await source.close()
    }
}
