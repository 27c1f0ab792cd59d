/// An error from the MySQL / MariaDB client: the server's or libmariadb's code and message, and the
/// table the operation concerned.
///
/// Never contains credentials: descriptions are built from the error code, SQLSTATE, the library's
/// message (which names the user, never the password) and the table name.
package struct MySQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration, connectionFailed, connectionClosed, queryFailed
            case lockTimedOut, unexpectedResult, busy
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL or fields cannot make a connection (e.g. a malformed URL, an unknown `ssl-mode`).
        package static let invalidConfiguration = Code(.invalidConfiguration)
        /// Connecting or authenticating failed.
        package static let connectionFailed = Code(.connectionFailed)
        /// The connection was closed, by ``MySQLConnection/close()`` or after an export was aborted.
        package static let connectionClosed = Code(.connectionClosed)
        /// The server refused or failed a statement, or the connection broke during it.
        package static let queryFailed = Code(.queryFailed)
        /// `GET_LOCK` did not obtain the lock within its timeout: another session holds it.
        package static let lockTimedOut = Code(.lockTimedOut)
        /// The server answered with something the client did not expect.
        package static let unexpectedResult = Code(.unexpectedResult)

        /// The connection is streaming an export; other statements must wait until it ends.
        package static let busy = Code(.busy)

        package var description: String { base.rawValue }
    }

    /// What went wrong.
    package var code: Code
    /// libmariadb's `mysql_errno` (a server error such as 1146, or a client error 2000-2999), 0 if none.
    package var errorNumber: UInt32
    /// The five-character SQLSTATE, `HY000` when unknown.
    package var sqlState: String
    /// The server's or library's message.
    package var message: String
    /// The table the operation concerned, if any.
    package var table: String?

    /// Creates an error.
    package init(
        _ code: Code, _ message: String, errorNumber: UInt32 = 0, sqlState: String = "HY000",
        table: String? = nil
    ) {
        self.code = code
        self.message = message
        self.errorNumber = errorNumber
        self.sqlState = sqlState
        self.table = table
    }

    package var description: String {
        var text = "MySQL \(code)"
        if errorNumber != 0 { text += " (error \(errorNumber), SQLSTATE \(sqlState))" }
        if let table { text += " on table \(table)" }
        return text + ": " + message
    }
}
