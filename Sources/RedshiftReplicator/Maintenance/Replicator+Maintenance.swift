import Logging

extension Replicator {
    /// Runs `VACUUM` on `tables` (empty = all), one after another, outside any transaction.
    /// One table failing never stops the others.
    public func vacuum(tables names: [String] = [], options: VacuumOptions = VacuumOptions(), logger: Logger) async throws -> [MaintenanceOutcome] {
        let maintenance = TableMaintenance(warehouse: components.warehouse, logger: logger)
        var outcomes: [MaintenanceOutcome] = []
        for table in try configuration.tables(named: names) {
            let outcome = await maintenance.vacuum(table: table, options: options)
            hub.publish(ReplicationEvent(level: outcome.succeeded ? .info : .error, message: outcome.description, table: table.name))
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// Runs `ANALYZE` on `tables` (empty = all); `predicateColumns` adds `PREDICATE COLUMNS`
    /// (default `false`). One table failing never stops the others.
    public func analyze(tables names: [String] = [], predicateColumns: Bool = false, logger: Logger) async throws -> [MaintenanceOutcome] {
        let maintenance = TableMaintenance(warehouse: components.warehouse, logger: logger)
        var outcomes: [MaintenanceOutcome] = []
        for table in try configuration.tables(named: names) {
            let outcome = await maintenance.analyze(table: table, predicateColumns: predicateColumns)
            hub.publish(ReplicationEvent(level: outcome.succeeded ? .info : .error, message: outcome.description, table: table.name))
            outcomes.append(outcome)
        }
        return outcomes
    }
}
