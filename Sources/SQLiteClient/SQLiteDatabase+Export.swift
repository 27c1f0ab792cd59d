import CSQLite
import Logging
import RedshiftCSV
import SourceSupport

extension SQLiteDatabase {
    /// Streams the rows of `table` as Redshift CSV records into `sink`, in batches of complete records.
    ///
    /// One prepared statement is stepped row by row, so memory stays bounded whatever the table size.
    /// Values convert as ``SQLiteValueConversion`` describes; NULL is the CSV writer's NULL marker,
    /// distinct from `""`. Run it inside ``beginReadSnapshot(logger:)`` to export exactly the rows the
    /// bounds saw while other processes write.
    /// - Parameters:
    ///   - table: the table, quoted by the client.
    ///   - columns: the columns to export, in CSV field order, with their Redshift targets.
    ///   - whereClause: an optional condition (without `WHERE`) using `?` placeholders; default none.
    ///   - bindings: the placeholders' values, default none.
    ///   - batchSize: bytes per batch handed to `sink`, default 256 KiB.
    ///   - sink: receives the batches in order and applies backpressure.
    /// - Throws: ``SQLiteError`` (naming `table`), ``UnloadableValue`` for text holding NUL, or the
    ///   sink's error. The database stays usable.
    package func export(
        table: String, columns: [ExportColumn], whereClause: String? = nil, bindings: [SQLiteValue] = [],
        batchSize: Int = defaultExportBatchSize, logger: Logger, into sink: RecordBatchSink
    ) async throws -> ExportSummary {
        guard !columns.isEmpty else { throw SQLiteError(.unexpectedResult, "no columns to export", table: table) }
        let list = columns.map { Self.quoteIdentifier($0.name) }.joined(separator: ", ")
        var sql = "SELECT \(list) FROM \(Self.quoteIdentifier(table))"
        if let whereClause { sql += " WHERE \(whereClause)" }
        let statement = try prepare(sql, bindings, table: table, logger: logger)
        isExporting = true
        defer {
            isExporting = false
            sqlite3_finalize(statement)
        }
        let conversions = columns.indices.map { index in
            SQLiteValueConversion(
                target: columns[index].target,
                declaredType: sqlite3_column_decltype(statement, Int32(index)).map { String(cString: $0) })
        }
        var stream = SQLiteRowStream(conversions: conversions, columns: columns, table: table, batchSize: batchSize)
        var summary = ExportSummary()
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw lastError(status, table: table) }
            try stream.appendRow(of: statement)
            if stream.isBatchFull {
                try Task.checkCancellation()
                try await hand(stream.takeBatch(), to: sink, summary: &summary)
            }
        }
        let last = stream.takeBatch()
        if !last.bytes.isEmpty { try await hand(last, to: sink, summary: &summary) }
        for index in columns.indices {
            if stream.nulledCounts[index] > 0 { summary.nulledValues[columns[index].name, default: 0] += stream.nulledCounts[index] }
            if stream.truncatedCounts[index] > 0 { summary.truncatedValues[columns[index].name, default: 0] += stream.truncatedCounts[index] }
        }
        logger.debug("sqlite export done", metadata: ["rrr_table": "\(table)", "rrr_summary": "\(summary)"])
        return summary
    }

    private func hand(_ batch: CSVRecordBatch, to sink: RecordBatchSink, summary: inout ExportSummary) async throws {
        summary.rowCount += batch.recordCount
        summary.byteCount += batch.bytes.count
        try await sink(batch)
    }
}
