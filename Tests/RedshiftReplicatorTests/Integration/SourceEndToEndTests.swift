import Foundation
import InMemoryLogging
import Logging
import Testing
@testable import RedshiftReplicator

/// The engine end to end for every source kind: PostgreSQL and MariaDB from the stack, a SQLite
/// file -> moto S3 -> Redshift emulator. One suite, parameterised over ``SourceKind``.
@Suite("End to end per source kind", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct SourceEndToEndTests {
    /// A replicator for `tables` reading from `source`, with its history installed.
    func replicator(_ source: TestSource, _ tables: [TableConfiguration], settings: (inout TableSettings) -> Void = { _ in }) async throws -> Replicator {
        let replicator = Replicator(configuration: try TestStack.configuration(tables: tables, source: source.url, settings: settings))
        try await replicator.install(logger: TestStack.logger)
        return replicator
    }

    @Test(arguments: SourceKind.allCases)
    func timedMergesChangesAndCountsNullFields(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("users")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, name varchar(64), note \(kind.text), updated_at \(kind.timestamp), secret \(kind.text));
            INSERT INTO \(name) VALUES (1, 'ann', 'multi\nline, "quoted"', '2024-05-01 00:00:01', 'h1');
            INSERT INTO \(name) VALUES (2, 'bob', '', '2024-05-01 00:00:02', 'h2');
            INSERT INTO \(name) VALUES (3, 'cat', NULL, NULL, 'h3')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), note VARCHAR(256), updated_at TIMESTAMP)")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .timed)])

        let first = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(first.map(\.status) == [.imported], "\(first)")
        #expect(first.first?.record?.recordCount == 2)
        #expect(first.first?.record?.nullFieldCount == 1, "the row with a NULL updated_at is counted, not exported")
        let rows = try await redshift.rows("SELECT CAST(id AS VARCHAR), note, CAST(updated_at AS VARCHAR) FROM \(name) ORDER BY id")
        #expect(rows.map { $0[0] } == ["1", "2"])
        #expect(rows.first?[1] == "multi\nline, \"quoted\"")
        #expect(rows.last?[1] == "", "empty string stays empty")
        #expect(rows.first?[2]?.hasPrefix("2024-05-01 00:00:01") == true)

        try await source.execute("""
            UPDATE \(name) SET name = 'bobby', updated_at = '2024-05-02 00:00:00' WHERE id = 2;
            INSERT INTO \(name) VALUES (4, 'dan', NULL, '2024-05-02 00:00:01', 'h4')
            """)
        let second = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(second.map(\.status) == [.imported], "\(second)")
        let after = try await redshift.rows("SELECT CAST(id AS VARCHAR), name FROM \(name) ORDER BY id")
        #expect(after.map { $0[0] } == ["1", "2", "4"], "merged: row 2 replaced, not duplicated")
        #expect(after.count == 3 && after[1][1] == "bobby")
        let history = try await replicator.history(table: name, logger: TestStack.logger)
        #expect(history.count == 2 && history.allSatisfy { $0.state == .imported })
        #expect(history.first?.upperBound?.hasPrefix("2024-05-02 00:00:01") == true, "\(String(describing: history.first?.upperBound))")
        #expect(history.first?.lowerBound?.hasPrefix("2024-04-30 23:55:02") == true, "previous upper 2024-05-01 00:00:02 minus 5 minutes of lookback: \(String(describing: history.first?.lowerBound))")
    }

    @Test(arguments: SourceKind.allCases)
    func identityAppendsOnceAndPicksUpALateCommit(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("events")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, kind varchar(16))")
        try await source.insertNumbered(name, 1...40)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, kind VARCHAR(16))")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .identity, lookback: .ids(100))])
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(name) == 40)

        // A transaction takes id 45 but commits only after a run has already seen id 50. SQLite has
        // one writer at a time, so there the row is written after that run: what rrr sees is the same.
        let late = try await source.another()
        closeAfterTest { await late.close() }
        if kind != .sqlite { try await late.execute(kind == .postgres ? "BEGIN" : "START TRANSACTION"); try await late.execute("INSERT INTO \(name) VALUES (45, 'late')") }
        try await source.insertNumbered(name, 46...50)
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        if kind != .sqlite { try await late.execute("COMMIT") } else { try await late.execute("INSERT INTO \(name) VALUES (45, 'late')") }
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        let ids = try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name)").compactMap { $0[0].flatMap { Int($0) } }.sorted()
        #expect(ids == Array(1...40) + [45, 46, 47, 48, 49, 50], "the late id arrives, nothing twice")
        let history = try await replicator.history(table: name, logger: TestStack.logger)
        #expect(history.first?.lowerBound == "-50", "lower = previous upper 50 - 100 ids")
    }

    @Test(arguments: SourceKind.allCases)
    func fullReplacesTheTarget(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("tags_users")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (tag_id int, user_id int); INSERT INTO \(name) VALUES (1, 1), (1, 2), (2, 1)")
        try await redshift.execute("CREATE TABLE \(name) (tag_id INTEGER, user_id INTEGER)")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .full)]) { $0.format = .zstd; $0.slices = 3 }
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(name) == 3)
        try await source.execute("DELETE FROM \(name) WHERE tag_id = 2; INSERT INTO \(name) VALUES (3, 3)")
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.rows("SELECT CAST(tag_id AS VARCHAR) FROM \(name) ORDER BY 1").compactMap { $0[0] } == ["1", "1", "3"])
    }

    @Test(arguments: SourceKind.allCases)
    func resumesTheSameReplicationAfterAFailedImport(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("resume")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, kind varchar(16))")
        try await source.insertNumbered(name, 1...20, prefix: "n")
        // `kind` holds text: loading it into BIGINT fails in Redshift.
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, kind BIGINT)")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .identity)])
        let failed = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(failed.map(\.status) == [.failed])
        let id = try #require(failed.first?.record?.id)
        // Rejected rows: the record goes back to `exported`, so the resume exports the range again.
        #expect(try await replicator.history(table: name, logger: TestStack.logger).first?.state == .exported)

        try await redshift.execute("DROP TABLE \(name); CREATE TABLE \(name) (id BIGINT, kind VARCHAR(16))")
        let resumed = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(resumed.map(\.status) == [.imported], "\(resumed)")
        #expect(resumed.first?.record?.id == id, "the same replication was completed")
        #expect(resumed.first?.record?.retries == 1)
        #expect(try await redshift.count(name) == 20)
    }

    @Test(arguments: SourceKind.allCases)
    func aRedshiftColumnMissingInTheSourceFailsNamingBoth(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("ghosts")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY); INSERT INTO \(name) VALUES (1)")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, phantom VARCHAR(8))")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .identity)])
        let outcome = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(outcome.map(\.status) == [.failed])
        let error = outcome.first?.error ?? ""
        #expect(error.contains("phantom") && error.contains(name), "\(error)")
    }
}

