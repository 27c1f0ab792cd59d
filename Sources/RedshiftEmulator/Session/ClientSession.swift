import Logging
import NIOCore

/// One client's session: authenticates the client, opens its backend PostgreSQL session, then
/// relays ordinary traffic and carries out what only Redshift does (see `InterceptedStatement`).
final class ClientSession {
    let client: WireConnection
    let context: EmulatorContext
    var logger: Logger
    /// Set once the backend session is open.
    var backend: BackendConnection!

    // Extended-protocol bookkeeping (see ClientSession+Extended.swift).
    var preparedIntercepts: [String: InterceptedStatement] = [:]
    var portalIntercepts: [String: InterceptedStatement] = [:]
    var forwardedSinceSync: [ForwardedStep] = []
    /// Messages went to the backend since its last Sync (a Flush answers the owed responses but
    /// leaves the backend's batch open: the client's Sync must still reach it).
    var backendAwaitsSync = false
    var discardUntilSync = false
    /// Answers an SSLRequest with 'S' and puts TLS under the connection; `nil` without a certificate.
    let startTLS: (@Sendable () async throws -> Void)?
    /// `enable_case_sensitive_identifier` of this session (off: quoted identifiers fold to lower case).
    var caseSensitiveIdentifiers = false

    init(client: WireConnection, context: EmulatorContext, logger: Logger, startTLS: (@Sendable () async throws -> Void)? = nil) {
        self.client = client
        self.context = context
        self.logger = logger
        self.startTLS = startTLS
    }

    /// Runs the session to its end; errors close the connection.
    func run() async throws {
        var auth = ClientAuthStateMachine(credentials: context.configuration.clientCredentials, salt: Self.randomSalt(),
                                          offersTLS: startTLS != nil)
        while true {
            guard let message = try await client.receive() else { return }
            switch auth.messageReceived(message) {
            case .refuseEncryption:
                client.sendRaw([UInt8(ascii: "N")])
                try await client.flush()
            case .acceptEncryption:
                try await startTLS?()
            case .requestCleartextPassword:
                try await client.sendAuthentication(code: 3)
                try await client.flush()
            case .requestMD5Password(let salt):
                try await client.sendAuthentication(code: 5, extra: salt)
                try await client.flush()
            case .reject(let code, let message):
                logger.info("client rejected", metadata: ["rrr_reason": "\(message)"])
                try await PGError(code: code, message: message, severity: "FATAL").write(to: client)
                try await client.flush()
                return
            case .close:
                return
            case .authenticated:
                try await runAuthenticated(startup: auth.startup!)
                return
            }
        }
    }

    private func runAuthenticated(startup: StartupMessage) async throws {
        let passed = StartupParameters.forBackend(startup)
        do {
            try await BackendConnection.withConnection(
                to: context.configuration.backend, startupParameters: passed, group: context.group, logger: logger
            ) { backend in
                self.backend = backend
                self.logger[metadataKey: "rrr_backend_pid"] = "\(backend.processID)"
                defer { self.backend = nil }
                try await self.prepareBackendSession()
                try await self.greetClient(startup: startup)
                try await self.serveMessages()
            }
        } catch let error as PGError {
            try? await PGError(code: error.code, message: error.message, severity: "FATAL").write(to: client)
            try? await client.flush()
            throw error
        }
    }

    /// Installs the emulator catalog (once per process) and puts it on the session's search path.
    private func prepareBackendSession() async throws {
        try await context.catalog.ensureInstalled(on: backend)
        try await backend.query(EmulatorCatalog.sessionSetupSQL(context.configuration))
    }

    private func greetClient(startup: StartupMessage) async throws {
        try await client.sendAuthentication(code: 0)
        var sawVersion = false
        for (name, value) in backend.parameters where !Self.hiddenParameters.contains(name) {
            if name == "server_version" {
                sawVersion = true
                try await client.sendParameterStatus(name, EmulatorContext.serverVersion)
            } else {
                try await client.sendParameterStatus(name, value)
            }
        }
        if !sawVersion { try await client.sendParameterStatus("server_version", EmulatorContext.serverVersion) }
        for (name, value) in StartupParameters.extraStatus(for: startup) {
            try await client.sendParameterStatus(name, value)
        }
        try await client.send("K") { out in
            out.writeInteger(self.backend.processID); out.writeInteger(Int32(0))
        }
        try await client.sendReadyForQuery(backend.transactionStatus)
        try await client.flush()
    }

    /// ParameterStatus the backend reports and Redshift does not. Redshift (PostgreSQL 8.0) has no
    /// `standard_conforming_strings`; its absence is what makes libpq escape backslashes and
    /// psycopg2 leave out `E''`, as they must for Redshift's literals.
    static let hiddenParameters: Set<String> = ["standard_conforming_strings"]

    private func serveMessages() async throws {
        while let message = try await client.receive() {
            if discardUntilSync && message.kind != "S" { continue }
            switch message.kind {
            case "Q": try await handleSimpleQuery(message)
            case "P": try await handleParse(message)
            case "B": try await handleBind(message)
            case "D": try await handleDescribe(message)
            case "E": try await handleExecute(message)
            case "C": try await handleClose(message)
            case "S": try await handleSync(message)
            case "H": try await handleFlush(message)
            case "F":
                try await backend.wire.send(message)
                try await backend.wire.flush()
                _ = try await relayUntilReady()
            case "X": return
            case "d", "c", "f": continue // copy traffic outside COPY: PostgreSQL ignores it too
            default:
                try await PGError(code: "08P01", message: "invalid frontend message type \(message.id)", severity: "FATAL").write(to: client)
                try await client.flush()
                return
            }
        }
    }

    private static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
