import NIOCore

extension ClientSession {
    /// Relays backend messages to the client until ReadyForQuery (sent on unless `swallowReady`),
    /// passing client COPY data through when the backend asks for it. Returns whether an error passed.
    @discardableResult
    func relayUntilReady(swallowReady: Bool = false) async throws -> Bool {
        var sawError = false
        while true {
            let message = try await backend.wire.receiveRequired()
            switch message.kind {
            case "Z":
                var body = message.body
                backend.transactionStatus = TransactionStatus(rawValue: body.readInteger(as: UInt8.self) ?? 73) ?? .idle
                if !swallowReady { try await client.send(message) }
                try await client.flush()
                return sawError
            case "E":
                sawError = true
                if let rewritten = Self.redshiftError(message) { try await rewritten.write(to: client) } else { try await client.send(message) }
            case "G":
                try await client.send(message)
                try await client.flush()
                try await relayCopyIn()
            case "S":
                var body = message.body
                if let name = body.readCString(), Self.hiddenParameters.contains(name) { continue }
                try await client.send(message)
            default:
                try await client.send(message)
            }
        }
    }

    /// A backend error Redshift words differently, reworded; nil to relay the error as it is.
    /// Writing an IDENTITY(seed, step) column (PostgreSQL's GENERATED ALWAYS, SQLSTATE 428C9) is
    /// "cannot set an identity column to a value" on Redshift (Redshift has no OVERRIDING clause).
    static func redshiftError(_ message: PGMessage) -> PGError? {
        let error = PGError(body: message.body)
        guard error.code == "428C9" else { return nil }
        return PGError(code: error.code, message: "cannot set an identity column to a value", detail: error.detail)
    }

    /// Passes the client's CopyData to the backend until CopyDone or CopyFail.
    func relayCopyIn() async throws {
        while true {
            let message = try await client.receiveRequired()
            try await backend.wire.send(message)
            if message.kind == "c" || message.kind == "f" {
                try await backend.wire.flush()
                return
            }
        }
    }

    /// Handles a simple-protocol Query: relayed whole when nothing in it is Redshift-only,
    /// otherwise statement by statement, stopping at the first error as PostgreSQL does.
    func handleSimpleQuery(_ message: PGMessage) async throws {
        var body = message.body
        let sql = body.readCString() ?? ""
        let statements = SQLTokenizer.splitStatements(sql)
        let classified = statements.map { ($0, InterceptedStatement.classify($0, context: context, caseSensitiveIdentifiers: caseSensitiveIdentifiers)) }
        try await context.faults.delayStatement()
        if classified.allSatisfy({ $0.1 == nil }) {
            try await backend.wire.send(message)
            try await backend.wire.flush()
            try await relayUntilReady()
            return
        }
        for (original, intercepted) in classified {
            var statement = original
            var intercepted = intercepted
            if case .relayed(let sql) = intercepted {
                statement = sql
                intercepted = nil
            }
            if let intercepted {
                do {
                    let result = try await execute(intercepted)
                    try await result.send(to: client, withDescription: true)
                } catch let error as PGError {
                    try await error.write(to: client)
                    break
                }
            } else {
                try await backend.wire.send("Q") { $0.writeCString(statement) }
                try await backend.wire.flush()
                if try await relayUntilReady(swallowReady: true) { break }
            }
        }
        try await client.sendReadyForQuery(backend.transactionStatus)
        try await client.flush()
    }
}
