import Foundation
import Logging
import MySQLClient
import SourceSupport

extension MySQLSource: SnapshotExportSource {
    /// One reader in a consistent snapshot (`START TRANSACTION WITH CONSISTENT SNAPSHOT`).
    func openReaders(for request: ExportRequest, logger: Logger) async throws -> SnapshotReaders<MySQLConnection> {
        let connection = try await MySQLConnection.connect(configuration, logger: logger)
        do { try await connection.beginConsistentSnapshot(logger: logger) } catch {
            await connection.close()
            throw error
        }
        return SnapshotReaders(connection)
    }

    var boundsSQL: BoundsSQL {
        BoundsSQL(
            quoteTable: { MySQLDialect().quoteIdentifier($0) }, dialect: MySQLDialect(),
            maxAsText: { "CAST(MAX(\($0)) AS CHAR)" },
            oldestWriterQuery: """
                SELECT TIMESTAMPDIFF(SECOND, MIN(trx_started), NOW()) FROM information_schema.INNODB_TRX \
                WHERE trx_mysql_thread_id <> CONNECTION_ID() AND trx_rows_modified > 0
                """,
            // Needs the PROCESS privilege; without it the warning about old writers is skipped.
            oldestWriterIsOptional: true,
            currentTime: { field in
                // DATETIME has no zone: an application may write UTC or the server's zone; the later
                // of both never holds back a row either writes now. TIMESTAMP reads as UTC here.
                let type = field.typeName.lowercased()
                let now = "GREATEST(UTC_TIMESTAMP(6), COALESCE(CONVERT_TZ(UTC_TIMESTAMP(6), '+00:00', @@global.time_zone), UTC_TIMESTAMP(6)))"
                if type == "date" { return "CAST(\(now) AS DATE)" }
                return type.hasPrefix("datetime") || type.hasPrefix("timestamp") ? now : nil
            },
            lowerBound: { previousUpper, lookback, field, table in
                switch lookback {
                case .seconds(let seconds):
                    // A timed field holding epoch numbers: the arithmetic in numbers (as DATETIME the
                    // bound would be NULL, and every run would export the whole table).
                    if Self.isNumeric(field), let epoch = Int64(previousUpper) { return .value(String(epoch - Int64(seconds))) }
                    if Self.isNumeric(field), let epoch = Double(previousUpper) { return .value(String(epoch - Double(seconds))) }
                    return .query("SELECT CAST(CAST(? AS DATETIME(6)) - INTERVAL ? SECOND AS CHAR)", [previousUpper, String(seconds)], finish: { $0 })
                case .ids(let ids):
                    return .value(try Lookback.lowerID(previousUpper: previousUpper, ids: ids, table: table))
                }
            })
    }

    /// Whether `field` holds numbers (an epoch in seconds when it is a timed field).
    static func isNumeric(_ field: SourceColumn) -> Bool {
        let type = field.typeName.lowercased()
        return ["int", "decimal", "numeric", "double", "float", "real"].contains { type.contains($0) }
    }
}

extension MySQLConnection: SnapshotExportHandle {
    func exportRows(table: String, columns: [ExportColumn], whereClause: String?, logger: Logger,
                    into sink: RecordBatchSink) async throws -> ExportSummary {
        try await export(table: table, columns: columns, whereClause: whereClause, logger: logger, into: sink)
    }

    func textRows(_ sql: String, _ bindings: [String?], table: String?, logger: Logger) throws -> [[String?]] {
        try query(sql, bindings, table: table, logger: logger).rows
    }

    /// CR_SERVER_GONE_ERROR, CR_SERVER_LOST, or a closed connection.
    static func isConnectionLost(_ error: any Error) -> Bool {
        guard let error = error as? MySQLError else { return false }
        return error.code == .connectionClosed || [2006, 2013].contains(error.errorNumber)
    }
}
