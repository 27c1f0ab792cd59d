import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// The HTTP endpoint of `rrr serve`: `GET /metrics` (Prometheus text: the engine's counters and
/// timers and the per-table gauges) and `GET /healthz` (200 while every table is healthy, else 503,
/// with one line per table). Plain HTTP/1.1 on swift-nio; bound to `metrics.host`, loopback by default.
package struct MetricsServer: Service {
    let host: String
    let port: Int
    let registry: PrometheusCollectorRegistry
    let board: TableBoard
    let logger: Logger
    private let bound: BoundChannel

    /// Binds the listening socket now, so a port in use fails at start, before any table runs.
    package init(host: String, port: Int, registry: PrometheusCollectorRegistry, board: TableBoard, logger: Logger) async throws {
        self.host = host; self.port = port; self.registry = registry; self.board = board; self.logger = logger
        let endpoint = Endpoint(registry: registry, board: board)
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(HTTPEndpointHandler(endpoint: endpoint))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw MetricsServerError(message: "cannot serve metrics on \(host):\(port) (metrics.host, metrics.port): \(error)")
        }
        bound = BoundChannel(channel: channel)
        logger.info("metrics on http://\(host):\(channel.localAddress?.port ?? port)/metrics, health on /healthz")
    }

    /// The port it listens on.
    package var boundPort: Int? { bound.channel.localAddress?.port }

    /// Serves until graceful shutdown (after the scheduler's, so health answers while tables finish).
    package func run() async throws {
        try await withGracefulShutdownHandler {
            try await bound.channel.closeFuture.get()
        } onGracefulShutdown: { [bound] in
            bound.channel.close(promise: nil)
        }
    }
}

/// The listening channel (a reference, so the service value can close it).
private final class BoundChannel: Sendable {
    let channel: any Channel
    init(channel: any Channel) { self.channel = channel }
}

/// The metrics endpoint could not start.
package struct MetricsServerError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

/// What the two paths answer.
struct Endpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    let board: TableBoard

    struct Response {
        var status: HTTPResponseStatus
        var contentType = "text/plain; charset=utf-8"
        var body: String
    }

    func respond(method: HTTPMethod, path: String) -> Response {
        guard method == .GET || method == .HEAD else { return Response(status: .methodNotAllowed, body: "GET only\n") }
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/metrics":
            board.updateGauges()
            return Response(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: registry.emitToString())
        case "/healthz":
            let health = board.health()
            let unhealthy = health.filter { !$0.healthy }
            if unhealthy.isEmpty { return Response(status: .ok, body: "ok: \(health.count) table(s) healthy\n") }
            let lines = unhealthy.map { "\($0.table): \($0.reason ?? "unhealthy")" }
            return Response(status: .serviceUnavailable, body: "unhealthy: " + lines.joined(separator: "; ") + "\n")
        default:
            return Response(status: .notFound, body: "not found: try /metrics or /healthz\n")
        }
    }
}

/// One HTTP/1.1 connection: answers each request head once its end arrives (on its event loop only).
final class HTTPEndpointHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let endpoint: Endpoint
    private var request: HTTPRequestHead?

    init(endpoint: Endpoint) { self.endpoint = endpoint }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            let response = endpoint.respond(method: head.method, path: head.uri)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: response.contentType)
            headers.add(name: "Content-Length", value: "\(response.body.utf8.count)")
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: response.status, headers: headers))), promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: response.body)))), promise: nil)
            }
            let keepAlive = head.isKeepAlive, channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }
    }
}
