import AsyncSupport
import Foundation
import Logging
import Metrics

/// Runs one table through export -> upload -> import under its lock, recording every state in
/// the history, resuming what an earlier run left unfinished.
struct TableReplication: Sendable {
    let table: TableConfiguration
    let settings: TableSettings
    let configuration: ReplicatorConfiguration
    let source: any ReplicationSource
    let warehouse: RedshiftWarehouse
    let staging: any StagingStore
    var report: EventReporter
    let progress: Broadcaster<ExportProgress>
    /// The cluster's slice count, read once per run and shared by its tables.
    var clusterSlices = ClusterSlices()
    /// The run's source connection budget (parallel tables); `nil`: no limit.
    var sourceConnections: AsyncPermits? = nil
    /// The newest history id when the run began: a table imported by a record after it was
    /// replicated by another process during this run (several processes sharing `--all`).
    var roundStart: Int64? = nil

    var history: any HistoryStore { configuration.history(of: source) }
    var lockKey: String { configuration.lockKey(for: table) }

    /// Runs `step` for the table; never throws (failures become a `.failed` outcome).
    func run(_ step: ReplicationStep, wait: Bool) async -> TableOutcome {
        let held = sourceConnections.map { min(Parallelism.sourceConnectionsPerTable, $0.total) } ?? 0
        do {
            try await sourceConnections?.acquire(held)
        } catch {
            return TableOutcome(table: table.name, status: .failed, failure: ReplicationFailure(error))
        }
        defer { sourceConnections?.release(held) }
        do {
            let outcome = try await source.withTableLock(lockKey, wait: wait, logger: report.logger) {
                try await runLocked(step)
            }
            guard let outcome else {
                report(.warning, .skippedLocked, "skipped: another rrr process is replicating \(table.name) (lock \(lockKey)); use --wait to wait for it")
                return TableOutcome(table: table.name, status: .skippedLocked)
            }
            return outcome
        } catch let failure as TableFailure {
            Counter(label: "rrr.replications.failed", dimensions: [("table", table.name)]).increment()
            return TableOutcome(table: table.name, status: .failed, record: failure.record, failure: failure.failure)
        } catch {
            report(.error, .failed, "\(error)")
            Counter(label: "rrr.replications.failed", dimensions: [("table", table.name)]).increment()
            return TableOutcome(table: table.name, status: .failed, failure: ReplicationFailure(error))
        }
    }

    private func runLocked(_ step: ReplicationStep) async throws -> TableOutcome {
        try await history.adoptUnowned(source: table.sourceTable, target: table.targetTable, logger: report.logger)
        let latest = try await history.latestActive(source: table.sourceTable, target: table.targetTable, logger: report.logger)
        if let latest, let change = ConfigurationChange(table: table, record: latest) {
            throw ConfigurationError(.invalidValue, setting: "tables.\(table.name)", change.description)
        }
        if step == .replicate, let roundStart, let latest, latest.state == .imported, latest.id > roundStart {
            report(.info, .replicatedElsewhere, "skipped: another rrr process replicated \(table.name) while this run was going")
            return TableOutcome(table: table.name, status: .replicatedElsewhere, record: latest)
        }
        var decision = ResumeDecision.decide(latest: latest, maxRetries: settings.maxRetries)
        if case .cancelThenStartFresh(var stale) = decision {
            stale.state = .canceled
            stale.lastError = "canceled after \(stale.retries) retries" + (stale.lastError.map { "; last error: \($0)" } ?? "")
            try await history.update(stale, logger: report.logger)
            report(.warning, .retriesExhausted, "replication #\(stale.id) canceled after \(stale.retries) retries; starting a new one")
            decision = .startFresh
        }
        await sweepLeftovers()
        var record: ReplicationRecord
        switch (decision, step) {
        case (.startFresh, .import), (.exportAgain, .import):
            report(.info, .nothingToImport, "nothing to import: no uploaded replication")
            return TableOutcome(table: table.name, status: .nothingToImport)
        case (.startFresh, _):
            var fresh = ReplicationRecord(
                replicationType: table.strategy, key: ReplicationKey.make(target: table.targetTable),
                sourceTable: table.sourceTable, targetTable: table.targetTable,
                slices: settings.slices ?? 0, exportFormat: settings.format)
            fresh.replicationField = table.replicationField
            fresh.keyColumns = ConfigurationChange.keyText(table)
            fresh.rrrVersion = RRRVersion.current
            record = try await history.insert(fresh, logger: report.logger)
            Failpoint.hit(ReplicationState.enqueued.rawValue)
        case (.exportAgain(let r), _), (.importAgain(let r), _):
            record = r
            record.retries += 1
            try await history.update(record, logger: report.logger)
        case (.cancelThenStartFresh, _):
            preconditionFailure("handled above")
        }
        var report = self.report
        report.setReplication(record.id)
        let run = TableRun(replication: self, report: report)
        return try await run.drive(&record, step: step, resumingImport: { if case .importAgain = decision { true } else { false } }())
    }
}

extension TableReplication {
    /// Deletes the S3 folders of this table's replications that are finished (`imported`) or
    /// `canceled` but still have files: a process killed between `imported` and the deletion, a
    /// canceled replication's upload. Runs under the table's lock, so no run is using them; a folder
    /// without a record here (another configuration's) is left alone. A failure only warns.
    func sweepLeftovers() async {
        guard settings.deleteS3FilesAfterImport else { return }
        let parent = ReplicationKey.tableFolder(prefix: configuration.storage.prefix, target: table.targetTable)
        do {
            let folders = try await staging.folders(under: parent, logger: report.logger)
            guard !folders.isEmpty else { return }
            let records = try await history.records(source: table.sourceTable, target: table.targetTable, limit: 100_000, logger: report.logger)
            let finished = Set(records.filter { $0.state == .imported || $0.state == .canceled }.map(\.key))
            let leftovers = folders.filter { finished.contains(String($0.dropFirst(parent.count + 1))) }
            for folder in leftovers { try await staging.deleteFolder(folder, logger: report.logger) }
            if !leftovers.isEmpty {
                report(.info, .leftoversRemoved, "removed the S3 files of \(leftovers.count) finished or canceled replication(s) left under \(parent)/")
            }
        } catch {
            report(.warning, .cleanupFailed, "could not remove the S3 files of finished replications under \(parent)/: \(error)")
        }
    }
}

extension ReplicatorConfiguration {
    /// Which Redshift this configuration loads: `host:port/database/schema`, the names folded to
    /// lower case as Redshift folds them. History records and table locks carry it, so two
    /// configurations replicating one source table into different warehouses (production and
    /// staging, a developer's emulator) keep separate histories and never block each other.
    public var warehouseIdentity: String {
        "\(redshift.host.lowercased()):\(redshift.port)/\(redshift.database.lowercased())/\(redshift.schema.lowercased())"
    }

    /// The name of `table`'s lock in the source database: one run per table pair and warehouse at a time.
    func lockKey(for table: TableConfiguration) -> String {
        "rrr:\(table.sourceTable)->\(warehouseIdentity).\(table.targetTable)"
    }

    /// `source`'s history, limited to this configuration's warehouse.
    func history(of source: any ReplicationSource) -> any HistoryStore {
        source.history.scoped(toWarehouse: warehouseIdentity)
    }
}

/// A failure already recorded in the history and reported as an event.
struct TableFailure: Error {
    let record: ReplicationRecord
    let failure: ReplicationFailure
}
