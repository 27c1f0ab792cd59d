import AsyncSupport
import Foundation
import Logging

/// What the tables of one run share, opened once: the source's shared session (history,
/// metadata), the S3 staging store, the source and Redshift connection budgets of `jobs` tables at
/// once, and the cluster's slice count. A one-shot run opens one for its tables; `rrr serve` one for
/// its whole life, so its tables share the same budgets however their schedules overlap.
package struct TableRunner: Sendable {
    let replicator: Replicator
    let source: any ReplicationSource
    let staging: any StagingStore
    let warehouse: RedshiftWarehouse
    let sourceConnections: AsyncPermits?
    let clusterSlices = ClusterSlices()

    /// Opens the shared session and checks that the history table is current (`rrr install`).
    package static func open(_ replicator: Replicator, jobs: Int, logger: Logger) async throws -> TableRunner {
        let source = try replicator.makeSource()
        do { try await replicator.configuration.history(of: source).checkInstalled(logger: logger) } catch { await source.close(); throw error }
        let staging: any StagingStore
        do { staging = try replicator.makeStaging() } catch { await source.close(); throw error }
        let configuration = replicator.configuration
        // The shared session (history, metadata) is one of the source budget's connections.
        let sourceConnections = jobs > 1 ? AsyncPermits(total: configuration.parallelism.sourceBudget(jobs: jobs) - 1) : nil
        var warehouse = replicator.warehouse
        if jobs > 1 { warehouse.sessions = AsyncPermits(total: configuration.parallelism.redshiftBudget(jobs: jobs)) }
        return TableRunner(replicator: replicator, source: source, staging: staging, warehouse: warehouse, sourceConnections: sourceConnections)
    }

    /// Runs `step` for `table` under its lock; never throws (failures are outcomes).
    /// `roundStart`: the newest history id when a one-shot round began (a table another process
    /// replicated since is skipped); `nil` runs it whatever happened meanwhile.
    package func run(_ step: ReplicationStep, table: TableConfiguration, wait: Bool, roundStart: Int64? = nil,
                     events: AsyncStream<ReplicationEvent>.Continuation? = nil, logger: Logger) async -> TableOutcome {
        let configuration = replicator.configuration
        var replication = TableReplication(
            table: table, settings: configuration.settings(for: table), configuration: configuration,
            source: source, warehouse: warehouse, staging: staging,
            report: EventReporter(hub: replicator.hub, logger: logger, table: table.name, run: events), progress: replicator.progressHub,
            clusterSlices: clusterSlices)
        replication.sourceConnections = sourceConnections
        replication.roundStart = roundStart
        return await replication.run(step, wait: wait)
    }

    /// Closes the shared session.
    package func close() async { await source.close() }
}
