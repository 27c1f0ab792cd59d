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
        var connections = [connection]
        do {
            let bounds = try await readBounds(request, available: available, connection: connection)
            try await boundsRead(bounds)
            let condition: String?
            switch request.range {
            case .all: condition = nil
            case .next(let field, _, _), .fixed(let field, _, _):
                condition = PostgresDialect().rangeCondition(field: field, lower: bounds.lower, upper: bounds.upper)
            }
            var shares: [String?] = [nil]
            if bounds.lower == nil, let split = try await splitInShares(request.table, connection: connection, logger: logger) {
                connections += split.partners
                shares = split.shares
            }
            let statements = shares.map { share in
                sql.copyStatement(table: request.table, columns: selected, condition: PostgresExportSQL.both(condition, share),
                                  nullMarker: request.format.nullMarkerText)
            }
            logger.debug("exporting", metadata: ["rrr_sql": "\(statements)"])
            let (rows, bytes) = try await stream(Array(zip(statements, connections)), format: request.format, sink: sink)
            for connection in connections { try await connection.run { try $0.execute("COMMIT") } }
            for connection in connections { await connection.close() }
            return ExportResult(bounds: bounds, recordCount: rows, byteCount: bytes)
        } catch {
            for connection in connections { await connection.close() }
            throw error
        }
    }

    /// Readers for a whole-table export (full, or the first run of an incremental table): one
    /// session per core, each a range of the table's blocks (`ctid`, a TID range scan since
    /// PostgreSQL 14), all in the snapshot `connection` exported. `nil` (one stream) for small
    /// tables, partitioned tables, older servers, or when the snapshot cannot be shared.
    private func splitInShares(_ table: String, connection: LibpqConnection, logger: Logger) async throws -> (partners: [LibpqConnection], shares: [String])? {
        let parts = SourceParallelism.readers
        guard parts > 1 else { return nil }
        let quoted = dialect.quoteQualified(table)
        let facts = try await connection.run { session in
            try session.query("""
                SELECT c.relkind::text, (pg_relation_size(c.oid) / current_setting('block_size')::bigint)::text,
                       current_setting('server_version_num')
                FROM pg_class c WHERE c.oid = $1::regclass
                """, [quoted]).first
        }
        guard let facts, facts.count == 3, facts[0] == "r", let blocks = facts[1].flatMap({ Int64($0) }),
              let version = facts[2].flatMap({ Int($0) }), version >= 140_000,
              blocks >= PostgresExportSQL.parallelMinimumBlocks else { return nil }
        var partners: [LibpqConnection] = []
        do {
            let snapshot = try await connection.run { try $0.scalar("SELECT pg_export_snapshot()") } ?? ""
            for _ in 1..<parts {
                let partner = try await LibpqConnection.connect(url, applicationName: "rrr export")
                partners.append(partner)
                try await partner.run { session in
                    try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    try session.execute("SET TRANSACTION SNAPSHOT \(PostgresDialect().quoteLiteral(snapshot))")
                }
            }
        } catch {
            // e.g. a standby that cannot export snapshots: one stream still reads everything.
            logger.debug("postgres: reading with one session", metadata: ["rrr_error": "\(error)"])
            for partner in partners { await partner.close() }
            return nil
        }
        logger.debug("postgres: parallel sessions", metadata: ["rrr_table": "\(table)", "rrr_blocks": "\(blocks)", "rrr_sessions": "\(parts)"])
        return (partners, PostgresExportSQL.blockShares(blocks: blocks, parts: parts))
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

    static let batchSize = 256 << 10

    /// Streams each statement's COPY bytes (on its own session, in parallel) through a record
    /// splitter into `sink`, holding at most a few MiB; returns the rows and bytes of all.
    private func stream(_ parts: [(String, LibpqConnection)], format: CSVFormat,
                        sink: (CSVRecordBatch) async throws -> Void) async throws -> (Int64, Int64) {
        let producers = parts.map { statement, connection in
            { @Sendable (channel: BlockingBatchChannel) async throws -> Int64 in
                try await connection.run { session in
                    var splitter = CSVRecordSplitter(format: format)
                    var pending = CSVRecordBatch()
                    let rows = try session.copyOut(statement) { chunk in
                        let batch = splitter.split(chunk)
                        guard !batch.isEmpty else { return }
                        pending.bytes.append(contentsOf: batch.bytes)
                        pending.recordCount += batch.recordCount
                        // Batches of 256 KiB: the sliced writer gathers them per slice, and with several
                        // sessions streaming, smaller batches in flight keep the process's memory flat.
                        if pending.bytes.count >= Self.batchSize {
                            try channel.send(pending)
                            pending = CSVRecordBatch()
                            pending.bytes.reserveCapacity(Self.batchSize + 65536)
                        }
                    }
                    let last = try splitter.finish()
                    pending.bytes.append(contentsOf: last.bytes)
                    pending.recordCount += last.recordCount
                    if !pending.isEmpty { try channel.send(pending) }
                    return rows
                }
            }
        }
        let (rows, bytes) = try await BlockingBatchChannel().pump(producers: producers, sink: sink)
        return (rows.reduce(0, +), bytes)
    }
}
