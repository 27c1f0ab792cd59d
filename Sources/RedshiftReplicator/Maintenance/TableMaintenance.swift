import Foundation
import PostgresNIO
import Logging

/// Runs `VACUUM` and `ANALYZE` on configured tables, each on a fresh session in autocommit:
/// Redshift refuses `VACUUM` inside a transaction block, so no `BEGIN` is ever sent here.
struct TableMaintenance: Sendable {
    let warehouse: RedshiftWarehouse
    let logger: Logger

    var sql: MaintenanceSQL { MaintenanceSQL(schema: warehouse.settings.schema) }

    /// Vacuums `table`; `auto` first reads the sort key kind from `pg_table_def`. Never throws.
    func vacuum(table: TableConfiguration, options: VacuumOptions) async -> MaintenanceOutcome {
        var outcome = MaintenanceOutcome(table: table.name, command: "VACUUM")
        do {
            try await warehouse.withSession(logger: logger) { session in
                var mode = options.mode
                if mode == .auto {
                    let kind = try await sortKeyKind(table.targetTable, session: session)
                    outcome.sortKey = kind
                    mode = kind.automaticMode
                }
                let statement = sql.vacuum(table.targetTable, mode: mode, toPercent: options.toPercent, boost: options.boost)
                outcome.statement = statement
                outcome.duration = try await timed { try await session.execute(statement) }
            }
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// Analyzes `table` (`PREDICATE COLUMNS` when asked). Never throws.
    func analyze(table: TableConfiguration, predicateColumns: Bool) async -> MaintenanceOutcome {
        let statement = sql.analyze(table.targetTable, predicateColumns: predicateColumns)
        var outcome = MaintenanceOutcome(table: table.name, command: "ANALYZE", statement: statement)
        do {
            try await warehouse.withSession(logger: logger) { session in
                outcome.duration = try await timed { try await session.execute(statement) }
            }
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// The sort key kind of `table` in the configured schema, from `pg_table_def`.
    func sortKeyKind(_ table: String, session: RedshiftSession) async throws -> SortKeyKind {
        try await session.execute(sql.setSearchPath)
        let rows = try await session.rows(PostgresQuery(unsafeSQL: MaintenanceSQL.sortKeysQuery,
                                                        binds: RedshiftWarehouse.binds([warehouse.settings.schema, table])))
        if rows.isEmpty {
            throw WarehouseError(.targetTableMissing, "Redshift table `\(warehouse.settings.schema).\(table)` does not exist (pg_table_def has no row for it)")
        }
        return SortKeyKind(sortKeyPositions: rows.compactMap { $0.first??.trimmingCharacters(in: .whitespaces) }.compactMap { Int($0) })
    }

    private func timed(_ body: () async throws -> Void) async throws -> Double {
        let started = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
