public import Logging
public import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A local Redshift: listens for PostgreSQL-protocol clients and serves each with a session on
/// the backing PostgreSQL, carrying out Redshift-only statements itself.
///
/// ```swift
/// let server = try await RedshiftEmulatorServer.bind(configuration: configuration, logger: logger)
/// try await server.run() // until close()
/// ```
public final class RedshiftEmulatorServer: Sendable {
    /// The port actually bound (useful with port 0).
    public let port: Int
    private let listener: NIOAsyncChannel<NIOAsyncChannel<PGMessage, ByteBuffer>, Never>
    private let context: EmulatorContext
    private let logger: Logger
    private let sessionCounter = Atomic<Int>(0)
    /// The server's TLS, when configured with a certificate.
    private let tls: NIOSSLContext?

    private init(listener: NIOAsyncChannel<NIOAsyncChannel<PGMessage, ByteBuffer>, Never>, context: EmulatorContext, logger: Logger,
                 tls: NIOSSLContext?) {
        self.listener = listener
        self.context = context
        self.logger = logger
        self.tls = tls
        self.port = listener.channel.localAddress?.port ?? context.configuration.port
    }

    /// Binds the listening socket; call `run()` to serve.
    /// - Parameter group: event loops to use (default: NIO's shared singleton group).
    public static func bind(
        configuration: RedshiftEmulatorConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> RedshiftEmulatorServer {
        let tls = try configuration.tls.map { files in
            try NIOSSLContext(configuration: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(files.certificateChainPath).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem))))
        }
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PGMessageDecoder(expectsStartup: true)))
                    return try NIOAsyncChannel<PGMessage, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let endpoint = configuration.s3Endpoint ?? ""
        let context = EmulatorContext(configuration: configuration, group: group) { credentials, region in
            S3LoadObjectStore(endpoint: endpoint, region: region, credentials: credentials)
        }
        let server = RedshiftEmulatorServer(listener: listener, context: context, logger: logger, tls: tls)
        logger.info("redshift-emulator listening", metadata: ["rrr_port": "\(server.port)", "rrr_configuration": "\(configuration)"])
        return server
    }

    /// Serves clients until `close()` is called; each client runs in its own child task.
    public func run() async throws {
        try await listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    let number = sessionCounter.wrappingAdd(1, ordering: .relaxed).newValue
                    // Sessions run on the emulator's own threads (see SessionExecutor).
                    if #available(macOS 15.0, *) {
                        group.addTask(executorPreference: SessionExecutor.shared) { await self.serve(connection, number: number) }
                    } else {
                        group.addTask { await self.serve(connection, number: number) }
                    }
                }
            }
        }
    }

    /// Answers an SSLRequest with 'S' and puts TLS first in the pipeline, in one event-loop turn: the
    /// client sends its handshake only after reading 'S', so no byte can slip past the TLS handler.
    private static func tlsStarter(channel: any Channel, tls: NIOSSLContext) -> @Sendable () async throws -> Void {
        {
            try await channel.eventLoop.submit {
                channel.writeAndFlush(ByteBuffer(bytes: [UInt8(ascii: "S")]), promise: nil)
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
            }.get()
        }
    }

    /// Stops accepting clients (sessions in progress end when their clients leave).
    public func close() async {
        try? await listener.channel.close()
    }

    private func serve(_ connection: NIOAsyncChannel<PGMessage, ByteBuffer>, number: Int) async {
        var logger = self.logger
        logger[metadataKey: "rrr_session"] = "\(number)"
        let startTLS = tls.map { tls in Self.tlsStarter(channel: connection.channel, tls: tls) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                let client = WireConnection(inbound: inbound, outbound: outbound, peer: "client")
                try await ClientSession(client: client, context: context, logger: logger, startTLS: startTLS).run()
            }
        } catch {
            logger.info("session ended with an error", metadata: ["rrr_error": "\(error)"])
        }
    }
}
