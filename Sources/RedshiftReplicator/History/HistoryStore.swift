import Logging

/// Where replication records live (the source database's `rrr_replications` table).
///
/// Every query is scoped to one table pair (source, target) in one warehouse: the history cap and
/// resets never touch another table's records, nor those another configuration keeps for another
/// Redshift (see ``scoped(toWarehouse:)``).
public protocol HistoryStore: Sendable {
    /// The same store, its records limited to (and new ones marked with) `warehouse`, an identity
    /// such as ``ReplicatorConfiguration/warehouseIdentity``.
    func scoped(toWarehouse warehouse: String) -> any HistoryStore
    /// Marks this pair's records that have no warehouse yet (written before records carried one)
    /// as this store's warehouse's.
    func adoptUnowned(source: String, target: String, logger: Logger) async throws
    /// Creates or upgrades the history table (idempotent).
    func install(logger: Logger) async throws
    /// Throws ``SourceError`` `.historyNotInstalled` ("run `rrr install`") when the table is
    /// missing or lacks a column this rrr writes.
    func checkInstalled(logger: Logger) async throws
    /// The id of the newest record of any table (ids only grow): a run notes it when it begins,
    /// so a table that another process replicated since then is not replicated twice in one round.
    func newestID(logger: Logger) async throws -> Int64?
    /// Saves a new record and returns it with its id.
    func insert(_ record: ReplicationRecord, logger: Logger) async throws -> ReplicationRecord
    /// Writes every field of an existing record (and bumps `updated_at`).
    func update(_ record: ReplicationRecord, logger: Logger) async throws
    /// Deletes one record.
    func delete(id: Int64, logger: Logger) async throws
    /// The newest record that is not canceled (it decides what the next run does).
    func latestActive(source: String, target: String, logger: Logger) async throws -> ReplicationRecord?
    /// The upper bound of the newest imported record: the high-water mark.
    func highWaterMark(source: String, target: String, logger: Logger) async throws -> String?
    /// The newest `limit` records, newest first.
    func records(source: String, target: String, limit: Int, logger: Logger) async throws -> [ReplicationRecord]
    /// Keeps the newest `keep` records of this table pair, plus the one holding the high-water mark
    /// and any unfinished one, whatever their age.
    func cap(source: String, target: String, keep: Int, logger: Logger) async throws
    /// Deletes every record of this table pair (forgets the high-water mark); returns how many.
    func reset(source: String, target: String, logger: Logger) async throws -> Int
}
