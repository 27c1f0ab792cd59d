import Logging
import Metrics

/// The recorded deletes of one tracked table, read after the export's snapshot, and how they
/// reach Redshift.
///
/// Order matters: the deletes are read in a snapshot *later* than the export's rows. A key
/// whose row is gone in that snapshot is deleted from the target and from the stage before the
/// merge (a row exported earlier and deleted since must not come back). A key whose row exists
/// again (deleted, then re-inserted) is not deleted: the re-created row is exported by this or
/// an earlier run and stays. Either way its record is removed once Redshift committed.
struct TableDeletes: Sendable {
    let tracked: TrackedTable
    let source: any DeleteTrackingSource
    let pending: PendingDeletes

    /// Deletion records read per run; the rest wait for the next run. Default 1,000,000.
    static let readLimit = 1_000_000

    /// Reads the pending deletes of `table` when tracking is on for it; `nil` otherwise.
    static func read(table: TableConfiguration, settings: TableSettings, source: any ReplicationSource, logger: Logger) async throws -> TableDeletes? {
        guard settings.enableDeleteTracking else { return nil }
        let tracking = try DeleteTrackingError.tracking(source, table: table.name)
        let tracked = try await trackedTable(table, source: source, logger: logger)
        let pending = try await tracking.pendingDeletes(tracked, limit: readLimit, logger: logger)
        return TableDeletes(tracked: tracked, source: tracking, pending: pending)
    }

    /// The table's single key column: `key_columns` when configured, else the primary key.
    static func trackedTable(_ table: TableConfiguration, source: any ReplicationSource, logger: Logger) async throws -> TrackedTable {
        let keys = try await KeyColumns.configuredOrPrimary(table, source: source, logger: logger)
        guard keys.count == 1, let key = keys.first else {
            throw DeleteTrackingError(.unsupportedKey, "table \(table.name): delete tracking needs a single-column key; `\(table.sourceTable)` has \(keys.isEmpty ? "none" : keys.joined(separator: ", ")) (set tables.\(table.name).key_columns)")
        }
        return TrackedTable(name: table.name, sourceTable: table.sourceTable, keyColumn: key)
    }

    /// Statements for the load transaction, before the merge: the keys leave the target and the stage.
    /// The key is the Redshift column as stored (`target`), compared exactly when it is a VARCHAR.
    func statements(sql: RedshiftLoadSQL, target: WarehouseTable) throws -> [RedshiftStatement] {
        let deleteSQL = try RedshiftDeleteSQL(key: tracked.keyColumn, in: target, table: tracked.name)
        return deleteSQL.deletes(from: sql.qualifiedTarget, keys: pending.keys) + deleteSQL.deletes(from: sql.quotedStage, keys: pending.keys)
    }

    /// Deletes the keys in a transaction of their own (no load this run).
    func applyAlone(warehouse: RedshiftWarehouse, targetTable: String, session: RedshiftSession, report: EventReporter) async throws {
        try await warehouse.deleteKeys(pending.keys, table: targetTable, keyColumn: tracked.keyColumn, session: session,
                                       onRetry: report.retrying("delete transaction"))
    }

    /// After Redshift committed: removes exactly the records read, reports and counts them.
    func reachedRedshift(report: EventReporter) async throws {
        do {
            try await source.forgetDeletes(ids: pending.ids, logger: report.logger)
        } catch let error as any SourceClientError where error.isWriteContention {
            // Redshift has them: applying them again next run deletes nothing more (keys re-created
            // since are read as such then), so the run need not fail.
            report(.warning, .deletesRemaining, "the \(pending.ids.count) deletion record(s) applied stay in \(deletionsTableName) until a later run removes them: \(error)")
        }
        Counter(label: "rrr.rows.deleted", dimensions: [("table", tracked.name)]).increment(by: pending.keys.count)
        var message = "propagated \(pending.keys.count) delete(s) to Redshift (deletion records up to id \(pending.maxID ?? 0))"
        if !pending.recreatedKeys.isEmpty { message += "; \(pending.recreatedKeys.count) key(s) re-created since, kept" }
        report(.info, .deletesPropagated, message)
        if pending.truncated { report(.warning, .deletesRemaining, "more than \(Self.readLimit) deletes were waiting; the rest go with the next run") }
    }
}
