import NIOCore

/// Small backend messages the emulator writes to its clients itself.
extension WireConnection {
    /// ReadyForQuery ('Z') with the transaction status `I`, `T` or `E`.
    func sendReadyForQuery(_ status: TransactionStatus) async throws {
        try await send("Z") { $0.writeInteger(status.rawValue) }
    }

    /// CommandComplete ('C') with its tag, e.g. `COPY 3`.
    func sendCommandComplete(_ tag: String) async throws {
        try await send("C") { $0.writeCString(tag) }
    }

    /// ParameterStatus ('S').
    func sendParameterStatus(_ name: String, _ value: String) async throws {
        try await send("S") { $0.writeCString(name); $0.writeCString(value) }
    }

    /// An Authentication request ('R') with its code and extra bytes (the MD5 salt).
    func sendAuthentication(code: Int32, extra: [UInt8] = []) async throws {
        try await send("R") { $0.writeInteger(code); $0.writeBytes(extra) }
    }

    /// A one-column-per-field text result: RowDescription ('T') then DataRows ('D').
    func sendTextRows(columns: [String], rows: [[String?]]) async throws {
        try await send("T") { out in
            out.writeInteger(Int16(columns.count))
            for column in columns {
                out.writeCString(column)
                out.writeInteger(Int32(0)); out.writeInteger(Int16(0))
                out.writeInteger(Int32(25)) // text
                out.writeInteger(Int16(-1)); out.writeInteger(Int32(-1)); out.writeInteger(Int16(0))
            }
        }
        for row in rows {
            try await send("D") { out in
                out.writeInteger(Int16(row.count))
                for value in row {
                    if let value {
                        out.writeInteger(Int32(value.utf8.count)); out.writeString(value)
                    } else {
                        out.writeInteger(Int32(-1))
                    }
                }
            }
        }
    }
}

/// The transaction status a ReadyForQuery carries.
enum TransactionStatus: UInt8, Sendable {
    case idle = 73 // 'I'
    case inTransaction = 84 // 'T'
    case failed = 69 // 'E'

    /// True inside a transaction block (open or failed).
    var inBlock: Bool { self != .idle }
}
