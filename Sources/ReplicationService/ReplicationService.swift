import Foundation
import Logging
import Metrics
import Prometheus
import RedshiftReplicator
import ServiceLifecycle

/// `rrr serve`: the metrics endpoint and the scheduler as one service group, stopped gracefully by
/// SIGTERM or SIGINT (the scheduler first, so `/healthz` answers while tables finish).
package enum ReplicationService {
    /// Runs until a stop signal (or a failure to start: the history table missing, the port taken).
    /// - Parameters:
    ///   - jobs: tables at once.
    ///   - metricsPort: overrides `metrics.port`.
    ///   - onOutcome: called with each table's outcome.
    package static func run(replicator: Replicator, jobs: Int, metricsPort: Int?, logger: Logger,
                            onOutcome: @escaping @Sendable (TableOutcome) -> Void) async throws {
        let settings = replicator.configuration.service
        let jobs = max(1, min(jobs, replicator.configuration.tables.count))
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(prometheusFactory(registry))
        let board = TableBoard(configuration: replicator.configuration, registry: registry)
        let server = try await MetricsServer(host: settings.metricsHost, port: metricsPort ?? settings.metricsPort,
                                             registry: registry, board: board, logger: logger)
        let scheduler = ReplicationScheduler(replicator: replicator, board: board, jobs: jobs, logger: logger, onOutcome: onOutcome)
        var configuration = ServiceGroupConfiguration(services: [server, scheduler], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A backstop only: the scheduler stops its tables when the grace is over.
        configuration.maximumGracefulShutdownDuration = .seconds(settings.shutdownGraceSeconds) + ReplicationScheduler.stopWindow + .seconds(10)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// The engine's swift-metrics counters and timers under Prometheus's names: `rrr.rows.exported`
    /// -> `rrr_rows_exported_total`, `rrr.export.duration` -> `rrr_export_duration_seconds`
    /// (buckets from 0.1 s to 1 h: loads take seconds to hours, not milliseconds).
    static func prometheusFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600].map { Duration.milliseconds(Int64($0 * 1000)) }
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels)
        }
        return factory
    }

    /// `rrr.export.duration` -> `rrr_export_duration_seconds`; other `rrr.` names are counters -> `_total`.
    static func prometheusName(_ name: String) -> String {
        let base = name.replacingOccurrences(of: ".", with: "_")
        guard name.hasPrefix("rrr.") else { return base }
        return name.hasSuffix(".duration") ? base + "_seconds" : base + "_total"
    }
}
