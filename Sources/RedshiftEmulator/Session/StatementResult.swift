import NIOCore

/// What an intercepted statement answers: optional text rows and a command tag, plus notices.
struct StatementResult: Sendable {
    var columns: [String] = []
    var rows: [[String?]] = []
    var tag: String = ""
    /// INFO/NOTICE messages sent before the result (e.g. Redshift's "Load into table ... completed").
    var notices: [PGError] = []

    init(columns: [String] = [], rows: [[String?]] = [], tag: String = "", notices: [PGError] = []) {
        self.columns = columns
        self.rows = rows
        self.tag = tag
        self.notices = notices
    }

    /// RowDescription when there are columns, NoData otherwise.
    func sendDescription(to client: WireConnection) async throws {
        if columns.isEmpty {
            try await client.send("n") { _ in }
        } else {
            try await client.sendTextRows(columns: columns, rows: [])
        }
    }

    /// Sends notices, rows and CommandComplete. The simple protocol includes the RowDescription;
    /// the extended one sent it on Describe.
    func send(to client: WireConnection, withDescription: Bool) async throws {
        for notice in notices { try await notice.write(to: client, asNotice: true) }
        if withDescription && !columns.isEmpty {
            try await client.sendTextRows(columns: columns, rows: rows)
        } else {
            for row in rows {
                try await client.send("D") { out in
                    out.writeInteger(Int16(row.count))
                    for value in row {
                        if let value { out.writeInteger(Int32(value.utf8.count)); out.writeString(value) } else { out.writeInteger(Int32(-1)) }
                    }
                }
            }
        }
        try await client.sendCommandComplete(tag)
    }
}
