import Foundation
import RedshiftEmulator
import Testing
@testable import RedshiftReplicator

/// Issue 14 items 3 and 4: `rrr serve` runs tables on their schedule, one run of a table at a time,
/// serves `/metrics` and `/healthz`, and stops gracefully on SIGTERM: a table in COPY finishes
/// within the grace or is abandoned, and the next run resumes it with exact rows.
@Suite("rrr serve", .enabled(if: TestStack.enabled), .timeLimit(.minutes(4)), .closesResources)
struct ServeTests {
    /// One full table of `rows` rows in the source, its empty target, installed.
    static func fullTable(_ stem: String, rows: Int, source: SQLClient, redshift: SQLClient) async throws -> String {
        let name = TestStack.uniqueName(stem)
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, name text);
            INSERT INTO \(name) SELECT g, 'u' || g FROM generate_series(1, \(rows)) g
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(16))")
        return name
    }

    /// The environment pointing `${RRR_TEST_REDSHIFT_*}` at an in-process emulator on `port`.
    static func emulatorEnvironment(port: Int) -> [String: String] {
        ["RRR_TEST_REDSHIFT_HOST": "127.0.0.1", "RRR_TEST_REDSHIFT_PORT": "\(port)",
         "RRR_TEST_REDSHIFT_USER": "rrr", "RRR_TEST_REDSHIFT_PASSWORD": InProcessEmulator.password]
    }

    /// (id, state, started, ended) of `table`'s records, oldest first; times in epoch seconds.
    static func records(_ table: String, source: SQLClient) async throws -> [(id: String, state: String, start: Double, end: Double)] {
        try await source.rows("""
            SELECT CAST(id AS text), CAST(state AS text), CAST(EXTRACT(EPOCH FROM created_at) AS text), CAST(EXTRACT(EPOCH FROM updated_at) AS text)
            FROM rrr_replications WHERE target_table = '\(table)' ORDER BY rrr_replications.id
            """).map { ($0[0] ?? "", $0[1] ?? "", Double($0[2] ?? "") ?? 0, Double($0[3] ?? "") ?? 0) }
    }

    @Test("each table runs repeatedly on its period, never two runs of one table at once")
    func schedule() async throws {
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        let fast = try await Self.fullTable("serve_fast", rows: 30, source: source, redshift: redshift)
        let slow = try await Self.fullTable("serve_slow", rows: 20, source: source, redshift: redshift)
        // Every COPY takes 1.5 s, longer than the fast table's 1 s period: its runs must queue
        // behind each other, not overlap (an overlapping run would be skipped by the lock).
        var faults = FaultInjection()
        faults.copyDelayMilliseconds = 1500
        try await InProcessEmulator.with(faults: faults) { port in
            let environment = Self.emulatorEnvironment(port: port)
            let config = try CLIProcess.writeConfig(
                tables: "  \(fast):\n    strategy: full\n    every: 1s\n  \(slow):\n    strategy: full\n",
                extraSettings: "serve:\n  every: 6s\n  jitter: 0s\n  shutdown_grace: 30s\n")
            let install = try await CLIProcess.run(["install", "--config", config], environment: environment)
            #expect(install.status == 0, "\(install.stderr)")
            let metricsPort = MetricsEndpoint.freePort()
            let serve = try RunningCLI(["serve", "--config", config, "--metrics-port", "\(metricsPort)"], environment: environment)
            defer { serve.killIfRunning() }
            // Until the fast table has run four times and the slow one twice (about 18 s on a quiet
            // machine; a loaded one only takes longer), then stop.
            for _ in 0..<240 {
                try await Task.sleep(for: .milliseconds(500))
                let fastSoFar = try await Self.records(fast, source: source).count, slowSoFar = try await Self.records(slow, source: source).count
                if fastSoFar >= 4 && slowSoFar >= 2 { break }
            }
            serve.send(SIGTERM)
            let result = await serve.finish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stdout.contains("skipped"), "\(result.stdout)")

            let fastRuns = try await Self.records(fast, source: source), slowRuns = try await Self.records(slow, source: source)
            #expect(fastRuns.count >= 4, "the fast table ran again and again: \(fastRuns.count) runs\n\(result.stderr)")
            // The slow table's longer period (unit-tested exactly in ServeUnitTests) shows as fewer runs,
            // or as many when a loaded machine stretches every run past both periods.
            #expect(slowRuns.count >= 2 && slowRuns.count <= fastRuns.count, "the slow table ran on its own, longer period: \(slowRuns.count) runs")
            for runs in [fastRuns, slowRuns] {
                #expect(runs.allSatisfy { $0.state == "imported" }, "every run finished (the stop waited for them): \(runs.map(\.state))")
                for (earlier, later) in zip(runs, runs.dropFirst()) {
                    #expect(later.start >= earlier.end, "run #\(later.id) started after #\(earlier.id) ended")
                }
            }
            // One outcome line per run.
            #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("\(fast):") }.count == fastRuns.count, "\(result.stdout)")
            #expect(try await redshift.count(fast) == 30)
            #expect(try await redshift.count(slow) == 20)
        }
    }

    @Test("/metrics has the per-table gauges after a run; /healthz turns 503 once max_lag passes")
    func metricsAndHealth() async throws {
        let (name, _, source, redshift) = try await CLIProcess.installedUsersTable("serve_metrics")
        closeAfterTest { await source.close(); await redshift.close() }
        let config = try CLIProcess.writeConfig(
            tables: "  \(name):\n    strategy: timed\n    max_lag: 1h\n",
            extraSettings: "serve:\n  every: 1h\n  jitter: 0s\n")
        let port = MetricsEndpoint.freePort()
        let before = Date().timeIntervalSince1970
        let serve = try RunningCLI(["serve", "--config", config, "--metrics-port", "\(port)"])
        defer { serve.killIfRunning() }

        var health: (status: Int, body: String)?
        for _ in 0..<300 {
            health = await MetricsEndpoint.get(port: port, path: "/healthz")
            if health?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(health?.status == 200, "healthy once the first run imported: \(health?.body ?? "no answer")")
        #expect(health?.body.contains("1 table(s) healthy") == true)

        let metrics = await MetricsEndpoint.get(port: port, path: "/metrics")
        #expect(metrics?.status == 200)
        let text = metrics?.body ?? ""
        let table = "table=\"\(name)\""
        #expect(MetricsEndpoint.sample(text, "rrr_table_rows{\(table)}") == 25, "\(text)")
        #expect(MetricsEndpoint.sample(text, "rrr_table_rejected_rows{\(table)}") == 0)
        #expect(MetricsEndpoint.sample(text, "rrr_table_retries{\(table)}") == 0)
        #expect(MetricsEndpoint.sample(text, "rrr_table_healthy{\(table)}") == 1)
        #expect(MetricsEndpoint.sample(text, "rrr_table_max_lag_seconds{\(table)}") == 3600)
        #expect(MetricsEndpoint.sample(text, "rrr_table_state{\(table),state=\"ok\"}") == 1)
        #expect(MetricsEndpoint.sample(text, "rrr_table_state{\(table),state=\"failed\"}") == 0)
        let lag = MetricsEndpoint.sample(text, "rrr_table_lag_seconds{\(table)}")
        let lagInRange = lag.map { $0 >= 0 && $0 < Date().timeIntervalSince1970 - before + 1 } ?? false
        #expect(lagInRange, "lag \(String(describing: lag))")
        let success = MetricsEndpoint.sample(text, "rrr_table_last_success_timestamp_seconds{\(table)}") ?? 0
        #expect(success >= before - 1 && success <= Date().timeIntervalSince1970 + 1, "last success \(success)")
        #expect((MetricsEndpoint.sample(text, "rrr_table_export_bytes{\(table)}") ?? 0) > 0)
        // The engine's swift-metrics counters, under Prometheus names.
        #expect(MetricsEndpoint.sample(text, "rrr_rows_exported_total{\(table)}") == 25)
        #expect(MetricsEndpoint.sample(text, "rrr_rows_loaded_total{\(table)}") == 25)
        #expect(text.contains("# TYPE rrr_export_duration_seconds histogram"))

        #expect(await MetricsEndpoint.get(port: port, path: "/nothing")?.status == 404)
        serve.send(SIGTERM)
        let result = await serve.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 1 && result.stdout.hasPrefix("\(name): "), "\(result.stdout)")

        // The same table with a short max_lag and no run for an hour: its data ages past it.
        // (A second process, since the configuration is read once; a lag bound no machine load
        // can break in the healthy phase above.)
        let shortLag = try CLIProcess.writeConfig(
            tables: "  \(name):\n    strategy: timed\n    max_lag: 2s\n",
            extraSettings: "serve:\n  every: 1h\n  jitter: 0s\n")
        let port2 = MetricsEndpoint.freePort()
        let second = try RunningCLI(["serve", "--config", shortLag, "--metrics-port", "\(port2)"])
        defer { second.killIfRunning() }
        var stale: (status: Int, body: String)?
        for _ in 0..<600 {
            stale = await MetricsEndpoint.get(port: port2, path: "/healthz")
            // (Until its board has read the history, a new process reports the table as never replicated.)
            if stale?.status == 503, stale?.body.contains("\(name): data") == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(stale?.status == 503)
        #expect(stale?.body.contains("\(name): data") == true && stale?.body.contains("max_lag 2 s") == true, "\(stale?.body ?? "")")
        let after = await MetricsEndpoint.get(port: port2, path: "/metrics")
        #expect(MetricsEndpoint.sample(after?.body ?? "", "rrr_table_healthy{\(table)}") == 0)
        second.send(SIGTERM)
        #expect(await second.finish().status == 0)
    }

    @Test("SIGTERM during COPY: after the grace the run is abandoned, and the next run resumes it with exact rows")
    func sigtermDuringCopyAbandons() async throws {
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        let name = try await Self.fullTable("serve_abandon", rows: 500, source: source, redshift: redshift)
        var faults = FaultInjection()
        faults.copyDelayMilliseconds = 30000
        let config = try CLIProcess.writeConfig(
            tables: "  \(name):\n    strategy: full\n", extraSettings: "serve:\n  every: 1h\n  jitter: 0s\n  shutdown_grace: 1s\n")
        try await InProcessEmulator.with(faults: faults) { port in
            // History records belong to the warehouse they load (host, port, database, schema): the
            // next run goes to the same emulator.
            let environment = Self.emulatorEnvironment(port: port)
            let install = try await CLIProcess.run(["install", "--config", config], environment: environment)
            #expect(install.status == 0, "\(install.stderr)")
            let serve = try RunningCLI(["serve", "--config", config, "--metrics-port", "\(MetricsEndpoint.freePort())"], environment: environment)
            defer { serve.killIfRunning() }
            try await Self.waitForState("importing", of: name, source: source, serve: serve)
            try await Task.sleep(for: .milliseconds(500))  // into the COPY
            let sent = ContinuousClock.now
            serve.send(SIGTERM)
            let result = await serve.finish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(ContinuousClock.now - sent < .seconds(20), "stopped after the 1 s grace, not after the 30 s COPY")
            #expect(result.stderr.contains("shutdown grace of 1 s is over: stopping \(name)"), "\(result.stderr)")
            let left = try await Self.records(name, source: source)
            #expect(left.count == 1 && left.last?.state == "importing", "the record was left to resume: \(left.map(\.state))")
            #expect(try await redshift.count(name) == 0, "the COPY's transaction rolled back")

            // The next run resumes the same replication and loads every row once.
            let next = try await CLIProcess.run(["replicate", name, "--config", config], environment: environment)
            #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
            let after = try await Self.records(name, source: source)
            #expect(after.count == 1 && after.last?.id == left.last?.id && after.last?.state == "imported", "\(after)")
            #expect(try await redshift.count(name) == 500)
            #expect(try await redshift.rows("SELECT CAST(COUNT(DISTINCT id) AS VARCHAR) FROM \(name)").first?.first == "500")
        }
    }

    @Test("SIGTERM during COPY: within the grace the run finishes before the process exits")
    func sigtermDuringCopyFinishesWithinGrace() async throws {
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        let name = try await Self.fullTable("serve_grace", rows: 300, source: source, redshift: redshift)
        var faults = FaultInjection()
        // 15 s: the test process (which also hosts the emulator) polls the record's state, and under a
        // full suite a 3 s COPY came and went between two polls that far apart.
        faults.copyDelayMilliseconds = 15_000
        try await InProcessEmulator.with(faults: faults) { port in
            let environment = Self.emulatorEnvironment(port: port)
            let config = try CLIProcess.writeConfig(
                tables: "  \(name):\n    strategy: full\n", extraSettings: "serve:\n  every: 1h\n  jitter: 0s\n  shutdown_grace: 60s\n")
            let install = try await CLIProcess.run(["install", "--config", config], environment: environment)
            #expect(install.status == 0, "\(install.stderr)")
            let serve = try RunningCLI(["serve", "--config", config, "--metrics-port", "\(MetricsEndpoint.freePort())"], environment: environment)
            defer { serve.killIfRunning() }
            try await Self.waitForState("importing", of: name, source: source, serve: serve)
            serve.send(SIGTERM)
            let result = await serve.finish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("\(name): imported"), "\(result.stdout)")
            #expect(try await Self.records(name, source: source).map(\.state) == ["imported"])
            #expect(try await redshift.count(name) == 300)
        }
    }

    struct StateNotReached: Error, CustomStringConvertible { let description: String }

    /// Waits until `table`'s latest record is in `state`; when it never gets there, stops `serve`
    /// and records what it said (a run that failed, e.g. on a starved in-process emulator, says why).
    static func waitForState(_ state: String, of table: String, source: SQLClient, serve: RunningCLI) async throws {
        for _ in 0..<2400 {  // up to two minutes: the in-process emulator shares the tests' threads
            if try await records(table, source: source).last?.state == state { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        serve.send(SIGKILL)
        let said = await serve.finish()
        let states = try await records(table, source: source).map(\.state)
        throw StateNotReached(description: "\(table) never reached \(state) (records: \(states)); rrr serve said: \(said.stderr.suffix(3000))")
    }
}
