/// An error from SQLite: its result code, message, and the table the operation concerned.
package struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case openFailed, statementFailed, closed, busy, lockTimedOut, lockFailed, unexpectedResult
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database file could not be opened.
        package static let openFailed = Code(.openFailed)
        /// Preparing or running a statement failed (see ``SQLiteError/resultCode``).
        package static let statementFailed = Code(.statementFailed)
        /// The database was closed, by ``SQLiteDatabase/close()`` or after an export was aborted.
        package static let closed = Code(.closed)
        /// The connection is streaming an export; other statements must wait until it ends.
        package static let busy = Code(.busy)
        /// Another process (or connection) holds the table's replication lock past the timeout.
        package static let lockTimedOut = Code(.lockTimedOut)
        /// The lock file could not be created or locked.
        package static let lockFailed = Code(.lockFailed)
        /// SQLite answered with something the client did not expect.
        package static let unexpectedResult = Code(.unexpectedResult)

        package var description: String { base.rawValue }
    }

    /// What went wrong.
    package var code: Code
    /// SQLite's extended result code (e.g. 5 `SQLITE_BUSY`, 1 `SQLITE_ERROR`), 0 if none.
    package var resultCode: Int32
    /// SQLite's (or the system's) message.
    package var message: String
    /// The table the operation concerned, if any.
    package var table: String?

    /// Creates an error.
    package init(_ code: Code, _ message: String, resultCode: Int32 = 0, table: String? = nil) {
        self.code = code
        self.message = message
        self.resultCode = resultCode
        self.table = table
    }

    package var description: String {
        var text = "SQLite \(code)"
        if resultCode != 0 { text += " (result code \(resultCode))" }
        if let table { text += " on table \(table)" }
        return text + ": " + message
    }
}
