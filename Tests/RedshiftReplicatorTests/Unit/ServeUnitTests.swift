import Foundation
import Testing
@testable import RedshiftReplicator
@testable import ReplicationService

@Suite("rrr serve: settings, schedule, health")
struct ServeUnitTests {
    let env = [
        "RRR_REDSHIFT_HOST": "rs.example", "RRR_REDSHIFT_DATABASE": "dw", "RRR_REDSHIFT_USER": "loader",
        "RRR_REPLICATION_BUCKET": "bucket-1",
    ]
    let base = """
        source:
          url: postgres://app@127.0.0.1:5432/app
        tables:
          users:
            strategy: timed
          events:
            strategy: identity
            every: 1 minute
        """

    func parse(_ extra: String) throws(ConfigurationError) -> ReplicatorConfiguration {
        try ReplicatorConfiguration.parse(yaml: base + "\n" + extra, environment: env)
    }

    @Test func serveAndMetricsSettingsAreReadThroughTheStrictParser() throws {
        let defaults = try parse("")
        #expect(defaults.service == ServiceSettings())
        #expect(defaults.service.everySeconds == 900 && defaults.service.metricsPort == 9464 && defaults.service.metricsHost == "127.0.0.1")
        #expect(defaults.tables.map(\.everySeconds) == [nil, 60])

        let set = try parse("serve:\n  every: 5m\n  jitter: 25%\n  shutdown_grace: 2 minutes\nmetrics:\n  port: 9100\n  host: 0.0.0.0")
        #expect(set.service.everySeconds == 300)
        #expect(set.service.jitter == .fraction(0.25))
        #expect(set.service.shutdownGraceSeconds == 120)
        #expect(set.service.metricsPort == 9100 && set.service.metricsHost == "0.0.0.0")
        #expect(try parse("serve:\n  jitter: 30s").service.jitter == .seconds(30))

        let cases: [(String, String)] = [
            ("serve:\n  evry: 5m", "serve.evry"),
            ("metrics:\n  prot: 1", "metrics.prot"),
            ("serve:\n  every: soon", "serve.every"),
            ("serve:\n  every: 0s", "serve.every"),
            ("serve:\n  jitter: 150%", "serve.jitter"),
            ("serve:\n  shutdown_grace: later", "serve.shutdown_grace"),
            ("metrics:\n  port: 70000", "metrics.port"),
        ]
        for (yaml, setting) in cases {
            do {
                _ = try parse(yaml)
                Issue.record("accepted \(yaml)")
            } catch {
                #expect(error.setting == setting, "\(error)")
            }
        }
        do { _ = try parse("serve:\n  evry: 5m"); Issue.record("typo accepted") } catch {
            #expect(error.message.contains("did you mean `every`?"), "\(error)")
        }
        do {
            _ = try ReplicatorConfiguration.parse(yaml: base.replacingOccurrences(of: "every: 1 minute", with: "every: never"), environment: env)
            Issue.record("a bad table period was accepted")
        } catch {
            #expect(error.setting == "tables.events.every", "\(error)")
        }
    }

    func schedule(_ settings: ServiceSettings, tables: [TableConfiguration], random: @escaping @Sendable (ClosedRange<Double>) -> Double) -> TableSchedule {
        TableSchedule(tables: tables, settings: settings, now: 0, random: random)
    }

    @Test func runsComeOnePeriodAfterTheLastStartOrRightAfterALongRun() {
        var settings = ServiceSettings()
        settings.everySeconds = 100
        settings.jitter = .seconds(0)
        var fast = TableConfiguration(name: "fast", strategy: .full)
        fast.everySeconds = 10
        var plan = schedule(settings, tables: [fast, TableConfiguration(name: "slow", strategy: .full)], random: { $0.lowerBound })
        #expect(plan.startDue(now: 0, free: 4) == [0, 1], "both are due at start")
        #expect(plan.startDue(now: 1, free: 4) == [], "a running table is not started again")
        #expect(plan.nextDue == nil)
        plan.finished(0, now: 3)
        #expect(plan.entries[0].due == 10, "a period after the start, not after the end")
        plan.finished(1, now: 150)
        #expect(plan.entries[1].due == 150, "a run longer than its period: the next starts when it ends, no catch-up burst")
        #expect(plan.nextDue == 10)
        #expect(plan.startDue(now: 9.9, free: 4) == [])
        #expect(plan.startDue(now: 200, free: 1) == [0], "at most `free`, the most overdue first")
        #expect(plan.runningCount == 1)
    }