extension SourceEndToEndTests {
    @Test(arguments: SourceKind.allCases)
    func aLockedTableIsSkippedThenReplicated(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("locked")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, kind varchar(16))")
        try await source.insertNumbered(name, 1...5)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, kind VARCHAR(16))")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .identity)])
        let release = try await source.holdTableLock(replicator.configuration.lockKey(for: try replicator.configuration.table(named: name)))
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.skippedLocked])
        await release()
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.count(name) == 5)
    }

    @Test(arguments: SourceKind.allCases)
    func valuesFollowTheRedshiftColumnTypeAndZeroDatesAreCounted(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("typed")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        let flag = ["postgres": "smallint", "mariadb": "tinyint(1)", "sqlite": "integer"][kind.rawValue]!
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, flag \(flag), seen \(kind.timestamp), born date)")
        // MariaDB stores `0000-00-00` when the session's sql_mode allows it (older apps run so).
        if kind == .mariadb { try await source.execute("SET SESSION sql_mode = ''") }
        try await source.execute("""
            INSERT INTO \(name) VALUES (1, 2, '2024-05-01 10:11:12.5', '2000-01-02');
            INSERT INTO \(name) VALUES (2, 0, '2024-05-02 00:00:00', \(kind == .mariadb ? "'0000-00-00'" : "NULL"));
            INSERT INTO \(name) VALUES (3, NULL, NULL, NULL)
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, flag BOOLEAN, seen DATE, born DATE)")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .full)])

        let outcome = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(outcome.map(\.status) == [.imported], "\(outcome)")
        let rows = try await redshift.rows("SELECT CAST(id AS VARCHAR), CAST(flag AS VARCHAR), CAST(seen AS VARCHAR), CAST(born AS VARCHAR) FROM \(name) ORDER BY id")
        #expect(rows == [["1", "true", "2024-05-01", "2000-01-02"], ["2", "false", "2024-05-02", nil], ["3", nil, nil, nil]],
                "a non-zero integer flag is true; a date-time loads into DATE as its day")
        let expectedNulled: Int64 = kind == .mariadb ? 1 : 0
        #expect(outcome.first?.record?.nulledValueCount == expectedNulled, "the zero date is counted")
        let history = try await replicator.history(table: name, logger: TestStack.logger)
        #expect(history.first?.nulledValueCount == expectedNulled, "and the count is in the history table")
    }

    @Test(arguments: [SourceKind.postgres, .sqlite])
    func aLargeTableIsReadInParallelSharesOfOneSnapshot(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("wide")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        // 150,000 rows of ~110 bytes: over PostgreSQL's 8 MiB and SQLite's 100,000-rowid thresholds.
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name \(kind.text), updated_at \(kind.timestamp))")
        if kind == .postgres {
            try await source.execute("INSERT INTO \(name) SELECT g, 'n' || g || repeat('x', 60), '2024-01-01' FROM generate_series(1, 150000) g")
        } else {
            try await source.execute("""
                WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 150000)
                INSERT INTO \(name) SELECT n, 'n' || n || printf('%.60c', 'x'), '2024-01-01 00:00:00' FROM s
                """)
        }
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(96), updated_at TIMESTAMP)")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .full)])
        // Another connection keeps committing rows while rrr exports.
        let writer = try await source.another()
        let writing = Task {
            var id = 150_000
            while !Task.isCancelled && id < 400_000 {
                id += 1
                try? await writer.execute("INSERT INTO \(name) VALUES (\(id), 'late', '2024-01-02 00:00:00')")
            }
        }
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "rrr-tests", factory: { _ in logs })
        logger.logLevel = .debug
        let outcome = try await replicator.replicate(tables: .named([name]), logger: logger)
        writing.cancel()
        _ = await writing.value
        await writer.close()
        #expect(outcome.map(\.status) == [.imported], "\(outcome)")
        #expect(logs.entries.contains { $0.message.description.contains("parallel") }, "this machine has \(SourceParallelism.readers) cores: the table was read in shares")
        let exported = try #require(outcome.first?.record?.recordCount)
        let loaded = try await redshift.rows("SELECT CAST(COUNT(*) AS VARCHAR), CAST(COUNT(DISTINCT id) AS VARCHAR), CAST(MAX(id) AS VARCHAR) FROM \(name)")
        #expect(loaded.first?[0] == String(exported) && loaded.first?[1] == String(exported), "no row twice: \(loaded)")
        #expect(loaded.first?[2] == String(exported), "one snapshot: ids 1...max, no gap between the shares: \(loaded)")
    }

    @Test func aPartitionedPostgresTableIsExportedWhole() async throws {
        let name = TestStack.uniqueName("parts")
        let source = try await TestSource.open(.postgres), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        // Big enough to be split if it were a plain table; a partitioned one has no ctid of its own.
        try await source.execute("""
            CREATE TABLE \(name) (id bigint, name text, updated_at timestamp) PARTITION BY RANGE (id);
            CREATE TABLE \(name)_a PARTITION OF \(name) FOR VALUES FROM (MINVALUE) TO (75001);
            CREATE TABLE \(name)_b PARTITION OF \(name) FOR VALUES FROM (75001) TO (MAXVALUE);
            INSERT INTO \(name) SELECT g, 'n' || g || repeat('x', 60), '2024-01-01' FROM generate_series(1, 150000) g
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(96), updated_at TIMESTAMP)")
        let replicator = try await replicator(source, [TableConfiguration(name: name, strategy: .full)])
        let outcome = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(outcome.map(\.status) == [.imported], "\(outcome)")
        #expect(outcome.first?.record?.recordCount == 150_000)
        #expect(try await redshift.count(name) == 150_000)
    }

    @Test(arguments: [SourceKind.mariadb, .sqlite])
    func rrrInstallCreatesTheHistoryTable(kind: SourceKind) async throws {
        // Its own database: the shared one's history table is in use by suites running in parallel.
        let source = try await TestSource.openIsolated(kind)
        closeAfterTest { await source.close() }
        let url: String
        if kind == .sqlite { url = source.url.database } else {
            // Credentials travel in the environment, as an operator would pass them.
            url = "mariadb://${RRR_TEST_MYSQL_USER}:${RRR_TEST_MYSQL_PASSWORD}@${RRR_TEST_MYSQL_HOST}:${RRR_TEST_MYSQL_PORT}/\(source.url.database)"
        }
        let config = try CLIProcess.writeConfig(tables: "  anything:\n    strategy: full\n", sourceURL: url)
        let install = try await CLIProcess.run(["install", "--config", config])
        #expect(install.status == 0, "\(install.stdout)\n\(install.stderr)")
        let count = try await source.historyRows("SELECT COUNT(*) FROM rrr_replications")
        #expect(count.first?.first == "0", "the history table exists and is empty")
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0, "install is idempotent")
        if let password = TestStack.environment["RRR_TEST_MYSQL_PASSWORD"], !password.isEmpty {
            #expect(!install.stdout.contains(password) && !install.stderr.contains(password))
        }
    }
}
