import Foundation
import Logging
import RedshiftCSV
import SQLiteClient

/// A SQLite database file as a source (`sqlite:///absolute/path.db`, `sqlite:relative.db`, or a bare
/// path ending in `.sqlite`, `.sqlite3` or `.db`): metadata and delete tracking on one read-write
/// handle, the history in a file of its own beside the database (``historyPath``), each export on
/// its own read-only handle inside one read transaction (its snapshot), the table lock an exclusive
/// `flock` on a file beside the database (see `SQLiteTableLock`).
struct SQLiteSource: ReplicationSource {
    /// The database file.
    public let path: String
    let shared: SharedHandle<SQLiteDatabase>
    /// The history file's handle (see `SQLiteSource+History.swift`).
    let historyHandle: SharedHandle<SQLiteDatabase>

    /// Creates a source for `url` (scheme `sqlite`, the file path in ``DatabaseURL/database``).
    public init(url: DatabaseURL) {
        path = url.database
        let path = url.database
        // Read-write without create: a missing file is a configuration error, not a new empty database.
        // Reads wait for a commit in progress; rrr's few writes here (delete tracking) take the
        // write lock in short attempts (`SQLiteDatabase.beginImmediate(within:)`).
        shared = SharedHandle { try await SQLiteDatabase.open(path: path, mode: .readWrite, busyTimeoutMilliseconds: 60_000, logger: $0) }
        historyHandle = SharedHandle { try await Self.openHistory(sourcePath: path, logger: $0) }
    }

    public var dialect: any SQLDialect { SQLiteDialect() }

    /// SQLite lets a PRIMARY KEY column hold NULL (all but `INTEGER PRIMARY KEY`, a legacy quirk it
    /// keeps), and an existing column cannot be made NOT NULL there: the export refuses a NULL key
    /// row by row instead of refusing such tables.
    public var refusesNullKeysAtExport: Bool { true }

    public func columns(of table: String, logger: Logger) async throws -> [SourceColumn] {
        let columns = try await shared.run(logger: logger) { try $0.columns(ofTable: table, logger: logger) }
        guard !columns.isEmpty else { throw SourceError(.tableNotFound, "source table `\(table)` does not exist in \(path)") }
        return columns.map { SourceColumn(name: $0.name, typeName: $0.declaredType, conversion: Self.conversion($0.declaredType), isNullable: $0.isNullable) }
    }

    public func primaryKey(of table: String, logger: Logger) async throws -> [String] {
        _ = try await columns(of: table, logger: logger)
        return try await shared.run(logger: logger) { try $0.primaryKey(ofTable: table, logger: logger) }
    }

    /// BLOB-affinity columns leave as hex; the client converts the rest by declared type.
    static func conversion(_ declaredType: String) -> ColumnConversion {
        declaredType.uppercased().contains("BLOB") ? .hex : .text
    }

    public func withTableLock<T: Sendable>(_ key: String, wait: Bool, logger: Logger, body: () async throws -> T) async throws -> T? {
        let lock: SQLiteTableLock
        do {
            // "wait" waits up to a day rather than forever.
            lock = try await SQLiteTableLock.acquire(databasePath: path, table: key, timeout: wait ? .seconds(86_400) : .zero, logger: logger)
        } catch let error as SQLiteError where error.code == .lockTimedOut && !wait {
            return nil
        }
        defer { lock.release() }
        logger.debug("holding table lock", metadata: ["rrr_lock": "\(lock.path)"])
        return try await body()
    }

    public func close() async {
        await shared.close()
        await historyHandle.close()
    }
}

extension SQLiteError: SourceClientError {
    /// The table's lock file stayed locked past the timeout: another replication holds it.
    package var isLockBusy: Bool { code == .lockTimedOut }
}
