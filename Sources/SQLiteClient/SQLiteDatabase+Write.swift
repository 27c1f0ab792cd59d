import CSQLite
import Foundation
import Logging

extension SQLiteDatabase {
    /// Takes the write lock (`BEGIN IMMEDIATE`) in short attempts with growing pauses between them,
    /// for at most `budget`, instead of one long wait in SQLite's busy handler.
    ///
    /// An application that starts its next write transaction right after each commit leaves the
    /// lock free only for instants: a long wait rarely wins it and holds the caller that long each
    /// time. Short attempts bound the cost; a caller whose write can wait (it is repeated by a later
    /// run) gives up after the budget.
    /// - Throws: ``SQLiteError`` whose ``SQLiteError/isBusy`` is true when the lock stayed taken.
    package func beginImmediate(within budget: Duration, logger: Logger) throws {
        let db = try usableHandle(table: nil)
        let deadline = ContinuousClock.now + budget
        sqlite3_busy_timeout(db, 20)
        defer { sqlite3_busy_timeout(db, busyTimeoutMilliseconds) }
        var pause = 0.01, attempts = 0
        while true {
            attempts += 1
            do {
                return try execute("BEGIN IMMEDIATE", logger: logger)
            } catch let error as SQLiteError where error.isBusy && ContinuousClock.now < deadline {
                // Jittered, so two waiting processes do not retry in step.
                Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.0))
                pause = min(pause * 2, 0.25)
            } catch var error as SQLiteError where error.isBusy {
                error.message += " (write lock not won in \(attempts) attempt(s) within \(budget))"
                throw error
            }
        }
    }
}

extension SQLiteError {
    /// Whether SQLite answered `SQLITE_BUSY`: another connection holds the lock it needed.
    package var isBusy: Bool { resultCode & 0xFF == SQLITE_BUSY }
}
