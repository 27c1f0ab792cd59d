/// A failure talking to the source database, naming the table or column involved.
///
/// Never carries a password: connection errors describe the URL without it.
public struct SourceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case connectionFailed, queryFailed, tableNotFound, columnMissing, noKeyColumns, nullableKeyColumn, unsupportedSource, exportFailed, historyNotInstalled }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// Could not connect or the connection broke.
        public static let connectionFailed = Code(.connectionFailed)
        /// The database rejected a statement.
        public static let queryFailed = Code(.queryFailed)
        /// The source table does not exist.
        public static let tableNotFound = Code(.tableNotFound)
        /// A column of the Redshift table is missing in the source table.
        public static let columnMissing = Code(.columnMissing)
        /// A merge needs key columns but neither configuration nor a primary key gives them.
        public static let noKeyColumns = Code(.noKeyColumns)
        /// A key column can hold NULL in the source: the merge's key match never matches NULL, so
        /// such rows would be copied again on every run.
        public static let nullableKeyColumn = Code(.nullableKeyColumn)
        /// The URL names a database kind this build cannot read.
        public static let unsupportedSource = Code(.unsupportedSource)
        /// Streaming rows into the export files failed.
        public static let exportFailed = Code(.exportFailed)
        /// The history table is missing or older than this rrr: `rrr install` creates or upgrades it.
        public static let historyNotInstalled = Code(.historyNotInstalled)
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation naming the table/column.
    public let message: String
    /// The SQLSTATE reported by the database, if any.
    public let sqlState: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String {
        "source database: \(message)" + (sqlState.map { " [SQLSTATE \($0)]" } ?? "")
    }
}

/// An error of a source database's client library, classified by ``ReplicationFailure`` as a
/// `.source` failure, or `.lockBusy` when ``isLockBusy``. Each source conforms its client's error
/// type in its own folder; a source brought with a ``SourceDriver`` can do the same.
public protocol SourceClientError: Error {
    /// Whether the error says another process holds the table's lock (waiting for it timed out).
    var isLockBusy: Bool { get }
    /// Whether the error says the application kept the database's write lock past rrr's budget
    /// for one of its own short writes (SQLite), which a later run repeats.
    var isWriteContention: Bool { get }
}

extension SourceClientError {
    public var isLockBusy: Bool { false }
    public var isWriteContention: Bool { false }
}
