/// An error from libpq or the server: what failed, the server's message and SQLSTATE.
///
/// Never contains the password: connection errors name the configuration's redacted description.
package struct LibpqError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable { case connectionFailed, connectionClosed, queryFailed, copyFailed, busy }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// Connecting failed, or the connection broke during a statement.
        package static let connectionFailed = Code(.connectionFailed)
        /// The connection was closed with ``LibpqConnection/close()``.
        package static let connectionClosed = Code(.connectionClosed)
        /// The server refused or failed a statement.
        package static let queryFailed = Code(.queryFailed)
        /// A `COPY ... TO STDOUT` stream failed.
        package static let copyFailed = Code(.copyFailed)
        /// The connection is streaming an export; other statements must wait until it ends.
        package static let busy = Code(.busy)
        package var description: String { base.rawValue }
    }

    /// What went wrong.
    package var code: Code
    /// The server's or libpq's message, with the connection and (the start of) the statement.
    package var message: String
    /// The SQLSTATE the server reported, if any.
    package var sqlState: String?

    /// Creates an error.
    package init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code; self.message = message; self.sqlState = sqlState
    }

    package var description: String {
        "PostgreSQL \(code): \(message)" + (sqlState.map { " [SQLSTATE \($0)]" } ?? "")
    }
}
