import Logging

extension Replicator {
    /// Runs `VACUUM` on `tables` (default every configured table), one after another, outside any transaction.
    /// One table failing never stops the others.
    public func vacuum(tables selection: TableSelection = .all, options: VacuumOptions = VacuumOptions(), logger: Logger) async throws -> [MaintenanceOutcome] {
        try await eachTable(selection, logger: logger) { await $0.vacuum(table: $1, options: options) }
    }

    /// Runs `ANALYZE` on `tables` (default every configured table); `predicateColumns` adds `PREDICATE COLUMNS`
    /// (default `false`). One table failing never stops the others.
    public func analyze(tables selection: TableSelection = .all, predicateColumns: Bool = false, logger: Logger) async throws -> [MaintenanceOutcome] {
        try await eachTable(selection, logger: logger) { await $0.analyze(table: $1, predicateColumns: predicateColumns) }
    }

    /// Runs one maintenance step per table in turn, publishing each outcome as an event.
    private func eachTable(
        _ selection: TableSelection, logger: Logger, _ step: (TableMaintenance, TableConfiguration) async -> MaintenanceOutcome
    ) async throws -> [MaintenanceOutcome] {
        let maintenance = TableMaintenance(warehouse: warehouse, logger: logger)
        var outcomes: [MaintenanceOutcome] = []
        for table in try configuration.tables(selection) {
            let outcome = await step(maintenance, table)
            hub.publish(ReplicationEvent(.maintenance, level: outcome.succeeded ? .info : .error, message: outcome.description, table: table.name))
            outcomes.append(outcome)
        }
        return outcomes
    }
}
