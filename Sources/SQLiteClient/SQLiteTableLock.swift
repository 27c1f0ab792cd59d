#if canImport(Glibc)
import AsyncSupport
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The lock that stops two replicators working on the same SQLite table at once.
///
/// An exclusive `flock` on the file `<database>.rrr-<table>.lock` beside the database (the table name
/// percent-encoded down to `[A-Za-z0-9_.-]`). We chose a file lock over a row in a lock table or a
/// `BEGIN IMMEDIATE` transaction because it never blocks the application's own writers, needs no write
/// access to the database, and the kernel drops it when the holding process dies, so a crash leaves
/// no stale lock. The lock file itself stays (deleting it would race with a waiting process).
/// `flock` locks belong to the open file, so a second lock on the same table in the same process also
/// waits. Released by ``release()`` or when the value is deinitialised.
package final class SQLiteTableLock: Sendable {
    /// The lock file's path.
    package let path: String
    private let descriptor: Locked<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Locked(descriptor)
    }

    deinit { release() }

    /// The lock file for `table` of the database at `databasePath`.
    package static func lockFilePath(databasePath: String, table: String) -> String {
        var name = ""
        for byte in table.utf8 {
            let scalar = Unicode.Scalar(byte)
            let safe = (byte < 0x80) && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.-".unicodeScalars.contains(scalar))
            name += safe ? String(scalar) : "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
        return "\(databasePath).rrr-\(name).lock"
    }

    /// Takes the lock for `table`, polling every 50 ms for at most `timeout`.
    /// - Throws: ``SQLiteError`` `.lockTimedOut` when another holder keeps it past `timeout`,
    ///   `.lockFailed` when the lock file cannot be opened.
    package static func acquire(
        databasePath: String, table: String, timeout: Duration = .zero, logger: Logger
    ) async throws -> SQLiteTableLock {
        let path = lockFilePath(databasePath: databasePath, table: table)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SQLiteError(.lockFailed, "cannot open \(path): \(String(cString: strerror(errno)))", table: table)
        }
        let deadline = ContinuousClock.now + timeout
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR else {
                close(descriptor)
                throw SQLiteError(.lockFailed, "flock \(path): \(String(cString: strerror(reason)))", table: table)
            }
            guard ContinuousClock.now < deadline else {
                close(descriptor)
                throw SQLiteError(
                    .lockTimedOut, "another replication holds \(path) (waited \(timeout))", table: table)
            }
            do { try await Task.sleep(for: .milliseconds(50)) } catch {
                close(descriptor)
                throw error
            }
        }
        logger.debug("sqlite table lock taken", metadata: ["rrr_table": "\(table)", "rrr_lock_file": "\(path)"])
        return SQLiteTableLock(path: path, descriptor: descriptor)
    }

    /// Releases the lock; calling it again does nothing.
    package func release() {
        descriptor.withLock { descriptor in
            guard let open = descriptor else { return }
            flock(open, LOCK_UN)
            close(open)
            descriptor = nil
        }
    }
}
