import Foundation
import Logging
import RedshiftCSV

extension PostgresSource {
    public func export(
        _ request: ExportRequest, logger: Logger,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult {
        let available = try await columns(of: request.table, logger: logger)
        let selected = Array(zip(try request.matchColumns(in: available), request.columns.map(\.target)))
        let connection = try await LibpqConnection.connect(url, applicationName: "rrr export")
        do {
            let bounds = try await readBounds(request, available: available, connection: connection)
            try await boundsRead(bounds)
            let condition: String?
            switch request.range {
            case .all: condition = nil
            case .next(let field, _, _), .fixed(let field, _, _):
                condition = PostgresDialect().rangeCondition(field: field, lower: bounds.lower, upper: bounds.upper)
            }
            let statement = sql.copyStatement(table: request.table, columns: selected, condition: condition, nullMarker: request.format.nullMarkerText)
            logger.debug("exporting", metadata: ["rrr_sql": "\(statement)"])
            let (rows, bytes) = try await stream(statement, format: request.format, connection: connection, sink: sink)
            try await connection.run { try $0.execute("COMMIT") }
            await connection.close()
            return ExportResult(bounds: bounds, recordCount: rows, byteCount: bytes)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Opens the snapshot and reads bounds, NULL count and the oldest writer's age in it.
    private func readBounds(_ request: ExportRequest, available: [SourceColumn], connection: LibpqConnection) async throws -> ExportBounds {
        let table = dialect.quoteQualified(request.table)
        let range = request.range
        let fieldType: String?
        switch range {
        case .all: fieldType = nil
        case .next(let field, _, _), .fixed(let field, _, _):
            guard let column = available.first(where: { $0.name == field }) else {
                throw SourceError(.columnMissing, "replication field `\(field)` does not exist in source table `\(request.table)`")
            }
            fieldType = column.typeName
        }
        return try await connection.run { session in
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let age = try session.scalar(PostgresExportSQL.oldestWriterQuery).flatMap { Int64($0) }
            switch range {
            case .all:
                _ = try session.scalar("SELECT 1 FROM \(table) LIMIT 1") // takes the snapshot now
                return ExportBounds(lower: nil, upper: nil, nullFieldCount: 0, oldestWriteTransactionAge: age)
            case .next(let field, let previousUpper, let lookback):
                let f = PostgresDialect().quoteIdentifier(field)
                let upper = try session.scalar("SELECT max(\(f))::text FROM \(table)")
                let nulls = Int64(try session.scalar("SELECT count(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
                var lower: String?
                if let previousUpper, let type = fieldType {
                    switch lookback {
                    case .seconds(let seconds):
                        lower = try session.scalar("SELECT (CAST($1 AS \(type)) - make_interval(secs => $2::float8))::\(type)::text", [previousUpper, String(seconds)])
                    case .ids(let ids):
                        lower = try session.scalar("SELECT (CAST($1 AS \(type)) - CAST($2 AS \(type)))::text", [previousUpper, String(ids)])
                    }
                }
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: nulls, oldestWriteTransactionAge: age)
            case .fixed(let field, let lower, let upper):
                let f = PostgresDialect().quoteIdentifier(field)
                let nulls = Int64(try session.scalar("SELECT count(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: nulls, oldestWriteTransactionAge: age)
            }
        }
    }

    /// Streams COPY's bytes through the record splitter into `sink`, holding at most a few MiB.
    private func stream(_ statement: String, format: CSVFormat, connection: LibpqConnection,
                        sink: (CSVRecordBatch) async throws -> Void) async throws -> (Int64, Int64) {
        try await BlockingBatchChannel.pump(producer: { channel in
            try await connection.run { session in
                var splitter = CSVRecordSplitter(format: format)
                var pending = CSVRecordBatch()
                let rows = try session.copyOut(statement) { chunk in
                    let batch = splitter.split(chunk)
                    guard !batch.isEmpty else { return }
                    pending.bytes.append(contentsOf: batch.bytes)
                    pending.recordCount += batch.recordCount
                    if pending.bytes.count >= 1 << 20 {
                        try channel.send(pending)
                        pending = CSVRecordBatch()
                        pending.bytes.reserveCapacity(1 << 20 + 65536)
                    }
                }
                let last = try splitter.finish()
                pending.bytes.append(contentsOf: last.bytes)
                pending.recordCount += last.recordCount
                if !pending.isEmpty { try channel.send(pending) }
                return rows
            }
        }, sink: sink)
    }
}
