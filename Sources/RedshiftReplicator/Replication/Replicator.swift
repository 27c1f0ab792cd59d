import AWSAuth
import AsyncSupport
import Foundation
import Logging

/// Replicates configured tables from the source database into Redshift.
///
/// ```swift
/// let replicator = Replicator(configuration: try .load(path: "rrr.yml"))
/// let outcomes = try await replicator.replicate(tables: .all, logger: logger)
/// ```
/// Up to `jobs` tables run at once (``Parallelism``), the most lagging first, within the source and
/// Redshift connection budgets; a failing table never stops the others. Each table is replicated
/// by one process at a time (an advisory lock in the source database).
public struct Replicator: Sendable {
    /// The configuration in force.
    public let configuration: ReplicatorConfiguration
    /// The source databases this replicator can read, chosen by the URL's scheme.
    public let drivers: [SourceDriver]
    let hub = EventHub()
    let progressHub = Broadcaster<ExportProgress>()
    let warehouse: RedshiftWarehouse
    /// Every AWS call of the replicator (S3, Secrets Manager, Redshift API) shares one credential chain.
    let aws: AWSClient

    /// Creates a replicator. Nothing connects until an operation runs.
    /// - Parameter drivers: the sources it can read; default ``SourceDriver/builtIn`` (PostgreSQL,
    ///   MySQL/MariaDB, SQLite). Add your own ``SourceDriver`` to read another database.
    public init(configuration: ReplicatorConfiguration, drivers: [SourceDriver] = SourceDriver.builtIn) {
        self.configuration = configuration
        self.drivers = drivers
        self.aws = configuration.makeAWSClient()
        self.warehouse = RedshiftWarehouse(
            settings: configuration.redshift,
            login: RedshiftLogin(settings: configuration.redshift, aws: aws, fallbackRegion: configuration.storage.region))
    }

    /// A new source for the configured URL (connects lazily).
    func makeSource() throws -> any ReplicationSource { try drivers.openSource(configuration.source) }

    /// The S3 staging store.
    func makeStaging() throws -> any StagingStore { S3StagingStore(storage: configuration.storage, aws: aws) }

    /// Every event of this replicator from now on (every run and command), until ``finishEvents()``.
    /// Each access is a new subscription; iterate it in a separate task. For one run's events, with
    /// an end, use ``prepare(_:tables:wait:jobs:)`` and ``ReplicationRun/events``.
    public var events: AsyncStream<ReplicationEvent> { hub.subscribe() }

    /// Progress of running exports (rows, bytes, elapsed time), about twice a second per export.
    public var progress: AsyncStream<ExportProgress> { progressHub.subscribe() }

    /// Ends every event and progress subscription (their loops finish).
    public func finishEvents() { hub.finish(); progressHub.finish() }

    /// Exports, uploads and imports `tables` (default every configured table).
    /// - Parameters:
    ///   - wait: wait for a table's lock instead of skipping it. Default `false`.
    ///   - jobs: tables replicated at once; `nil` (the default) uses the configuration's `jobs`.
    /// - Returns: one outcome per table, in configuration order.
    /// - Throws: ``ConfigurationError`` only for an unknown table name; table failures are outcomes.
    public func replicate(tables: TableSelection = .all, wait: Bool = false, jobs: Int? = nil, logger: Logger) async throws -> [TableOutcome] {
        try await run(.replicate, tables: tables, wait: wait, jobs: jobs, logger: logger)
    }

    /// Exports and uploads `tables` (state `uploaded`), without importing.
    public func export(tables: TableSelection = .all, wait: Bool = false, jobs: Int? = nil, logger: Logger) async throws -> [TableOutcome] {
        try await run(.export, tables: tables, wait: wait, jobs: jobs, logger: logger)
    }

    /// Imports what an earlier `export` uploaded for `tables`.
    public func `import`(tables: TableSelection = .all, wait: Bool = false, jobs: Int? = nil, logger: Logger) async throws -> [TableOutcome] {
        try await run(.import, tables: tables, wait: wait, jobs: jobs, logger: logger)
    }

