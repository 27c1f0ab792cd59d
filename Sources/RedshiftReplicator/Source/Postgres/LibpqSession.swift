import CLibpq
import Foundation

/// Synchronous statements on a libpq connection; only valid inside ``LibpqConnection/run(_:)``.
struct LibpqSession {
    let connection: OpaquePointer
    let name: String

    /// Rows of text values (`nil` = SQL NULL).
    typealias Rows = [[String?]]

    /// Runs one or more statements without parameters or results.
    func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement with text parameters bound as `$1, $2, ...` and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [String?] = []) throws -> Rows {
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
        var rows: Rows = []
        let rowCount = PQntuples(result), columnCount = PQnfields(result)
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            rows.append((0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return rows
    }

    /// The single value of a one-row, one-column query.
    func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try query(sql, parameters).first?.first ?? nil
    }

    /// Runs `COPY ... TO STDOUT` and hands each data chunk to `consume`; returns the row count.
    ///
    /// Reads with `PQgetCopyData(async: 0)`: this blocks the connection's own thread, never the
    /// cooperative pool. If `consume` throws, the COPY is cancelled and the error rethrown.
    func copyOut(_ sql: String, consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        let start = PQexec(connection, sql)
        let status = PQresultStatus(start)
        if status != PGRES_COPY_OUT {
            defer { PQclear(start) }
            try check(start, sql: sql)
            throw SourceError(.queryFailed, "COPY did not start on \(name)")
        }
        PQclear(start)
        var consumerError: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                if consumerError == nil {
                    do { try consume(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch {
                        consumerError = error
                        var errbuf = [CChar](repeating: 0, count: 256)
                        if let cancel = PQgetCancel(connection) {
                            _ = PQcancel(cancel, &errbuf, Int32(errbuf.count)); PQfreeCancel(cancel)
                        }
                    }
                }
                continue
            }
            if length == -1 || consumerError != nil { break }
            throw SourceError(.exportFailed, "COPY failed on \(name): \(errorMessage())")
        }
        var rowCount: Int64 = 0
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if consumerError == nil { try check(result, sql: sql) }
            rowCount = Int64(String(cString: PQcmdTuples(result))) ?? rowCount
        }
        if let consumerError { throw consumerError }
        return rowCount
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        let status = PQresultStatus(result)
        guard status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || result == nil else { return }
        let message = result.map { String(cString: PQresultErrorMessage($0)) } ?? errorMessage()
        let state = result.flatMap { PQresultErrorField($0, 67 /* PG_DIAG_SQLSTATE 'C' */) }.map { String(cString: $0) }
        let code: SourceError.Code = PQstatus(connection) == CONNECTION_OK ? .queryFailed : .connectionFailed
        throw SourceError(code, "\(message.trimmingCharacters(in: .whitespacesAndNewlines)) (on \(name), statement: \(sql.prefix(300)))", sqlState: state)
    }

    private func errorMessage() -> String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
