import AsyncSupport
import Foundation
import Logging
import Prometheus
import RedshiftReplicator

/// What `rrr serve` knows about each table, for `/healthz` and the per-table gauges of
/// `/metrics`: its status from the history (re-read after each run and every minute, so runs by
/// other processes count too), this process's last outcome, and its last export's size.
///
/// Lag is computed when asked (the data keeps ageing between runs), from the status's last
/// imported replication.
package final class TableBoard: Sendable {
    private struct State {
        var statuses: [String: TableStatus] = [:]
        var outcomes: [String: TableOutcome.Status] = [:]
        var exportBytes: [String: Int64] = [:]
    }

    /// The configured tables, in configuration order.
    package let tables: [TableConfiguration]
    private let state: Locked<State>
    private let gauges: TableGauges?

    /// A board for `tables` of `configuration`; `registry`: where its gauges go (none: no gauges).
    package init(configuration: ReplicatorConfiguration, registry: PrometheusCollectorRegistry?) {
        tables = configuration.tables
        var initial = State()
        for table in tables {
            let settings = configuration.settings(for: table)
            initial.statuses[table.name] = TableStatus(table: table, latest: nil, lastImported: nil,
                                                       maxRetries: settings.maxRetries, maxLagSeconds: settings.maxLagSeconds)
        }
        state = Locked(initial)
        gauges = registry.map { TableGauges(registry: $0, tables: configuration.tables) }
    }

    /// Reads the status of `names` (default every table) from the history; a failure keeps the
    /// previous statuses (their lag keeps growing) and is logged.
    package func refresh(_ replicator: Replicator, tables names: [String]? = nil, logger: Logger) async {
        do {
            let statuses = try await replicator.status(tables: .named(names ?? tables.map(\.name)), logger: logger)
            state.withLock { state in
                for status in statuses { state.statuses[status.table.name] = status }
            }
        } catch {
            logger.warning("cannot read the tables' status from the history: \(error)", metadata: ["rrr_event": "statusUnreadable"])
        }
    }

    /// Notes this process's outcome of a table's run.
    package func record(_ outcome: TableOutcome) {
        state.withLock { $0.outcomes[outcome.table] = outcome.status }
    }

    /// Notes a finished export's size.
    package func record(_ progress: ExportProgress) {
        guard progress.finished else { return }
        state.withLock { $0.exportBytes[progress.table] = progress.bytes }
    }

    /// Whether a table is healthy, and why not.
    package struct TableHealth: Sendable, Hashable {
        package var table: String
        package var healthy: Bool
        /// Why it is unhealthy, in words.
        package var reason: String?
    }

    /// Every table's health at `now`: with `max_lag`, healthy while Redshift's data is younger; without,
    /// healthy unless its last run failed (this process's last outcome, else the history's state).
    package func health(now: Date = Date()) -> [TableHealth] {
        state.withLock { state in
            tables.map { table in
                guard var status = state.statuses[table.name] else { return TableHealth(table: table.name, healthy: true) }
                status.now = now
                return Self.health(of: status, outcome: state.outcomes[table.name])
            }
        }
    }

    static func health(of status: TableStatus, outcome: TableOutcome.Status?) -> TableHealth {
        let name = status.table.name
        if let maxLag = status.maxLagSeconds {
            guard status.lagExceeded else { return TableHealth(table: name, healthy: true) }
            let lag = status.lagSeconds.map { "data \(Int($0)) s old" } ?? "never replicated"
            return TableHealth(table: name, healthy: false, reason: "\(lag), max_lag \(maxLag) s")
        }
        let failed = outcome.map { $0 == .failed } ?? (status.state == .failed)
        return TableHealth(table: name, healthy: !failed, reason: failed ? "last run failed" : nil)
    }

    /// Sets the per-table gauges to their values at `now` (called before each scrape).
    package func updateGauges(now: Date = Date()) {
        guard let gauges else { return }
        state.withLock { state in
            for table in tables {
                guard var status = state.statuses[table.name] else { continue }
                status.now = now
                let health = Self.health(of: status, outcome: state.outcomes[table.name])
                gauges.set(table.name, status: status, healthy: health.healthy, exportBytes: state.exportBytes[table.name])
            }
        }
    }
}
