import Foundation
import Logging

/// The history table `rrr_replications` in the source database, for every kind of source: the
/// SQL comes from ``HistorySQL``, the connection from a ``HistoryDatabase``.
struct SQLHistoryStore<Database: HistoryDatabase>: HistoryStore {
    let database: Database
    /// See ``HistorySQL/warehouse``.
    var warehouse = ""
    /// Where the table lives, for messages.
    var location = "the source database"
    private var sql: HistorySQL {
        var sql = database.historySQL
        sql.warehouse = warehouse
        return sql
    }

    func scoped(toWarehouse warehouse: String) -> any HistoryStore {
        var scoped = self
        scoped.warehouse = warehouse
        return scoped
    }

    func adoptUnowned(source: String, target: String, logger: Logger) async throws {
        let unowned = try await database.query(sql.countUnowned(source: source, target: target), logger: logger)
        guard (unowned.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? 0) > 0 else { return }
        try await database.execute([sql.adoptUnowned(source: source, target: target)], logger: logger)
    }

    func install(logger: Logger) async throws {
        let migration = sql.migration
        let existing = try await existingColumns(logger: logger)
        if existing.isEmpty {
            logger.info("installing history table \(HistorySQL.table) in \(location)")
            return try await database.execute(migration.createTable.map { SQLQuery(stringLiteral: $0) }, logger: logger)
        }
        let upgrade = migration.upgrade(existing: existing)
        guard !upgrade.isEmpty else { return }
        logger.info("upgrading history table \(HistorySQL.table): \(upgrade.count) new column(s)")
        do {
            try await database.execute(upgrade.map { SQLQuery(stringLiteral: $0) }, logger: logger)
        } catch {
            // A concurrent `rrr install` may have added them first.
            if !migration.upgrade(existing: try await existingColumns(logger: logger)).isEmpty { throw error }
        }
    }

    func checkInstalled(logger: Logger) async throws {
        let existing = try await existingColumns(logger: logger)
        if existing.isEmpty {
            throw SourceError(.historyNotInstalled, "the history table \(HistorySQL.table) is missing in \(location): run `rrr install`")
        }
        let missing = HistoryMigration.columns.map(\.name).filter { !existing.contains($0) }
        if !missing.isEmpty {
            throw SourceError(.historyNotInstalled, "the history table \(HistorySQL.table) lacks the column(s) \(missing.joined(separator: ", ")) this rrr records: run `rrr install` to add them")
        }
    }

    private func existingColumns(logger: Logger) async throws -> Set<String> {
        Set(try await database.query(sql.migration.existingColumns, logger: logger).compactMap { $0.first ?? nil })
    }

    func insert(_ record: ReplicationRecord, logger: Logger) async throws -> ReplicationRecord {
        var saved = record
        saved.id = try await database.insert(sql.insert(record), logger: logger)
        return saved
    }

    func update(_ record: ReplicationRecord, logger: Logger) async throws {
        try await database.execute([sql.update(record)], logger: logger)
    }

    func newestID(logger: Logger) async throws -> Int64? {
        try await database.query(sql.newestID, logger: logger).first?.first.flatMap { $0.flatMap { Int64($0) } }
    }

    func delete(id: Int64, logger: Logger) async throws {
        try await database.execute([sql.delete(id: id)], logger: logger)
    }

    func latestActive(source: String, target: String, logger: Logger) async throws -> ReplicationRecord? {
        try await database.query(sql.latestActive(source: source, target: target), logger: logger).map(ReplicationRecord.init(historyRow:)).first
    }

    func highWaterMark(source: String, target: String, logger: Logger) async throws -> String? {
        try await database.query(sql.highWaterMark(source: source, target: target), logger: logger).first?.first ?? nil
    }

    func records(source: String, target: String, limit: Int, logger: Logger) async throws -> [ReplicationRecord] {
        try await database.query(sql.records(source: source, target: target, limit: limit), logger: logger).map(ReplicationRecord.init(historyRow:))
    }

    func cap(source: String, target: String, keep: Int, logger: Logger) async throws {
        let threshold = try await database.query(sql.capThreshold(source: source, target: target, keep: keep), logger: logger)
        guard let id = threshold.first?.first.flatMap({ $0.flatMap { Int64($0) } }) else { return }
        let mark = try await database.query(sql.highWaterMarkID(source: source, target: target), logger: logger)
        let kept = mark.first?.first.flatMap { $0.flatMap { Int64($0) } }
        try await database.execute([sql.deleteOlder(source: source, target: target, than: id, keeping: kept)], logger: logger)
    }

    func reset(source: String, target: String, logger: Logger) async throws -> Int {
        let count = try await database.query(sql.count(source: source, target: target), logger: logger).first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
        try await database.execute([sql.reset(source: source, target: target)], logger: logger)
        return count
    }
}

extension ReplicationRecord {
    /// The values of ``HistorySQL/writable``, as text.
    var historyValues: [String?] {
        [replicationType.rawValue, key, state.rawValue, lowerBound, upperBound,
         recordCount.map(String.init), nullFieldCount.map(String.init), String(retries), lastError,
         sourceTable, targetTable, String(slices), exportFormat.rawValue,
         exportDuration.map { String($0) }, uploadDuration.map { String($0) }, importDuration.map { String($0) },
         deletedCount.map(String.init), nulledValueCount.map(String.init), replicationField, keyColumns, rrrVersion,
         rejectedCount.map(String.init)]
    }

    /// A record from a row of ``HistorySQL/selectList``.
    init(historyRow row: [String?]) throws {
        func text(_ i: Int) -> String? { i < row.count ? row[i] : nil }
        guard let type = text(1).flatMap(ReplicationStrategy.init(rawValue:)),
              let state = text(3).flatMap(ReplicationState.init(rawValue:)),
              let format = text(13).flatMap(ExportFormat.init(rawValue:)) else {
            throw SourceError(.queryFailed, "rrr_replications row \(text(0) ?? "?") has an unknown strategy, state or format")
        }
        self.init(replicationType: type, key: text(2) ?? "", sourceTable: text(10) ?? "", targetTable: text(11) ?? "",
                  slices: text(12).flatMap { Int($0) } ?? 1, exportFormat: format,
                  now: Date(timeIntervalSince1970: text(23).flatMap(Double.init) ?? 0))
        id = text(0).flatMap { Int64($0) } ?? 0
        self.state = state
        lowerBound = text(4); upperBound = text(5)
        recordCount = text(6).flatMap { Int64($0) }
        nullFieldCount = text(7).flatMap { Int64($0) }
        retries = text(8).flatMap { Int($0) } ?? 0
        lastError = text(9)
        exportDuration = text(14).flatMap(Double.init)
        uploadDuration = text(15).flatMap(Double.init)
        importDuration = text(16).flatMap(Double.init)
        deletedCount = text(17).flatMap { Int64($0) }
        nulledValueCount = text(18).flatMap { Int64($0) }
        replicationField = text(19)
        keyColumns = text(20)
        rrrVersion = text(21)
        rejectedCount = text(22).flatMap { Int64($0) }
        updatedAt = Date(timeIntervalSince1970: text(24).flatMap(Double.init) ?? 0)
    }
}
