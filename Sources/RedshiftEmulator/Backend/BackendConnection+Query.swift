import Foundation
import NIOCore

/// What one statement returned: column names, text rows and the command tag.
struct QueryResult: Sendable {
    var columns: [String] = []
    var rows: [[String?]] = []
    var tag: String = ""
}

extension BackendConnection {
    /// Runs `sql` (one or more statements) with the simple protocol on this session and returns
    /// each statement's result; throws the backend's first error once the backend is ready again.
    @discardableResult
    func query(_ sql: String) async throws -> [QueryResult] {
        try await wire.send("Q") { $0.writeCString(sql) }
        try await wire.flush()
        var results: [QueryResult] = []
        var current = QueryResult()
        var failure: PGError?
        while true {
            let message = try await wire.receiveRequired()
            var body = message.body
            switch message.kind {
            case "T":
                let count = Int(body.readInteger(as: Int16.self) ?? 0)
                for _ in 0..<count {
                    current.columns.append(body.readCString() ?? "")
                    body.moveReaderIndex(forwardBy: 18)
                }
            case "D":
                let count = Int(body.readInteger(as: Int16.self) ?? 0)
                var row: [String?] = []
                row.reserveCapacity(count)
                for _ in 0..<count {
                    let length = Int(body.readInteger(as: Int32.self) ?? -1)
                    row.append(length < 0 ? nil : body.readString(length: length))
                }
                current.rows.append(row)
            case "C":
                current.tag = body.readCString() ?? ""
                results.append(current)
                current = QueryResult()
            case "I":
                results.append(current)
                current = QueryResult()
            case "E":
                failure = failure ?? PGError(body: message.body)
            case "G":
                // The emulator never sends COPY FROM STDIN through this helper; end it cleanly.
                try await wire.send("f") { $0.writeCString("unexpected COPY") }
                try await wire.flush()
            case "Z":
                transactionStatus = TransactionStatus(rawValue: body.readInteger(as: UInt8.self) ?? 73) ?? .idle
                if let failure { throw failure }
                return results
            default:
                continue // notices, parameter status, notifications
            }
        }
    }

    /// Runs one statement and returns its rows.
    func rows(_ sql: String) async throws -> [[String?]] {
        try await query(sql).last?.rows ?? []
    }
}

/// SQL text helpers: every identifier and value the emulator writes into SQL goes through these.
enum SQLText {
    /// A string literal as Redshift (and every backend session, see
    /// `BackendConnection.redshiftSessionSettings`) reads it: quotes and backslashes doubled,
    /// `'it''s \\ ok'`.
    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A quoted identifier: `"my ""table"""`.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
