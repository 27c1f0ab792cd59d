import ExportFiles
import Foundation
import Logging
import RedshiftCSV
import SourceSupport

extension TableVerifier {
    /// Ranges loaded by one transaction: the export's condition and the DELETE name each range.
    static let rangesPerLoad = 100

    /// Loads `ranges` again through the load path every replication takes: an export of exactly
    /// those keys in one source snapshot, streamed to S3 under `<prefix>/<target>/verify_<key>/`
    /// with its manifest, then in one Redshift transaction `COPY` into a stage, `DELETE` of the
    /// ranges from the target (which also removes keys deleted in the source, tracked or not),
    /// `INSERT` of the stage, and a ledger row. Idempotent: running it again gives the same rows.
    /// Returns the rows loaded.
    func repair(_ ranges: [KeyRange], plan: Plan, session: RedshiftSession) async throws -> Int64 {
        var loaded: Int64 = 0
        let merged = KeyRange.coalesced(ranges)
        var start = 0
        while start < merged.count {
            let batch = Array(merged[start..<min(merged.count, start + Self.rangesPerLoad)])
            loaded += try await repairBatch(batch, plan: plan, session: session)
            start += batch.count
        }
        return loaded
    }

    private func repairBatch(_ ranges: [KeyRange], plan: Plan, session: RedshiftSession) async throws -> Int64 {
        let settings = replication.settings, staging = replication.staging, logger = self.logger
        let key = "verify_" + ReplicationKey.make(target: plan.target.name)
        let folder = ReplicationKey.folder(prefix: replication.configuration.storage.prefix, target: plan.target.name, key: key)
        let slices = if let configured = settings.slices { configured } else { await replication.clusterSlices.count(session: session, report: report) }
        var files = SlicedExport.Configuration(
            directory: settings.localPath, baseName: plan.target.name, sliceCount: slices,
            compression: TableRun.compression(settings.format), format: .default, batchSize: 512 << 10)
        files.maxFileSize = settings.maxFileSize
        files.outputs = staging.streamOutputs(folder: folder, maxFileSize: settings.maxFileSize, logger: logger)
        let request = ExportRequest(
            table: table.sourceTable, columns: plan.columns.map { column in
                // The same checks (and `invalid_values`) as a replication's export.
                var export = plan.target.column(column.redshiftName)?.exportColumn(isKey: column == plan.key, invalidValues: settings.invalidValues)
                    ?? ExportColumn(column.sourceName, isKey: column == plan.key)
                export.name = column.sourceName
                return export
            },
            range: .keys(column: plan.key.sourceName, ranges: ranges), format: .default)
        do {
            let copied = try await exportAndLoad(ranges, request: request, files: files, key: key, folder: folder, plan: plan, session: session)
            if settings.deleteS3FilesAfterImport { try? await staging.deleteFolder(folder, logger: logger) }
            return copied
        } catch {
            try? await staging.deleteFolder(folder, logger: logger)
            throw error
        }
    }

    private func exportAndLoad(_ ranges: [KeyRange], request: ExportRequest, files: SlicedExport.Configuration, key: String, folder: String,
                               plan: Plan, session: RedshiftSession) async throws -> Int64 {
        let settings = replication.settings, staging = replication.staging, logger = self.logger
        let source = plan.source
        var exported: ExportResult?
        let written = try await SlicedExport.write(files, logger: logger) { sink in
            exported = try await source.export(request, logger: logger, boundsRead: { _ in }, sink: { try await sink.write($0) })
        }
        let rows = exported?.recordCount ?? 0
        let exportedFiles = written.files.map {
            ExportedFile(path: $0.path, name: $0.fileName, recordCount: Int64($0.rowCount), byteCount: Int64($0.compressedByteCount))
        }
        _ = try await staging.writeManifest(exportedFiles, folder: folder, logger: logger)
        let access = try await staging.copyAccess(logger: logger)
        var sql = RedshiftLoadSQL(schema: plan.target.schema, target: plan.target.name,
                                  stage: RedshiftLoadSQL.stageName(target: plan.target.name, key: key), columns: plan.target.columns.map(\.name))
        sql.ledgerSchema = replication.configuration.redshift.schema
        let manifestURL = staging.manifestURL(folder: folder)
        let copy = sql.copy(manifestURL: manifestURL, format: settings.format, nullMarker: CSVFormat.default.nullMarkerText,
                            maxErrors: settings.maxCopyErrors, region: access.region, credentials: access.credentials, options: settings.copyOptions)
        let condition = KeyRange.condition(column: sql.dialect.quoteIdentifier(plan.key.redshiftName), ranges: ranges)
        let loadPlan = LoadPlan(
            key: key, sourceTable: table.sourceTable, targetTable: table.targetTable, recordCount: rows, sql: sql,
            copy: rows > 0 ? copy : nil,
            filesURL: String(manifestURL[...(manifestURL.lastIndex(of: "/") ?? manifestURL.startIndex)]),
            merge: [RedshiftStatement("DELETE FROM \(sql.qualifiedTarget) WHERE \(condition)"),
                    RedshiftStatement("INSERT INTO \(sql.qualifiedTarget) SELECT * FROM \(sql.quotedStage)")])
        let copied = try await replication.warehouse.load(loadPlan, session: session, onRetry: report.retrying("repair transaction"))
        report(.info, .verifyRepaired, "repaired \(ranges.count) key range(s) of \(plan.target.schema).\(plan.target.name): \(copied) row(s) loaded again")
        return copied
    }
}
