import CMariaDB
import Logging
import RedshiftCSV
import SourceSupport

extension MySQLConnection {
    /// Streams the rows of `table` as Redshift CSV records into `sink`, in batches of complete records.
    ///
    /// Rows are read one at a time with `mysql_use_result`, so memory stays bounded (about two batches)
    /// whatever the table size. Values are converted as ``MySQLValueConversion`` describes; NULL is the
    /// CSV writer's NULL marker, distinct from `""`. Run it inside ``beginConsistentSnapshot(logger:)``
    /// to export exactly the rows the bounds saw.
    ///
    /// If the sink throws or the task is cancelled, the connection is **closed** (an unread streamed
    /// result can only be abandoned that way; its locks are released) and the error is rethrown.
    /// - Parameters:
    ///   - table: the table, quoted by the client.
    ///   - columns: the columns to export, in CSV field order, with their Redshift targets.
    ///   - whereClause: an optional condition (without `WHERE`), built with ``quoteIdentifier(_:)`` and
    ///     ``quoteLiteral(_:)``; default none.
    ///   - batchSize: bytes per batch handed to `sink`, default 256 KiB.
    ///   - sink: receives the batches in order and applies backpressure.
    /// - Returns: rows, bytes, and the zero dates written as NULL per column.
    /// - Throws: ``MySQLError`` (naming `table`), ``UnloadableValue`` for text holding NUL, or the sink's error.
    package func export(
        table: String, columns: [ExportColumn], whereClause: String? = nil,
        batchSize: Int = defaultExportBatchSize, logger: Logger, into sink: RecordBatchSink
    ) async throws -> ExportSummary {
        let conversions = try plan(table: table, columns: columns, whereClause: whereClause, logger: logger)
        let selectList = zip(columns, conversions.castToDouble).map { column, cast in
            cast ? "CAST(\(Self.quoteIdentifier(column.name)) AS DOUBLE)" : Self.quoteIdentifier(column.name)
        }
        var sql = "SELECT \(selectList.joined(separator: ", ")) FROM \(Self.quoteIdentifier(table))"
        if let whereClause { sql += " WHERE \(whereClause)" }

        let mysql = try send(sql, table: table, logger: logger)
        guard let result = mysql_use_result(mysql) else { throw lastError(.queryFailed, table: table) }
        isExporting = true
        var finished = false
        defer {
            isExporting = false
            // Freeing an unfinished streamed result would read every remaining row: cut the socket
            // first (mariadb_cancel makes further reads fail at once), then free and close.
            if !finished { mariadb_cancel(mysql) }
            mysql_free_result(result)
            if !finished { close() }
        }
        var stream = RowStream(conversions: conversions.values, columns: columns, table: table, batchSize: batchSize)
        var summary = ExportSummary()
        while let row = mysql_fetch_row(result) {
            try stream.append(row: row, lengths: mysql_fetch_lengths(result)!)
            if stream.isBatchFull {
                try Task.checkCancellation()
                let batch = stream.takeBatch()
                summary.add(batch)
                try await sink(batch)
            }
        }
        if mysql_errno(mysql) != 0 { throw lastError(.queryFailed, table: table) }
        finished = true
        let batch = stream.takeBatch()
        if !batch.bytes.isEmpty {
            summary.add(batch)
            try await sink(batch)
        }
        for (index, count) in stream.nulledCounts.enumerated() where count > 0 {
            summary.nulledValues[columns[index].name, default: 0] += count
        }
        for (index, count) in stream.truncatedCounts.enumerated() where count > 0 {
            summary.truncatedValues[columns[index].name, default: 0] += count
        }
        logger.debug("mysql export done", metadata: ["rrr_table": "\(table)", "rrr_summary": "\(summary)"])
        if summary.nulledValueCount > 0 {
            logger.notice("unloadable values exported as NULL", metadata: [
                "rrr_table": "\(table)", "rrr_nulled": "\(summary.nulledValues)",
            ])
        }
        return summary
    }

    /// Reads the columns' types with a `LIMIT 0` query and decides each conversion.
    private func plan(
        table: String, columns: [ExportColumn], whereClause: String?, logger: Logger
    ) throws -> (values: [MySQLValueConversion], castToDouble: [Bool]) {
        guard !columns.isEmpty else { throw MySQLError(.unexpectedResult, "no columns to export", table: table) }
        let names = columns.map { Self.quoteIdentifier($0.name) }.joined(separator: ", ")
        let mysql = try send("SELECT \(names) FROM \(Self.quoteIdentifier(table)) LIMIT 0", table: table, logger: logger)
        guard let result = mysql_store_result(mysql) else { throw lastError(.queryFailed, table: table) }
        defer { mysql_free_result(result) }
        let fields = mysql_fetch_fields(result)!
        let values = columns.indices.map { MySQLValueConversion(field: fields[$0], target: columns[$0].target) }
        let casts = columns.indices.map { MySQLValueConversion.needsDoubleCast(fields[$0]) }
        return (values, casts)
    }
}

extension ExportSummary {
    mutating func add(_ batch: CSVRecordBatch) {
        rowCount += batch.recordCount
        byteCount += batch.bytes.count
    }
}
