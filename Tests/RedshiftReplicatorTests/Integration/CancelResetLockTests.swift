import Foundation
import Testing
@testable import RedshiftReplicator

/// `rrr cancel` and `rrr reset` take the table's lock, so they never race a run that would carry on
/// from the record they change; while another process holds it they refuse and change nothing.
@Suite("Cancel and reset take the table's lock", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct CancelResetLockTests {
    @Test(arguments: SourceKind.allCases)
    func cancelAndResetRefuseWhileTheTableIsLocked(kind: SourceKind) async throws {
        let source = try await TestSource.openIsolated(kind)
        let table = TableConfiguration(name: "users", strategy: .timed)
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [table], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let holder = try replicator.makeSource()
        var record = try await holder.history.insert(
            ReplicationRecord(replicationType: .timed, key: "users_running", sourceTable: "users", targetTable: "users",
                              slices: 1, exportFormat: .gzip), logger: TestStack.logger)
        record.state = .exporting
        try await holder.history.update(record, logger: TestStack.logger)

        let key = TableReplication.lockKey(try replicator.configuration.table(named: "users"), replicator.configuration)
        let held: Bool? = try await holder.withTableLock(key, wait: false, logger: TestStack.logger) {
            for attempt in ["cancel", "reset"] {
                let error = await #expect(throws: ReplicationFailure.self) {
                    if attempt == "cancel" { try await replicator.cancel(table: "users", logger: TestStack.logger) }
                    else { try await replicator.reset(table: "users", logger: TestStack.logger) }
                }
                #expect(error?.kind == .lockBusy && error?.message.contains("another rrr process") == true, "\(kind) \(attempt): \(String(describing: error))")
            }
            return true
        }
        #expect(held == true, "the test held the lock")
        let unchanged = try await replicator.history(table: "users", logger: TestStack.logger)
        #expect(unchanged.map(\.state) == [.exporting], "\(kind): nothing changed while the lock was held")

        // Once the run is gone, both work.
        #expect(try await replicator.cancel(table: "users", logger: TestStack.logger)?.state == .canceled)
        #expect(try await replicator.reset(table: "users", logger: TestStack.logger) == 1)
        await holder.close()
        await source.close()
    }
}
