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

    var boundsSQL: BoundsSQL {
        BoundsSQL(
            quoteTable: { SQLiteDialect().quoteIdentifier($0) }, dialect: SQLiteDialect(), maxAsText: { "MAX(\($0))" },
            lowerBound: { previousUpper, lookback, _, table in
                switch lookback {
                case .seconds(let seconds): return Self.lowerTime(previousUpper, seconds: seconds, table: table)
                case .ids(let ids): return .value(try Lookback.lowerID(previousUpper: previousUpper, ids: ids, table: table))
                }
            })
    }

    /// `previousUpper - seconds` in the form the column stores: epoch numbers stay numbers, ISO text
    /// (`YYYY-MM-DD HH:MM:SS[.SSS]`, space or `T`) stays text of the same shape, so text comparison
    /// orders it correctly.
    static func lowerTime(_ previousUpper: String, seconds: Int, table: String) -> BoundsSQL.LowerBound {
        if let epoch = Int64(previousUpper) { return .value(String(epoch - Int64(seconds))) }
        if let epoch = Double(previousUpper) { return .value(String(epoch - Double(seconds))) }
        let format = previousUpper.contains(".") ? "%Y-%m-%d %H:%M:%f" : "%Y-%m-%d %H:%M:%S"
        let withT = previousUpper.dropFirst(10).first == "T"
        return .query("SELECT strftime(?, ?, ?)", [format, previousUpper, "-\(seconds) seconds"], finish: { lower in
            guard let lower else {
                throw SourceError(.queryFailed, "timed table `\(table)`: the previous upper bound `\(previousUpper)` is not a date-time SQLite understands")
            }
            return withT ? lower.replacingOccurrences(of: " ", with: "T") : lower
        })
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
