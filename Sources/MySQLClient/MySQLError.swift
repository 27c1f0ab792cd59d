/// An error from the MySQL / MariaDB client: the server's or libmariadb's code and message, and the
/// table the operation concerned.
///
/// Never contains credentials: descriptions are built from the error code, SQLSTATE, the library's
/// message (which names the user, never the password) and the table name.
public struct MySQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration, connectionFailed, connectionClosed, queryFailed
            case lockTimedOut, unexpectedResult, busy
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL or fields cannot make a connection (e.g. a malformed URL, an unknown `ssl-mode`).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Connecting or authenticating failed.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection was closed, by ``MySQLConnection/close()`` or after an export was aborted.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server refused or failed a statement, or the connection broke during it.
        public static let queryFailed = Code(.queryFailed)
        /// `GET_LOCK` did not obtain the lock within its timeout: another session holds it.
        public static let lockTimedOut = Code(.lockTimedOut)
        /// The server answered with something the client did not expect.
        public static let unexpectedResult = Code(.unexpectedResult)

        /// The connection is streaming an export; other statements must wait until it ends.
        public static let busy = Code(.busy)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// libmariadb's `mysql_errno` (a server error such as 1146, or a client error 2000-2999), 0 if none.
    public var errorNumber: UInt32
    /// The five-character SQLSTATE, `HY000` when unknown.
    public var sqlState: String
    /// The server's or library's message.
    public var message: String
    /// The table the operation concerned, if any.
    public var table: String?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, errorNumber: UInt32 = 0, sqlState: String = "HY000",
        table: String? = nil
    ) {
        self.code = code
        self.message = message
        self.errorNumber = errorNumber
        self.sqlState = sqlState
        self.table = table
    }

    public var description: String {
        var text = "MySQL \(code)"
        if errorNumber != 0 { text += " (error \(errorNumber), SQLSTATE \(sqlState))" }
        if let table { text += " on table \(table)" }
        return text + ": " + message
    }
}
