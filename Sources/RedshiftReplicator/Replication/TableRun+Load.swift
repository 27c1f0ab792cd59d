import Foundation
import Metrics
import RedshiftCSV

extension TableRun {
    /// Uploads the files (streamed ones are in S3 already) and the manifest listing exactly them
    /// (state `uploading` -> `uploaded`).
    func upload(_ keeper: RecordKeeper, files: [ExportedFile]) async throws {
        try await keeper.save { $0.state = .uploading }
        let started = ContinuousClock.now
        let folder = folder(for: await keeper.record)
        if settings.stage == .stream {
            _ = try await replication.staging.writeManifest(files, folder: folder, logger: logger)
        } else {
            _ = try await replication.staging.upload(files, folder: folder, logger: logger)
        }
        let seconds = Self.seconds(since: started)
        try await keeper.save { $0.state = .uploaded; $0.uploadDuration = seconds }
        Metrics.Timer(label: "rrr.upload.duration", dimensions: dimensions).recordNanoseconds(Int64(seconds * 1e9))
        report(.info, .uploaded, (settings.stage == .stream ? "wrote the manifest of \(files.count) streamed file(s) to " : "uploaded \(files.count) file(s) and the manifest to ") + folder)
    }

    /// Loads the uploaded files (state `importing` -> `imported`), exactly once thanks to the ledger.
    /// Recorded `deletes` go into the load's transaction, before the merge.
    func importRecord(_ keeper: RecordKeeper, target: WarehouseTable, keys: [String], session: RedshiftSession, deletes: TableDeletes? = nil) async throws {
        let columns = target.columns.map(\.name)
        let record = await keeper.record
        let warehouse = replication.warehouse
        let folder = folder(for: record)
        if try await warehouse.ledgerContains(record.key, session: session) {
            try await keeper.save { $0.state = .imported }
            report(.info, .alreadyLoaded, "already loaded (the ledger holds \(record.key)); marked imported without loading again")
            try await deletes?.applyAlone(warehouse: warehouse, targetTable: table.targetTable, session: session, report: report)
            try await deletesCommitted(deletes, keeper)
            await deleteUploadedFiles(folder)
            return
        }
        try await keeper.save { $0.state = .importing }
        let access = try await replication.staging.copyAccess(logger: logger)
        var sql = RedshiftLoadSQL(
            schema: target.schema, target: target.name,
            stage: RedshiftLoadSQL.stageName(target: target.name, key: record.key), columns: columns)
        sql.ledgerSchema = replication.configuration.redshift.schema
        let manifestURL = replication.staging.manifestURL(folder: folder)
        let copy = sql.copy(
            manifestURL: manifestURL, format: record.exportFormat,
            nullMarker: CSVFormat.default.nullMarkerText, maxErrors: settings.maxCopyErrors, region: access.region,
            credentials: access.credentials, options: settings.copyOptions)
        let field = table.replicationField.flatMap { target.column($0)?.name }
        let plan = LoadPlan(
            key: record.key, sourceTable: table.sourceTable, targetTable: table.targetTable,
            recordCount: record.recordCount ?? 0, sql: sql, copy: (record.recordCount ?? 0) > 0 ? copy : nil,
            filesURL: String(manifestURL[...(manifestURL.lastIndex(of: "/") ?? manifestURL.startIndex)]),
            merge: (try deletes?.statements(sql: sql, target: target) ?? [])
                + sql.merge(strategy: table.strategy, keys: keys, field: field, lower: record.lowerBound, varcharKeys: target.varcharColumns))
        report(.debug, .loading, "loading: \(copy.redacted)" + (access.provider.map { " (credentials from \($0))" } ?? ""))
        let started = ContinuousClock.now
        let copied: Int64
        do {
            copied = try await warehouse.load(plan, session: session, onRetry: report.retrying("load transaction"))
        } catch let error as WarehouseError where error.code == .rowsRejected {
            // The files hold the rejected values: back to `exported`, so the next run exports the
            // same bounds again (with the rows as fixed by then) instead of reloading these files.
            try await keeper.save { $0.state = .exported }
            throw error
        } catch let error as WarehouseError where error.code == .loadFailed {
            // An expired or refused credential shows up as Redshift's S3 error: say whose it was.
            throw WarehouseError(.loadFailed, error.message + " (COPY authorized with " + (access.provider.map { "credentials from \($0)" } ?? "\(access.credentials)") + ")")
        }
        Failpoint.hit("load-committed")
        let seconds = Self.seconds(since: started)
        // COPY counts the rows it loaded; under max_copy_errors the rest were rejected and skipped.
        let rejected = plan.copy == nil ? 0 : max(0, plan.recordCount - copied)
        try await keeper.save { $0.state = .imported; $0.importDuration = seconds; $0.rejectedCount = rejected }
        try await deletesCommitted(deletes, keeper)
        Counter(label: "rrr.rows.loaded", dimensions: dimensions).increment(by: copied)
        Metrics.Timer(label: "rrr.import.duration", dimensions: dimensions).recordNanoseconds(Int64(seconds * 1e9))
        report(.info, .imported, "imported \(copied) rows into \(target.schema).\(target.name) (\(table.strategy.rawValue)) in \(String(format: "%.2f", seconds)) s")
        if rejected > 0 { await reportRejected(rejected, filesURL: plan.filesURL, session: session) }
        await deleteUploadedFiles(folder)
    }

    /// Warns of rows COPY rejected under `max_copy_errors`, with the rejected lines from the load
    /// error table: the high-water mark moved past them, so they stay missing until they change.
    private func reportRejected(_ count: Int64, filesURL: String, session: RedshiftSession) async {
        Counter(label: "rrr.rows.rejected", dimensions: dimensions).increment(by: count)
        var message = "COPY rejected \(count) row(s) (max_copy_errors \(settings.maxCopyErrors)): they are not in Redshift, "
            + "and the next run starts after them"
        do {
            let errors = try await replication.warehouse.loadErrors(filesURL: filesURL, session: session)
            if !errors.details.isEmpty {
                message += "; rejected rows (\(errors.source)): " + errors.details.map(\.description).joined(separator: "; ")
            }
        } catch {
            message += "; the load errors could not be read: \(error)"
        }
        report(.warning, .rowsRejected, message)
    }

    private func deleteUploadedFiles(_ folder: String) async {
        guard settings.deleteS3FilesAfterImport else { return }
        do { try await replication.staging.deleteFolder(folder, logger: logger) } catch {
            report(.warning, .cleanupFailed, "could not delete the uploaded files under \(folder): \(error)")
        }
    }

    func folder(for record: ReplicationRecord) -> String {
        ReplicationKey.folder(prefix: replication.configuration.storage.prefix, target: record.targetTable, key: record.key)
    }
}

