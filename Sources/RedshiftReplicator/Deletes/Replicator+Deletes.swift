import Logging

/// What `propagateDeletes` did for one table.
public struct DeletePropagationOutcome: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The result kinds.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The recorded deletes reached Redshift (possibly none were waiting).
        case propagated
        /// Delete tracking is off for the table.
        case untracked
        /// An uploaded replication waits for its import, which would re-insert rows deleted
        /// since its export; the deletes go with that import (`rrr replicate`/`rrr import`).
        case deferred
        /// Another rrr process holds the table's lock.
        case skippedLocked
        /// Failed; see ``failure``. Nothing was removed from the deletions table.
        case failed
    }
    /// The table's configured name.
    public var table: String
    /// The result.
    public var status: Status
    /// Keys deleted in Redshift.
    public var deleted: Int = 0
    /// Keys deleted and re-created since (left in Redshift).
    public var recreated: Int = 0
    /// Why it failed, when ``status`` is `.failed`.
    public var failure: ReplicationFailure?

    public var description: String {
        var text = "\(table): \(status.rawValue)"
        if status == .propagated { text += " (\(deleted) deleted, \(recreated) re-created kept)" }
        if let failure { text += ": \(failure)" }
        return text
    }
}

extension Replicator {
    /// Deletes in Redshift the keys recorded as deleted in the source for `tables` (default every
    /// tracked table), under each table's replication lock, then removes exactly those records.
    /// `rrr replicate` does the same inside each load; this is for running it on its own.
    /// - Parameter wait: wait for a table's lock instead of skipping it. Default `false`.
    public func propagateDeletes(tables selection: TableSelection = .all, wait: Bool = false, logger: Logger) async throws -> [DeletePropagationOutcome] {
        let tables = try configuration.tables(selection)
        let source = try makeSource(), staging = try makeStaging()
        var outcomes: [DeletePropagationOutcome] = []
        for table in tables {
            let settings = configuration.settings(for: table)
            if !settings.enableDeleteTracking {
                if selection != .all { outcomes.append(DeletePropagationOutcome(table: table.name, status: .untracked)) }
                continue
            }
            let replication = TableReplication(
                table: table, settings: settings, configuration: configuration, source: source,
                warehouse: warehouse, staging: staging, report: EventReporter(hub: hub, logger: logger, table: table.name),
                progress: progressHub)
            do {
                let outcome = try await source.withTableLock(replication.lockKey, wait: wait, logger: logger) {
                    try await propagateLocked(replication)
                }
                outcomes.append(outcome ?? DeletePropagationOutcome(table: table.name, status: .skippedLocked))
            } catch {
                replication.report(.error, .failed, "delete propagation failed: \(error)")
                outcomes.append(DeletePropagationOutcome(table: table.name, status: .failed, failure: ReplicationFailure(error)))
            }
        }
        await source.close()
        return outcomes
    }

    private func propagateLocked(_ replication: TableReplication) async throws -> DeletePropagationOutcome {
        let table = replication.table
        if let latest = try await replication.history.latestActive(source: table.sourceTable, target: table.targetTable, logger: replication.report.logger),
           latest.state == .uploaded || latest.state == .importing {
            replication.report(.warning, .deletesDeferred, "deletes deferred: replication #\(latest.id) is \(latest.state.rawValue) and its import carries them")
            return DeletePropagationOutcome(table: table.name, status: .deferred)
        }
        guard let deletes = try await TableDeletes.read(table: table, settings: replication.settings, source: replication.source, logger: replication.report.logger) else {
            return DeletePropagationOutcome(table: table.name, status: .untracked)
        }
        try await DeletePropagationHook.run()
        if !deletes.pending.isEmpty {
            try await warehouse.withSession(logger: replication.report.logger) { session in
                try await deletes.applyAlone(warehouse: warehouse, targetTable: table.targetTable, session: session, report: replication.report)
            }
            try await deletes.reachedRedshift(report: replication.report)
        }
        return DeletePropagationOutcome(table: table.name, status: .propagated, deleted: deletes.pending.keys.count,
                                        recreated: deletes.pending.recreatedKeys.count)
    }
}
