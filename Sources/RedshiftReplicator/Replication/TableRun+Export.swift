import Compression
import ExportFiles
import Foundation
import Metrics
import RedshiftCSV
import SourceSupport

extension TableRun {
    /// Exports the record's range (state `exporting` -> `exported`) in rounds of `slices` files:
    /// with `stage: stream` straight into S3 objects under the replication's folder (cleared first
    /// of what an interrupted attempt left: objects and incomplete multipart uploads), with
    /// `stage: disk` into local files.
    func export(_ keeper: RecordKeeper, columns: [ExportColumn], folder: LocalExportFolder, slices: Int) async throws -> [ExportedFile] {
        let record = await keeper.record
        let streamed = settings.stage == .stream
        let s3Folder = self.folder(for: record)
        if streamed {
            try await replication.staging.deleteFolder(s3Folder, logger: logger)
        } else {
            try folder.create()
        }
        let range = try await exportRange(for: record)
        let recentUppers = try await recentImportedUppers(for: range)
        var request = ExportRequest(table: table.sourceTable, columns: columns, range: range, format: .default)
        request.fieldHoldsTimes = table.strategy == .timed
        // A whole table may be read by several sessions: only those the source budget has free now.
        let budget = replication.sourceConnections
        let extraReaders = range.hasNoLowerBound ? budget?.tryAcquire(upTo: SourceParallelism.readers - 1) ?? 0 : 0
        defer { budget?.release(extraReaders) }
        if budget != nil { request.maxReaders = 1 + extraReaders }
        var files = SlicedExport.Configuration(
            directory: folder.path, baseName: table.targetTable, sliceCount: slices,
            compression: Self.compression(settings.format), format: .default,
            // 512 KiB per batch: with several source sessions streaming at once, what is in flight
            // (slices x (queue depth + 2) x batch) stays a few MiB.
            batchSize: 512 << 10)
        files.maxFileSize = settings.maxFileSize
        if streamed { files.outputs = replication.staging.streamOutputs(folder: s3Folder, maxFileSize: settings.maxFileSize, logger: logger) }
        let started = ContinuousClock.now
        let report = self.report
        let lookback = table.effectiveLookback
        let source = replication.source
        let logger = self.logger
        var exported: ExportResult?
        let progress = replication.progress, name = table.name
        var rows: Int64 = 0, bytes: Int64 = 0, lastReport = started
        let written: ExportFiles.ExportResult
        do {
          written = try await SlicedExport.write(files, logger: logger) { sink in
            exported = try await source.export(request, logger: logger, boundsRead: { bounds in
                try await keeper.save {
                    $0.lowerBound = bounds.lower
                    $0.upperBound = bounds.upper
                    $0.nullFieldCount = bounds.nullFieldCount
                    $0.state = .exporting
                }
                Self.warnAboutBounds(bounds, lookback: lookback, report: report)
                if let jump = IdentityJump.detect(upper: bounds.upper, previousUppers: recentUppers) {
                    report(.warning, .identityJump, jump.message)
                }
            }, sink: { batch in
                try await sink.write(batch)
                rows += Int64(batch.recordCount)
                bytes += Int64(batch.bytes.count)
                let now = ContinuousClock.now
                if now - lastReport >= .milliseconds(500) {
                    lastReport = now
                    progress.publish(ExportProgress(table: name, rows: rows, bytes: bytes, seconds: Self.seconds(since: started), finished: false))
                }
            })
          }
        } catch {
            // Files this attempt completed in S3 go now (unfinished uploads were aborted); a
            // killed process leaves them to the next attempt, which clears the folder first.
            if streamed {
                let staging = replication.staging, logger = self.logger
                await Task { try? await staging.deleteFolder(s3Folder, logger: logger) }.value
            }
            throw error
        }
        progress.publish(ExportProgress(table: name, rows: rows, bytes: bytes, seconds: Self.seconds(since: started), finished: true))
        guard let result = exported else { throw SourceError(.exportFailed, "the export of \(table.sourceTable) produced no result") }
        let seconds = Self.seconds(since: started)
        try await keeper.save {
            $0.state = .exported
            $0.recordCount = result.recordCount
            $0.exportDuration = seconds
            $0.slices = written.files.count
            $0.nulledValueCount = Int64(result.replacedValueCount)
        }
        let perColumn = { (counts: [String: Int]) in counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") }
        if result.nulledValueCount > 0 {
            report(.warning, .valuesNulled, "\(result.nulledValueCount) value(s) the Redshift columns cannot hold were loaded as NULL "
                   + "(zero dates; `invalid_values: \(settings.invalidValues)`) in table `\(table.sourceTable)`, column(s) \(perColumn(result.nulledValues))")
        }
        if !result.truncatedValues.isEmpty {
            report(.warning, .valuesTruncated, "\(result.replacedValueCount - result.nulledValueCount) value(s) longer than their Redshift column were cut "
                   + "to its width (`invalid_values: truncate`) in table `\(table.sourceTable)`, column(s) \(perColumn(result.truncatedValues))")
        }
        Counter(label: "rrr.rows.exported", dimensions: dimensions).increment(by: Int64(result.recordCount))
        Counter(label: "rrr.bytes.exported", dimensions: dimensions).increment(by: result.byteCount)
        Metrics.Timer(label: "rrr.export.duration", dimensions: dimensions).recordNanoseconds(Int64(seconds * 1e9))
        let bounds = "(\(result.bounds.lower ?? "-inf"), \(result.bounds.upper ?? "none")]"
        report(.info, .exported, "exported \(result.recordCount) rows" + (table.strategy == .full ? "" : " in \(bounds)")
               + " into \(written.files.count) file(s) (\(slices) per round\(streamed ? ", streamed to S3" : "")) in \(String(format: "%.2f", seconds)) s")
        return written.files.map {
            ExportedFile(path: $0.path, name: $0.fileName, recordCount: Int64($0.rowCount), byteCount: Int64($0.compressedByteCount))
        }
    }

    static func compression(_ format: ExportFormat) -> CompressionFormat {
        switch format {
        case .csv: return .none
        case .gzip: return .gzip
        case .zstd: return .zstd
        }
    }

    /// The rows to export: every row (full), the saved range (resume), or the next increment.
    private func exportRange(for record: ReplicationRecord) async throws -> ExportRange {
        guard let field = table.replicationField, table.strategy != .full else { return .all }
        if record.state != .enqueued {
            return .fixed(field: field, lower: record.lowerBound, upper: record.upperBound)
        }
        let previous = try await replication.history.highWaterMark(source: table.sourceTable, target: table.targetTable, logger: logger)
        return .next(field: field, previousUpper: previous, lookback: table.effectiveLookback ?? .ids(0))
    }

    /// The upper bounds of the last imports, newest first, which an identity run's new upper bound
    /// is compared with (``IdentityJump``); none for other strategies or a saved range.
    private func recentImportedUppers(for range: ExportRange) async throws -> [String?] {
        guard table.strategy == .identity, case .next = range else { return [] }
        let records = try await replication.history.records(source: table.sourceTable, target: table.targetTable, limit: 20, logger: logger)
        return records.filter { $0.state == .imported }.prefix(IdentityJump.minimumHistory + 1).map(\.upperBound)
    }

    static func warnAboutBounds(_ bounds: ExportBounds, lookback: Lookback?, report: EventReporter) {
        if bounds.nullFieldCount > 0 {
            report(.warning, .nullReplicationField, "\(bounds.nullFieldCount) row(s) have a NULL replication field and are not replicated")
        }
        if bounds.futureFieldCount > 0 {
            report(.warning, .futureReplicationField, "\(bounds.futureFieldCount) row(s) have a replication field later than the source's current time: "
                   + "the upper bound stays at the current time and they are replicated once their time comes (wrong clock or bad data?)")
        }
        if let age = bounds.oldestWriteTransactionAge, case .seconds(let window) = lookback, age > Int64(window) {
            report(.warning, .longWriteTransaction, "a write transaction has been open for \(age) s, longer than the lookback (\(window) s): rows it commits with older timestamps may be missed; raise `lookback`")
        } else if let age = bounds.oldestWriteTransactionAge, case .ids = lookback, age > 300 {
            report(.warning, .longWriteTransaction, "a write transaction has been open for \(age) s: ids it commits below the lookback window may be missed; raise `lookback`")
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
