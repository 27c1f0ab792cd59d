/// An error from SQLite: its result code, message, and the table the operation concerned.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case openFailed, statementFailed, closed, busy, lockTimedOut, lockFailed, unexpectedResult
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database file could not be opened.
        public static let openFailed = Code(.openFailed)
        /// Preparing or running a statement failed (see ``SQLiteError/resultCode``).
        public static let statementFailed = Code(.statementFailed)
        /// The database was closed, by ``SQLiteDatabase/close()`` or after an export was aborted.
        public static let closed = Code(.closed)
        /// The connection is streaming an export; other statements must wait until it ends.
        public static let busy = Code(.busy)
        /// Another process (or connection) holds the table's replication lock past the timeout.
        public static let lockTimedOut = Code(.lockTimedOut)
        /// The lock file could not be created or locked.
        public static let lockFailed = Code(.lockFailed)
        /// SQLite answered with something the client did not expect.
        public static let unexpectedResult = Code(.unexpectedResult)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// SQLite's extended result code (e.g. 5 `SQLITE_BUSY`, 1 `SQLITE_ERROR`), 0 if none.
    public var resultCode: Int32
    /// SQLite's (or the system's) message.
    public var message: String
    /// The table the operation concerned, if any.
    public var table: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, resultCode: Int32 = 0, table: String? = nil) {
        self.code = code
        self.message = message
        self.resultCode = resultCode
        self.table = table
    }

    public var description: String {
        var text = "SQLite \(code)"
        if resultCode != 0 { text += " (result code \(resultCode))" }
        if let table { text += " on table \(table)" }
        return text + ": " + message
    }
}
