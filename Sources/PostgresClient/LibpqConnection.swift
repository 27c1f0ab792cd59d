import AsyncSupport
import CLibpq
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One PostgreSQL session through libpq, on a thread of its own.
///
/// libpq blocks; every call runs on the connection's ``DedicatedThreadExecutor``, never on the
/// main actor or the cooperative pool, and the actor serialises calls as libpq requires. The
/// session runs in UTC with ISO dates, exact floats and standard-conforming strings. Calls that
/// can wait long (``export(table:columns:whereClause:batchSize:logger:into:)``, ``withCancellation(_:)``)
/// send the server a cancel request when the calling task is cancelled. Closed when released, or
/// with ``close()``.
package actor LibpqConnection {
    private let executor = DedicatedThreadExecutor()
    var handle: OpaquePointer?
    /// libpq's cancel handle: used from any thread (``cancel()``), so guarded.
    private let cancelHandle = Locked<CancelHandle?>(nil)
    /// Set while an export streams: the session cannot run anything else until the COPY ends.
    var isExporting = false
    /// The connection, described without the password (for errors and logs).
    package nonisolated let name: String

    /// The actor runs on its own thread (see ``DedicatedThreadExecutor``).
    package nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(name: String) { self.name = name }

    isolated deinit { close() }

    /// Opens a session and prepares it for exports: UTC, ISO dates, exact floats, hex bytea.
    /// - Throws: ``LibpqError`` `.connectionFailed` with libpq's message (never the password).
    package static func connect(_ configuration: PostgresConfiguration, logger: Logger) async throws -> LibpqConnection {
        let connection = LibpqConnection(name: configuration.description)
        try await connection.open(configuration.keywords, logger: logger)
        return connection
    }

    private func open(_ keywords: [(String, String)], logger: Logger) throws {
        let connection = Self.connect(keywords)
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw LibpqError(.connectionFailed, "cannot connect to \(name): \(message.trimmed)")
        }
        // NOTICEs ("already exists, skipping") would go to stderr; rrr reports through events.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        cancelHandle.withLock { $0 = PQgetCancel(connection).map(CancelHandle.init) }
        try execute("""
            SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';
            SET extra_float_digits = 3; SET standard_conforming_strings = on; SET bytea_output = 'hex'
            """)
        logger.debug("postgres connected", metadata: ["rrr_postgres": "\(name)"])
    }

    private static func connect(_ parameters: [(String, String)]) -> OpaquePointer? {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer { (keywords + values).forEach { free($0) } }
        return keywords.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        PQconnectdbParams(kp, vp, 0)
                    }
                }
            }
        }
    }

    /// Closes the session (the server ends its transaction and releases its session locks).
    /// Later calls throw `.connectionClosed`.
    package func close() {
        cancelHandle.withLock { handle in
            if let cancel = handle { PQfreeCancel(cancel.pointer) }
            handle = nil
        }
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Asks the server to cancel the statement running now, from any thread.
    package nonisolated func cancel() {
        cancelHandle.withLock { handle in
            guard let handle else { return }
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(handle.pointer, &buffer, Int32(buffer.count))
        }
    }

    /// Runs `body` on the connection; cancelling the calling task cancels the statement it runs
    /// (e.g. a wait for a lock).
    package func withCancellation<T: Sendable>(_ body: (isolated LibpqConnection) throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try Task.checkCancellation()
            return try body(self)
        } onCancel: { self.cancel() }
    }

    /// Runs one or more statements without parameters or results (`PQexec`).
    package func execute(_ sql: String) throws {
        let connection = try usableHandle()
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement with text parameters bound as `$1, $2, ...` (`nil` = SQL NULL) and
    /// returns its rows as text (`nil` = SQL NULL).
    @discardableResult
    package func query(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let connection = try usableHandle()
        let cStrings = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { cStrings.forEach { free($0) } }
        let result = cStrings.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { values in
                    PQexecParams(connection, sql, Int32(buffer.count), nil, values, nil, nil, 0)
                }
            } ?? PQexecParams(connection, sql, 0, nil, nil, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        let rowCount = PQntuples(result), columnCount = PQnfields(result)
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            rows.append((0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return rows
    }

    /// The first value of the first row (`nil` when there is none or it is NULL).
    package func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try query(sql, parameters).first?.first ?? nil
    }

    // MARK: - Internals shared by the extensions

    func usableHandle() throws -> OpaquePointer {
        guard let handle else { throw LibpqError(.connectionClosed, "the connection to \(name) is closed") }
        guard !isExporting else { throw LibpqError(.busy, "the connection to \(name) is streaming an export") }
        return handle
    }

    /// Throws the result's error, if it is one.
    func check(_ result: OpaquePointer?, sql: String) throws {
        let status = PQresultStatus(result)
        guard status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || result == nil else { return }
        let message = result.map { String(cString: PQresultErrorMessage($0)) } ?? lastMessage()
        let state = result.flatMap { PQresultErrorField($0, 67 /* PG_DIAG_SQLSTATE 'C' */) }.map { String(cString: $0) }
        let broken = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        throw LibpqError(broken ? .connectionFailed : .queryFailed,
                         "\(message.trimmed) (on \(name), statement: \(sql.prefix(300)))", sqlState: state)
    }

    func lastMessage() -> String {
        handle.map { String(cString: PQerrorMessage($0)).trimmed } ?? "the connection is closed"
    }
}

/// libpq's `PGcancel`: made for use from any thread (libpq documents `PQcancel` as thread-safe);
/// access is guarded by the connection's mutex.
private struct CancelHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

extension String {
    var trimmed: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        return String(text)
    }
}