    @Test func jitterDelaysEachStartWithinItsBound() {
        var settings = ServiceSettings()
        settings.everySeconds = 600
        settings.jitter = .fraction(0.1)
        let plan = schedule(settings, tables: (1...50).map { TableConfiguration(name: "t\($0)", strategy: .full) }, random: { Double.random(in: $0) })
        #expect(plan.entries.allSatisfy { $0.jitter == 60 && $0.due >= 0 && $0.due <= 60 })
        #expect(Set(plan.entries.map(\.due)).count > 1, "the first runs are spread")
        #expect(ServiceSettings.Jitter.seconds(30).seconds(forPeriod: 600) == 30)
    }

    func status(maxLag: Int?, importedSecondsAgo: Double?, failed: Bool = false) -> TableStatus {
        let table = TableConfiguration(name: "users", strategy: .timed)
        let now = Date()
        var imported: ReplicationRecord?
        if let ago = importedSecondsAgo {
            var record = ReplicationRecord(replicationType: .timed, key: "k1", sourceTable: "users", targetTable: "users", slices: 1,
                                           exportFormat: .gzip, now: now.addingTimeInterval(-ago))
            record.state = .imported
            imported = record
        }
        var latest = imported
        if failed {
            var record = ReplicationRecord(replicationType: .timed, key: "k2", sourceTable: "users", targetTable: "users", slices: 1, exportFormat: .gzip)
            record.state = .exporting
            record.lastError = "boom"
            latest = record
        }
        var status = TableStatus(table: table, latest: latest, lastImported: imported, maxLagSeconds: maxLag)
        status.now = now
        return status
    }

    @Test func healthFollowsMaxLagElseTheLastRun() {
        #expect(TableBoard.health(of: status(maxLag: 60, importedSecondsAgo: 10), outcome: nil).healthy)
        let stale = TableBoard.health(of: status(maxLag: 60, importedSecondsAgo: 90), outcome: .imported)
        #expect(!stale.healthy && stale.reason?.contains("max_lag 60 s") == true)
        #expect(!TableBoard.health(of: status(maxLag: 60, importedSecondsAgo: nil), outcome: nil).healthy, "never replicated is over max_lag")
        #expect(TableBoard.health(of: status(maxLag: 60, importedSecondsAgo: 10, failed: true), outcome: .failed).healthy,
                "a failed run with fresh data is within max_lag")
        // Without max_lag: healthy unless the last run failed (this process's outcome first).
        #expect(TableBoard.health(of: status(maxLag: nil, importedSecondsAgo: 9999), outcome: nil).healthy)
        #expect(TableBoard.health(of: status(maxLag: nil, importedSecondsAgo: nil), outcome: nil).healthy)
        #expect(!TableBoard.health(of: status(maxLag: nil, importedSecondsAgo: 10, failed: true), outcome: nil).healthy)
        #expect(!TableBoard.health(of: status(maxLag: nil, importedSecondsAgo: 10), outcome: .failed).healthy)
        #expect(TableBoard.health(of: status(maxLag: nil, importedSecondsAgo: 10, failed: true), outcome: .imported).healthy,
                "this process's newer outcome wins over the history it read before")
    }

    @Test func engineMetricsGetPrometheusNames() {
        #expect(ReplicationService.prometheusName("rrr.rows.exported") == "rrr_rows_exported_total")
        #expect(ReplicationService.prometheusName("rrr.export.duration") == "rrr_export_duration_seconds")
        #expect(ReplicationService.prometheusName("other.thing") == "other_thing")
    }
}
