import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 (port 0) whose answers a test scripts request by request,
/// and which records every request it receives: for the behaviour S3 cannot be made to show on
/// demand (throttling, dropped connections, failures in the middle of an upload).
final class ScriptedHTTPServer: Sendable {
    /// What the server does with one request.
    enum Reply: Sendable {
        /// Answer with a status, headers and a body (Content-Length set).
        case respond(HTTPResponseStatus, headers: [(String, String)] = [], body: String = "")
        /// Close the connection without answering.
        case drop
        /// Announce `declaredLength` bytes, send only `body`, then close: a connection lost mid-body.
        case truncated(HTTPResponseStatus, headers: [(String, String)] = [], declaredLength: Int, body: String)
    }

    /// A request as received.
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    private let channel: any Channel
    private let recorded = LockedBox<[Request]>([])
    private let script: @Sendable (_ index: Int, _ request: Request) -> Reply

    /// The port the server listens on.
    var port: Int { channel.localAddress!.port! }
    /// An endpoint URL for the server.
    var endpoint: String { "http://127.0.0.1:\(port)" }
    /// Every request received so far, in order.
    var requests: [Request] { recorded.value }

    private init(channel: any Channel, script: @escaping @Sendable (Int, Request) -> Reply) {
        self.channel = channel
        self.script = script
    }

    /// Starts a server; `script` gets each request with its 0-based index and says how to answer.
    static func start(script: @escaping @Sendable (_ index: Int, _ request: Request) -> Reply) async throws -> ScriptedHTTPServer {
        let box = LockedBox<ScriptedHTTPServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(server: box.value!))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedHTTPServer(channel: channel, script: script)
        box.value = server
        return server
    }

    /// Stops listening.
    func shutdown() async throws { try await channel.close() }

    fileprivate func reply(to request: Request) -> Reply {
        let index = recorded.withValue { requests in
            requests.append(request)
            return requests.count - 1
        }
        return script(index, request)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: ScriptedHTTPServer
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(server: ScriptedHTTPServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var part):
                body.writeBuffer(&part)
            case .end:
                guard let head else { return }
                let request = Request(method: head.method, uri: head.uri, headers: head.headers, body: body)
                switch server.reply(to: request) {
                case .drop:
                    context.close(promise: nil)
                case .respond(let status, let headers, let text):
                    send(context, status, headers, declaredLength: text.utf8.count, text: text, isHead: head.method == .HEAD)
                case .truncated(let status, let headers, let declaredLength, let text):
                    send(context, status, headers, declaredLength: declaredLength, text: text, isHead: false)
                    context.close(promise: nil)
                }
            }
        }

        private func send(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ headers: [(String, String)], declaredLength: Int, text: String, isHead: Bool) {
            var responseHeaders = HTTPHeaders(headers)
            responseHeaders.replaceOrAdd(name: "content-length", value: String(declaredLength))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: responseHeaders))), promise: nil)
            // HEAD answers announce the length but carry no body.
            if !text.isEmpty, !isHead { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil) }
            if isHead || text.utf8.count == declaredLength {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                context.flush()
            }
        }
    }
}

/// A value shared across threads behind a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    func withValue<Result>(_ body: (inout Value) -> Result) -> Result { lock.withLock { body(&stored) } }
}
