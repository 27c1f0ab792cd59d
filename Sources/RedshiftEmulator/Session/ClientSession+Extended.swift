import NIOCore

/// A message forwarded to the backend since the last Sync, and so a response still owed to the client.
enum ForwardedStep {
    case parse, bind, describeStatement, describePortal, execute, close
}

extension ClientSession {
    func handleParse(_ message: PGMessage) async throws {
        var body = message.body
        let name = body.readCString() ?? ""
        let sql = body.readCString() ?? ""
        let classified = InterceptedStatement.classify(sql, context: context, caseSensitiveIdentifiers: caseSensitiveIdentifiers)
        if case .relayed(let rewritten) = classified {
            preparedIntercepts[name] = nil
            var body = ByteBuffer()
            body.writeCString(name)
            body.writeCString(rewritten)
            var rest = message.body
            _ = rest.readCString(); _ = rest.readCString()
            body.writeBuffer(&rest)
            try await forward(PGMessage("P", body: body), as: .parse)
        } else if let intercepted = classified {
            try await syncBackendIfNeeded()
            preparedIntercepts[name] = intercepted
            try await client.send("1") { _ in }
        } else {
            preparedIntercepts[name] = nil
            try await forward(message, as: .parse)
        }
    }

    func handleBind(_ message: PGMessage) async throws {
        var body = message.body
        let portal = body.readCString() ?? ""
        let statement = body.readCString() ?? ""
        if let intercepted = preparedIntercepts[statement] {
            portalIntercepts[portal] = intercepted
            try await client.send("2") { _ in }
        } else {
            portalIntercepts[portal] = nil
            try await forward(message, as: .bind)
        }
    }

    func handleDescribe(_ message: PGMessage) async throws {
        var body = message.body
        let type = body.readInteger(as: UInt8.self) ?? 0
        let name = body.readCString() ?? ""
        let isStatement = type == UInt8(ascii: "S")
        if let intercepted = isStatement ? preparedIntercepts[name] : portalIntercepts[name] {
            if isStatement { try await client.send("t") { $0.writeInteger(Int16(0)) } }
            try await StatementResult(columns: intercepted.resultColumns).sendDescription(to: client)
        } else {
            try await forward(message, as: isStatement ? .describeStatement : .describePortal)
        }
    }

    func handleExecute(_ message: PGMessage) async throws {
        var body = message.body
        let portal = body.readCString() ?? ""
        try await context.faults.delayStatement()
        guard let intercepted = portalIntercepts[portal] else {
            try await forward(message, as: .execute)
            return
        }
        try await syncBackendIfNeeded()
        do {
            let result = try await execute(intercepted)
            try await result.send(to: client, withDescription: false)
        } catch let error as PGError {
            try await error.write(to: client)
            discardUntilSync = true
        }
    }

    func handleClose(_ message: PGMessage) async throws {
        var body = message.body
        let type = body.readInteger(as: UInt8.self) ?? 0
        let name = body.readCString() ?? ""
        let wasIntercepted = type == UInt8(ascii: "S")
            ? preparedIntercepts.removeValue(forKey: name) != nil
            : portalIntercepts.removeValue(forKey: name) != nil
        if wasIntercepted {
            try await client.send("3") { _ in }
        } else {
            try await forward(message, as: .close)
        }
    }

    func handleSync(_ message: PGMessage) async throws {
        discardUntilSync = false
        if !backendAwaitsSync {
            try await client.sendReadyForQuery(backend.transactionStatus)
            try await client.flush()
            return
        }
        forwardedSinceSync = []
        backendAwaitsSync = false
        try await backend.wire.send(message)
        try await backend.wire.flush()
        try await relayUntilReady()
    }

    /// Flush: pass it on and relay exactly the responses owed for what was forwarded.
    func handleFlush(_ message: PGMessage) async throws {
        guard !forwardedSinceSync.isEmpty else { try await client.flush(); return }
        let owed = forwardedSinceSync
        forwardedSinceSync = []
        try await backend.wire.send(message)
        try await backend.wire.flush()
        stepLoop: for step in owed {
            var remaining = step == .describeStatement ? 2 : 1
            while remaining > 0 {
                let response = try await backend.wire.receiveRequired()
                try await client.send(response)
                switch response.kind {
                case "E": break stepLoop
                case "N", "S", "A", "D": continue
                case "G": try await client.flush(); try await relayCopyIn()
                default: remaining -= 1
                }
            }
        }
        try await client.flush()
    }

    private func forward(_ message: PGMessage, as step: ForwardedStep) async throws {
        forwardedSinceSync.append(step)
        backendAwaitsSync = true
        try await backend.wire.send(message)
    }

    /// Before the emulator runs its own statements, the backend must be at a sync point: close the
    /// forwarded part of the batch with a Sync whose ReadyForQuery the client never sees.
    private func syncBackendIfNeeded() async throws {
        guard backendAwaitsSync else { return }
        forwardedSinceSync = []
        backendAwaitsSync = false
        try await backend.wire.send("S") { _ in }
        try await backend.wire.flush()
        if try await relayUntilReady(swallowReady: true) { discardUntilSync = true }
    }
}
