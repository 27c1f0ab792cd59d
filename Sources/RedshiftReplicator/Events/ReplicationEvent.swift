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
    public init(level: Level, message: String, table: String? = nil, replicationID: Int64? = nil, date: Date = Date()) {
        self.level = level; self.message = message; self.table = table; self.replicationID = replicationID; self.date = date
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

    init(hub: EventHub, logger: Logger, table: String?) {
        self.hub = hub; self.logger = logger; self.table = table
        if let table { self.logger[metadataKey: "rrr_table"] = "\(table)" }
    }

    mutating func setReplication(_ id: Int64) {
        replicationID = id
        logger[metadataKey: "rrr_replication_id"] = "\(id)"
    }

    func callAsFunction(_ level: ReplicationEvent.Level, _ message: String) {
        logger.log(level: level.loggerLevel, "\(message)")
        hub.publish(ReplicationEvent(level: level, message: message, table: table, replicationID: replicationID))
    }
}
