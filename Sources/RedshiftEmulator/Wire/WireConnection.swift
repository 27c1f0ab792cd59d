import NIOCore

/// One side of a session's traffic (the client or the backend), read and written from one task.
///
/// Writes accumulate in a buffer and go out on `flush()` (or once the buffer passes 64 KiB), so
/// relaying thousands of DataRows costs a few socket writes, not thousands.
final class WireConnection {
    private var iterator: NIOAsyncChannelInboundStream<PGMessage>.AsyncIterator
    private let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: ByteBuffer
    /// Which peer this is, for error messages.
    let peer: String

    static let flushThreshold = 64 * 1024

    init(inbound: NIOAsyncChannelInboundStream<PGMessage>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, peer: String) {
        self.iterator = inbound.makeAsyncIterator()
        self.writer = outbound
        self.pending = ByteBufferAllocator().buffer(capacity: Self.flushThreshold)
        self.peer = peer
    }

    /// The next message, or nil when the peer closed the connection.
    func receive() async throws -> PGMessage? {
        try await iterator.next()
    }

    /// The next message; a closed connection is an error.
    func receiveRequired() async throws -> PGMessage {
        guard let message = try await iterator.next() else { throw ConnectionClosed(peer: peer) }
        return message
    }

    /// Queues a message; sends the queue when it grew large.
    func send(_ message: PGMessage) async throws {
        message.write(into: &pending)
        if pending.readableBytes >= Self.flushThreshold { try await flush() }
    }

    /// Queues a message built in place.
    func send(_ id: Character, _ writeBody: (inout ByteBuffer) -> Void) async throws {
        pending.writeMessage(id, writeBody)
        if pending.readableBytes >= Self.flushThreshold { try await flush() }
    }

    /// Queues raw bytes (for the one-byte SSL answer).
    func sendRaw(_ bytes: [UInt8]) {
        pending.writeBytes(bytes)
    }

    /// Sends everything queued.
    func flush() async throws {
        guard pending.readableBytes > 0 else { return }
        let chunk = pending
        pending = ByteBufferAllocator().buffer(capacity: Self.flushThreshold)
        try await writer.write(chunk)
    }
}

/// The peer closed the connection while the emulator expected a message.
struct ConnectionClosed: Error, CustomStringConvertible {
    var peer: String
    var description: String { "the \(peer) closed the connection" }
}
