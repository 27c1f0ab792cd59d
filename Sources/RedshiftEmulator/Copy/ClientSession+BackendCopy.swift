extension ClientSession {
    /// The COPY's target columns with their types, in file order.
    func loadColumns(for command: CopyCommand) async throws -> [LoadColumn] {
        let rows = try await backend.rows("""
            SELECT a.attname, t.typname, a.atttypmod, a.attnotnull, format_type(a.atttypid, a.atttypmod),
                   (a.attidentity <> '' OR a.attgenerated <> '')
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = \(command.table.regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """)
        var all: [String: LoadColumn] = [:]
        var defaultOrder: [String] = []
        for row in rows {
            guard let name = row[0], let typname = row[1] else { continue }
            all[name] = LoadColumn(name: name, typname: typname, typmod: Int(row[2] ?? "-1") ?? -1,
                                   notNull: row[3] == "t", typeName: row[4] ?? typname)
            if row[5] != "t" { defaultOrder.append(name) }
        }
        let names = command.columns.isEmpty ? defaultOrder : command.columns
        return try names.map { name in
            guard let column = all[name] else {
                throw PGError(code: "42703", message: "column \"\(name)\" of relation \"\(command.table.relation)\" does not exist")
            }
            return column
        }
    }

    /// Opens `COPY t (cols) FROM STDIN` on the client's backend session.
    func startBackendCopy(command: CopyCommand, columns: [LoadColumn]) async throws {
        let list = columns.map { SQLText.identifier($0.name) }.joined(separator: ", ")
        try await backend.wire.send("Q") { $0.writeCString("COPY \(command.table.sql) (\(list)) FROM STDIN") }
        try await backend.wire.flush()
        while true {
            let message = try await backend.wire.receiveRequired()
            switch message.kind {
            case "G": return
            case "E":
                let error = PGError(body: message.body)
                try await drainUntilReady()
                throw error
            default: continue
            }
        }
    }

    /// CopyDone; returns once PostgreSQL accepted the rows (or throws its error).
    func finishBackendCopy() async throws {
        try await backend.wire.send("c") { _ in }
        try await backend.wire.flush()
        if let error = try await drainUntilReady() { throw error }
    }

    /// CopyFail: PostgreSQL drops what it got; inside a transaction block the block fails, as on Redshift.
    func abortBackendCopy(reason: String) async throws {
        try await backend.wire.send("f") { $0.writeCString("redshift-emulator: \(reason)") }
        try await backend.wire.flush()
        try await drainUntilReady()
    }

    /// Reads backend messages up to ReadyForQuery; returns the first error among them.
    @discardableResult
    func drainUntilReady() async throws -> PGError? {
        var failure: PGError?
        while true {
            let message = try await backend.wire.receiveRequired()
            switch message.kind {
            case "E": failure = failure ?? PGError(body: message.body)
            case "Z":
                var body = message.body
                backend.transactionStatus = TransactionStatus(rawValue: body.readInteger(as: UInt8.self) ?? 73) ?? .idle
                return failure
            default: continue
            }
        }
    }
}