    /// Prepares `step` on `tables` without starting it: subscribe to its ``ReplicationRun/events``,
    /// then ``ReplicationRun/start(logger:)`` it.
    /// `jobs`: tables at once; `nil` (the default) uses the configuration's `jobs`.
    public func prepare(_ step: ReplicationStep, tables: TableSelection = .all, wait: Bool = false, jobs: Int? = nil) -> ReplicationRun {
        ReplicationRun(replicator: self, step: step, tables: tables, wait: wait, jobs: jobs)
    }

    func run(_ step: ReplicationStep, tables selection: TableSelection, wait: Bool, jobs: Int? = nil,
             events: AsyncStream<ReplicationEvent>.Continuation? = nil, logger: Logger) async throws -> [TableOutcome] {
        let tables = try configuration.tables(selection)
        let jobs = max(1, min(jobs ?? configuration.parallelism.jobs, tables.count))
        let runner = try await TableRunner.open(self, jobs: jobs, logger: logger)
        let order = jobs > 1 ? await largestLagFirst(tables, source: runner.source, logger: logger) : Array(tables.indices)
        // Several processes running the same tables share them through the locks (a locked table is
        // skipped); this mark keeps each from replicating again a table another one finished since
        // this run began. Not with `wait`: who waits for a lock asks for a run after the other one.
        let roundStart = wait ? nil : try? await configuration.history(of: runner.source).newestID(logger: logger)
        var outcomes = [TableOutcome?](repeating: nil, count: tables.count)
        await withTaskGroup(of: (Int, TableOutcome).self) { group in
            var running = 0
            for index in order {
                if running == jobs, let (done, outcome) = await group.next() {
                    outcomes[done] = outcome
                    running -= 1
                }
                let table = tables[index]
                group.addTask { (index, await runner.run(step, table: table, wait: wait, roundStart: roundStart, events: events, logger: logger)) }
                running += 1
            }
            for await (done, outcome) in group { outcomes[done] = outcome }
        }
        await runner.close()
        return outcomes.compactMap { $0 }
    }

    /// Indices of `tables`, the most lagging first: never imported, then the oldest last import
    /// (as `rrr status` measures lag). Configuration order where the history cannot tell.
    private func largestLagFirst(_ tables: [TableConfiguration], source: any ReplicationSource, logger: Logger) async -> [Int] {
        var lastImport: [Int: Date] = [:]
        for (index, table) in tables.enumerated() {
            do {
                let records = try await configuration.history(of: source).records(source: table.sourceTable, target: table.targetTable, limit: 50, logger: logger)
                if let imported = records.first(where: { $0.state == .imported }) { lastImport[index] = imported.createdAt }
            } catch {
                logger.debug("cannot read the history to order tables by lag", metadata: ["rrr_error": "\(error)"])
                return Array(tables.indices)
            }
        }
        return tables.indices.sorted { a, b in
            switch (lastImport[a], lastImport[b]) {
            case (nil, nil): return a < b
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x != y ? x < y : a < b
            }
        }
    }

    /// The file that holds the history table when it is not in the source database (SQLite's
    /// history file); nil when the history is in the source database.
    package var historyFile: String? {
        configuration.source.scheme == "sqlite" ? SQLiteSource.historyPath(for: configuration.source.database) : nil
    }

    /// Creates the history table in the source database (SQLite: in its history file) and the load
    /// ledger in Redshift (idempotent).
    public func install(logger: Logger) async throws {
        let source = try makeSource()
        do {
            try await configuration.history(of: source).install(logger: logger)
            try await (source as? any DeleteTrackingSource)?.installDeletionsTable(logger: logger)
        } catch { await source.close(); throw error }
        await source.close()
        try await warehouse.withSession(logger: logger) { session in
            try await warehouse.installLedger(session: session)
        }
        hub.publish(ReplicationEvent(.installed, level: .info, message: "installed rrr_replications (source) and \(configuration.redshift.schema).rrr_load_ledger (Redshift)"))
    }
}
