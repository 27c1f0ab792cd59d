import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("Recovery, exactly once, locking, load errors", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)), .closesResources)
struct RecoveryTests {
    /// A source table with `rows` ids and its Redshift twin; returns a replicator for it.
    func setUp(_ stem: String, rows: Int, strategy: ReplicationStrategy = .identity, redshiftName: String = "VARCHAR(32)",
               kind: SourceKind = .postgres, prefix: String = "n") async throws -> (String, Replicator, TestSource, SQLClient) {
        let name = TestStack.uniqueName(stem)
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        do {
            try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name \(kind.text), updated_at \(kind.timestampDefaultNow))")
            try await source.insertNumbered(name, 1...rows, prefix: prefix, columns: "id, name")
            try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name \(redshiftName), updated_at TIMESTAMP)")
            let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: strategy)], source: source.url))
            try await replicator.install(logger: TestStack.logger)
            return (name, replicator, source, redshift)
        } catch {
            // Closed here, since the caller never gets them to close.
            await source.close(); await redshift.close()
            throw error
        }
    }

    @Test(arguments: SourceKind.allCases)
    func exactlyOnceAfterACrashBetweenCommitAndHistoryUpdate(kind: SourceKind) async throws {
        let (name, replicator, source, redshift) = try await setUp("ledger", rows: 10, kind: kind)
        closeAfterTest { await source.close(); await redshift.close() }
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        try await source.insertNumbered(name, 11...15, prefix: "n", columns: "id, name")
        let imported = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(try await redshift.count(name) == 15)
        // The history update after COMMIT is lost: the record still says `importing`.
        let id = try #require(imported.first?.record?.id)
        try await source.executeOnHistory("UPDATE rrr_replications SET state = 'importing' WHERE id = \(id)")
        let again = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(again.map(\.status) == [.imported])
        #expect(again.first?.record?.id == id, "the same replication was completed, not a new one")
        #expect(try await redshift.count(name) == 15, "the ledger prevented a second load")
    }

    @Test(arguments: SourceKind.allCases, [ReplicationState.enqueued, .exporting, .exported, .uploading, .uploaded, .importing])
    func resumesFromEveryState(kind: SourceKind, state: ReplicationState) async throws {
        let (name, replicator, source, redshift) = try await setUp("resume", rows: 20, strategy: .timed, kind: kind)
        closeAfterTest { await source.close(); await redshift.close() }
        let exported = try await replicator.export(tables: .named([name]), logger: TestStack.logger)
        #expect(exported.map(\.status) == [.exported])
        let id = try #require(exported.first?.record?.id)
        try await source.executeOnHistory("UPDATE rrr_replications SET state = '\(state.rawValue)', last_error = 'stale error' WHERE id = \(id)")
        let resumed = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(resumed.map(\.status) == [.imported], "\(resumed)")
        #expect(resumed.first?.record?.id == id)
        #expect(resumed.first?.record?.retries == 1)
        #expect(try await redshift.count(name) == 20)
    }

    @Test(arguments: SourceKind.allCases)
    func cancelsAfterMaxRetriesAndStartsFresh(kind: SourceKind) async throws {
        let (name, replicator, source, redshift) = try await setUp("retries", rows: 5, kind: kind)
        closeAfterTest { await source.close(); await redshift.close() }
        let exported = try await replicator.export(tables: .named([name]), logger: TestStack.logger)
        let id = try #require(exported.first?.record?.id)
        try await source.executeOnHistory("UPDATE rrr_replications SET state = 'uploading', retries = 5 WHERE id = \(id)")
        let outcome = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(outcome.map(\.status) == [.imported])
        #expect(outcome.first?.record?.id != id)
        let old = try await source.historyRows("SELECT state FROM rrr_replications WHERE id = \(id)")
        #expect(old.first?.first == "canceled")
        #expect(try await redshift.count(name) == 5)
    }

    @Test func aLockedTableIsSkippedAndConcurrentRunsLoadOnce() async throws {
        let (name, replicator, source, redshift) = try await setUp("locked", rows: 30)
        closeAfterTest { await source.close(); await redshift.close() }
        let release = try await source.holdTableLock(replicator.configuration.lockKey(for: try replicator.configuration.table(named: name)))
        let skipped = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(skipped.map(\.status) == [.skippedLocked])
        await release()
        async let a = replicator.replicate(tables: .named([name]), wait: true, logger: TestStack.logger)
        async let b = replicator.replicate(tables: .named([name]), wait: true, logger: TestStack.logger)
        let outcomes = try await a + b
        #expect(outcomes.allSatisfy { $0.status == .imported || $0.status == .upToDate }, "\(outcomes)")
        #expect(try await redshift.count(name) == 30)
    }

    @Test func loadErrorsAreReadableAndKeptInTheHistory() async throws {
        let (name, replicator, source, redshift) = try await setUp("badload", rows: 3, redshiftName: "BIGINT")
        closeAfterTest { await source.close(); await redshift.close() }
        let outcome = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(outcome.map(\.status) == [.failed])
        #expect(outcome.first?.failure?.kind == .loadRejected, "a typed failure: Redshift rejected rows")
        let error = try #require(outcome.first?.error)
        #expect(error.contains("stl_load_errors"), "\(error)")
        #expect(error.contains("name"), "names the column: \(error)")
        #expect(error.contains("line"), "names the line: \(error)")
        #expect(!error.contains(try TestStack.value("RRR_TEST_S3_SECRET_ACCESS_KEY")))
        let history = try await replicator.history(table: name, logger: TestStack.logger)
        #expect(history.first?.lastError == error)
        #expect(history.first?.state == .exported, "rejected data: the next run exports the range again")
        #expect(try await redshift.count(name) == 0)
    }

    /// A COPY rejected on data says what to do, and the run right after the source row is fixed
    /// loads it: it exports the same range again instead of reloading the rejected files until
    /// `max_retries` cancels them.
    @Test(arguments: SourceKind.allCases)
    func aRejectedRowFixedInTheSourceLoadsOnTheNextRun(kind: SourceKind) async throws {
        // Names are numbers loading into BIGINT; text there is rejected by COPY (the export checks
        // widths and date ranges, not this).
        let (name, replicator, source, redshift) = try await setUp("rejectfix", rows: 3, redshiftName: "BIGINT", kind: kind, prefix: "")
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("UPDATE \(name) SET name = 'not a number' WHERE id = 2")
        let failed = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(failed.map(\.status) == [.failed] && failed.first?.failure?.kind == .loadRejected)
        let message = try #require(failed.first?.error)
        #expect(message.contains("fix these rows in the source table \(name)") && message.contains("`rrr replicate \(name)` again"), "\(message)")
        // Fixed without touching the replication field: the row stays in the saved range.
        try await source.execute("UPDATE \(name) SET name = '22' WHERE id = 2")
        let fixed = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(fixed.map(\.status) == [.imported], "\(fixed)")
        #expect(fixed.first?.record?.id == failed.first?.record?.id, "the same replication, exported again")
        #expect(fixed.first?.record?.retries == 1)
        #expect(try await redshift.rows("SELECT CAST(id AS VARCHAR), CAST(name AS VARCHAR) FROM \(name) ORDER BY id").map { $0.compactMap { $0 } } == [["1", "1"], ["2", "22"], ["3", "3"]])
    }
}
