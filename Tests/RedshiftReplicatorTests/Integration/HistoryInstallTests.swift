import Foundation
import MySQLClient
import Synchronization
import Testing
@testable import RedshiftReplicator

/// `rrr install` on every source kind: an older history table gains the new columns and keeps its
/// rows; a current one is not altered (an ALTER would queue behind any open reader of the table).
@Suite("History table install and upgrade per source kind", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)), .closesResources)
struct HistoryInstallTests {
    static func migration(_ kind: SourceKind) -> HistoryMigration {
        switch kind {
        case .postgres: return HistoryMigration(PostgresHistoryDialect())
        case .mariadb: return HistoryMigration(MySQLHistoryDialect())
        case .sqlite: return HistoryMigration(SQLiteHistoryDialect())
        }
    }

    /// The history table's column names (the query of ``HistoryMigration/existingColumns``, its value written in).
    static func historyColumnsQuery(_ kind: SourceKind) -> String {
        switch kind {
        case .postgres: return "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'rrr_replications'"
        case .mariadb: return "SELECT CAST(column_name AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'rrr_replications'"
        case .sqlite: return "SELECT name FROM pragma_table_info('rrr_replications')"
        }
    }

    func replicator(_ source: TestSource) throws -> Replicator {
        Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: "users", strategy: .timed)], source: source.url))
    }

    @Test(arguments: SourceKind.allCases)
    func anOlderHistoryTableGainsTheNewColumnsAndKeepsItsRecords(kind: SourceKind) async throws {
        let source = try await TestSource.openIsolated(kind)
        closeAfterTest { await source.close() }
        // The table as the first release created it: without deleted_count and nulled_value_count.
        for statement in Self.migration(kind).createTable { try await source.execute(statement) }
        try await source.execute("ALTER TABLE rrr_replications DROP COLUMN deleted_count; ALTER TABLE rrr_replications DROP COLUMN nulled_value_count")
        try await source.execute("""
            INSERT INTO rrr_replications (replication_type, \(kind == .mariadb ? "`key`" : "\"key\""), state, upper_bound, record_count, source_table, target_table, export_format) \
            VALUES ('timed', 'users_old', 'imported', '2024-01-01 00:00:00', 42, 'users', 'users', 'gzip')
            """)
        let replicator = try replicator(source)
        try await replicator.install(logger: TestStack.logger)

        let columns = Set(try await source.historyRows(Self.historyColumnsQuery(kind)).compactMap { $0.first ?? nil })
        #expect(columns.isSuperset(of: ["deleted_count", "nulled_value_count"]), "\(columns)")
        let history = try await replicator.history(table: "users", logger: TestStack.logger)
        #expect(history.map(\.key) == ["users_old"] && history.first?.recordCount == 42, "the old record is kept and readable")
        #expect(history.first?.nulledValueCount == nil && history.first?.deletedCount == nil)
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.history(table: "users", logger: TestStack.logger).count == 1, "a second install changes nothing")
    }

    @Test(arguments: [SourceKind.postgres, .mariadb])
    func installingOverACurrentTableDoesNotWaitForItsReaders(kind: SourceKind) async throws {
        let source = try await TestSource.openIsolated(kind)
        closeAfterTest { await source.close() }
        let replicator = try replicator(source)
        try await replicator.install(logger: TestStack.logger)

        // A reader in an open transaction: PostgreSQL holds ACCESS SHARE, MariaDB a metadata lock,
        // until it ends. Any ALTER TABLE on rrr_replications would wait for it.
        let reader = try await source.readerSession()
        try await reader.execute(kind == .postgres ? "BEGIN" : "START TRANSACTION")
        _ = try await reader.rows("SELECT COUNT(*) FROM rrr_replications")
        let released = Atomic<Bool>(false)
        let release = Task {
            try? await Task.sleep(for: .seconds(30))
            released.store(true, ordering: .sequentiallyConsistent)
            try? await reader.execute("ROLLBACK")
        }
        try await replicator.install(logger: TestStack.logger)
        let readerWasReleased = released.load(ordering: .sequentiallyConsistent)
        #expect(!readerWasReleased, "install returned while the reader's transaction was still open")
        release.cancel()
        await release.value
        await reader.close()
    }
}
