import Logging
import MySQLClient
import RedshiftCSV
import SQLiteClient
import SourceSupport

/// A client handle (a MySQL connection, an SQLite database) that streams rows as Redshift CSV on
/// its own thread, inside the snapshot the source opened on it. Its sink is awaited between
/// batches, so the handle's thread is free while the batch waits for room.
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

/// A source exporting through ``SnapshotExport`` (MySQL, SQLite): it opens the readers and reads
/// the bounds in their snapshot; the rest of ``ReplicationSource/export(_:logger:boundsRead:sink:)``
/// is shared.
protocol SnapshotExportSource: ReplicationSource {
    associatedtype ExportHandle: SnapshotExportHandle
    /// Readers inside one snapshot for `request`'s table.
    func openReaders(for request: ExportRequest, logger: Logger) async throws -> SnapshotReaders<ExportHandle>
    /// Bounds, NULL count (and oldest writer's age) read on `handle` in that snapshot.
    func readBounds(_ request: ExportRequest, field: SourceColumn?, on handle: ExportHandle, logger: Logger) async throws -> ExportBounds
}

extension SnapshotExportSource {
    public func export(
        _ request: ExportRequest, logger: Logger,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult {
        let available = try await columns(of: request.table, logger: logger)
        return try await SnapshotExport.run(
            request, available: available, dialect: dialect, logger: logger,
            open: { try await openReaders(for: request, logger: logger) },
            readBounds: { try await readBounds(request, field: $1, on: $0, logger: logger) },
            boundsRead: boundsRead, sink: sink)
    }
}

/// The connections an export reads with, all inside one snapshot: the first reads the bounds, and
/// each exports the rows of its share (an extra condition; `nil` = every row of the range).
struct SnapshotReaders<Handle: SnapshotExportHandle>: Sendable {
    var handles: [Handle]
    var shares: [String?]

    /// One connection reading everything.
    init(_ handle: Handle) { handles = [handle]; shares = [nil] }

    init(handles: [Handle], shares: [String?]) {
        precondition(!handles.isEmpty && handles.count == shares.count, "one share per reader")
        self.handles = handles; self.shares = shares
    }
}

/// The export flow the MySQL and SQLite sources share: open the readers, read the bounds in their
/// snapshot, stream the range (each reader its share, in parallel) through a bounded channel into
/// the sliced writer, commit, close.
enum SnapshotExport {
    static func run<Handle: SnapshotExportHandle>(
        _ request: ExportRequest, available: [SourceColumn], dialect: any SQLDialect, logger: Logger,
        open: () async throws -> SnapshotReaders<Handle>,
        readBounds: (Handle, SourceColumn?) async throws -> ExportBounds,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult {
        // The source's spelling of each name, with the Redshift column's kind.
        let selected = zip(request.columns, try request.matchColumns(in: available)).map { ExportColumn($1.name, target: $0.target, isKey: $0.isKey) }
        let field = try request.checkedField(in: available)
        let readers = try await open()
        do {
            let bounds = try await readBounds(readers.handles[0], field)
            try await boundsRead(bounds)
            let range = field.map { dialect.rangeCondition(field: $0.name, lower: bounds.lower, upper: bounds.upper) }
            let parts = zip(readers.handles, readers.shares).map { handle, share in
                let conditions = [range, share].compactMap { $0 }
                return (handle, conditions.isEmpty ? nil : conditions.map { "(\($0))" }.joined(separator: " AND "))
            }
            let table = request.table
            logger.debug("exporting", metadata: ["rrr_table": "\(table)", "rrr_where": "\(parts.map { $0.1 ?? "" })"])
            let producers = parts.map { handle, whereClause in
                { @Sendable (channel: AsyncBatchChannel) async throws -> ExportSummary in
                    try await handle.exportRows(table: table, columns: selected, whereClause: whereClause, logger: logger) {
                        try await channel.send($0)
                    }
                }
            }
            let (summaries, bytes) = try await AsyncBatchChannel.pump(producers: producers, sink: sink)
            var summary = ExportSummary()
            for part in summaries { summary.add(part) }
            for handle in readers.handles { try await handle.commit(logger: logger) }
            for handle in readers.handles { await handle.close() }
            return ExportResult(bounds: bounds, recordCount: Int64(summary.rowCount), byteCount: bytes, nulledValues: summary.nulledValues)
        } catch {
            for handle in readers.handles { await handle.close() }
            throw error
        }
    }
}
