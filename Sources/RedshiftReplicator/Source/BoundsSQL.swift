import Foundation
import Logging

/// The bounds of an export, read in its snapshot before any row: the same steps for every
/// source (oldest writer's age, `max(field)`, the NULL-field count, the lower bound after the
/// lookback), with the few spellings each database needs. Every value is bound, never pasted.
struct BoundsSQL: Sendable {
    /// How the lower bound `previousUpper - lookback` is computed for a field.
    enum LowerBound: Sendable {
        /// Computed without the database.
        case value(String)
        /// The first value of this query (values bound), passed through `finish`.
        case query(String, [String?], finish: @Sendable (String?) throws -> String?)
    }

    /// The table's name quoted as this database needs it (PostgreSQL: `schema.table` qualified).
    let quoteTable: @Sendable (String) -> String
    /// The dialect's identifier quoting.
    let dialect: any SQLDialect
    /// `max(<quoted field>)` read back as text.
    let maxAsText: @Sendable (String) -> String
    /// A query for the age in seconds of the oldest write transaction other than ours; `nil` when
    /// the database cannot tell (SQLite has one writer at a time).
    var oldestWriterQuery: String?
    /// Whether a failing ``oldestWriterQuery`` only skips the warning (MySQL needs the PROCESS
    /// privilege for it); PostgreSQL must not swallow it (the transaction would be aborted).
    var oldestWriterIsOptional = false
    /// The source's current time as an SQL expression comparable with a timed replication field,
    /// `nil` when the field is not a time this database can compare (then the bound is not clamped).
    var currentTime: @Sendable (_ field: SourceColumn) -> String? = { _ in nil }
    /// The condition "the field (quoted) is later than the source's current time" when the
    /// database spells it otherwise than `field > currentTime` (SQLite: per storage class).
    var futureCondition: (@Sendable (_ field: SourceColumn, _ quoted: String) -> String?)?
    /// For a timed field whose values do not compare as stored (SQLite: ISO text in any zone and
    /// shape), an SQL expression making a value or a bound comparable as a time; the bounds and the
    /// range then compare it, and the upper bound is the value of the latest row as stored.
    var timeKey: (@Sendable (_ expression: String, _ field: SourceColumn) -> String)?
    /// The lower bound for `previousUpper`, `lookback` and the replication field.
    let lowerBound: @Sendable (_ previousUpper: String, _ lookback: Lookback, _ field: SourceColumn, _ table: String) throws -> LowerBound

    /// Reads the bounds of `request` on `handle`, inside the snapshot its reader opened.
    func read<Handle: SnapshotExportHandle>(_ request: ExportRequest, field: SourceColumn?, on handle: Handle, logger: Logger) async throws -> ExportBounds {
        let table = quoteTable(request.table), name = request.table
        let field = field.map { (column: $0, quoted: dialect.quoteIdentifier($0.name)) }
        return try await performIsolated(on: handle) { session in
            var age: Int64?
            if let query = oldestWriterQuery {
                if oldestWriterIsOptional {
                    age = (try? session.scalar(query, table: name, logger: logger)).flatMap { $0.flatMap { Int64($0) } }
                } else {
                    age = try session.scalar(query, table: name, logger: logger).flatMap { Int64($0) }
                }
            }
            let nullCount = { (quoted: String) in "SELECT COUNT(*) FROM \(table) WHERE \(quoted) IS NULL" }
            switch (request.range, field) {
            case (.all, _), (.keys, _), (_, nil):
                _ = try session.scalar("SELECT 1 FROM \(table) LIMIT 1", table: name, logger: logger)  // takes the snapshot now
                return ExportBounds(lower: nil, upper: nil, nullFieldCount: 0, oldestWriteTransactionAge: age)
            case (.next(_, let previousUpper, let lookback), let field?):
                // A timed upper bound never passes the source's current time: one future-dated row
                // (bad data, a wrong app clock) would otherwise put every later change below the
                // window. Future rows are read again each run until their time comes.
                var upper: String?, future: Int64 = 0
                let latest = { (condition: String?) -> String in
                    if request.comparesTimes, let timeKey {
                        return "SELECT \(field.quoted) FROM \(table) WHERE \(SQLCondition.all(["\(field.quoted) IS NOT NULL", condition])!) ORDER BY \(timeKey(field.quoted, field.column)) DESC LIMIT 1"
                    }
                    return "SELECT \(maxAsText(field.quoted)) FROM \(table)" + (condition.map { " WHERE \($0)" } ?? "")
                }
                if case .seconds = lookback, let isFuture = isFuture(field.column, field.quoted) {
                    upper = try session.scalar(latest("NOT (\(isFuture))"), table: name, logger: logger)
                    future = Int64(try session.scalar("SELECT COUNT(*) FROM \(table) WHERE \(isFuture)", table: name, logger: logger) ?? "0") ?? 0
                } else {
                    upper = try session.scalar(latest(nil), table: name, logger: logger)
                }
                var lower: String?
                if let previousUpper {
                    switch try lowerBound(previousUpper, lookback, field.column, name) {
                    case .value(let value): lower = value
                    case .query(let sql, let bindings, let finish):
                        lower = try finish(try session.scalar(sql, bindings, table: name, logger: logger))
                    }
                }
                var bounds = ExportBounds(lower: lower, upper: upper, nullFieldCount: Int64(try session.scalar(nullCount(field.quoted), table: name, logger: logger) ?? "0") ?? 0, oldestWriteTransactionAge: age)
                bounds.futureFieldCount = future
                return bounds
            case (.fixed(_, let lower, let upper), let field?):
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: Int64(try session.scalar(nullCount(field.quoted), table: name, logger: logger) ?? "0") ?? 0, oldestWriteTransactionAge: age)
            }
        }
    }
}

extension BoundsSQL {
    /// See ``futureCondition``; `field > currentTime` by default, `nil` when not clamped.
    func isFuture(_ field: SourceColumn, _ quoted: String) -> String? {
        if let futureCondition { return futureCondition(field, quoted) }
        return currentTime(field).map { "\(quoted) > \($0)" }
    }

    /// The export's condition `lower < field <= upper`, on ``timeKey`` when the request's field
    /// holds times and the database needs it.
    func rangeCondition(_ request: ExportRequest, field: SourceColumn, lower: String?, upper: String?) -> String {
        guard request.comparesTimes, let timeKey else {
            return dialect.rangeCondition(field: field.name, lower: lower, upper: upper, column: field)
        }
        guard let upper else { return "1 = 0" }
        let key = timeKey(dialect.quoteIdentifier(field.name), field)
        let literal = { (value: String) in timeKey(dialect.boundLiteral(value, column: field), field) }
        return ((lower.map { ["(\(key) > \(literal($0)))"] } ?? []) + ["(\(key) <= \(literal(upper)))"]).joined(separator: " AND ")
    }
}

extension Lookback {
    /// The exclusive lower id of an identity range: `previousUpper - ids` (integer ids only).
    static func lowerID(previousUpper: String, ids: Int64, table: String) throws -> String {
        guard let upper = Int64(previousUpper.trimmingCharacters(in: .whitespaces)) else {
            throw SourceError(.queryFailed, "identity table `\(table)`: the previous upper bound `\(previousUpper)` is not an integer id")
        }
        return String(upper - ids)
    }
}
