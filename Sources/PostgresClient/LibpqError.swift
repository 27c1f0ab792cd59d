/// An error from libpq or the server: what failed, the server's message and SQLSTATE.
///
/// Never contains the password: connection errors name the configuration's redacted description.
public struct LibpqError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable { case connectionFailed, connectionClosed, queryFailed, copyFailed, busy }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// Connecting failed, or the connection broke during a statement.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection was closed with ``LibpqConnection/close()``.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server refused or failed a statement.
        public static let queryFailed = Code(.queryFailed)
        /// A `COPY ... TO STDOUT` stream failed.
        public static let copyFailed = Code(.copyFailed)
        /// The connection is streaming an export; other statements must wait until it ends.
        public static let busy = Code(.busy)
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The server's or libpq's message, with the connection and (the start of) the statement.
    public var message: String
    /// The SQLSTATE the server reported, if any.
    public var sqlState: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code; self.message = message; self.sqlState = sqlState
    }

    public var description: String {
        "PostgreSQL \(code): \(message)" + (sqlState.map { " [SQLSTATE \($0)]" } ?? "")
    }
}
