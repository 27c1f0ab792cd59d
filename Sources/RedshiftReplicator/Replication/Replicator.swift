import AWSAuth
import Foundation
import Logging

/// Replicates configured tables from the source database into Redshift.
///
/// ```swift
/// let replicator = Replicator(configuration: try .load(path: "rrr.yml"))
/// let outcomes = try await replicator.replicate(tables: .all, logger: logger)
/// ```
/// Tables run one after another; a failing table never stops the others. Each table is
/// replicated by one process at a time (an advisory lock in the source database).
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
    /// an end, use ``prepare(_:tables:wait:)`` and ``ReplicationRun/events``.
    public var events: AsyncStream<ReplicationEvent> { hub.subscribe() }

    /// Progress of running exports (rows, bytes, elapsed time), about twice a second per export.
    public var progress: AsyncStream<ExportProgress> { progressHub.subscribe() }

    /// Ends every event and progress subscription (their loops finish).
    public func finishEvents() { hub.finish(); progressHub.finish() }

    /// Exports, uploads and imports `tables` (default every configured table).
    /// - Parameter wait: wait for a table's lock instead of skipping it. Default `false`.
    /// - Throws: ``ConfigurationError`` only for an unknown table name; table failures are outcomes.
    public func replicate(tables: TableSelection = .all, wait: Bool = false, logger: Logger) async throws -> [TableOutcome] {
        try await run(.replicate, tables: tables, wait: wait, logger: logger)
    }

    /// Exports and uploads `tables` (state `uploaded`), without importing.
    public func export(tables: TableSelection = .all, wait: Bool = false, logger: Logger) async throws -> [TableOutcome] {
        try await run(.export, tables: tables, wait: wait, logger: logger)
    }

    /// Imports what an earlier `export` uploaded for `tables`.
    public func `import`(tables: TableSelection = .all, wait: Bool = false, logger: Logger) async throws -> [TableOutcome] {
        try await run(.import, tables: tables, wait: wait, logger: logger)
    }

    /// Prepares `step` on `tables` without starting it: subscribe to its ``ReplicationRun/events``,
    /// then ``ReplicationRun/start(logger:)`` it.
    public func prepare(_ step: ReplicationStep, tables: TableSelection = .all, wait: Bool = false) -> ReplicationRun {
        ReplicationRun(replicator: self, step: step, tables: tables, wait: wait)
    }

    func run(_ step: ReplicationStep, tables selection: TableSelection, wait: Bool,
             events: AsyncStream<ReplicationEvent>.Continuation? = nil, logger: Logger) async throws -> [TableOutcome] {
        let tables = try configuration.tables(selection)
        let source = try makeSource()
        do { try await source.history.checkInstalled(logger: logger) } catch { await source.close(); throw error }
        let staging = try makeStaging()
        var outcomes: [TableOutcome] = []
        let clusterSlices = ClusterSlices()
        for table in tables {
            let replication = TableReplication(
                table: table, settings: configuration.settings(for: table), configuration: configuration,
                source: source, warehouse: warehouse, staging: staging,
                report: EventReporter(hub: hub, logger: logger, table: table.name, run: events), progress: progressHub,
                clusterSlices: clusterSlices)
            outcomes.append(await replication.run(step, wait: wait))
        }
        await source.close()
        return outcomes
    }

    /// Creates the history table in the source database and the load ledger in Redshift (idempotent).
    public func install(logger: Logger) async throws {
        let source = try makeSource()
        do {
            try await source.history.install(logger: logger)
            try await (source as? any DeleteTrackingSource)?.installDeletionsTable(logger: logger)
        } catch { await source.close(); throw error }
        await source.close()
        try await warehouse.withSession(logger: logger) { session in
            try await warehouse.installLedger(session: session)
        }
        hub.publish(ReplicationEvent(.installed, level: .info, message: "installed rrr_replications (source) and \(configuration.redshift.schema).rrr_load_ledger (Redshift)"))
    }
}
