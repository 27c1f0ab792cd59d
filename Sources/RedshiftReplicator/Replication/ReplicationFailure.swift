import ExportFiles
import S3
import SourceSupport

/// Why a table's run (or delete propagation) failed: a kind to act on, the message for a human.
///
/// The kind says where the failure is: fix the configuration, look at the source database, the
/// S3 staging, the rows Redshift rejected, or wait for another process's lock.
public struct ReplicationFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the failure is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A setting is missing or wrong (``ConfigurationError``).
        case configuration
        /// The source database: connecting, a missing table or column, a failed query (``SourceError``
        /// and the database clients' errors).
        case source
        /// Delete tracking: not installed, a key it cannot record, a missing privilege (``DeleteTrackingError``).
        case deleteTracking
        /// Writing the local export files or staging them in S3.
        case staging
        /// A source value its Redshift column cannot hold (``InvalidValue``): fix the row or set `invalid_values`.
        case invalidValue
        /// Redshift rejected rows of the load (`stl_load_errors`; the message names file, line, column, value, reason).
        case loadRejected
        /// Redshift: connecting, the target table, a statement.
        case warehouse
        /// Another process holds the table's lock (a wait for it ended without it).
        case lockBusy
        /// The run was cancelled.
        case cancelled
        /// Anything else.
        case other
    }

    /// Where the failure is.
    public var kind: Kind
    /// What happened, for a human; never contains a secret.
    public var message: String

    /// Creates a failure.
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    /// `error` classified by its type (an error that is already a failure keeps its kind).
    public init(_ error: any Error) {
        message = "\(error)"
        switch error {
        case let failure as ReplicationFailure: self = failure
        case is ConfigurationError: kind = .configuration
        case let client as any SourceClientError: kind = client.isLockBusy ? .lockBusy : .source
        case is SourceError: kind = .source
        case is InvalidValue: kind = .invalidValue
        case is DeleteTrackingError: kind = .deleteTracking
        case is S3Error, is ExportError: kind = .staging
        case let warehouse as WarehouseError: kind = warehouse.code == .loadFailed || warehouse.code == .rowsRejected ? .loadRejected : .warehouse
        case is CancellationError: kind = .cancelled
        default: kind = .other
        }
    }

    public var description: String { message }
}
