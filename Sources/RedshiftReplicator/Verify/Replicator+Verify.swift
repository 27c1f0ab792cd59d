import Logging

extension Replicator {
    /// Compares `tables` (default every table) between the source and Redshift in key ranges, and
    /// with ``VerifyOptions/repair`` loads the differing ranges again, then checks them once more.
    ///
    /// Without `repair` nothing is written and no lock is taken. With it, each table is repaired
    /// under its replication lock, and only when no replication of it is unfinished (an uploaded
    /// one would load its older rows over the repair: run `rrr replicate` first).
    /// Rows written in the source since the last replication are differences too.
    public func verify(tables selection: TableSelection = .all, options: VerifyOptions = VerifyOptions(), logger: Logger) async throws -> [TableVerification] {
        let tables = try configuration.tables(selection)
        let source = try makeSource(), staging = try makeStaging()
        var outcomes: [TableVerification] = []
        for table in tables {
            let replication = TableReplication(
                table: table, settings: configuration.settings(for: table), configuration: configuration, source: source,
                warehouse: warehouse, staging: staging, report: EventReporter(hub: hub, logger: logger, table: table.name),
                progress: progressHub)
            let verifier = TableVerifier(replication: replication, options: options)
            do {
                if options.repair {
                    let outcome = try await source.withTableLock(replication.lockKey, wait: options.wait, logger: logger) {
                        try await verifier.run()
                    }
                    if outcome == nil {
                        replication.report(.warning, .skippedLocked, "skipped: another rrr process holds the lock of \(table.name) (lock \(replication.lockKey)); use --wait to wait for it")
                    }
                    outcomes.append(outcome ?? TableVerification(table: table.name, status: .skippedLocked))
                } else {
                    outcomes.append(try await verifier.run())
                }
            } catch {
                replication.report(.error, .failed, "verify failed: \(error)")
                outcomes.append(TableVerification(table: table.name, status: .failed, failure: ReplicationFailure(error)))
            }
        }
        await source.close()
        return outcomes
    }
}

extension TableVerifier {
    /// Compares the table and, when asked, repairs and checks the differing ranges again.
    func run() async throws -> TableVerification {
        try await replication.warehouse.withSession(logger: logger) { session in
            let plan = try await plan(session: session)
            var outcome = try await compare(plan, session: session)
            guard options.repair, outcome.status == .differs else { return outcome }
            if let latest = try await replication.history.latestActive(source: table.sourceTable, target: table.targetTable, logger: logger),
               ![.imported, .canceled].contains(latest.state) {
                throw VerifyError("table \(table.name): replication #\(latest.id) is \(latest.state.rawValue); run `rrr replicate \(table.name)` first (its import would load older rows over the repair)")
            }
            let ranges = outcome.differences.map(\.range)
            outcome.repairedRows = try await repair(ranges, plan: plan, session: session)
            outcome.remaining = try await recheck(KeyRange.coalesced(ranges), plan: plan, session: session)
            outcome.status = outcome.remaining.isEmpty ? .repaired : .differs
            return outcome
        }
    }
}
