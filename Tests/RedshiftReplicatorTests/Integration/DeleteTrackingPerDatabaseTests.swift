import Foundation
import Testing
@testable import RedshiftReplicator

/// Delete tracking where the databases differ: PostgreSQL refuses TRUNCATE, MariaDB neither has a
/// truncate trigger nor a long trigger name, SQLite's DELETE without WHERE.
@Suite("Delete tracking: what only one database does", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct DeleteTrackingPerDatabaseTests {
    @Test func postgresRefusesTruncateOfATrackedTable() async throws {
        let tracked = TestStack.uniqueName("tracked"), plain = TestStack.uniqueName("plain")
        let source = try await TestSource.open(.postgres)
        closeAfterTest { await source.close() }
        try await source.execute("""
            CREATE TABLE \(tracked) (id bigint PRIMARY KEY, updated_at timestamp);
            CREATE TABLE \(plain) (id bigint PRIMARY KEY, updated_at timestamp);
            INSERT INTO \(tracked) VALUES (1, now()); INSERT INTO \(plain) VALUES (1, now())
            """)
        _ = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(tracked)])
        await #expect(throws: (any Error).self) { try await source.execute("TRUNCATE \(tracked)") }
        #expect(try await source.rows("SELECT CAST(COUNT(*) AS text) FROM \(tracked)") == [["1"]], "TRUNCATE refused")
        try await source.execute("TRUNCATE \(plain)")
        #expect(try await source.rows("SELECT CAST(COUNT(*) AS text) FROM \(plain)") == [["0"]], "an untracked table truncates")
    }

    @Test func mariadbNamesAMissingTableAndAMissingPrivilege() async throws {
        let missing = TestStack.uniqueName("missing"), guarded = TestStack.uniqueName("guarded")
        let source = try await TestSource.open(.mariadb)
        closeAfterTest { await source.close() }
        try await source.execute("CREATE TABLE \(guarded) (id bigint PRIMARY KEY, updated_at datetime)")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [DeleteTrackingSupport.tracked(missing, keyColumns: ["id"])], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let outcomes = try await replicator.triggers(install: true, logger: TestStack.logger)
        #expect(outcomes.first?.installed == false, "\(outcomes)")
        #expect(outcomes.first?.error?.contains("`\(missing)` does not exist") == true, "\(outcomes)")

        // A user who may read and write the table but not put a trigger on it.
        let database = try TestStack.value("RRR_TEST_MYSQL_DATABASE"), host = try TestStack.value("RRR_TEST_MYSQL_HOST")
        let user = TestStack.uniqueName("limited"), password = "pw-" + UUID().uuidString
        try await source.execute("CREATE USER '\(user)'@'\(host)' IDENTIFIED BY '\(password)'")
        closeAfterTest { try? await source.execute("DROP USER '\(user)'@'\(host)'") }
        try await source.execute("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `\(database)`.* TO '\(user)'@'\(host)'")
        let url = try DatabaseURL(parsing: "mariadb://\(user):\(password)@\(host):\(try TestStack.value("RRR_TEST_MYSQL_PORT"))/\(database)")
        let limited = Replicator(configuration: try TestStack.configuration(tables: [DeleteTrackingSupport.tracked(guarded)], source: url))
        let refused = try await limited.triggers(install: true, logger: TestStack.logger)
        let error = refused.first?.error ?? ""
        #expect(refused.first?.installed == false && error.contains("table \(guarded)") && error.contains("TRIGGER privilege"), "\(refused)")
        #expect(!error.contains(password))
        #expect(try await DeleteTrackingSupport.triggerNames(on: guarded, source: source).isEmpty)
    }

    @Test func mariadbShortensLongTriggerNamesAndDoesNotRecordTruncate() async throws {
        let long = TestStack.uniqueName(String(repeating: "l", count: 50))
        let source = try await TestSource.open(.mariadb)
        closeAfterTest { await source.close() }
        try await source.execute("CREATE TABLE \(long) (id bigint PRIMARY KEY, updated_at datetime)")
        try await source.insert(long, "(id)", 1...3) { "\($0)" }
        let replicator = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(long)])
        let names = try await DeleteTrackingSupport.triggerNames(on: long, source: source)
        #expect(names.count == 2 && names.allSatisfy { $0.count <= 64 } && names[0].hasPrefix("rrr_track_deletes_l")
                && names[1].hasPrefix("rrr_track_key_changes_l"), "\(names)")
        // Installing again leaves the identical trigger alone (DDL would wait for the table's transactions).
        let created = "SELECT CAST(CREATED AS CHAR) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = '\(long)'"
        let before = try await source.rows(created)
        try await Task.sleep(for: .milliseconds(50))  // CREATED counts hundredths of a second
        #expect(try await replicator.triggers(install: true, logger: TestStack.logger).map(\.installed) == [true])
        #expect(try await source.rows(created) == before && before.count == 2, "\(before)")
        try await source.execute("DELETE FROM \(long) WHERE id = 1")
        #expect(try await DeleteTrackingSupport.recorded(long, source: source) == ["1"])

        try await source.execute("TRUNCATE TABLE \(long)")
        #expect(try await DeleteTrackingSupport.recorded(long, source: source) == ["1"], "MariaDB fires no trigger on TRUNCATE")
        let script = try await replicator.triggerScript(logger: TestStack.logger)
        #expect(script.notes.contains { $0.contains("TRUNCATE of a tracked table is NOT recorded") })
        #expect(script.notes.contains { $0.contains("ON DELETE CASCADE") })
    }

    @Test func sqliteRecordsADeleteWithoutWhere() async throws {
        let name = TestStack.uniqueName("sessions")
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id INTEGER PRIMARY KEY, updated_at datetime NOT NULL DEFAULT '2024-01-01 00:00:00')")
        try await source.insert(name, "(id)", 1...3) { "\($0)" }
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP)")
        let replicator = try await DeleteTrackingSupport.replicator(source, [DeleteTrackingSupport.tracked(name)])
        _ = try await replicator.replicate(logger: TestStack.logger)
        #expect(try await redshift.count(name) == 3)

        try await source.execute("DELETE FROM \(name)")
        #expect(try await DeleteTrackingSupport.recorded(name, source: source) == ["1", "2", "3"],
                "with a trigger on the table SQLite deletes row by row, so every row is recorded")
        let outcome = try await replicator.replicate(logger: TestStack.logger)
        #expect(outcome.first?.record?.deletedCount == 3, "\(outcome)")
        #expect(try await redshift.count(name) == 0)
    }
}
