import Foundation
import Logging

extension Replicator {
    /// The newest `limit` replication records of `table`, newest first.
    public func history(table name: String, limit: Int = 20, logger: Logger) async throws -> [ReplicationRecord] {
        let table = try configuration.table(named: name)
        return try await withHistory(logger: logger) { source in
            try await configuration.history(of: source).records(source: table.sourceTable, target: table.targetTable, limit: limit, logger: logger)
        }
    }

    /// The status of `tables` (default every configured table): the newest record, the last imported one, and the lag.
    public func status(tables selection: TableSelection = .all, logger: Logger) async throws -> [TableStatus] {
        let tables = try configuration.tables(selection)
        return try await withHistory(logger: logger) { source in
            var result: [TableStatus] = []
            for table in tables {
                let records = try await configuration.history(of: source).records(source: table.sourceTable, target: table.targetTable, limit: 50, logger: logger)
                let settings = configuration.settings(for: table)
                var status = TableStatus(table: table, latest: records.first, lastImported: records.first { $0.state == .imported },
                                         maxRetries: settings.maxRetries, maxLagSeconds: settings.maxLagSeconds)
                if let latest = status.latest, !latest.state.isFinal {
                    // The lock tells a live run from a dead one: a running rrr holds it, a killed one
                    // lost it with its session. Taken for an instant only when it is free.
                    status.running = try await source.withTableLock(configuration.lockKey(for: table), wait: false, logger: logger) { () } == nil
                }
                result.append(status)
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
            guard var record = try await configuration.history(of: source).latestActive(source: table.sourceTable, target: table.targetTable, logger: logger),
                  !record.state.isFinal else { return nil }
            record.state = .canceled
            record.lastError = (record.lastError.map { $0 + "; " } ?? "") + "canceled by the user"
            try await configuration.history(of: source).update(record, logger: logger)
            hub.publish(ReplicationEvent(.canceled, level: .warning, message: "replication canceled", table: table.name, replicationID: record.id))
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
            let removed = try await configuration.history(of: source).reset(source: table.sourceTable, target: table.targetTable, logger: logger)
            hub.publish(ReplicationEvent(.historyReset, level: .warning, message: "history reset (\(removed) records removed)", table: table.name))
            return removed
        }
    }

    /// Runs `body` holding `table`'s lock, so a cancel or reset never races a run of the table
    /// (which would go on from the record it just lost); fails at once when another process holds it.
    private func withTableLock<T: Sendable>(_ table: TableConfiguration, _ action: String, logger: Logger,
                                            _ body: (any ReplicationSource) async throws -> T) async throws -> T {
        let key = configuration.lockKey(for: table)
        let result: T? = try await withHistory(logger: logger) { source in
            try await source.withTableLock(key, wait: false, logger: logger) {
                try await configuration.history(of: source).adoptUnowned(source: table.sourceTable, target: table.targetTable, logger: logger)
                return try await body(source)
            }
        }
        guard let held = result else {
            throw ReplicationFailure(.lockBusy, "\(table.name): another rrr process is replicating it (lock \(key)); \(action) it when that run ends")
        }
        return held
    }

    /// `withSource` once the history table is known to be current ("run `rrr install`" otherwise).
    func withHistory<T: Sendable>(logger: Logger, _ body: (any ReplicationSource) async throws -> T) async throws -> T {
        try await withSource { source in
            try await configuration.history(of: source).checkInstalled(logger: logger)
            return try await body(source)
        }
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
