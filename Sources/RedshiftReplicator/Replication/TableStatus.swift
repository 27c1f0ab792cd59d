import SourceSupport
import Foundation

/// One table's replication status, for `rrr status`: its state in words, why it failed and what
/// helps, and how old the data in Redshift is.
public struct TableStatus: Sendable, Hashable {
    /// What the newest record says, with the lock's word on unfinished ones.
    public enum State: String, Sendable, Hashable, Codable {
        /// No replication yet.
        case never = "never replicated"
        /// The newest replication is in Redshift.
        case ok
        /// An rrr process is replicating the table now (it holds the table's lock).
        case running
        /// The newest replication failed; the next run resumes it.
        case failed
        /// The newest replication stopped without an error (the process was killed); the next run resumes it.
        case interrupted
        /// The newest replication was canceled; the next run starts a fresh one.
        case canceled
    }

    /// The table's configuration.
    public var table: TableConfiguration
    /// Its newest record (any state).
    public var latest: ReplicationRecord?
    /// Its newest imported record.
    public var lastImported: ReplicationRecord?
    /// Resumes before a replication is canceled (`max_retries`).
    public var maxRetries: Int = 5
    /// The configured `max_lag` in seconds, if any.
    public var maxLagSeconds: Int?
    /// Whether another process holds the table's lock (an unfinished record is being worked on).
    public var running = false
    /// When the status was read.
    public var now = Date()

    /// Creates a status.
    public init(table: TableConfiguration, latest: ReplicationRecord?, lastImported: ReplicationRecord?,
                maxRetries: Int = 5, maxLagSeconds: Int? = nil) {
        self.table = table; self.latest = latest; self.lastImported = lastImported
        self.maxRetries = maxRetries; self.maxLagSeconds = maxLagSeconds
    }

    /// The state in words.
    public var state: State {
        guard let latest else { return .never }
        switch latest.state {
        case .imported: return .ok
        case .canceled: return .canceled
        default: return running ? .running : (latest.lastError == nil ? .interrupted : .failed)
        }
    }

    /// How old the data in Redshift is: seconds since the snapshot of the last imported
    /// replication was read (its record is created just before the export starts); `nil` if never.
    public var lagSeconds: Double? { lastImported.map { now.timeIntervalSince($0.createdAt) } }

    /// Whether the lag is over `max_lag` (never replicated counts as over, when `max_lag` is set).
    public var lagExceeded: Bool {
        guard let maxLagSeconds else { return false }
        return (lagSeconds ?? .infinity) > Double(maxLagSeconds)
    }

    /// Rows COPY rejected and skipped (`max_copy_errors`) in the last imported replication; `nil` when none.
    public var rejectedRows: Int64? { lastImported?.rejectedCount.flatMap { $0 > 0 ? $0 : nil } }

    /// Whether `rrr status` should exit non-zero for this table.
    public var isUnhealthy: Bool { state == .failed || lagExceeded }

    /// The last error of a failed or interrupted replication.
    public var cause: String? { [.failed, .interrupted, .canceled].contains(state) ? latest?.lastError : nil }

    /// What the operator can do, in words with the commands.
    public var advice: String? {
        let name = table.name
        switch state {
        case .failed where latest?.lastError?.contains(InvalidValue.phrase) == true:
            // Every run stops at the same row: retries and a fresh start export it again.
            return "every run stops at this value until it changes (retrying does not help): fix the row in the source, "
                + "or set `invalid_values: null` (or `truncate`) for table `\(name)` in the configuration to load it as NULL "
                + "(or cut to the column's width); the next `rrr replicate` then loads the range"
        case .failed, .interrupted:
            let retries = latest?.retries ?? 0
            var text = "the next `rrr replicate` resumes it (retry \(retries + 1) of \(maxRetries), then it is canceled and started fresh)"
            if latest?.lastError?.contains("COPY into") == true {
                text += "; fix the rejected source row first: the next run exports the range again and loads the fixed row"
            }
            return text + "; `rrr cancel \(name)` starts fresh now; `rrr reset \(name)` copies every row again"
        case .canceled:
            return "the next `rrr replicate` starts a fresh replication"
        case .never:
            return lagExceeded ? "run `rrr replicate \(name)`" : nil
        case .ok, .running:
            return lagExceeded ? "the data is older than max_lag (\(maxLagSeconds ?? 0) s): is `rrr replicate` scheduled and succeeding?" : nil
        }
    }
}
