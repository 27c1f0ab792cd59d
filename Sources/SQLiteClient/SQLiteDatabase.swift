import CSQLite
import Logging
import AsyncSupport
import SourceSupport

/// An open SQLite database file, on a thread of its own.
///
/// SQLite blocks (on disk and on other processes' locks, up to the busy timeout); every call runs on
/// the database's ``DedicatedThreadExecutor``, never on the main actor or the cooperative pool.
/// Closed when released, or with ``close()``.
package actor SQLiteDatabase {
    /// How to open the file.
    package enum Mode: Sendable, Hashable {
        /// Read only: the replicator's normal mode. Works on a WAL database another process writes.
        case readOnly
        /// Read and write; the file must exist.
        case readWrite
        /// Read and write, creating the file if missing.
        case readWriteCreate
    }

    private let executor = DedicatedThreadExecutor()
    var handle: OpaquePointer?
    /// The file this database was opened from (the lock file sits beside it).
    package nonisolated let path: String
    /// Set while an export streams.
    var isExporting = false
    /// The busy timeout the database was opened with (``beginImmediate(within:logger:)`` restores it).
    var busyTimeoutMilliseconds: Int32 = 0

    /// The actor runs on its own thread (see ``DedicatedThreadExecutor``).
    package nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(path: String) { self.path = path }

    isolated deinit {
        if let handle { sqlite3_close_v2(handle) }
    }

    /// Opens `path`.
    /// - Parameters:
    ///   - mode: default `.readOnly`.
    ///   - busyTimeoutMilliseconds: how long a statement waits for another process's lock, default 5000.
    /// - Throws: ``SQLiteError`` `.openFailed`.
    package static func open(
        path: String, mode: Mode = .readOnly, busyTimeoutMilliseconds: Int32 = 5000, logger: Logger
    ) async throws -> SQLiteDatabase {
        let database = SQLiteDatabase(path: path)
        try await database.open(mode: mode, busyTimeoutMilliseconds: busyTimeoutMilliseconds, logger: logger)
        return database
    }

    private func open(mode: Mode, busyTimeoutMilliseconds: Int32, logger: Logger) throws {
        let flags = switch mode {
        case .readOnly: SQLITE_OPEN_READONLY
        case .readWrite: SQLITE_OPEN_READWRITE
        case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        handle = db
        guard status == SQLITE_OK else {
            let error = SQLiteError(.openFailed, "\(path): \(message())", resultCode: status)
            close()
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        if let db { SQLiteFunctions.register(on: db) }
        logger.debug("sqlite opened", metadata: ["rrr_sqlite_path": "\(path)", "rrr_sqlite_mode": "\(mode)"])
    }

    /// Closes the database. Later calls throw `.closed`.
    package func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements without results (`sqlite3_exec`), e.g. DDL or `PRAGMA`s.
    package func execute(_ sql: String, table: String? = nil, logger: Logger) throws {
        let db = try usableHandle(table: table)
        logger.trace("sqlite statement", metadata: ["rrr_sql": "\(sql)"])
        let status = sqlite3_exec(db, sql, nil, nil, nil)
        if status != SQLITE_OK { throw lastError(status, table: table) }
    }

    /// Runs one statement with bound parameters and returns its (small) result: for bounds and the
    /// catalog. Not for large results: see ``export``.
    package func query(
        _ sql: String, _ bindings: [SQLiteValue] = [], table: String? = nil, logger: Logger
    ) throws -> SQLiteResultSet {
        let statement = try prepare(sql, bindings, table: table, logger: logger)
        defer { sqlite3_finalize(statement) }
        let count = sqlite3_column_count(statement)
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [[SQLiteValue]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw lastError(status, table: table) }
            rows.append((0..<count).map { Self.value(statement, $0) })
        }
        return SQLiteResultSet(columns: columns, rows: rows)
    }

    /// `name` as a quoted identifier: in double quotes, embedded quotes doubled.
    package nonisolated static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    // MARK: - Internals shared by the extensions

    func usableHandle(table: String?) throws -> OpaquePointer {
        guard let handle else { throw SQLiteError(.closed, "the database \(path) is closed", table: table) }
        guard !isExporting else { throw SQLiteError(.busy, "the database is streaming an export", table: table) }
        return handle
    }

    /// Prepares `sql` with `bindings` bound; the caller finalizes the statement.
    func prepare(_ sql: String, _ bindings: [SQLiteValue], table: String?, logger: Logger) throws -> OpaquePointer {
        let db = try usableHandle(table: table)
        logger.trace("sqlite statement", metadata: ["rrr_sql": "\(sql)"])
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else { throw lastError(status, table: table) }
        for (offset, value) in bindings.enumerated() {
            let index = Int32(offset + 1)
            let bound = switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .real(let number): sqlite3_bind_double(statement, index, number)
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, sqliteTransient)
            // An empty array may have no address, and a NULL address would bind SQL NULL.
            case .blob(let bytes) where bytes.isEmpty: sqlite3_bind_zeroblob(statement, index, 0)
            case .blob(let bytes): bytes.withUnsafeBytes {
                sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), sqliteTransient)
            }
            }
            if bound != SQLITE_OK {
                sqlite3_finalize(statement)
                throw lastError(bound, table: table)
            }
        }
        return statement
    }

    func lastError(_ status: Int32, table: String?) -> SQLiteError {
        SQLiteError(.statementFailed, message(), resultCode: status, table: table)
    }

    private func message() -> String {
        handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "out of memory"
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            .text(String(decoding: UnsafeRawBufferPointer(
                start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column))),
                as: UTF8.self))
        case SQLITE_BLOB:
            .blob(Array(UnsafeRawBufferPointer(
                start: sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column)))))
        default: .null
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT` (copy the bound bytes now), a C macro Swift cannot import.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
