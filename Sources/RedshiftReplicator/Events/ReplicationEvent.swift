import Foundation
import Logging

/// A notification about a replication (the gem's info/debug/warn/error notifications).
public struct ReplicationEvent: Sendable, Hashable, CustomStringConvertible {
    /// Severity.
    public enum Level: String, Sendable, Hashable, Comparable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
        private var rank: Int { switch self { case .debug: 0; case .info: 1; case .warning: 2; case .error: 3 } }
        var loggerLevel: Logger.Level {
            switch self { case .debug: .debug; case .info: .info; case .warning: .warning; case .error: .error }
        }
    }

    /// What happened, as a value to act on (the ``message`` says it for a human).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `rrr install` created (or found) the history table and the load ledger.
        case installed
        /// A delete trigger was installed on the table.
        case triggerInstalled
        /// A delete trigger was removed from the table.
        case triggerRemoved
        /// The table's lock is held by another process; the table was skipped.
        case skippedLocked
        /// Another process replicated the table since this run began; the table was skipped.
        case replicatedElsewhere
        /// A replication past `max_retries` was canceled; a new one starts.
        case retriesExhausted
        /// `import` found no uploaded replication.
        case nothingToImport
        /// Resuming: exporting again with the saved bounds.
        case resumingExport
        /// Resuming: importing the uploaded files again.
        case resumingImport
        /// No rows in the new range.
        case upToDate
        /// The cluster's slice count was read for this run, or could not be and a default is used.
        case clusterSlices
        /// Rows were exported (message: count and range).
        case exported
        /// Source values Redshift cannot load were written as NULL.
        case valuesNulled
        /// Source values longer than their Redshift column were cut to its width (`invalid_values: truncate`).
        case valuesTruncated
        /// Rows with a NULL replication field are not replicated.
        case nullReplicationField
        /// Rows with a replication field in the future wait until their time comes.
        /// An identity table's highest id jumped far above its usual growth.
        case identityJump
        case futureReplicationField
        /// A write transaction has been open long enough that rows may be missed.
        case longWriteTransaction
        /// The files and manifest were uploaded.
        case uploaded
        /// The COPY about to run (debug; credentials redacted).
        case loading
        /// The ledger shows the load committed earlier: marked imported without loading again.
        case alreadyLoaded
        /// Redshift canceled the load transaction (serializable isolation violation); it is retried.
        case transactionRetried
        /// Rows were imported into Redshift.
        case imported
        /// COPY skipped rejected rows under `max_copy_errors`: they are not in Redshift.
        case rowsRejected
        /// The uploaded files could not be deleted from S3.
        case cleanupFailed
        /// A run removed the S3 files that finished or canceled replications left behind.
        case leftoversRemoved
        /// Recorded deletes were applied in Redshift.
        case deletesPropagated
        /// More deletes were waiting than one run reads; the rest go with the next run.
        case deletesRemaining
        /// Deletes wait for an uploaded replication whose import carries them.
        case deletesDeferred
        /// The table's run (or delete propagation) failed; its outcome has the typed failure.
        case failed
        /// A replication was canceled by `rrr cancel`.
        case canceled
        /// The table's history was reset.
        case historyReset
        /// A VACUUM or ANALYZE finished (level `.error` when it failed).
        case maintenance
        /// `rrr verify` found a key range that differs between the source and Redshift.
        case verifyDifference
        /// `rrr verify --repair` loaded differing key ranges again.
        case verifyRepaired
    }

    /// What happened.
    public var kind: Kind
    /// Severity.
    public var level: Level
    /// What happened, for a human. Never contains a secret.
    public var message: String
    /// The table's configured name, if the event concerns one.
    public var table: String?
    /// The replication record's id, if one exists.
    public var replicationID: Int64?
    /// When it happened.
    public var date: Date

    /// Creates an event.
    public init(_ kind: Kind, level: Level, message: String, table: String? = nil, replicationID: Int64? = nil, date: Date = Date()) {
        self.kind = kind; self.level = level; self.message = message; self.table = table; self.replicationID = replicationID; self.date = date
    }

    public var description: String {
        "[\(level.rawValue)]" + (table.map { " \($0)" } ?? "") + (replicationID.map { " #\($0)" } ?? "") + ": \(message)"
    }
}

/// Fans values out to every current subscriber; subscribers that stop iterating are dropped.
final class Broadcaster<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [UUID: AsyncStream<Element>.Continuation] = [:]

    /// A new subscription receiving every value from now on (the newest 10,000 are buffered).
    func subscribe() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream<Element>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.lock.lock(); self.subscribers[id] = nil; self.lock.unlock()
        }
        lock.lock(); subscribers[id] = continuation; lock.unlock()
        return stream
    }

    func publish(_ event: Element) {
        lock.lock(); let targets = Array(subscribers.values); lock.unlock()
        for continuation in targets { continuation.yield(event) }
    }

    /// Ends every subscription.
    func finish() {
        lock.lock(); let targets = Array(subscribers.values); subscribers = [:]; lock.unlock()
        for continuation in targets { continuation.finish() }
    }
}

typealias EventHub = Broadcaster<ReplicationEvent>

/// Publishes events and writes them to the logger with rrr's metadata keys.
struct EventReporter: Sendable {
    let hub: EventHub
    var logger: Logger
    let table: String?
    var replicationID: Int64?
    /// The events of the run this reporter belongs to, if someone subscribed (``ReplicationRun``).
    let run: AsyncStream<ReplicationEvent>.Continuation?

    init(hub: EventHub, logger: Logger, table: String?, run: AsyncStream<ReplicationEvent>.Continuation? = nil) {
        self.hub = hub; self.logger = logger; self.table = table; self.run = run
        if let table { self.logger[metadataKey: "rrr_table"] = "\(table)" }
    }

    mutating func setReplication(_ id: Int64) {
        replicationID = id
        logger[metadataKey: "rrr_replication_id"] = "\(id)"
    }

    func callAsFunction(_ level: ReplicationEvent.Level, _ kind: ReplicationEvent.Kind, _ message: String) {
        logger.log(level: level.loggerLevel, "\(message)", metadata: ["rrr_event": "\(kind.rawValue)"])
        let event = ReplicationEvent(kind, level: level, message: message, table: table, replicationID: replicationID)
        hub.publish(event)
        run?.yield(event)
    }
}
