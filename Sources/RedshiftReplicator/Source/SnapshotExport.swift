import AsyncSupport
import Logging
import RedshiftCSV
import SourceSupport

/// A client handle (a PostgreSQL or MySQL connection, an SQLite database) that streams rows as
/// Redshift CSV on its own thread, inside the snapshot the source opened on it. Its sink is
/// awaited between batches, so the handle's thread is free while the batch waits for room.
protocol SnapshotExportHandle: Actor {
    func exportRows(table: String, columns: [ExportColumn], whereClause: String?, logger: Logger,
                    into sink: RecordBatchSink) async throws -> ExportSummary
    /// Runs a small query with `bindings` bound to the dialect's placeholders; values as text,
    /// SQL NULL as `nil`.
    func textRows(_ sql: String, _ bindings: [String?], table: String?, logger: Logger) throws -> [[String?]]
    func commit(logger: Logger) throws
    func close()
    /// Whether `error` means the connection is gone (a shared handle is then opened again).
    static func isConnectionLost(_ error: any Error) -> Bool
}

extension SnapshotExportHandle {
    /// The first value of the first row of a small query.
    func scalar(_ sql: String, _ bindings: [String?] = [], table: String?, logger: Logger) throws -> String? {
        try textRows(sql, bindings, table: table, logger: logger).first?.first ?? nil
    }
}

/// A source exporting through ``SnapshotExport`` (every built-in source): it opens the readers
/// inside one snapshot and names the few bounds queries its database spells differently; the
/// rest of ``ReplicationSource/export(_:logger:boundsRead:sink:)`` is shared.
protocol SnapshotExportSource: ReplicationSource {
    associatedtype ExportHandle: SnapshotExportHandle
    /// Readers inside one snapshot for `request`'s table (several only for a whole-table export
    /// where the database can split it).
    func openReaders(for request: ExportRequest, logger: Logger) async throws -> SnapshotReaders<ExportHandle>
    /// How this database spells the bounds queries.
    var boundsSQL: BoundsSQL { get }
}

extension SnapshotExportSource {
    public func export(
        _ request: ExportRequest, logger: Logger,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult {
        let available = try await columns(of: request.table, logger: logger)
        return try await SnapshotExport.run(
            request, available: available, dialect: dialect, boundsSQL: boundsSQL, logger: logger,
            open: { try await openReaders(for: request, logger: logger) },
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

/// The export flow every source shares: open the readers, read the bounds in their snapshot,
/// stream the range (each reader its share, in parallel) through one bounded channel into the
/// sliced writer, commit, close.
enum SnapshotExport {
    /// Batches in flight between the readers and the sliced writer.
    static let channelCapacity = 4

    static func run<Handle: SnapshotExportHandle>(
        _ request: ExportRequest, available: [SourceColumn], dialect: any SQLDialect, boundsSQL: BoundsSQL, logger: Logger,
        open: () async throws -> SnapshotReaders<Handle>,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult {
        // The source's spelling of each name, with the Redshift column's kind.
        let selected = zip(request.columns, try request.matchColumns(in: available)).map { requested, source in
            var column = requested
            column.name = source.name
            return column
        }
        let field = try request.checkedField(in: available)
        let readers = try await open()
        do {
            let bounds = try await boundsSQL.read(request, field: field, on: readers.handles[0], logger: logger)
            try await boundsRead(bounds)
            let range: String? = if case .keys(_, let ranges) = request.range, let field {
                KeyRange.condition(column: dialect.quoteIdentifier(field.name), ranges: ranges)
            } else {
                field.map { boundsSQL.rangeCondition(request, field: $0, lower: bounds.lower, upper: bounds.upper) }
            }
            let parts = zip(readers.handles, readers.shares).map { handle, share in
                (handle, SQLCondition.all([range, share]))
            }
            let table = request.table
            logger.debug("exporting", metadata: ["rrr_table": "\(table)", "rrr_where": "\(parts.map { $0.1 ?? "" })"])
            let producers = parts.map { handle, whereClause in
                { @Sendable (channel: BoundedChannel<CSVRecordBatch>) async throws -> ExportSummary in
                    try await handle.exportRows(table: table, columns: selected, whereClause: whereClause, logger: logger) {
                        try await channel.send($0)
                    }
                }
            }
            var bytes: Int64 = 0
            let summaries = try await BoundedChannel.pump(capacity: channelCapacity, producers: producers) { batch in
                try await sink(batch)
                bytes += Int64(batch.bytes.count)
            }
            var summary = ExportSummary()
            for part in summaries { summary.add(part) }
            for handle in readers.handles { try await handle.commit(logger: logger) }
            for handle in readers.handles { await handle.close() }
            return ExportResult(bounds: bounds, recordCount: Int64(summary.rowCount), byteCount: bytes, nulledValues: summary.nulledValues,
                                truncatedValues: summary.truncatedValues)
        } catch {
            for handle in readers.handles { await handle.close() }
            throw error
        }
    }
}

/// Conditions joined for a `WHERE` clause.
enum SQLCondition {
    /// The non-empty conditions joined with AND, each parenthesised; `nil` when there is none.
    static func all(_ conditions: [String?]) -> String? {
        let present = conditions.compactMap { $0 }.filter { !$0.isEmpty }
        return present.isEmpty ? nil : present.map { "(\($0))" }.joined(separator: " AND ")
    }
}

extension SnapshotExportHandle {
    /// Runs `query` rendered for `dialect`, its values bound; rows as text.
    @discardableResult
    func rows(_ query: SQLQuery, in dialect: any SQLDialect, table: String?, logger: Logger) throws -> [[String?]] {
        let (sql, bindings) = query.rendered(for: dialect)
        return try textRows(sql, bindings, table: table, logger: logger)
    }
}
