import Crypto
import Foundation

/// The client half of SCRAM-SHA-256 (RFC 5802 / 7677) as PostgreSQL uses it: no channel binding,
/// empty user name in the exchange (PostgreSQL takes the startup's user).
struct SCRAMSHA256Client {
    private let password: String
    private let clientNonce: String
    private var clientFirstBare: String { "n=,r=\(clientNonce)" }
    private var expectedServerSignature: [UInt8]?

    init(password: String, nonce: String = SCRAMSHA256Client.randomNonce()) {
        self.password = password
        self.clientNonce = nonce
    }

    static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<18).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    /// The client-first-message.
    var clientFirstMessage: String { "n,," + clientFirstBare }

    /// The client-final-message for the server-first-message; remembers the server signature to check.
    mutating func clientFinalMessage(serverFirst: String) throws -> String {
        let attributes = Self.attributes(serverFirst)
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce),
              let saltText = attributes["s"], let salt = Data(base64Encoded: saltText),
              let iterations = attributes["i"].flatMap(Int.init), iterations > 0
        else { throw BackendAuthenticationError(reason: "malformed SCRAM server-first-message") }
        let salted = Self.pbkdf2(password: Array(password.utf8), salt: Array(salt), iterations: iterations)
        let saltedKey = SymmetricKey(data: salted)
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: saltedKey))
        let storedKey = SymmetricKey(data: Array(SHA256.hash(data: clientKey)))
        let withoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = Array(HMAC<SHA256>.authenticationCode(for: authMessage, using: storedKey))
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array("Server Key".utf8), using: saltedKey)))
        expectedServerSignature = Array(HMAC<SHA256>.authenticationCode(for: authMessage, using: serverKey))
        return "\(withoutProof),p=\(Data(proof).base64EncodedString())"
    }

    /// Checks the server-final-message's signature: the server knew the password too.
    func verify(serverFinal: String) throws {
        let attributes = Self.attributes(serverFinal)
        guard let signature = attributes["v"].flatMap({ Data(base64Encoded: $0) }),
              Array(signature) == expectedServerSignature
        else { throw BackendAuthenticationError(reason: "SCRAM server signature did not verify") }
    }

    private static func attributes(_ message: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in message.split(separator: ",") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            result[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        return result
    }

    /// PBKDF2-HMAC-SHA256 with one output block (32 bytes), which is all SCRAM needs.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var block = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = block
        for _ in 1..<iterations {
            block = Array(HMAC<SHA256>.authenticationCode(for: block, using: key))
            for index in result.indices { result[index] ^= block[index] }
        }
        return result
    }
}

/// The backend PostgreSQL refused the emulator's credentials or spoke an unknown method.
struct BackendAuthenticationError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "backend PostgreSQL authentication failed: \(reason)" }
}
