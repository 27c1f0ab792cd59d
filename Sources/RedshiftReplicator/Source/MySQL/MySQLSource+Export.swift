import Foundation
import Logging
import MySQLClient
import RedshiftCSV
import SourceSupport

extension MySQLSource: SnapshotExportSource {
    func openReaders(for request: ExportRequest, logger: Logger) async throws -> SnapshotReaders<MySQLConnection> {
        SnapshotReaders(try await MySQLConnection.connect(configuration, logger: logger))
    }

    /// Opens the consistent snapshot and reads bounds, NULL count and the oldest writer's age in it.
    func readBounds(_ request: ExportRequest, field: SourceColumn?, on connection: MySQLConnection, logger: Logger) async throws -> ExportBounds {
        let dialect = MySQLDialect(), table = dialect.quoteIdentifier(request.table), range = request.range
        return try await performIsolated(on: connection) { session in
            try session.beginConsistentSnapshot(logger: logger)
            // Needs the PROCESS privilege; without it the warning about old writers is skipped.
            let age = (try? session.query("""
                SELECT TIMESTAMPDIFF(SECOND, MIN(trx_started), NOW()) FROM information_schema.INNODB_TRX \
                WHERE trx_mysql_thread_id <> CONNECTION_ID() AND trx_rows_modified > 0
                """, logger: logger).scalar).flatMap { $0.flatMap { Int64($0) } }
            switch range {
            case .all:
                _ = try Self.scalar(session, request.table, logger, "SELECT 1 FROM \(table) LIMIT 1")
                return ExportBounds(lower: nil, upper: nil, nullFieldCount: 0, oldestWriteTransactionAge: age)
            case .next(_, let previousUpper, let lookback):
                let f = dialect.quoteIdentifier(field!.name)
                let upper = try Self.scalar(session, request.table, logger, "SELECT CAST(MAX(\(f)) AS CHAR) FROM \(table)")
                let nulls = Int64(try Self.scalar(session, request.table, logger, "SELECT COUNT(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
                var lower: String?
                if let previousUpper {
                    switch lookback {
                    case .seconds(let seconds):
                        lower = try Self.scalar(session, request.table, logger, "SELECT CAST(CAST(\(dialect.quoteLiteral(previousUpper)) AS DATETIME(6)) - INTERVAL \(seconds) SECOND AS CHAR)")
                    case .ids(let ids):
                        lower = try Lookback.lowerID(previousUpper: previousUpper, ids: ids, table: request.table)
                    }
                }
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: nulls, oldestWriteTransactionAge: age)
            case .fixed(_, let lower, let upper):
                let f = dialect.quoteIdentifier(field!.name)
                let nulls = Int64(try Self.scalar(session, request.table, logger, "SELECT COUNT(*) FROM \(table) WHERE \(f) IS NULL") ?? "0") ?? 0
                return ExportBounds(lower: lower, upper: upper, nullFieldCount: nulls, oldestWriteTransactionAge: age)
            }
        }
    }

    /// The single value of a one-row query, on the export's session.
    static func scalar(_ session: isolated MySQLConnection, _ table: String, _ logger: Logger, _ sql: String) throws -> String? {
        try session.query(sql, table: table, logger: logger).scalar
    }
}
