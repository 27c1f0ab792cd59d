import Foundation
import Testing
@testable import RedshiftReplicator

/// Key changes are deletes too (issue 12, item 6): `UPDATE t SET id = 500 WHERE id = 14` must not
/// leave row 14 in Redshift. The tracking triggers record the old key when the key changes.
@Suite("Delete tracking: changed keys", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct KeyChangeTrackingTests {
    @Test(arguments: SourceKind.allCases)
    func aChangedKeyRemovesTheOldRowFromRedshift(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("rekeyed")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("CREATE TABLE \(name) (id bigint NOT NULL PRIMARY KEY, note \(kind.text), updated_at \(kind.timestamp) NOT NULL)")
        try await source.insert(name, "(id, note, updated_at)", 13...15) { "\($0), 'n\($0)', '2024-01-01 00:00:00'" }
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, note VARCHAR(64), updated_at TIMESTAMP)")
        let replicator = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(name)])
        #expect(try await replicator.replicate(tables: [name], logger: TestStack.logger).map(\.status) == [.imported])
        try await source.execute("UPDATE \(name) SET id = 500, updated_at = '2024-01-02 00:00:00' WHERE id = 14")
        // An update that keeps the key records nothing.
        try await source.execute("UPDATE \(name) SET note = 'changed', updated_at = '2024-01-02 00:00:00' WHERE id = 13")
        #expect(try await DeleteTrackingSupport.recorded(name, source: source) == ["14"])
        let second = try await replicator.replicate(tables: [name], logger: TestStack.logger)
        #expect(second.map(\.status) == [.imported], "\(second)")
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] } == ["13", "15", "500"])
        #expect(try await DeleteTrackingSupport.recorded(name, source: source).isEmpty)
    }
}
