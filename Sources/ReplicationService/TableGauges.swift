import Foundation
import Prometheus
import RedshiftReplicator

/// The per-table gauges of `/metrics` (label `table`, the configured name).
///
/// `rrr_table_lag_seconds` appears once the table has an imported replication (a never replicated
/// table has no age; `rrr_table_state{state="never"}` says so).
final class TableGauges: Sendable {
    private struct Table: Sendable {
        let lastSuccess, rows, exportBytes, rejected, retries, healthy: Gauge
        let states: [TableStatus.State: Gauge]
    }

    private let registry: PrometheusCollectorRegistry
    private let tables: [String: Table]
    private static let stateNames: [TableStatus.State: String] = [
        .never: "never", .ok: "ok", .running: "running", .failed: "failed", .interrupted: "interrupted", .canceled: "canceled",
    ]

    init(registry: PrometheusCollectorRegistry, tables configured: [TableConfiguration]) {
        self.registry = registry
        var tables: [String: Table] = [:]
        for table in configured {
            let label = [("table", table.name)]
            func gauge(_ name: String, unit: String = "", _ help: String) -> Gauge {
                registry.makeGauge(descriptor: Self.descriptor(name, unit: unit, help), labels: label)
            }
            tables[table.name] = Table(
                lastSuccess: gauge("last_success_timestamp", unit: "seconds", "When the last imported replication was committed (Unix time; 0: never)."),
                rows: gauge("rows", "Rows of the last imported replication."),
                exportBytes: gauge("export", unit: "bytes", "CSV bytes (before compression) of the table's last export by this process."),
                rejected: gauge("rejected", unit: "rows", "Rows COPY rejected and skipped (max_copy_errors) in the last imported replication."),
                retries: gauge("retries", "Times the newest replication was resumed."),
                healthy: gauge("healthy", "1 while the table is healthy (lag under max_lag; without max_lag: last run did not fail), else 0."),
                states: Dictionary(uniqueKeysWithValues: Self.stateNames.map { state, word in
                    (state, registry.makeGauge(descriptor: Self.descriptor("state", unit: "", "1 for the table's state (never, ok, running, failed, interrupted, canceled), 0 for the others."),
                                               labels: [("table", table.name), ("state", word)]))
                }))
        }
        self.tables = tables
    }

    /// `rrr_table_<name>_<unit>`.
    static func descriptor(_ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "rrr", subsystem: "table", metricName: name, unitName: unit, helpText: help)
    }

    func set(_ name: String, status: TableStatus, healthy: Bool, exportBytes: Int64?) {
        guard let table = tables[name] else { return }
        let label = [("table", name)]
        if let lag = status.lagSeconds {
            registry.makeGauge(descriptor: Self.descriptor("lag", unit: "seconds", "Age of the table's data in Redshift: seconds since the last imported replication read the source."),
                               labels: label).set(lag)
        }
        if let maxLag = status.maxLagSeconds {
            registry.makeGauge(descriptor: Self.descriptor("max_lag", unit: "seconds", "The table's configured max_lag."), labels: label).set(Double(maxLag))
        }
        let imported = status.lastImported
        table.lastSuccess.set(imported.map { $0.updatedAt.timeIntervalSince1970 } ?? 0)
        table.rows.set(imported?.recordCount ?? 0)
        table.rejected.set(imported?.rejectedCount ?? 0)
        table.retries.set(Int64(status.latest?.retries ?? 0))
        table.exportBytes.set(exportBytes ?? 0)
        table.healthy.set(healthy ? 1.0 : 0.0)
        let current = status.state
        for (state, gauge) in table.states { gauge.set(state == current ? 1.0 : 0.0) }
    }
}
