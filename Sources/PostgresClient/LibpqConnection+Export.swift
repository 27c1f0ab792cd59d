import CLibpq
import Logging
import RedshiftCSV
import SourceSupport

extension LibpqConnection {
    /// Streams the rows of `table` as Redshift CSV records into `sink`, in batches of complete records.
    ///
    /// One `COPY (SELECT ...) TO STDOUT (FORMAT csv)`: the server writes the CSV, a record splitter
    /// cuts it into whole records, so memory stays at about two batches whatever the table size.
    /// Values leave in the form Redshift's COPY loads: the server's text form in UTC, `bytea` as
    /// hex, integer flags into BOOLEAN as `t`/`f`, timestamps into DATE as dates; NULL as the CSV
    /// format's NULL marker. Run it inside ``beginReadSnapshot()`` to export exactly what the bounds saw.
    ///
    /// If the sink throws or the task is cancelled, the COPY is cancelled on the server and the
    /// error rethrown; the connection stays usable.
    /// - Parameters:
    ///   - table: the table, possibly `schema.table`, quoted by the client.
    ///   - columns: the columns to export, in CSV field order, with their Redshift targets.
    ///   - whereClause: an optional condition (without `WHERE`) of quoted names and literals.
    ///   - batchSize: bytes per batch handed to `sink`, default 256 KiB.
    /// A column with a ``ExportColumn/limit`` is checked in the SQL (``PostgresValueCheck``).
    /// - Returns: rows and bytes exported, and the values replaced under `invalid_values`.
    /// - Throws: ``InvalidValue`` for a value over its column's limit (`invalid_values: fail`),
    ///   ``LibpqError`` or the sink's error.
    package func export(
        table: String, columns: [ExportColumn], whereClause: String? = nil,
        batchSize: Int = defaultExportBatchSize, logger: Logger, into sink: RecordBatchSink
    ) async throws -> ExportSummary {
        let quoted = Self.quoteQualified(table)
        let available = try self.columns(ofTable: quoted)
        guard !available.isEmpty else { throw LibpqError(.queryFailed, "table \(table) does not exist (on \(name))") }
        let keyNames = columns.filter(\.isKey).map(\.name).nilIfEmpty ?? columns.prefix(1).map(\.name)
        let rowKey = PostgresValueCheck.rowKey(keyNames.map { Self.quoteIdentifier($0) })
        var checks: [(index: Int, check: PostgresValueCheck)] = []
        let expressions = try columns.enumerated().map { index, column in
            guard let info = available.first(where: { $0.name == column.name }) else {
                throw LibpqError(.queryFailed, "table \(table) has no column \(column.name) (on \(name))")
            }
            let plain = Self.expression(info, target: column.target)
            guard let limit = column.limit,
                  let check = PostgresValueCheck.make(info, name: Self.quoteIdentifier(column.name), plain: plain, limit: limit) else { return plain }
            checks.append((index, check))
            return check.expression(plain: plain, column: column, index: index, rowKey: rowKey)
        }
        let sql = Self.copyStatement(table: quoted, expressions: expressions, whereClause: whereClause)
        logger.debug("postgres export", metadata: ["rrr_sql": "\(sql)"])
        var summary: ExportSummary
        do {
            summary = try await withTaskCancellationHandler {
                try await copyOut(sql, batchSize: batchSize, into: sink)
            } onCancel: {
                cancel()
            }
        } catch let error as LibpqError {
            throw PostgresValueCheck.invalidValue(in: error.message, table: table, columns: columns, keyNames: keyNames) ?? error
        }
        let replacing = checks.filter { columns[$0.index].invalidValues != .fail }
        if !replacing.isEmpty {
            try countReplaced(replacing, columns: columns, table: quoted, whereClause: whereClause, into: &summary)
        }
        return summary
    }

    /// Counts the values the export replaced (`invalid_values: null | truncate`) in its snapshot.
    private func countReplaced(
        _ checks: [(index: Int, check: PostgresValueCheck)], columns: [ExportColumn], table: String, whereClause: String?,
        into summary: inout ExportSummary
    ) throws {
        var counting = checks
        for position in counting.indices where columns[counting[position].index].invalidValues != .truncate {
            counting[position].check.truncated = nil
        }
        let row = try query(PostgresValueCheck.countQuery(table: table, checks: counting, whereClause: whereClause)).first ?? []
        for (position, entry) in counting.enumerated() {
            let failing = row.count > position ? Int(row[position] ?? "") ?? 0 : 0
            let cut = row.count > counting.count + position ? Int(row[counting.count + position] ?? "") ?? 0 : 0
            let name = columns[entry.index].name
            if cut > 0 { summary.truncatedValues[name, default: 0] += cut }
            if failing - cut > 0 { summary.nulledValues[name, default: 0] += failing - cut }
        }
    }

