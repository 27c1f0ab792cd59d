import NIOCore

/// Splits a byte stream into `PGMessage`s.
///
/// A client connection starts in startup mode (messages without a type byte) and stays there
/// across SSLRequest / GSSENCRequest, which the client follows with another startup-phase
/// message. A backend connection never has startup-mode messages.
final class PGMessageDecoder: ByteToMessageDecoder {
    typealias InboundOut = PGMessage

    /// The largest message accepted (PostgreSQL's own limit for a single message is 1 GiB).
    static let maximumLength = 1 << 30

    private var expectsStartup: Bool

    init(expectsStartup: Bool) {
        self.expectsStartup = expectsStartup
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if expectsStartup {
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
            guard length >= 8, length <= 10_000 else { throw PGProtocolViolation(reason: "bad startup packet length \(length)") }
            guard buffer.readableBytes >= Int(length) else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 4)
            let body = buffer.readSlice(length: Int(length) - 4)!
            let code = body.getInteger(at: body.readerIndex, as: UInt32.self) ?? 0
            if code != StartupCode.sslRequest && code != StartupCode.gssEncryptionRequest {
                expectsStartup = false
            }
            context.fireChannelRead(wrapInboundOut(PGMessage(id: PGMessage.startupID, body: body)))
            return .continue
        }
        guard buffer.readableBytes >= 5,
              let id = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self)
        else { return .needMoreData }
        guard length >= 4, Int(length) <= Self.maximumLength else {
            throw PGProtocolViolation(reason: "bad length \(length) for message '\(Character(UnicodeScalar(id)))'")
        }
        guard buffer.readableBytes >= 1 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 5)
        let body = buffer.readSlice(length: Int(length) - 4)!
        context.fireChannelRead(wrapInboundOut(PGMessage(id: id, body: body)))
        return .continue
    }
}

/// Codes that open a startup-phase message.
enum StartupCode {
    static let protocol3: UInt32 = 196_608
    static let sslRequest: UInt32 = 80_877_103
    static let gssEncryptionRequest: UInt32 = 80_877_104
    static let cancelRequest: UInt32 = 80_877_102
}

/// The peer broke the protocol; the connection is closed.
struct PGProtocolViolation: Error, CustomStringConvertible {
    var reason: String
    var description: String { "PostgreSQL protocol violation: \(reason)" }
}
