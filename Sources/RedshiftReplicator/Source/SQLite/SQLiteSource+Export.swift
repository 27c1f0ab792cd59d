import Foundation
import Logging
import RedshiftCSV
import SQLiteClient
import SourceSupport

extension SQLiteSource: SnapshotExportSource {
    /// Below this many rowids a table is read by one connection.
    static let parallelMinimumRows: Int64 = 100_000

    /// Readers in one snapshot, each with a rowid range; one reader when the table is small, has
    /// no rowid, or the app holds the write lock (the snapshots cannot be aligned then).
    func openReaders(for request: ExportRequest, logger: Logger) async throws -> SnapshotReaders<SQLiteDatabase> {
        let table = request.table
        let readers = try await SQLiteDatabase.openReadersInOneSnapshot(path: path, count: SourceParallelism.readers(for: request), logger: logger)
        let split = try? await readers[0].rowidSplit(table: table, parts: readers.count, minimumRows: Self.parallelMinimumRows, logger: logger)
        guard let split, split.count == readers.count - 1 else {
            for extra in readers.dropFirst() { try? await extra.commit(logger: logger); await extra.close() }
            return SnapshotReaders(readers[0])
        }
        let shares = readers.indices.map { index -> String? in
            var conditions: [String] = []
            if index > 0 { conditions.append("_rowid_ > \(split[index - 1])") }
            if index < split.count { conditions.append("_rowid_ <= \(split[index])") }
            return conditions.joined(separator: " AND ")
        }
        logger.debug("sqlite: parallel readers", metadata: ["rrr_table": "\(table)", "rrr_shares": "\(shares)"])
        return SnapshotReaders(handles: readers, shares: shares)
    }

    /// SQLite's bounds: a timed field's values and bounds compare as times (``timeKey(_:_:)``),
    /// and the upper bound is clamped to the current time in the same representation
    /// (``futureCondition(_:_:)``).
    var boundsSQL: BoundsSQL {
        var sql = BoundsSQL(
            quoteTable: { SQLiteDialect().quoteIdentifier($0) }, dialect: SQLiteDialect(), maxAsText: { "MAX(\($0))" },
            lowerBound: { previousUpper, lookback, _, table in
                switch lookback {
                case .seconds(let seconds): return .value(try Self.lowerTime(previousUpper, seconds: seconds, table: table))
                case .ids(let ids): return .value(try Lookback.lowerID(previousUpper: previousUpper, ids: ids, table: table))
                }
            })
        sql.timeKey = { Self.timeKey($0, $1) }
        sql.futureCondition = { Self.futureCondition($0, $1) }
        return sql
    }

    /// `rrr_time_key(expression)` (see `SQLiteInstant.timeKey`): ISO text in any zone and shape as
    /// UTC text of its instant; numbers as the text of their instant in a date or timestamp column
    /// (Unix epoch seconds, as the export reads them), else as numbers (their unit is unknown).
    static func timeKey(_ expression: String, _ field: SourceColumn) -> String {
        "rrr_time_key(\(expression)\(numbersAreTimes(field) ? ", 1" : ""))"
    }

    /// "`quoted` is later than now", compared as the bounds compare (``timeKey(_:_:)``), for values
    /// that are times (`rrr_instant` not NULL). Now is the later of UTC and the local time: an
    /// application may write either as text without a zone, and the later never holds back a row
    /// either writes now. Numbers outside date or timestamp columns are never later: their key is
    /// a number, below any text (PostgreSQL and MySQL do not clamp numbers either).
    static func futureCondition(_ field: SourceColumn, _ quoted: String) -> String {
        let now = "max(strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime'))"
        return "rrr_instant(\(quoted)) IS NOT NULL AND \(timeKey(quoted, field)) > rrr_time_key(\(now))"
    }

    /// Whether `field` is declared as a date or timestamp (`DATE`, `DATETIME`, `TIMESTAMP`), whose
    /// numbers the export converts as Unix epoch seconds.
    static func numbersAreTimes(_ field: SourceColumn) -> Bool {
        let type = field.typeName.uppercased()
        return type.contains("DATE") || type.contains("TIMESTAMP")
    }

    /// `previousUpper - seconds`: epoch numbers stay numbers; a time in text becomes UTC text
    /// `YYYY-MM-DD HH:MM:SS.ffffff` (bounds compare as times, so the shape need not match the
    /// column's; computed here to the microsecond, where SQLite's date functions keep milliseconds).
    static func lowerTime(_ previousUpper: String, seconds: Int, table: String) throws -> String {
        if let epoch = Int64(previousUpper) { return String(epoch - Int64(seconds)) }
        if let epoch = Double(previousUpper) { return String(epoch - Double(seconds)) }
        guard let micros = SQLiteInstant.microseconds(text: Array(previousUpper.utf8)) else {
            throw SourceError(.queryFailed, "timed table `\(table)`: the previous upper bound `\(previousUpper)` is not a date-time rrr understands")
        }
        return SQLiteInstant.text(microseconds: micros - Int64(seconds) * 1_000_000)
    }
}

extension SQLiteDatabase: SnapshotExportHandle {
    func exportRows(table: String, columns: [ExportColumn], whereClause: String?, logger: Logger,
                    into sink: RecordBatchSink) async throws -> ExportSummary {
        try await export(table: table, columns: columns, whereClause: whereClause, logger: logger, into: sink)
    }

    func textRows(_ sql: String, _ bindings: [String?], table: String?, logger: Logger) throws -> [[String?]] {
        try query(sql, bindings.map { $0.map(SQLiteValue.text) ?? .null }, table: table, logger: logger).rows.map { $0.map(\.text) }
    }

    static func isConnectionLost(_ error: any Error) -> Bool { false }
}

extension SQLiteValue {
    /// The value as text, as a history or bounds query needs it.
    var text: String? {
        switch self {
        case .null: return nil
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .text(let text): return text
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }
}
