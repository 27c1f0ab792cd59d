import Foundation
import Testing
@testable import RedshiftReplicator

/// Delete tracking end to end for every source kind: triggers in PostgreSQL, MariaDB and SQLite
/// -> moto S3 -> Redshift emulator. One suite, parameterised over ``SourceKind``; what only one
/// database does is in ``DeleteTrackingPerDatabaseTests``.
@Suite("Delete tracking end to end per source kind", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct DeleteTrackingTests {
    @Test(arguments: SourceKind.allCases)
    func deleteWhereCascadeAndBulkDeleteReachRedshift(kind: SourceKind) async throws {
        let parent = TestStack.uniqueName("accounts"), child = TestStack.uniqueName("orders")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        if kind == .sqlite { try await source.execute("PRAGMA foreign_keys = ON") }
        try await source.execute("""
            CREATE TABLE \(parent) (id bigint PRIMARY KEY, name varchar(32), updated_at \(kind.timestamp) NOT NULL DEFAULT '2024-01-01 00:00:00');
            CREATE TABLE \(child) (id bigint PRIMARY KEY, account_id bigint, updated_at \(kind.timestamp) NOT NULL DEFAULT '2024-01-01 00:00:00', \
            FOREIGN KEY (account_id) REFERENCES \(parent) (id) ON DELETE CASCADE)
            """)
        try await source.insert(parent, "(id, name)", 1...10_020) { "\($0), 'a\($0)'" }
        try await source.insert(child, "(id, account_id)", 1...20) { "\($0), \($0)" }
        try await redshift.execute("""
            CREATE TABLE \(parent) (id BIGINT, name VARCHAR(32), updated_at TIMESTAMP);
            CREATE TABLE \(child) (id BIGINT, account_id BIGINT, updated_at TIMESTAMP)
            """)
        let replicator = try await DeleteTrackingSupport.replicator(source, [
            DeleteTrackingSupport.tracked(parent), DeleteTrackingSupport.tracked(child, lookback: .seconds(0)),
        ])
        let events = EventCollector(replicator)
        #expect(try await replicator.replicate(logger: TestStack.logger).map(\.status) == [.imported, .imported])
        #expect(try await redshift.count(parent) == 10_020)

        try await source.execute("""
            DELETE FROM \(child) WHERE id IN (19, 20);
            DELETE FROM \(parent) WHERE id BETWEEN 1 AND 3;
            DELETE FROM \(parent) WHERE id > 20
            """)  // 3 parents cascade to 3 children; then a bulk delete of 10,000 rows
        #expect(try await DeleteTrackingSupport.recorded(parent, source: source).count == 10_003)
        // MySQL/MariaDB fire no trigger for rows a cascade removes (README says so).
        let childDeletes = kind.cascadesFireTriggers ? 5 : 2
        #expect(try await DeleteTrackingSupport.recorded(child, source: source).count == childDeletes)
        let second = try await replicator.replicate(logger: TestStack.logger)
        #expect(second.map(\.status) == [.imported, .imported], "\(second)")
        #expect(second.map { $0.record?.deletedCount } == [10_003, Int64(childDeletes)])
        #expect(second.last?.record?.recordCount == 0 && second.last?.record?.upperBound == nil,
                "no changed child rows: the deletes ran on their own, the high-water mark untouched")
        #expect(try await DeleteTrackingSupport.ids(parent, redshift) == (4...20).map(String.init))
        #expect(try await DeleteTrackingSupport.ids(child, redshift) == (kind.cascadesFireTriggers ? 4...18 : 1...18).map(String.init))
        #expect(try await DeleteTrackingSupport.recorded(parent, source: source).isEmpty)
        #expect(try await DeleteTrackingSupport.recorded(child, source: source).isEmpty)
        let history = try await replicator.history(table: parent, logger: TestStack.logger)
        #expect(history.first?.deletedCount == 10_003, "the count is in the history table")
        let received = await events.finish(replicator)
        #expect(received.contains { $0.kind == .deletesPropagated && $0.table == parent && $0.message.contains("propagated 10003 delete(s)") })
    }

    @Test(arguments: SourceKind.allCases)
    func deleteThenReinsertOfTheSameKeyEndsPresentAndPropagatesInTheLoad(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("profiles")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name varchar(16), updated_at \(kind.timestamp) NOT NULL)")
        try await source.insert(name, "(id, name, updated_at)", 1...5) { "\($0), 'v1', '2024-01-01 00:00:00'" }
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(16), updated_at TIMESTAMP)")
        let replicator = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(name)])
        _ = try await replicator.replicate(logger: TestStack.logger)

        try await source.execute("""
            DELETE FROM \(name) WHERE id IN (2, 3);
            INSERT INTO \(name) VALUES (2, 'v2', '2024-02-01 00:00:00');
            UPDATE \(name) SET name = 'v2', updated_at = '2024-02-01 00:00:00' WHERE id = 4
            """)
        let outcome = try await replicator.replicate(logger: TestStack.logger)
        #expect(outcome.first?.record?.recordCount == 4, "rows in the lookback window: the deletes ride in the load")
        #expect(outcome.first?.record?.deletedCount == 1)
        let rows = try await redshift.rows("SELECT CAST(id AS VARCHAR), name FROM \(name) ORDER BY id")
        #expect(rows.map { $0[0] } == ["1", "2", "4", "5"])
        #expect(rows.first { $0[0] == "2" }?[1] == "v2", "re-created row present with its new values")
        #expect(try await DeleteTrackingSupport.recorded(name, source: source).isEmpty)

        // Re-created after an earlier load: the deletion record alone must not remove it.
        try await source.execute("DELETE FROM \(name) WHERE id = 5; INSERT INTO \(name) VALUES (5, 'v3', '2024-01-01 00:00:00')")
        let outcomes = try await replicator.propagateDeletes(tables: .named([name]), logger: TestStack.logger)
        #expect(outcomes.map(\.status) == [.propagated] && outcomes.first?.recreated == 1 && outcomes.first?.deleted == 0)
        #expect(try await DeleteTrackingSupport.ids(name, redshift) == ["1", "2", "4", "5"])
    }

    @Test(arguments: SourceKind.allCases)
    func deletesMadeDuringPropagationAreKeptForTheNextRun(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("carts")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        let other = try await source.another()
        // SQLite has one writer at a time: an open deleting transaction would stall every other writer.
        let lateWriter = kind == .sqlite ? nil : try await source.another()
        closeAfterTest { await source.close(); await redshift.close(); await other.close(); await lateWriter?.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, updated_at \(kind.timestamp) NOT NULL DEFAULT '2024-01-01 00:00:00')")
        try await source.insert(name, "(id)", 1...10) { "\($0)" }
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP)")
        let replicator = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(name)])
        _ = try await replicator.replicate(logger: TestStack.logger)

        // A transaction deletes 6 and stays open: its record gets a lower id but commits late.
        if let lateWriter { try await lateWriter.begin(); try await lateWriter.execute("DELETE FROM \(name) WHERE id = 6") }
        try await source.execute("DELETE FROM \(name) WHERE id IN (1, 2)")
        // While propagation runs (after it read the records), another session deletes 3.
        let outcome = try await DeletePropagationHook.$afterRead.withValue({ try await other.execute("DELETE FROM \(name) WHERE id = 3") }) {
            try await replicator.replicate(logger: TestStack.logger)
        }
        #expect(outcome.first?.record?.deletedCount == 2, "\(outcome)")
        if let lateWriter { try await lateWriter.execute("COMMIT") } else { try await source.execute("DELETE FROM \(name) WHERE id = 6") }
        #expect(try await DeleteTrackingSupport.ids(name, redshift) == ["3", "4", "5", "6", "7", "8", "9", "10"])
        #expect(Set(try await DeleteTrackingSupport.recorded(name, source: source)) == ["3", "6"], "both late deletes are kept")

        let next = try await replicator.propagateDeletes(tables: .named([name]), logger: TestStack.logger)
        #expect(next.first?.deleted == 2)
        #expect(try await DeleteTrackingSupport.ids(name, redshift) == ["4", "5", "7", "8", "9", "10"])
        #expect(try await DeleteTrackingSupport.recorded(name, source: source).isEmpty)
    }

    @Test(arguments: SourceKind.allCases)
    func standaloneDeletesWaitForAnUploadedImportWhichCarriesThem(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("tickets")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, updated_at \(kind.timestamp) NOT NULL DEFAULT '2024-01-01 00:00:00')")
        try await source.insert(name, "(id)", 1...4) { "\($0)" }
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP)")
        let replicator = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(name)])
        #expect(try await replicator.export(logger: TestStack.logger).map(\.status) == [.exported])
        // Row 1 is in the uploaded files; deleting it in Redshift now would be undone by the import.
        try await source.execute("DELETE FROM \(name) WHERE id = 1")
        #expect(try await replicator.propagateDeletes(logger: TestStack.logger).map(\.status) == [.deferred])
        #expect(try await DeleteTrackingSupport.recorded(name, source: source) == ["1"])
        let imported = try await replicator.import(logger: TestStack.logger)
        #expect(imported.first?.record?.deletedCount == 1, "\(imported)")
        #expect(try await DeleteTrackingSupport.ids(name, redshift) == ["2", "3", "4"], "deleted after the stage was loaded")
    }

    @Test(arguments: SourceKind.allCases)
    func uuidAndTextKeysAreTrackedAndComparedExactly(kind: SourceKind) async throws {
        let devices = TestStack.uniqueName("devices"), codes = TestStack.uniqueName("codes")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        // MariaDB's default collation is case-insensitive: `Case` and `case` are one key there, not in Redshift.
        try await source.execute("""
            CREATE TABLE \(devices) (id \(kind.uuid) PRIMARY KEY, updated_at \(kind.timestamp) NOT NULL DEFAULT '2024-01-01 00:00:00');
            INSERT INTO \(devices) (id) VALUES ('0d9d3f7e-1111-4a4a-9b9b-000000000001'), ('0d9d3f7e-1111-4a4a-9b9b-000000000002');
            CREATE TABLE \(codes) (serial \(kind.serialKey), code varchar(16) UNIQUE NOT NULL, updated_at \(kind.timestamp) NOT NULL DEFAULT '2024-01-01 00:00:00');
            INSERT INTO \(codes) (code) VALUES ('it''s'), ('b,c'), ('keep'), ('Case')
            """)
        try await redshift.execute("""
            CREATE TABLE \(devices) (id VARCHAR(36), updated_at TIMESTAMP);
            CREATE TABLE \(codes) (serial BIGINT, code VARCHAR(16), updated_at TIMESTAMP)
            """)
        let replicator = try await DeleteTrackingSupport.replicator(source, [
            DeleteTrackingSupport.tracked(devices), DeleteTrackingSupport.tracked(codes, keyColumns: ["code"]),
        ])
        _ = try await replicator.replicate(logger: TestStack.logger)
        try await source.execute("""
            DELETE FROM \(devices) WHERE id = '0d9d3f7e-1111-4a4a-9b9b-000000000001';
            DELETE FROM \(codes) WHERE code <> 'keep';
            INSERT INTO \(codes) (code, updated_at) VALUES ('case', '2024-02-01 00:00:00')
            """)
        #expect(try await DeleteTrackingSupport.recorded(codes, source: source).sorted() == ["Case", "b,c", "it's"])
        let outcomes = try await replicator.replicate(logger: TestStack.logger)
        #expect(outcomes.map { $0.record?.deletedCount } == [1, 3], "`case` is not `Case` re-created: \(outcomes)")
        #expect(try await redshift.rows("SELECT id FROM \(devices)").map { $0[0] } == ["0d9d3f7e-1111-4a4a-9b9b-000000000002"])
        #expect(try await redshift.rows("SELECT code FROM \(codes) ORDER BY code").map { $0[0] } == ["case", "keep"])
    }

    @Test(arguments: SourceKind.allCases)
    func untrackedTablesGetNoTriggerAndReinstallOrRemovalIsIdempotent(kind: SourceKind) async throws {
        let tracked = TestStack.uniqueName("tracked"), plain = TestStack.uniqueName("plain")
        let source = try await TestSource.open(kind)
        closeAfterTest { await source.close() }
        try await source.execute("""
            CREATE TABLE \(tracked) (id bigint PRIMARY KEY, updated_at \(kind.timestamp));
            CREATE TABLE \(plain) (id bigint PRIMARY KEY, updated_at \(kind.timestamp));
            INSERT INTO \(tracked) VALUES (1, '2024-01-01 00:00:00'); INSERT INTO \(plain) VALUES (1, '2024-01-01 00:00:00')
            """)
        // Globally on, off for `plain`: the table's false wins.
        var config = try TestStack.configuration(tables: [
            TableConfiguration(name: tracked, strategy: .timed), DeleteTrackingSupport.tracked(plain, enabled: false),
        ], source: source.url) { $0.enableDeleteTracking = true }
        config.tables[0].overrides = TableSettingsOverrides()
        let replicator = Replicator(configuration: config)
        try await replicator.install(logger: TestStack.logger)
        let expected: (names: [String], truncate: TruncateHandling) = switch kind {
        case .postgres: (["rrr_refuse_truncate", "rrr_track_deletes", "rrr_track_key_changes"], .refused)
        case .mariadb: (["rrr_track_deletes_\(tracked)", "rrr_track_key_changes_\(tracked)"], .unrecorded)
        case .sqlite: (["rrr_track_deletes_\(tracked)", "rrr_track_key_changes_\(tracked)"], .notApplicable)
        }
        for _ in 1...2 {  // the second install finds the trigger in place
            let outcomes = try await replicator.triggers(install: true, logger: TestStack.logger)
            #expect(outcomes.map(\.table) == [tracked] && outcomes.allSatisfy { $0.installed }, "\(outcomes)")
            #expect(outcomes.first?.truncate == expected.truncate && outcomes.first?.notes.isEmpty == false)
            #expect(try await DeleteTrackingSupport.triggerNames(on: tracked, source: source) == expected.names)
        }
        #expect(try await DeleteTrackingSupport.triggerNames(on: plain, source: source).isEmpty)
        await #expect(throws: ConfigurationError.self) { try await replicator.triggers(install: true, tables: .named([plain]), logger: TestStack.logger) }
        let script = try await replicator.triggerScript(logger: TestStack.logger)
        #expect(script.text.hasPrefix("-- ") && script.text.contains("TRUNCATE") && script.statements.contains { $0.contains("AFTER DELETE") })

        for _ in 1...2 {
            let removed = try await replicator.triggers(install: false, logger: TestStack.logger)
            #expect(removed.map(\.installed) == [false] && removed.allSatisfy { $0.error == nil }, "\(removed)")
        }
        #expect(try await DeleteTrackingSupport.triggerNames(on: tracked, source: source).isEmpty)
        try await source.execute("DELETE FROM \(tracked)")
        #expect(try await DeleteTrackingSupport.recorded(tracked, source: source).isEmpty, "no trigger, no record")
    }
}
