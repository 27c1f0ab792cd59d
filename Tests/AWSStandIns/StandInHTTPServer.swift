import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server on 127.0.0.1 (a free port) that answers each request through an async
/// handler and records every request: the base of the AWS stand-ins.
public final class StandInHTTPServer: Sendable {
    /// A request as received.
    public struct Request: Sendable {
        public var method: String
        /// Path and query exactly as sent.
        public var uri: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The first header with this name (any case).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        /// The path without the query.
        public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The form-encoded body's parameters (Query-protocol calls).
        public var form: [String: String] {
            var values: [String: String] = [:]
            for pair in text.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                func decode(_ text: String) -> String { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text }
                values[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
            }
            return values
        }
    }

    /// An answer.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String
        public init(status: Int = 200, headers: [(String, String)] = [], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    public typealias Handler = @Sendable (Request) async -> Response

    private let channel: any Channel
    private let recorded = Locked<[Request]>([])

    /// The port the server listens on.
    public var port: Int { channel.localAddress!.port! }
    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    /// Every request received so far, in order.
    public var requests: [Request] { recorded.value }

    private init(channel: any Channel) { self.channel = channel }

    /// Starts a server answering with `handler`.
    public static func start(_ handler: @escaping Handler) async throws -> StandInHTTPServer {
        let box = Locked<StandInHTTPServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(record: { request in box.value?.recorded.withValue { $0.append(request) } }, handler: handler))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = StandInHTTPServer(channel: channel)
        box.value = server
        return server
    }

    /// Stops listening.
    public func shutdown() async {
        try? await channel.close()
    }

    private final class ConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let record: @Sendable (Request) -> Void
        let handler: Handler
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(record: @escaping @Sendable (Request) -> Void, handler: @escaping Handler) {
            self.record = record
            self.handler = handler
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let part):
                body += part.readableBytesView
            case .end:
                guard let head else { return }
                let request = Request(method: head.method.rawValue, uri: head.uri,
                                      headers: head.headers.map { ($0.name, $0.value) }, body: body)
                record(request)
                let handler = self.handler
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                let eventLoop = context.eventLoop
                Task {
                    let response = await handler(request)
                    eventLoop.execute {
                        let (this, context) = loopBound.value
                        this.send(response, context: context, isHead: head.method == .HEAD)
                    }
                }
            }
        }

        private func send(_ response: Response, context: ChannelHandlerContext, isHead: Bool) {
            var headers = HTTPHeaders(response.headers)
            headers.replaceOrAdd(name: "content-length", value: String(response.body.utf8.count))
            let status = HTTPResponseStatus(statusCode: response.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            if !response.body.isEmpty, !isHead {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// A value shared across threads behind a lock.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    public init(_ value: Value) { stored = value }
    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    @discardableResult
    public func withValue<Result>(_ body: (inout Value) -> Result) -> Result { lock.withLock { body(&stored) } }
}
