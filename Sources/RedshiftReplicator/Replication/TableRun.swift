import Foundation
import Logging
import Metrics
import RedshiftCSV

/// One replication record driven from its current state to `exported`/`uploaded`/`imported`.
struct TableRun: Sendable {
    let replication: TableReplication
    let report: EventReporter

    var table: TableConfiguration { replication.table }
    var settings: TableSettings { replication.settings }
    var logger: Logger { report.logger }
    var dimensions: [(String, String)] { [("table", table.name)] }

    func drive(_ record: inout ReplicationRecord, step: ReplicationStep, resumingImport: Bool) async throws -> TableOutcome {
        let keeper = RecordKeeper(record, history: replication.history, logger: logger)
        let folder = LocalExportFolder(localPath: settings.localPath, key: record.key)
        defer { folder.remove() }
        do {
            let outcome = try await replication.warehouse.withSession(logger: logger) { session in
                let target = try await replication.warehouse.table(table.targetTable, session: session)
                try RedshiftWarehouse.checkLoadable(target)
                let targetColumns = target.columns
                let keys = try await keyColumns(in: target)
                if !resumingImport {
                    if resumingFromState(await keeper.record.state) { report(.info, .resumingExport, "resuming: exporting again with the saved bounds (retry \(await keeper.record.retries))") }
                    let slices = if let configured = settings.slices { configured } else { await replication.clusterSlices.count(session: session, report: report) }
                    let files = try await export(keeper, columns: targetColumns.map { $0.exportColumn(isKey: keys.contains($0.name), invalidValues: settings.invalidValues) }, folder: folder, slices: slices)
                    if await keeper.record.recordCount == 0 && table.strategy != .full {
                        if try await propagateDeletesWithoutRows(keeper, session: session) {
                            return TableOutcome(table: table.name, status: .imported, record: await keeper.record)
                        }
                        try await keeper.discard()
                        report(.info, .upToDate, "up to date: no rows in the new range")
                        return TableOutcome(table: table.name, status: .upToDate)
                    }
                    try await upload(keeper, files: files)
                    folder.remove()
                } else {
                    report(.info, .resumingImport, "resuming: importing the uploaded files again (retry \(await keeper.record.retries))")
                }
                if step == .export {
                    return TableOutcome(table: table.name, status: .exported, record: await keeper.record)
                }
                try await importRecord(keeper, target: target, keys: keys, session: session, deletes: try await readPendingDeletes())
                return TableOutcome(table: table.name, status: .imported, record: await keeper.record)
            }
            record = await keeper.record
            if outcome.status == .imported { await afterLoadMaintenance() }
            if outcome.status == .imported, let cap = settings.historyCap {
                try? await replication.history.cap(source: table.sourceTable, target: table.targetTable, keep: cap, logger: logger)
            }
            return outcome
        } catch {
            // Canceled (a stop signal): the record keeps its state for the next run to resume.
            let canceled = Task.isCancelled
            let message = canceled ? "interrupted: the run was stopped; the next run resumes it" : "\(error)"
            await keeper.recordFailure(message)
            report(canceled ? .warning : .error, .failed, "replication \(canceled ? "stopped" : "failed") in state \(await keeper.record.state.rawValue): \(message)")
            throw TableFailure(record: await keeper.record, failure: ReplicationFailure(error))
        }
    }

    private func resumingFromState(_ state: ReplicationState) -> Bool { state != .enqueued }

    /// The merge keys: configured, else the source primary key, never able to hold NULL; each must be
    /// a Redshift column, named as Redshift stores it (a source key `UserID` is the Redshift column `userid`).
    private func keyColumns(in target: WarehouseTable) async throws -> [String] {
        guard table.strategy != .full else { return [] }
        let keys = try await KeyColumns.configuredOrPrimary(table, source: replication.source, logger: logger)
        if keys.isEmpty {
            throw SourceError(.noKeyColumns, "table \(table.name): source table `\(table.sourceTable)` has no primary key; set `tables.\(table.name).key_columns`")
        }
        try await KeyColumns.checkNotNullable(keys, table: table, source: replication.source, logger: logger)
        return try target.columnNames(keys, setting: "table \(table.name): key column")
    }
}
