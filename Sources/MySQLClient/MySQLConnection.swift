import CMariaDB
import Logging
import AsyncSupport
import SourceSupport

/// One session with a MySQL or MariaDB server, on a thread of its own.
///
/// libmariadb blocks; every call runs on the connection's ``DedicatedThreadExecutor``, never on the
/// main actor or the cooperative pool, and the actor serialises calls as libmariadb requires. The
/// session uses `utf8mb4` and `time_zone = '+00:00'`. The connection closes when released, or with
/// ``close()``.
package actor MySQLConnection {
    private let executor = DedicatedThreadExecutor()
    var handle: UnsafeMutablePointer<MYSQL>?
    /// The client's read timeout (seconds): a single wait on the server, such as `GET_LOCK`, stays below it.
    var readTimeoutSeconds = 3600
    /// Set while an export streams: the session cannot run anything else until the result is read.
    var isExporting = false

    /// The actor runs on its own thread (see ``DedicatedThreadExecutor``).
    package nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init() {}

    isolated deinit {
        if let handle { mysql_close(handle) }
    }

    /// Opens a session.
    /// - Throws: ``MySQLError`` with code `.connectionFailed` (server's message, never the password).
    package static func connect(_ configuration: MySQLConfiguration, logger: Logger) async throws -> MySQLConnection {
        let connection = MySQLConnection()
        try await connection.open(configuration, logger: logger)
        return connection
    }

    /// Closes the session (releasing its `GET_LOCK` locks and rolling back an open transaction).
    /// Later calls throw `.connectionClosed`.
    package func close() {
        if let handle { mysql_close(handle) }
        handle = nil
    }

    /// Runs one statement that returns no rows (or whose rows are discarded).
    /// - Parameter table: named in the error if the statement fails.
    /// - Returns: the affected row count.
    @discardableResult
    package func execute(_ sql: String, table: String? = nil, logger: Logger) throws -> Int {
        let mysql = try send(sql, table: table, logger: logger)
        if mysql_field_count(mysql) > 0, let result = mysql_store_result(mysql) { mysql_free_result(result) }
        return Int(truncatingIfNeeded: mysql_affected_rows(mysql))
    }

    /// Runs a query and returns its (small) result as text: for bounds (`MIN`/`MAX`/`COUNT`) and the
    /// catalog. Values are in MySQL's text form; SQL NULL is `nil`. Not for large results: see ``export``.
    package func query(_ sql: String, table: String? = nil, logger: Logger) throws -> MySQLResultSet {
        let mysql = try send(sql, table: table, logger: logger)
        guard let result = mysql_store_result(mysql) else {
            if mysql_errno(mysql) != 0 { throw lastError(.queryFailed, table: table) }
            return MySQLResultSet(columns: [], rows: [])
        }
        defer { mysql_free_result(result) }
        let count = Int(mysql_num_fields(result))
        let fields = mysql_fetch_fields(result)!
        let columns = (0..<count).map { String(cString: fields[$0].name) }
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result) {
            let lengths = mysql_fetch_lengths(result)!
            rows.append((0..<count).map { index in
                row[index].map { value in
                    String(decoding: UnsafeRawBufferPointer(start: value, count: Int(lengths[index])), as: UTF8.self)
                }
            })
        }
        return MySQLResultSet(columns: columns, rows: rows)
    }

    /// `value` as a quoted SQL string literal, escaped for this session (`mysql_real_escape_string`).
    package func quoteLiteral(_ value: String) throws -> String {
        guard let mysql = handle else { throw Self.closedError(table: nil) }
        var value = value
        return value.withUTF8 { source in
            let escaped = [CChar](unsafeUninitializedCapacity: source.count * 2 + 1) { buffer, count in
                count = Int(mysql_real_escape_string(
                    mysql, buffer.baseAddress, UnsafeRawPointer(source.baseAddress!).assumingMemoryBound(to: CChar.self),
                    UInt(source.count)))
            }
            return "'" + String(decoding: escaped.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "'"
        }
    }

    /// `name` as a quoted identifier: in backticks, embedded backticks doubled.
    package nonisolated static func quoteIdentifier(_ name: String) -> String {
        "`" + name.replacing("`", with: "``") + "`"
    }

    // MARK: - Internals shared by the extensions

    /// Sends `sql`; the caller reads or discards the result.
    func send(_ sql: String, table: String?, logger: Logger) throws -> UnsafeMutablePointer<MYSQL> {
        guard let mysql = handle else { throw Self.closedError(table: table) }
        guard !isExporting else {
            throw MySQLError(.busy, "the connection is streaming an export", table: table)
        }
        logger.trace("mysql statement", metadata: ["rrr_sql": "\(sql)"])
        var sql = sql
        let status = sql.withUTF8 {
            mysql_real_query(mysql, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), UInt($0.count))
        }
        if status != 0 { throw lastError(.queryFailed, table: table) }
        return mysql
    }

    /// The session's last error as a ``MySQLError``.
    func lastError(_ code: MySQLError.Code, table: String?) -> MySQLError {
        guard let mysql = handle else { return Self.closedError(table: table) }
        return MySQLError(
            code, String(cString: mysql_error(mysql)), errorNumber: mysql_errno(mysql),
            sqlState: String(cString: mysql_sqlstate(mysql)), table: table)
    }

    static func closedError(table: String?) -> MySQLError {
        MySQLError(.connectionClosed, "the connection is closed", table: table)
    }
}

/// A small query result in MySQL's text form.
package struct MySQLResultSet: Sendable, Hashable {
    /// The column labels, in order.
    package var columns: [String]
    /// The rows; `nil` is SQL NULL.
    package var rows: [[String?]]

    /// The first row's first value, or `nil` when there is none or it is NULL.
    package var scalar: String? { rows.first?.first ?? nil }
}