    /// `COPY (SELECT <expressions> FROM <table> [WHERE ...]) TO STDOUT WITH (FORMAT csv, NULL '<marker>')`,
    /// `table` already quoted. (COPY takes no bound parameters: the condition's values are literals.)
    nonisolated static func copyStatement(table: String, expressions: [String], whereClause: String?) -> String {
        let nullMarker = "'" + CSVFormat.default.nullMarkerText.replacing("'", with: "''") + "'"
        return "COPY (SELECT \(expressions.joined(separator: ", ")) FROM \(table)"
            + (whereClause.map { " WHERE \($0)" } ?? "") + ") TO STDOUT WITH (FORMAT csv, NULL \(nullMarker))"
    }

    /// The select expression exporting `column` in the form Redshift's COPY accepts for `target`.
    nonisolated static func expression(_ column: PostgresColumnInfo, target: RedshiftTarget) -> String {
        let name = quoteIdentifier(column.name)
        if column.baseTypeName == "bytea" { return "encode(\(name), 'hex')" }
        switch target {
        // An integer flag loading into BOOLEAN: any non-zero value is true (COPY accepts only 0/1).
        case .boolean where ["smallint", "integer", "bigint"].contains(column.typeName): return "(\(name) <> 0)"
        // A timestamp loading into DATE: COPY would reject the time part.
        case .date where column.typeName.hasPrefix("timestamp"): return "\(name)::date"
        default: return name
        }
    }

    /// Runs a `COPY ... TO STDOUT` and hands its records to `sink` in batches of `batchSize` bytes.
    ///
    /// Reads with `PQgetCopyData(async: 0)`, which blocks the connection's own thread, never the
    /// cooperative pool; the sink is awaited off that thread between batches.
    private func copyOut(_ sql: String, batchSize: Int, into sink: RecordBatchSink) async throws -> ExportSummary {
        let connection = try usableHandle()
        let start = PQexec(connection, sql)
        guard PQresultStatus(start) == PGRES_COPY_OUT else {
            defer { PQclear(start) }
            try check(start, sql: sql)
            throw LibpqError(.copyFailed, "COPY did not start on \(name)")
        }
        PQclear(start)
        isExporting = true
        defer { isExporting = false }
        var splitter = CSVRecordSplitter(format: .default)
        var pending = CSVRecordBatch()
        pending.bytes.reserveCapacity(batchSize + 65536)
        var summary = ExportSummary()
        var stopped: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                if stopped == nil {
                    let batch = splitter.split(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                    pending.bytes.append(contentsOf: batch.bytes)
                    pending.recordCount += batch.recordCount
                }
                PQfreemem(buffer)
                if stopped == nil, pending.bytes.count >= batchSize {
                    do {
                        try await hand(&pending, to: sink, summary: &summary, batchSize: batchSize)
                        try Task.checkCancellation()
                    } catch {
                        // Stop the server; the rest of the stream is read and dropped.
                        stopped = error
                        cancel()
                    }
                }
                continue
            }
            if length == -1 || stopped != nil { break }
            throw LibpqError(.copyFailed, "COPY failed on \(name): \(lastMessage())")
        }
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if stopped == nil { try check(result, sql: sql) }
        }
        if let stopped { throw stopped }
        let last = try splitter.finish()
        pending.bytes.append(contentsOf: last.bytes)
        pending.recordCount += last.recordCount
        if !pending.isEmpty { try await hand(&pending, to: sink, summary: &summary, batchSize: batchSize) }
        return summary
    }

    private func hand(_ pending: inout CSVRecordBatch, to sink: RecordBatchSink, summary: inout ExportSummary, batchSize: Int) async throws {
        let batch = pending
        pending = CSVRecordBatch()
        pending.bytes.reserveCapacity(batchSize + 65536)
        summary.rowCount += batch.recordCount
        summary.byteCount += batch.bytes.count
        try await sink(batch)
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}
