import Logging
import NIOCore
import NIOPosix

/// One raw protocol-v3 session with the backing PostgreSQL.
///
/// The emulator relays client traffic over it byte for byte and runs its own statements on it
/// (simple protocol), so both share the client's transaction.
final class BackendConnection {
    let wire: WireConnection
    /// The backend's process id (from BackendKeyData), which keys per-session emulator state.
    private(set) var processID: Int32 = 0
    /// ParameterStatus values the backend reported at startup.
    private(set) var parameters: [(name: String, value: String)] = []
    /// The status of the last ReadyForQuery seen.
    var transactionStatus: TransactionStatus = .idle

    private init(wire: WireConnection) {
        self.wire = wire
    }

    /// Connects, logs in, runs `body`, closes.
    static func withConnection<Result>(
        to target: PostgresTarget,
        startupParameters: [(name: String, value: String)] = [],
        group: any EventLoopGroup,
        logger: Logger,
        _ body: (BackendConnection) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PGMessageDecoder(expectsStartup: false)))
                    return try NIOAsyncChannel<PGMessage, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let connection = BackendConnection(wire: WireConnection(inbound: inbound, outbound: outbound, peer: "backend PostgreSQL"))
            try await connection.startup(target: target, extra: startupParameters, logger: logger)
            let result = try await body(connection)
            try? await connection.wire.send("X") { _ in }
            try? await connection.wire.flush()
            return result
        }
    }

    private func startup(target: PostgresTarget, extra: [(name: String, value: String)], logger: Logger) async throws {
        var parameters = [(name: "user", value: target.user), (name: "database", value: target.database)]
        parameters += extra.filter { parameter in
            parameter.name != "user" && parameter.name != "database" && !Self.redshiftSessionSettings.contains { $0.name == parameter.name }
        }
        parameters += Self.redshiftSessionSettings
        try await wire.send(StartupMessage(parameters: parameters).message)
        try await wire.flush()
        var scram: SCRAMSHA256Client?
        while true {
            let message = try await wire.receiveRequired()
            var body = message.body
            switch message.kind {
            case "R":
                let code = body.readInteger(as: Int32.self) ?? -1
                switch code {
                case 0: break
                case 3:
                    try await sendPassword(try password(target))
                case 5:
                    let salt = body.readBytes(length: 4) ?? []
                    try await sendPassword(MD5Password.response(user: target.user, password: try password(target), salt: salt))
                case 10:
                    var mechanisms: [String] = []
                    while let name = body.readCString(), !name.isEmpty { mechanisms.append(name) }
                    guard mechanisms.contains("SCRAM-SHA-256") else {
                        throw BackendAuthenticationError(reason: "no supported SASL mechanism in \(mechanisms)")
                    }
                    let client = SCRAMSHA256Client(password: try password(target))
                    scram = client
                    let first = Array(client.clientFirstMessage.utf8)
                    try await wire.send("p") { out in
                        out.writeCString("SCRAM-SHA-256"); out.writeInteger(Int32(first.count)); out.writeBytes(first)
                    }
                    try await wire.flush()
                case 11:
                    guard var client = scram else { throw BackendAuthenticationError(reason: "SASLContinue before SASL") }
                    let final = Array(try client.clientFinalMessage(serverFirst: body.readString(length: body.readableBytes) ?? "").utf8)
                    scram = client
                    try await wire.send("p") { $0.writeBytes(final) }
                    try await wire.flush()
                case 12:
                    try scram?.verify(serverFinal: body.readString(length: body.readableBytes) ?? "")
                default:
                    throw BackendAuthenticationError(reason: "unsupported authentication method \(code)")
                }
            case "S":
                if let name = body.readCString(), let value = body.readCString() { self.parameters.append((name, value)) }
            case "K":
                processID = body.readInteger(as: Int32.self) ?? 0
            case "Z":
                transactionStatus = TransactionStatus(rawValue: body.readInteger(as: UInt8.self) ?? 73) ?? .idle
                logger.debug("backend session ready", metadata: ["rrr_backend_pid": "\(processID)"])
                return
            case "E":
                throw PGError(body: message.body)
            default:
                continue // NoticeResponse and the like during startup
            }
        }
    }

    /// Every backend session reads SQL as Redshift does: string literals with backslash escapes
    /// (PostgreSQL 8.0, before `standard_conforming_strings`), without a warning for each.
    static let redshiftSessionSettings: [(name: String, value: String)] = [
        ("standard_conforming_strings", "off"), ("escape_string_warning", "off"),
    ]

    private func password(_ target: PostgresTarget) throws -> String {
        guard let password = target.password else {
            throw BackendAuthenticationError(reason: "the backend asks for a password and none is configured")
        }
        return password
    }

    private func sendPassword(_ password: String) async throws {
        try await wire.send("p") { $0.writeCString(password) }
        try await wire.flush()
    }
}
