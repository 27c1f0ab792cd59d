import NIOCore

/// An error in PostgreSQL's ErrorResponse form: what the emulator reports to clients and what it
/// reads from the backend. Its `description` never carries statement text, only the message.
struct PGError: Error, Sendable, CustomStringConvertible {
    var severity: String = "ERROR"
    /// SQLSTATE, e.g. `XX000`.
    var code: String
    var message: String
    var detail: String?
    var hint: String?

    var description: String { "\(severity): \(message) (SQLSTATE \(code))" }

    /// Decodes an ErrorResponse ('E') or NoticeResponse ('N') body.
    init(body: ByteBuffer) {
        var body = body
        var fields: [UInt8: String] = [:]
        while let type = body.readInteger(as: UInt8.self), type != 0 {
            fields[type] = body.readCString() ?? ""
        }
        func field(_ c: Character) -> String? { fields[c.asciiValue!] }
        self.severity = field("V") ?? field("S") ?? "ERROR"
        self.code = field("C") ?? "XX000"
        self.message = field("M") ?? "unknown error"
        self.detail = field("D")
        self.hint = field("H")
    }

    init(code: String, message: String, detail: String? = nil, hint: String? = nil, severity: String = "ERROR") {
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.severity = severity
    }

    /// Writes the error as an ErrorResponse ('E'), or a NoticeResponse ('N') for notices.
    func write(to connection: WireConnection, asNotice: Bool = false) async throws {
        try await connection.send(asNotice ? "N" : "E") { out in
            out.writeInteger(UInt8(ascii: "S")); out.writeCString(severity)
            out.writeInteger(UInt8(ascii: "V")); out.writeCString(severity)
            out.writeInteger(UInt8(ascii: "C")); out.writeCString(code)
            out.writeInteger(UInt8(ascii: "M")); out.writeCString(message)
            if let detail { out.writeInteger(UInt8(ascii: "D")); out.writeCString(detail) }
            if let hint { out.writeInteger(UInt8(ascii: "H")); out.writeCString(hint) }
            out.writeInteger(UInt8(0))
        }
    }
}

extension PGError {
    /// Redshift's refusal of a statement that cannot run in a transaction block.
    static func notInTransactionBlock(_ what: String) -> PGError {
        PGError(code: "25001", message: "\(what) cannot run inside a transaction block")
    }

    /// A Redshift feature the emulator does not reproduce.
    static func notSupported(_ what: String) -> PGError {
        PGError(code: "0A000", message: "\(what) is not supported by the Redshift emulator")
    }

    /// Redshift's generic failure of a COPY.
    static func loadFailed(table: String, detail: String?) -> PGError {
        PGError(code: "XX000",
                message: "Load into table '\(table)' failed.  Check 'stl_load_errors' system table for details.",
                detail: detail)
    }
}
