import Logging
import MySQLClient
import RedshiftCSV
import SQLiteClient
import SourceSupport

/// A client handle (a MySQL connection, an SQLite database) that streams rows as Redshift CSV on
/// its own thread, inside the snapshot the source opened on it.
protocol SnapshotExportHandle: Actor {
    func exportRows(table: String, columns: [ExportColumn], whereClause: String?, logger: Logger,
                    into sink: RecordBatchSink) async throws -> ExportSummary
    func commit(logger: Logger) throws
    func close()
}

extension MySQLConnection: SnapshotExportHandle {
    func exportRows(table: String, columns: [ExportColumn], whereClause: String?, logger: Logger,
                    into sink: RecordBatchSink) async throws -> ExportSummary {
        try await export(table: table, columns: columns, whereClause: whereClause, logger: logger, into: sink)
    }
}

extension SQLiteDatabase: SnapshotExportHandle {
    func exportRows(table: String, columns: [ExportColumn], whereClause: String?, logger: Logger,
                    into sink: RecordBatchSink) async throws -> ExportSummary {
        try await export(table: table, columns: columns, whereClause: whereClause, logger: logger, into: sink)
    }
}

/// The export flow the MySQL and SQLite sources share: open a handle, read the bounds in its
/// snapshot, stream the range through a bounded channel into the sliced writer, commit, close.
enum SnapshotExport {
    static func run<Handle: SnapshotExportHandle>(
        _ request: ExportRequest, available: [SourceColumn], dialect: any SQLDialect, logger: Logger,
        open: () async throws -> Handle,
        readBounds: (Handle, SourceColumn?) async throws -> ExportBounds,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult {
        // The source's spelling of each name, with the Redshift column's kind.
        let selected = zip(request.columns, try request.matchColumns(in: available)).map { ExportColumn($1.name, target: $0.target) }
        let field = try request.checkedField(in: available)
        let handle = try await open()
        do {
            let bounds = try await readBounds(handle, field)
            try await boundsRead(bounds)
            let whereClause = field.map { dialect.rangeCondition(field: $0.name, lower: bounds.lower, upper: bounds.upper) }
            let table = request.table
            logger.debug("exporting", metadata: ["rrr_table": "\(table)", "rrr_where": "\(whereClause ?? "")"])
            let (summary, bytes) = try await BlockingBatchChannel.pump(producer: { channel in
                // The client's sink runs on the handle's own thread: blocking it in `send` is the backpressure.
                try await handle.exportRows(table: table, columns: selected, whereClause: whereClause, logger: logger) {
                    try channel.send($0)
                }
            }, sink: sink)
            try await handle.commit(logger: logger)
            await handle.close()
            return ExportResult(bounds: bounds, recordCount: Int64(summary.rowCount), byteCount: bytes, nulledValues: summary.nulledValues)
        } catch {
            await handle.close()
            throw error
        }
    }
}
