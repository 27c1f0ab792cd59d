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
        let readers = try await SQLiteDatabase.openReadersInOneSnapshot(path: path, count: SourceParallelism.readers, logger: logger)
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

    /// Reads bounds and the NULL count in the readers' snapshot (already begun).
    func readBounds(_ request: ExportRequest, field: SourceColumn?, on database: SQLiteDatabase, logger: Logger) async throws -> ExportBounds {
        let dialect = SQLiteDialect(), table = dialect.quoteIdentifier(request.table), range = request.range
        return try await performIsolated(on: database) { db in
            switch range {
            case .all:
                return ExportBounds(lower: nil, upper: nil)
            case .next(_, let previousUpper, let lookback):
                let f = dialect.quoteIdentifier(field!.name)
                let upper = try Self.scalar(db, request.table, logger, "SELECT MAX(\(f)) FROM \(table)")
                let nulls = Int64(try Self.scalar(db, request.table, logger, "SELECT COUNT(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
                var lower: String?
                if let previousUpper {
                    switch lookback {
                    case .seconds(let seconds):
                        lower = try Self.lowerTime(previousUpper, seconds: seconds, table: request.table, db: db, logger: logger)
                    case .ids(let ids):
                        lower = try Lookback.lowerID(previousUpper: previousUpper, ids: ids, table: request.table)
                    }
                }
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: nulls)
            case .fixed(_, let lower, let upper):
                let f = dialect.quoteIdentifier(field!.name)
                let nulls = Int64(try Self.scalar(db, request.table, logger, "SELECT COUNT(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: nulls)
            }
        }
    }

    /// `previousUpper - seconds` in the form the column stores: epoch numbers stay numbers, ISO text
    /// (`YYYY-MM-DD HH:MM:SS[.SSS]`, space or `T`) stays text of the same shape, so text comparison
    /// orders it correctly.
    static func lowerTime(_ previousUpper: String, seconds: Int, table: String, db: isolated SQLiteDatabase, logger: Logger) throws -> String {
        if let epoch = Int64(previousUpper) { return String(epoch - Int64(seconds)) }
        if let epoch = Double(previousUpper) { return String(epoch - Double(seconds)) }
        let format = previousUpper.contains(".") ? "%Y-%m-%d %H:%M:%f" : "%Y-%m-%d %H:%M:%S"
        let dialect = SQLiteDialect()
        guard var lower = try Self.scalar(db, table, logger, "SELECT strftime(\(dialect.quoteLiteral(format)), \(dialect.quoteLiteral(previousUpper)), \(dialect.quoteLiteral("-\(seconds) seconds")))") else {
            throw SourceError(.queryFailed, "timed table `\(table)`: the previous upper bound `\(previousUpper)` is not a date-time SQLite understands")
        }
        if previousUpper.dropFirst(10).first == "T" { lower = lower.replacingOccurrences(of: " ", with: "T") }
        return lower
    }

    /// The single value of a one-row query, as text.
    static func scalar(_ db: isolated SQLiteDatabase, _ table: String, _ logger: Logger, _ sql: String) throws -> String? {
        try db.query(sql, table: table, logger: logger).scalar.text
    }
}
