import Foundation
import SourceSupport
import Testing
@testable import RedshiftReplicator

/// Values a Redshift column cannot hold (issue 12, item 10): found at export, before anything is
/// loaded; `invalid_values: fail` names table, key and column, `null` loads NULL, `truncate` cuts
/// text to the column's width (and loads NULL for what a cut cannot fix), each replacement counted.
@Suite("Invalid values at export", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct InvalidValueIntegrationTests {
    func replicator(_ source: TestSource, _ name: String, policy: InvalidValuePolicy) async throws -> Replicator {
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed)], source: source.url, settings: { $0.invalidValues = policy }))
        try await replicator.install(logger: TestStack.logger)
        return replicator
    }

    /// Runs twice with `fail`: each run stops at the row naming it, nothing loads, the history keeps
    /// one unfinished record with the cause and `rrr status` says what to do.
    func expectStuck(_ replicator: Replicator, _ name: String, redshift: SQLClient, mentions: [String]) async throws {
        for _ in 1...2 {
            let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
            #expect(outcome.status == .failed, "\(outcome)")
            let error = outcome.error ?? ""
            #expect(error.contains(InvalidValue.phrase) && error.contains("table `\(name)`"), "\(error)")
            for word in mentions { #expect(error.contains(word), "\(word) in: \(error)") }
            #expect(try await redshift.count(name) == 0, "nothing loaded")
        }
        let history = try await replicator.history(table: name, logger: TestStack.logger)
        #expect(history.count == 1 && history[0].state != .imported && history[0].retries == 1, "one record, resumed once: \(history)")
        let status = try await replicator.status(tables: .named([name]), logger: TestStack.logger)[0]
        #expect(status.state == .failed && status.isUnhealthy)
        #expect(status.cause?.contains(InvalidValue.phrase) == true)
        #expect(status.advice?.contains("invalid_values") == true && status.advice?.contains("fix the row") == true, "\(status.advice ?? "")")
    }

    /// Every id in Redshift exactly once.
    func expectLoadedOnce(_ name: String, ids: [String], redshift: SQLClient) async throws {
        let loaded = try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) ORDER BY id").compactMap { $0[0] }
        #expect(loaded == ids)
    }

    @Test(arguments: SourceKind.allCases, InvalidValuePolicy.allCases)
    func aValueWiderThanItsVarcharColumn(kind: SourceKind, policy: InvalidValuePolicy) async throws {
        let name = TestStack.uniqueName("wide")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        // 'a' + 7 x 'é': 15 bytes in UTF-8, 8 characters; the column holds 10 bytes.
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, label \(kind.text), updated_at \(kind.timestamp));
            INSERT INTO \(name) VALUES (1, 'short', '2024-05-01 00:00:01');
            INSERT INTO \(name) VALUES (2, 'aééééééé', '2024-05-01 00:00:02');
            INSERT INTO \(name) VALUES (3, 'tenbytes!!', '2024-05-01 00:00:03')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, label VARCHAR(10), updated_at TIMESTAMP)")
        let replicator = try await replicator(source, name, policy: policy)
        switch policy {
        case .fail:
            try await expectStuck(replicator, name, redshift: redshift, mentions: ["`label`", "id = '2'", "15 bytes", "10"])
            try await source.execute("UPDATE \(name) SET label = 'fixed' WHERE id = 2")
            let fixed = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(fixed.map(\.status) == [.imported], "\(fixed)")
            try await expectLoadedOnce(name, ids: ["1", "2", "3"], redshift: redshift)
        case .null, .truncate:
            let events = EventCollector(replicator)
            let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(outcome.map(\.status) == [.imported], "\(outcome)")
            let warning = await events.finish(replicator).first { $0.kind == (policy == .null ? .valuesNulled : .valuesTruncated) }
            #expect(warning?.level == .warning && warning?.message.contains("table `\(name)`, column(s) label: 1") == true, "\(String(describing: warning))")
            let label = try await redshift.rows("SELECT label FROM \(name) WHERE id = 2").first?[0]
            #expect(label == (policy == .null ? nil : "aéééé"), "cut at 10 bytes would split an é: 9 bytes kept")
            #expect(try await redshift.rows("SELECT label FROM \(name) WHERE id = 3").first?[0] == "tenbytes!!", "exactly the width fits")
            #expect(outcome[0].record?.nulledValueCount == 1, "the replaced value is counted")
            #expect(try await replicator.history(table: name, logger: TestStack.logger).first?.nulledValueCount == 1)
            try await expectLoadedOnce(name, ids: ["1", "2", "3"], redshift: redshift)
        }
    }

    /// PostgreSQL's `infinity` timestamps and `NaN` numerics, which Redshift has no value for.
    @Test(arguments: InvalidValuePolicy.allCases)
    func postgresInfinityAndNaN(policy: InvalidValuePolicy) async throws {
        let name = TestStack.uniqueName("special")
        let source = try await TestSource.open(.postgres), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, seen timestamp, amount numeric, ratio double precision, updated_at timestamp);
            INSERT INTO \(name) VALUES (1, '2024-01-01 10:00:00', 12.5, 0.5, '2024-05-01 00:00:01');
            INSERT INTO \(name) VALUES (2, 'infinity', 1, 1, '2024-05-01 00:00:02');
            INSERT INTO \(name) VALUES (3, '2024-01-03', 'NaN', 'Infinity', '2024-05-01 00:00:03')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, seen TIMESTAMP, amount NUMERIC(10,2), ratio NUMERIC(6,3), updated_at TIMESTAMP)")
        let replicator = try await replicator(source, name, policy: policy)
        switch policy {
        case .fail:
            try await expectStuck(replicator, name, redshift: redshift, mentions: ["id = '2'", "`seen`", "infinity"])
            try await source.execute("UPDATE \(name) SET seen = '2024-01-02' WHERE id = 2")
            let nan = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
            #expect(nan.status == .failed && nan.error?.contains("id = '3'") == true && nan.error?.contains("NaN") == true, "\(nan)")
            try await source.execute("UPDATE \(name) SET amount = 3, ratio = 4 WHERE id = 3")
            let fixed = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(fixed.map(\.status) == [.imported], "\(fixed)")
            try await expectLoadedOnce(name, ids: ["1", "2", "3"], redshift: redshift)
        case .null, .truncate:
            let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(outcome.map(\.status) == [.imported], "\(outcome)")
            let rows = try await redshift.rows("SELECT CAST(id AS VARCHAR), CAST(seen AS VARCHAR), CAST(amount AS VARCHAR), CAST(ratio AS VARCHAR) FROM \(name) ORDER BY id")
            #expect(rows.count == 3 && rows[1][1] == nil && rows[2][2] == nil && rows[2][3] == nil, "no cut fixes infinity or NaN: NULL \(rows)")
            #expect(rows[0][2] == "12.50", "\(rows)")
            #expect(outcome[0].record?.nulledValueCount == 3)
        }
    }

    /// MariaDB with `ALLOW_INVALID_DATES` stores 2024-02-30, which no calendar (and no Redshift
    /// column) has; a zero date still loads as NULL, but not into a NOT NULL column.
    @Test(arguments: InvalidValuePolicy.allCases)
    func mariadbDatesNoCalendarHas(policy: InvalidValuePolicy) async throws {
        let name = TestStack.uniqueName("baddate")
        let source = try await TestSource.open(.mariadb), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'")
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, due date, updated_at datetime);
            INSERT INTO \(name) VALUES (1, '2024-02-29', '2024-05-01 00:00:01');
            INSERT INTO \(name) VALUES (2, '2024-02-30', '2024-05-01 00:00:02');
            INSERT INTO \(name) VALUES (3, '0000-00-00', '2024-05-01 00:00:03')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, due DATE, updated_at TIMESTAMP)")
        let replicator = try await replicator(source, name, policy: policy)
        switch policy {
        case .fail:
            try await expectStuck(replicator, name, redshift: redshift, mentions: ["id = '2'", "`due`", "not a calendar date"])
            try await source.execute("UPDATE \(name) SET due = '2024-03-01' WHERE id = 2")
            let fixed = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(fixed.map(\.status) == [.imported], "\(fixed)")
            try await expectLoadedOnce(name, ids: ["1", "2", "3"], redshift: redshift)
            #expect(fixed[0].record?.nulledValueCount == 1, "the zero date loads as NULL")
        case .null, .truncate:
            let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(outcome.map(\.status) == [.imported], "\(outcome)")
            let rows = try await redshift.rows("SELECT CAST(id AS VARCHAR), CAST(due AS VARCHAR) FROM \(name) ORDER BY id")
            #expect(rows == [["1", "2024-02-29"], ["2", nil], ["3", nil]])
            #expect(outcome[0].record?.nulledValueCount == 2)
        }
    }

    /// `null` cannot help a NOT NULL column: the export fails and says why.
    @Test func nullPolicyIntoANotNullColumnFails() async throws {
        let name = TestStack.uniqueName("notnull")
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, code text, updated_at datetime);
            INSERT INTO \(name) VALUES (1, 'toolong', '2024-05-01 00:00:01')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, code VARCHAR(3) NOT NULL, updated_at TIMESTAMP)")
        let replicator = try await replicator(source, name, policy: .null)
        let outcome = try await replicator.replicate(tables: [name], logger: TestStack.logger)[0]
        #expect(outcome.status == .failed && outcome.error?.contains("NOT NULL") == true && outcome.error?.contains("`code`") == true, "\(outcome)")
        #expect(try await redshift.count(name) == 0)
    }
}
