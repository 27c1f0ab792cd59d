import Foundation
import PostgresNIO
import Logging

/// Runs `VACUUM` and `ANALYZE` on configured tables, each on a fresh session in autocommit:
/// Redshift refuses `VACUUM` inside a transaction block, so no `BEGIN` is ever sent here.
struct TableMaintenance: Sendable {
    let warehouse: RedshiftWarehouse
    let logger: Logger

    /// Vacuums `table` (named as Redshift stores it, see ``WarehouseTable``); `auto` first reads
    /// the sort key kind from `pg_table_def`. Never throws.
    func vacuum(table: TableConfiguration, options: VacuumOptions) async -> MaintenanceOutcome {
        var outcome = MaintenanceOutcome(table: table.name, command: "VACUUM")
        do {
            try await warehouse.withSession(logger: logger) { session in
                let target = try await warehouse.table(table.targetTable, session: session)
                let sql = MaintenanceSQL(schema: target.schema)
                var mode = options.mode
                if mode == .auto {
                    let kind = try await sortKeyKind(target, session: session)
                    outcome.sortKey = kind
                    mode = kind.automaticMode
                }
                let statement = sql.vacuum(target.name, mode: mode, toPercent: options.toPercent, boost: options.boost)
                outcome.statement = statement
                if let toPercent = options.toPercent, !mode.takesThreshold {
                    outcome.note = "TO \(toPercent) PERCENT left out: Redshift's VACUUM REINDEX takes none"
                }
                outcome.duration = try await timed { try await runWaitingForOtherVacuums(statement, session: session, outcome: &outcome) }
            }
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// Analyzes `table` (`PREDICATE COLUMNS` when asked). Never throws.
    func analyze(table: TableConfiguration, predicateColumns: Bool) async -> MaintenanceOutcome {
        var outcome = MaintenanceOutcome(table: table.name, command: "ANALYZE")
        do {
            try await warehouse.withSession(logger: logger) { session in
                let target = try await warehouse.table(table.targetTable, session: session)
                let statement = MaintenanceSQL(schema: target.schema).analyze(target.name, predicateColumns: predicateColumns)
                outcome.statement = statement
                outcome.duration = try await timed { try await session.execute(statement) }
            }
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    /// The sort key kind of `table`, from `pg_table_def`.
    func sortKeyKind(_ table: WarehouseTable, session: RedshiftSession) async throws -> SortKeyKind {
        try await session.execute(MaintenanceSQL(schema: table.schema).setSearchPath)
        let rows = try await session.rows(PostgresQuery(unsafeSQL: MaintenanceSQL.sortKeysQuery,
                                                        binds: RedshiftWarehouse.binds([table.schema, table.name])))
        if rows.isEmpty {
            throw WarehouseError(.targetTableMissing, "Redshift table `\(table.schema).\(table.name)` does not exist (pg_table_def has no row for it)")
        }
        return SortKeyKind(sortKeyPositions: rows.compactMap { $0.first??.trimmingCharacters(in: .whitespaces) }.compactMap { Int($0) })
    }

    /// Redshift runs one VACUUM per cluster at a time and refuses another meanwhile ("VACUUM is
    /// running", r_VACUUM_command): waits 1, 2, 4, 8 s between five attempts, noting it.
    private func runWaitingForOtherVacuums(_ statement: String, session: RedshiftSession, outcome: inout MaintenanceOutcome) async throws {
        var waits = 0
        while true {
            do {
                try await session.execute(statement)
                if waits > 0 { outcome.note = [outcome.note, "waited for another VACUUM \(waits) time(s)"].compactMap { $0 }.joined(separator: "; ") }
                return
            } catch let error as WarehouseError where error.message.contains("VACUUM is running") && waits < 4 {
                try await Task.sleep(for: .seconds(1 << waits))
                waits += 1
            }
        }
    }

    private func timed(_ body: () async throws -> Void) async throws -> Double {
        let started = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
