import Foundation
import Logging

/// The history table `rrr_replications` in a PostgreSQL source, reached through libpq.
struct PostgresHistoryStore: HistoryStore {
    let connection: SharedLibpqConnection
    static let table = "rrr_replications"

    private static let columns = """
        id, replication_type, key, state, lower_bound, upper_bound, record_count, null_field_count, retries, \
        last_error, source_table, target_table, slices, export_format, export_duration, upload_duration, \
        import_duration, extract(epoch from created_at)::float8, extract(epoch from updated_at)::float8, deleted_count
        """

    func install(logger: Logger) async throws {
        logger.info("installing history table \(Self.table) in the source database")
        try await connection.run { try $0.execute(HistoryMigration.postgres) }
    }

    func insert(_ record: ReplicationRecord, logger: Logger) async throws -> ReplicationRecord {
        let values = Self.values(record)
        let id = try await connection.run { session in
            try session.scalar("""
                INSERT INTO rrr_replications (replication_type, key, state, lower_bound, upper_bound, record_count, \
                null_field_count, retries, last_error, source_table, target_table, slices, export_format, \
                export_duration, upload_duration, import_duration, deleted_count)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id
                """, values)
        }
        var saved = record
        saved.id = Int64(id ?? "") ?? 0
        return saved
    }

    func update(_ record: ReplicationRecord, logger: Logger) async throws {
        let values = Self.values(record) + [String(record.id)]
        try await connection.run { session in
            try session.query("""
                UPDATE rrr_replications SET replication_type = $1, key = $2, state = $3, lower_bound = $4, \
                upper_bound = $5, record_count = $6, null_field_count = $7, retries = $8, last_error = $9, \
                source_table = $10, target_table = $11, slices = $12, export_format = $13, export_duration = $14, \
                upload_duration = $15, import_duration = $16, deleted_count = $17, updated_at = now() WHERE id = $18
                """, values)
        }
    }

    func delete(id: Int64, logger: Logger) async throws {
        try await connection.run { try $0.query("DELETE FROM rrr_replications WHERE id = $1", [String(id)]) }
    }

    func latestActive(source: String, target: String, logger: Logger) async throws -> ReplicationRecord? {
        try await select("WHERE source_table = $1 AND target_table = $2 AND state <> 'canceled' ORDER BY id DESC LIMIT 1", [source, target]).first
    }

    func highWaterMark(source: String, target: String, logger: Logger) async throws -> String? {
        try await connection.run { session in
            try session.scalar("""
                SELECT upper_bound FROM rrr_replications WHERE source_table = $1 AND target_table = $2 \
                AND state = 'imported' AND upper_bound IS NOT NULL ORDER BY id DESC LIMIT 1
                """, [source, target])
        }
    }

    func records(source: String, target: String, limit: Int, logger: Logger) async throws -> [ReplicationRecord] {
        try await select("WHERE source_table = $1 AND target_table = $2 ORDER BY id DESC LIMIT $3", [source, target, String(limit)])
    }

    func cap(source: String, target: String, keep: Int, logger: Logger) async throws {
        try await connection.run { session in
            try session.query("""
                DELETE FROM rrr_replications WHERE source_table = $1 AND target_table = $2 AND id NOT IN \
                (SELECT id FROM rrr_replications WHERE source_table = $1 AND target_table = $2 ORDER BY id DESC LIMIT $3)
                """, [source, target, String(max(keep, 2))])
        }
    }

    func reset(source: String, target: String, logger: Logger) async throws -> Int {
        let rows = try await connection.run { session in
            try session.query("DELETE FROM rrr_replications WHERE source_table = $1 AND target_table = $2 RETURNING id", [source, target])
        }
        return rows.count
    }

    private func select(_ clause: String, _ parameters: [String?]) async throws -> [ReplicationRecord] {
        let rows = try await connection.run { try $0.query("SELECT \(Self.columns) FROM rrr_replications \(clause)", parameters) }
        return try rows.map(Self.record(from:))
    }

    private static func values(_ r: ReplicationRecord) -> [String?] {
        [r.replicationType.rawValue, r.key, r.state.rawValue, r.lowerBound, r.upperBound,
         r.recordCount.map(String.init), r.nullFieldCount.map(String.init), String(r.retries), r.lastError,
         r.sourceTable, r.targetTable, String(r.slices), r.exportFormat.rawValue,
         r.exportDuration.map { String($0) }, r.uploadDuration.map { String($0) }, r.importDuration.map { String($0) },
         r.deletedCount.map(String.init)]
    }

    private static func record(from row: [String?]) throws -> ReplicationRecord {
        func text(_ i: Int) -> String? { i < row.count ? row[i] : nil }
        guard let type = text(1).flatMap(ReplicationStrategy.init(rawValue:)),
              let state = text(3).flatMap(ReplicationState.init(rawValue:)),
              let format = text(13).flatMap(ExportFormat.init(rawValue:)) else {
            throw SourceError(.queryFailed, "rrr_replications row \(text(0) ?? "?") has an unknown strategy, state or format")
        }
        var record = ReplicationRecord(
            replicationType: type, key: text(2) ?? "", sourceTable: text(10) ?? "", targetTable: text(11) ?? "",
            slices: text(12).flatMap { Int($0) } ?? 1, exportFormat: format,
            now: Date(timeIntervalSince1970: text(17).flatMap(Double.init) ?? 0))
        record.id = text(0).flatMap { Int64($0) } ?? 0
        record.state = state
        record.lowerBound = text(4); record.upperBound = text(5)
        record.recordCount = text(6).flatMap { Int64($0) }
        record.nullFieldCount = text(7).flatMap { Int64($0) }
        record.retries = text(8).flatMap { Int($0) } ?? 0
        record.lastError = text(9)
        record.exportDuration = text(14).flatMap(Double.init)
        record.uploadDuration = text(15).flatMap(Double.init)
        record.importDuration = text(16).flatMap(Double.init)
        record.updatedAt = Date(timeIntervalSince1970: text(18).flatMap(Double.init) ?? 0)
        record.deletedCount = text(19).flatMap { Int64($0) }
        return record
    }
}
