import Foundation
import Logging

extension Replicator {
    /// The newest `limit` replication records of `table`, newest first.
    public func history(table name: String, limit: Int = 20, logger: Logger) async throws -> [ReplicationRecord] {
        let table = try configuration.table(named: name)
        return try await withSource { source in
            try await source.history.records(source: table.sourceTable, target: table.targetTable, limit: limit, logger: logger)
        }
    }

    /// The status of `tables` (default every configured table): the newest record, the last imported one, and the lag.
    public func status(tables selection: TableSelection = .all, logger: Logger) async throws -> [TableStatus] {
        let tables = try configuration.tables(selection)
        return try await withSource { source in
            var result: [TableStatus] = []
            for table in tables {
                let records = try await source.history.records(source: table.sourceTable, target: table.targetTable, limit: 50, logger: logger)
                result.append(TableStatus(table: table, latest: records.first, lastImported: records.first { $0.state == .imported }))
            }
            return result
        }
    }

    /// Cancels the unfinished replication of `table`, if any; the next run starts fresh.
    /// - Throws: ``ReplicationFailure`` `.lockBusy` while another process replicates the table.
    @discardableResult
    public func cancel(table name: String, logger: Logger) async throws -> ReplicationRecord? {
        let table = try configuration.table(named: name)
        return try await withTableLock(table, "cancel", logger: logger) { source in
            guard var record = try await source.history.latestActive(source: table.sourceTable, target: table.targetTable, logger: logger),
                  !record.state.isFinal else { return nil }
            record.state = .canceled
            record.lastError = (record.lastError.map { $0 + "; " } ?? "") + "canceled by the user"
            try await source.history.update(record, logger: logger)
            hub.publish(ReplicationEvent(level: .warning, message: "replication canceled", table: table.name, replicationID: record.id))
            return record
        }
    }

    /// Forgets `table`'s history and so its high-water mark: the next run exports every row
    /// (loads stay idempotent, so nothing is duplicated). Returns how many records were removed.
    /// - Throws: ``ReplicationFailure`` `.lockBusy` while another process replicates the table.
    @discardableResult
    public func reset(table name: String, logger: Logger) async throws -> Int {
        let table = try configuration.table(named: name)
        return try await withTableLock(table, "reset", logger: logger) { source in
            let removed = try await source.history.reset(source: table.sourceTable, target: table.targetTable, logger: logger)
            hub.publish(ReplicationEvent(level: .warning, message: "history reset (\(removed) records removed)", table: table.name))
            return removed
        }
    }

    /// Runs `body` holding `table`'s lock, so a cancel or reset never races a run of the table
    /// (which would go on from the record it just lost); fails at once when another process holds it.
    private func withTableLock<T: Sendable>(_ table: TableConfiguration, _ action: String, logger: Logger,
                                            _ body: (any ReplicationSource) async throws -> T) async throws -> T {
        let key = TableReplication.lockKey(table, configuration)
        let result: T? = try await withSource { source in
            try await source.withTableLock(key, wait: false, logger: logger) { try await body(source) }
        }
        guard let held = result else {
            throw ReplicationFailure(.lockBusy, "\(table.name): another rrr process is replicating it (lock \(key)); \(action) it when that run ends")
        }
        return held
    }

    func withSource<T: Sendable>(_ body: (any ReplicationSource) async throws -> T) async throws -> T {
        let source = try makeSource()
        do {
            let result = try await body(source)
            await source.close()
            return result
        } catch {
            await source.close()
            throw error
        }
    }
}

/// One table's replication status, for `rrr status`.
public struct TableStatus: Sendable, Hashable {
    /// The table's configuration.
    public var table: TableConfiguration
    /// Its newest record (any state).
    public var latest: ReplicationRecord?
    /// Its newest imported record.
    public var lastImported: ReplicationRecord?

    /// Seconds since the last successful import, `nil` if never.
    public var lagSeconds: Double? { lastImported.map { Date().timeIntervalSince($0.updatedAt) } }
}
