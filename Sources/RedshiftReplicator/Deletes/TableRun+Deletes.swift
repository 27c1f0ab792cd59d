import Foundation

/// Lets tests act while a propagation runs (e.g. delete more rows between reading the recorded
/// deletes and committing them). `nil` in production.
enum DeletePropagationHook {
    @TaskLocal static var afterRead: (@Sendable () async throws -> Void)?

    static func run() async throws { if let afterRead { try await afterRead() } }
}

extension TableRun {
    /// The table's pending deletes, read now (after the export's snapshot); `nil` when untracked.
    func readPendingDeletes() async throws -> TableDeletes? {
        let deletes = try await TableDeletes.read(table: table, settings: settings, source: replication.source, logger: logger)
        if deletes != nil { try await DeletePropagationHook.run() }
        return deletes
    }

    /// A run whose export found no rows still propagates the recorded deletes, in a transaction
    /// of its own; the record is kept as imported (0 rows, no upper bound so it never moves the
    /// high-water mark). Returns `false` when there was nothing to delete.
    func propagateDeletesWithoutRows(_ keeper: RecordKeeper, session: RedshiftSession) async throws -> Bool {
        guard let deletes = try await readPendingDeletes(), !deletes.pending.isEmpty else { return false }
        try await deletes.applyAlone(warehouse: replication.warehouse, targetTable: table.targetTable, session: session, report: report)
        try await deletesCommitted(deletes, keeper)
        try await keeper.save { $0.state = .imported; $0.upperBound = nil }
        return true
    }

    /// The deletes reached Redshift: forget their records, save the count in the history record.
    func deletesCommitted(_ deletes: TableDeletes?, _ keeper: RecordKeeper) async throws {
        guard let deletes else { return }
        try await deletes.reachedRedshift(report: report)
        let count = Int64(deletes.pending.keys.count)
        try await keeper.save { $0.deletedCount = count }
    }

    /// Runs the configured after-load `ANALYZE` / `VACUUM` once the load committed. A failure is
    /// a warning: the data is loaded, only the housekeeping is late.
    func afterLoadMaintenance() async {
        guard settings.analyzeAfterLoad || settings.vacuumAfterLoad != nil else { return }
        let maintenance = TableMaintenance(warehouse: replication.warehouse, logger: logger)
        if let mode = settings.vacuumAfterLoad {
            let result = await maintenance.vacuum(table: table, options: VacuumOptions(mode: mode))
            report(result.succeeded ? .info : .warning, .maintenance, "after load: \(result)")
        }
        if settings.analyzeAfterLoad {
            let result = await maintenance.analyze(table: table, predicateColumns: false)
            report(result.succeeded ? .info : .warning, .maintenance, "after load: \(result)")
        }
    }
}
