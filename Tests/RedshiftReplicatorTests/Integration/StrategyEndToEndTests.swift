import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("End to end: PostgreSQL -> moto S3 -> Redshift emulator", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct StrategyEndToEndTests {
    @Test func timedMergesChangesKeepsColumnSubsetAndReportsNullFields() async throws {
        let name = TestStack.uniqueName("users")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, name text, email text, note text, active boolean, data bytea, \
            seen timestamptz, updated_at timestamp, password_digest text);
            INSERT INTO \(name) VALUES (1, 'ann', 'a@x', 'multi\nline, "quoted"', true, '\\x00ff', '2024-05-01 10:00:00.123456+02', '2024-05-01 00:00:01.5', 'hash1');
            INSERT INTO \(name) VALUES (2, 'bob', NULL, '', false, NULL, NULL, '2024-05-01 00:00:02', 'hash2');
            INSERT INTO \(name) VALUES (3, 'cat', 'c@x', NULL, NULL, NULL, NULL, NULL, 'hash3')
            """)
        try await redshift.execute("""
            CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), email VARCHAR(64), note VARCHAR(256), active BOOLEAN, \
            data VARCHAR(64), seen TIMESTAMPTZ, updated_at TIMESTAMP)
            """)
        let config = try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)])
        let replicator = Replicator(configuration: config)
        try await replicator.install(logger: TestStack.logger)
        let events = EventCollector(replicator)

        let first = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(first.map(\.status) == [.imported], "\(first)")
        #expect(first.first?.record?.recordCount == 2)
        #expect(first.first?.record?.nullFieldCount == 1)
        let rows = try await redshift.rows("""
            SELECT CAST(id AS VARCHAR), name, email, note, CAST(active AS VARCHAR), data, CAST(seen AS VARCHAR), CAST(updated_at AS VARCHAR) \
            FROM \(name) ORDER BY id
            """)
        #expect(rows.count == 2)
        #expect(rows.first?[3] == "multi\nline, \"quoted\"")
        #expect(rows.first?[5] == "00ff")
        #expect(rows.first?[6]?.hasPrefix("2024-05-01 08:00:00.123456") == true)
        #expect(rows.last?[2] == nil, "NULL stays NULL")
        #expect(rows.last?[3] == "", "empty string stays empty")

        try await source.execute("""
            UPDATE \(name) SET name = 'bobby', updated_at = '2024-05-02 00:00:00' WHERE id = 2;
            INSERT INTO \(name) VALUES (4, 'dan', NULL, NULL, true, NULL, NULL, '2024-05-02 00:00:01', 'hash4')
            """)
        // The second run through a prepared run: its events are typed and buffered from the start,
        // and its stream has finished once the run returns (read only afterwards: nothing missed).
        let run = replicator.prepare(.replicate, tables: .named([name]))
        let second = try await run.start(logger: TestStack.logger)
        #expect(second.map(\.status) == [.imported], "\(second)")
        var runEvents: [ReplicationEvent] = []
        for await event in run.events { runEvents.append(event) }
        let kinds = runEvents.map(\.kind)
        #expect(kinds == [.clusterSlices, .nullReplicationField, .exported, .uploaded, .loading, .imported], "\(kinds)")
        #expect(kinds.contains(.nullReplicationField) && runEvents.allSatisfy { $0.table == name && $0.replicationID != nil })
        await #expect(throws: ReplicationFailure.self) { try await run.start(logger: TestStack.logger) }
        let after = try await redshift.rows("SELECT CAST(id AS VARCHAR), name FROM \(name) ORDER BY id")
        #expect(after.map { $0[0] } == ["1", "2", "4"])
        #expect(after.count == 3 && after[1][1] == "bobby")
        let received = await events.finish(replicator)
        #expect(received.contains { $0.kind == .nullReplicationField && $0.level == .warning && $0.table == name })
        #expect(!received.contains { $0.message.contains(try! TestStack.value("RRR_TEST_S3_SECRET_ACCESS_KEY")) })
        let history = try await replicator.history(table: name, logger: TestStack.logger)
        #expect(history.allSatisfy { $0.state == .imported })
        #expect(history.first?.upperBound == "2024-05-02 00:00:01")
    }

    @Test func identityAppendsOnceAndPicksUpALateCommit() async throws {
        let name = TestStack.uniqueName("events")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift(), late = try await SQLClient.source()
        closeAfterTest { await source.close(); await redshift.close(); await late.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, kind text);
            INSERT INTO \(name) SELECT g, 'k' || g FROM generate_series(1, 40) g
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, kind VARCHAR(16))")
        let config = try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .identity, lookback: .ids(100))])
        let replicator = Replicator(configuration: config)
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(name) == 40)

        // A transaction takes id 45 but commits only after a run has already seen id 50.
        try await late.execute("BEGIN; INSERT INTO \(name) VALUES (45, 'late')")
        try await source.execute("INSERT INTO \(name) SELECT g, 'k' || g FROM generate_series(46, 50) g")
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        try await late.execute("COMMIT")
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        let ids = try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name)").compactMap { $0[0].flatMap { Int($0) } }.sorted()
        #expect(ids == Array(1...40) + [45, 46, 47, 48, 49, 50], "the late id arrives, nothing twice")
    }

    @Test func timedPicksUpALateCommitWithAnOlderTimestamp() async throws {
        let name = TestStack.uniqueName("orders")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift(), late = try await SQLClient.source()
        closeAfterTest { await source.close(); await redshift.close(); await late.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, updated_at timestamp NOT NULL DEFAULT now());
            INSERT INTO \(name) VALUES (1, now() - interval '1 minute')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP)")
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)]))
        try await replicator.install(logger: TestStack.logger)
        // The late transaction's timestamp is its start (now()), older than rows committed meanwhile.
        try await late.execute("BEGIN; INSERT INTO \(name) (id) VALUES (2)")
        try await Task.sleep(for: .milliseconds(50))
        try await source.execute("INSERT INTO \(name) (id) VALUES (3)")
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(name) == 2)
        try await late.execute("COMMIT")
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        let ids = try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name)").compactMap { $0[0] }.sorted()
        #expect(ids == ["1", "2", "3"], "each row exactly once")
    }

    @Test func fullReplacesAtomicallyRenamesAndEmptiesTheTarget() async throws {
        let name = TestStack.uniqueName("tags_users"), target = TestStack.uniqueName("custom_tags_users")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("""
            CREATE TABLE \(name) (tag_id int, user_id int);
            INSERT INTO \(name) VALUES (1, 1), (1, 2), (2, 1)
            """)
        try await redshift.execute("CREATE TABLE \(target) (tag_id INTEGER, user_id INTEGER); CREATE VIEW \(target)_v AS SELECT * FROM \(target)")
        let table = TableConfiguration(name: name, strategy: .full, targetTable: target)
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [table]) { $0.format = .zstd; $0.slices = 3 })
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(target) == 3)
        try await source.execute("DELETE FROM \(name) WHERE tag_id = 2; INSERT INTO \(name) VALUES (3, 3)")
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.rows("SELECT CAST(tag_id AS VARCHAR) FROM \(target) ORDER BY 1").compactMap { $0[0] } == ["1", "1", "3"])
        try await source.execute("DELETE FROM \(name)")
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(target) == 0, "an empty source empties the target")
        #expect(try await redshift.count("\(target)_v") == 0, "the dependent view survived")
    }
}
