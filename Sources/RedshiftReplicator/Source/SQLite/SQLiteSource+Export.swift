import Foundation
import Logging
import RedshiftCSV
import SQLiteClient
import SourceSupport

extension SQLiteSource {
    public func export(
        _ request: ExportRequest, logger: Logger,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult {
        let available = try await columns(of: request.table, logger: logger)
        return try await SnapshotExport.run(
            request, available: available, dialect: SQLiteDialect(), logger: logger,
            open: { try await SQLiteDatabase.open(path: path, mode: .readOnly, logger: logger) },
            readBounds: { try await Self.readBounds(request, field: $1, database: $0, logger: logger) },
            boundsRead: boundsRead, sink: sink)
    }

    /// Opens the read transaction and reads bounds and the NULL count in it.
    static func readBounds(_ request: ExportRequest, field: SourceColumn?, database: SQLiteDatabase, logger: Logger) async throws -> ExportBounds {
        let dialect = SQLiteDialect(), table = dialect.quoteIdentifier(request.table), range = request.range
        return try await performIsolated(on: database) { db in
            try db.beginReadSnapshot(logger: logger)
            switch range {
            case .all:
                return ExportBounds(lower: nil, upper: nil)
            case .next(_, let previousUpper, let lookback):
                let f = dialect.quoteIdentifier(field!.name)
                let upper = try scalar(db, request.table, logger, "SELECT MAX(\(f)) FROM \(table)")
                let nulls = Int64(try scalar(db, request.table, logger, "SELECT COUNT(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
                var lower: String?
                if let previousUpper {
                    switch lookback {
                    case .seconds(let seconds):
                        lower = try lowerTime(previousUpper, seconds: seconds, table: request.table, db: db, logger: logger)
                    case .ids(let ids):
                        lower = try Lookback.lowerID(previousUpper: previousUpper, ids: ids, table: request.table)
                    }
                }
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: nulls)
            case .fixed(_, let lower, let upper):
                let f = dialect.quoteIdentifier(field!.name)
                let nulls = Int64(try scalar(db, request.table, logger, "SELECT COUNT(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
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
        guard var lower = try scalar(db, table, logger, "SELECT strftime(\(dialect.quoteLiteral(format)), \(dialect.quoteLiteral(previousUpper)), \(dialect.quoteLiteral("-\(seconds) seconds")))") else {
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
