import Foundation
import Testing
@testable import RedshiftReplicator

/// Failures an operator meets first: no `rrr install` yet, and a table reconfigured under its history.
@Suite("Failures a person understands", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct OperatorFailureTests {
    @Test(arguments: SourceKind.allCases)
    func aMissingOrOlderHistoryTableAsksForInstallOnce(kind: SourceKind) async throws {
        let source = try await TestSource.openIsolated(kind)
        defer { Task { await source.close() } }
        try await source.execute("CREATE TABLE users (id bigint PRIMARY KEY, updated_at \(kind.timestampDefaultNow))")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: "users", strategy: .timed), TableConfiguration(name: "orders", strategy: .timed)], source: source.url))
        func installError(_ body: () async throws -> Void) async -> SourceError? {
            do { try await body(); return nil } catch { return error as? SourceError }
        }
        // One error for the whole run, before any table: not a raw SQL error per table.
        let missing = await installError { _ = try await replicator.replicate(logger: TestStack.logger) }
        #expect(missing?.code == .historyNotInstalled)
        let location = kind == .sqlite ? "the history file \(source.url.database).rrr-history.sqlite" : "the source database"
        #expect(missing?.message == "the history table rrr_replications is missing in \(location): run `rrr install`")
        #expect(await installError { _ = try await replicator.status(logger: TestStack.logger) }?.code == .historyNotInstalled)
        #expect(await installError { _ = try await replicator.history(table: "users", logger: TestStack.logger) }?.code == .historyNotInstalled)
        // A table of an older rrr, without a column this one writes.
        for statement in HistoryInstallTests.migration(kind).createTable { try await source.executeOnHistory(statement) }
        try await source.executeOnHistory("ALTER TABLE rrr_replications DROP COLUMN rrr_version")
        let older = await installError { _ = try await replicator.status(logger: TestStack.logger) }
        #expect(older?.message.contains("lacks the column(s) rrr_version") == true && older?.message.contains("run `rrr install`") == true,
                "\(String(describing: older))")
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.status(logger: TestStack.logger).count == 2)
    }

    @Test func aChangedStrategyFieldOrKeyStopsBeforeTheExportAndAdvisesReset() async throws {
        let name = TestStack.uniqueName("reconfigured")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, code text, created_at timestamp DEFAULT now(), updated_at timestamp DEFAULT now());
            INSERT INTO \(name) (id, code) SELECT g, 'c' || g FROM generate_series(1, 5) g
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, code VARCHAR(16), created_at TIMESTAMP, updated_at TIMESTAMP)")
        func run(_ table: TableConfiguration) async throws -> TableOutcome {
            let replicator = Replicator(configuration: try TestStack.configuration(tables: [table]))
            try await replicator.install(logger: TestStack.logger)
            return try await replicator.replicate(logger: TestStack.logger)[0]
        }
        let first = try await run(TableConfiguration(name: name, strategy: .timed))
        #expect(first.status == .imported, "\(first)")
        #expect(first.record?.replicationField == "updated_at" && first.record?.keyColumns == "" && first.record?.rrrVersion == RRRVersion.current)
        let history = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)]))
        let recordsBefore = try await history.history(table: name, logger: TestStack.logger)

        let identity = try await run(TableConfiguration(name: name, strategy: .identity))
        #expect(identity.status == .failed)
        #expect(identity.failure?.kind == .configuration, "\(String(describing: identity.failure))")
        #expect(identity.error?.contains("\(name) was replicated as timed by updated_at (key: the primary key); it is now configured as identity by id") == true,
                "\(identity.error ?? "")")
        #expect(identity.error?.contains("run `rrr reset \(name)`") == true)
        let field = try await run(TableConfiguration(name: name, strategy: .timed, replicationField: "created_at"))
        #expect(field.status == .failed && field.error?.contains("now configured as timed by created_at") == true, "\(field.error ?? "")")
        let keys = try await run(TableConfiguration(name: name, strategy: .timed, keyColumns: ["id", "code"]))
        #expect(keys.status == .failed && keys.error?.contains("(key: id,code)") == true, "\(keys.error ?? "")")
        #expect(try await history.history(table: name, logger: TestStack.logger) == recordsBefore, "nothing was written")

        _ = try await history.reset(table: name, logger: TestStack.logger)
        #expect(try await run(TableConfiguration(name: name, strategy: .identity)).status == .imported)
        #expect(try await redshift.count(name) == 5)
    }

    @Test func statusTellsFailedRunningInterruptedAndLagAndExitsNonZero() async throws {
        let name = TestStack.uniqueName("status")
        let source = try await TestSource.open(.postgres), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, code text, updated_at timestamp DEFAULT now());
            INSERT INTO \(name) (id, code) VALUES (1, '7'), (2, 'not a number')
            """)
        // (text into INTEGER: rejected by COPY, which the export does not check; a too-long
        // VARCHAR value would stop the export instead, see InvalidValueExportTests)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, code INTEGER, updated_at TIMESTAMP)")
        var overrides = TableSettingsOverrides()
        overrides.maxLagSeconds = 3600
        let table = TableConfiguration(name: name, strategy: .timed, overrides: overrides)
        let configuration = try TestStack.configuration(tables: [table])
        let replicator = Replicator(configuration: configuration)
        try await replicator.install(logger: TestStack.logger)
        let never = try await replicator.status(logger: TestStack.logger)[0]
        #expect(never.state == .never && never.isUnhealthy, "max_lag set and never replicated: unhealthy")

        // A COPY rejected on data: failed, with the cause, the retry count and what helps.
        #expect(try await replicator.replicate(logger: TestStack.logger)[0].status == .failed)
        let failed = try await replicator.status(logger: TestStack.logger)[0]
        #expect(failed.state == .failed && failed.isUnhealthy)
        #expect(failed.cause?.contains("COPY into") == true, "\(String(describing: failed.cause))")
        #expect(failed.advice?.contains("retry 1 of 5") == true && failed.advice?.contains("fix the rejected source row") == true
                && failed.advice?.contains("`rrr cancel \(name)`") == true && failed.advice?.contains("`rrr reset \(name)`") == true,
                "\(failed.advice ?? "")")

        // The same unfinished record while another process holds the lock: running, not failed.
        let release = try await source.holdTableLock(configuration.lockKey(for: table))
        let running = try await replicator.status(logger: TestStack.logger)[0]
        await release()
        #expect(running.state == .running && running.cause == nil)
        // A record left without an error (the process was killed): interrupted.
        var killed = try #require(failed.latest)
        killed.lastError = nil
        let store = try SourceDriver.builtIn.openSource(source.url)
        try await store.history.update(killed, logger: TestStack.logger)
        await store.close()
        #expect(try await replicator.status(logger: TestStack.logger)[0].state == .interrupted)

        // Fixed at the source, and the rejected export canceled as the advice says: the next run
        // succeeds, the lag is the age of the snapshot.
        try await source.execute("UPDATE \(name) SET code = '8', updated_at = now() WHERE id = 2")
        #expect(try await replicator.cancel(table: name, logger: TestStack.logger) != nil)
        #expect(try await replicator.replicate(logger: TestStack.logger)[0].status == .imported)
        let ok = try await replicator.status(logger: TestStack.logger)[0]
        #expect(ok.state == .ok && !ok.isUnhealthy && ok.cause == nil)
        let lag = try #require(ok.lagSeconds)
        #expect(lag >= 0 && lag < 60)
        var later = ok
        later.now = ok.now.addingTimeInterval(7200)
        #expect(later.lagExceeded && later.isUnhealthy && later.advice?.contains("older than max_lag") == true)
    }

    @Test func redshiftConnectionErrorsSayWhy() async throws {
        func installError(_ change: (inout ReplicatorConfiguration) -> Void) async throws -> String {
            var configuration = try TestStack.configuration(tables: [TableConfiguration(name: "users", strategy: .timed)])
            change(&configuration)
            do { try await Replicator(configuration: configuration).install(logger: TestStack.logger) } catch { return "\(error)" }
            return "no error"
        }
        let password = try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")
        let wrongPassword = try await installError { $0.redshift.password = Secret("not-the-password") }
        #expect(wrongPassword.contains("authentication failed: ") && !wrongPassword.contains("not-the-password"), "\(wrongPassword)")
        let refused = try await installError { $0.redshift.port = 1 }
        #expect(refused.contains("connection refused"), "\(refused)")
        #expect(!refused.contains(password))
    }
}
