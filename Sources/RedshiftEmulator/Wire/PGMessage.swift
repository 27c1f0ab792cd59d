import NIOCore

/// One PostgreSQL protocol v3 message as it crossed the wire: its type byte and its body.
///
/// Startup-phase messages (StartupMessage, SSLRequest, CancelRequest) carry no type byte; they use
/// `PGMessage.startupID` (0). Keeping the raw body lets the emulator relay ordinary traffic
/// byte for byte and decode only what it intercepts.
struct PGMessage: Sendable {
    static let startupID: UInt8 = 0

    var id: UInt8
    var body: ByteBuffer

    init(id: UInt8, body: ByteBuffer) {
        self.id = id
        self.body = body
    }

    init(_ id: Character, body: ByteBuffer) {
        self.init(id: id.asciiValue!, body: body)
    }

    /// The message's type as a character, for logs and switches.
    var kind: Character { Character(UnicodeScalar(id)) }

    /// Writes the message in wire form (type byte, Int32 length including itself, body).
    func write(into out: inout ByteBuffer) {
        if id != PGMessage.startupID { out.writeInteger(id) }
        out.writeInteger(Int32(body.readableBytes + 4))
        var copy = body
        out.writeBuffer(&copy)
    }
}

extension ByteBuffer {
    /// Reads a NUL-terminated string, as the protocol's `String` type.
    mutating func readCString() -> String? {
        guard let end = readableBytesView.firstIndex(of: 0) else { return nil }
        let string = readString(length: end - readerIndex)
        moveReaderIndex(forwardBy: 1)
        return string
    }

    /// Writes a NUL-terminated string.
    mutating func writeCString(_ string: String) {
        writeString(string)
        writeInteger(UInt8(0))
    }

    /// Writes a complete message of type `id` whose body `writeBody` appends.
    mutating func writeMessage(_ id: Character, _ writeBody: (inout ByteBuffer) -> Void) {
        writeInteger(id.asciiValue!)
        let lengthIndex = writerIndex
        writeInteger(Int32(0))
        writeBody(&self)
        setInteger(Int32(writerIndex - lengthIndex), at: lengthIndex)
    }
}
