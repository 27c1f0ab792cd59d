import NIOCore

/// The client's StartupMessage: protocol version and parameters (user, database, options...).
struct StartupMessage: Sendable {
    var parameters: [(name: String, value: String)]

    var user: String? { parameters.first { $0.name == "user" }?.value }
    var database: String? { parameters.first { $0.name == "database" }?.value }

    /// Decodes a startup-phase body whose code was already checked to be protocol 3.
    init?(body: ByteBuffer) {
        var body = body
        guard body.readInteger(as: UInt32.self) == StartupCode.protocol3 else { return nil }
        var parameters: [(String, String)] = []
        while let name = body.readCString(), !name.isEmpty {
            guard let value = body.readCString() else { return nil }
            parameters.append((name, value))
        }
        self.parameters = parameters
    }

    init(parameters: [(name: String, value: String)]) {
        self.parameters = parameters
    }

    /// The message in wire form (it has no type byte).
    var message: PGMessage {
        var body = ByteBufferAllocator().buffer(capacity: 128)
        body.writeInteger(StartupCode.protocol3)
        for (name, value) in parameters {
            body.writeCString(name)
            body.writeCString(value)
        }
        body.writeInteger(UInt8(0))
        return PGMessage(id: PGMessage.startupID, body: body)
    }
}
