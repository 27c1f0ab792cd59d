import NIOCore
import Testing
@testable import RedshiftEmulator

@Suite("Client authentication state machine")
struct ClientAuthStateMachineTests {
    let salt: [UInt8] = [1, 2, 3, 4]

    func startup(user: String, code: UInt32 = StartupCode.protocol3) -> PGMessage {
        var body = ByteBuffer()
        body.writeInteger(code)
        if code == StartupCode.protocol3 {
            body.writeCString("user"); body.writeCString(user)
            body.writeCString("database"); body.writeCString("dev")
            body.writeInteger(UInt8(0))
        }
        return PGMessage(id: PGMessage.startupID, body: body)
    }

    func password(_ text: String) -> PGMessage {
        var body = ByteBuffer()
        body.writeCString(text)
        return PGMessage("p", body: body)
    }

    @Test func sslRequestIsRefusedThenMD5Succeeds() {
        var machine = ClientAuthStateMachine(credentials: .init(user: "rrr", password: "secret", method: .md5), salt: salt)
        #expect(machine.messageReceived(startup(user: "", code: StartupCode.sslRequest)) == .refuseEncryption)
        #expect(machine.messageReceived(startup(user: "rrr")) == .requestMD5Password(salt: salt))
        let answer = MD5Password.response(user: "rrr", password: "secret", salt: salt)
        #expect(machine.messageReceived(password(answer)) == .authenticated)
        #expect(machine.startup?.database == "dev")
    }

    @Test func sslRequestIsAcceptedOnceWithACertificate() {
        var machine = ClientAuthStateMachine(credentials: .init(user: "rrr", password: "secret", method: .md5), salt: salt, offersTLS: true)
        #expect(machine.messageReceived(startup(user: "", code: StartupCode.gssEncryptionRequest)) == .refuseEncryption)
        #expect(machine.messageReceived(startup(user: "", code: StartupCode.sslRequest)) == .acceptEncryption)
        #expect(machine.encrypted)
        #expect(machine.messageReceived(startup(user: "", code: StartupCode.sslRequest)) == .refuseEncryption, "no TLS inside TLS")
        #expect(machine.messageReceived(startup(user: "rrr")) == .requestMD5Password(salt: salt))
    }

    @Test func wrongPasswordIsRejectedWith28P01() {
        var machine = ClientAuthStateMachine(credentials: .init(user: "rrr", password: "secret", method: .cleartext), salt: salt)
        #expect(machine.messageReceived(startup(user: "rrr")) == .requestCleartextPassword)
        guard case .reject(let code, let message) = machine.messageReceived(password("nope")) else {
            Issue.record("expected a rejection"); return
        }
        #expect(code == "28P01")
        #expect(!message.contains("nope"))
    }

    @Test func unknownUserIsRejectedBeforeAnyPassword() {
        var machine = ClientAuthStateMachine(credentials: .init(user: "rrr", password: "secret", method: .md5), salt: salt)
        guard case .reject(let code, _) = machine.messageReceived(startup(user: "mallory")) else {
            Issue.record("expected a rejection"); return
        }
        #expect(code == "28000")
    }

    @Test func cancelRequestClosesSilently() {
        var machine = ClientAuthStateMachine(credentials: .init(user: "rrr", password: "secret", method: .md5), salt: salt)
        #expect(machine.messageReceived(startup(user: "", code: StartupCode.cancelRequest)) == .close)
    }

    @Test func md5MatchesPostgreSQLsFormula() {
        // md5(md5("secret" + "rrr") + salt) computed independently with Python's hashlib.
        #expect(MD5Password.response(user: "rrr", password: "secret", salt: [1, 2, 3, 4]) == "md580839f2373ab3da5fc0def9d30114af9")
    }
}

@Suite("SCRAM-SHA-256 client")
struct SCRAMSHA256ClientTests {
    /// RFC 7677's exchange (password "pencil"), with PostgreSQL's empty user name (`n=`); the
    /// expected proof and signature were computed independently with Python's hashlib/hmac, whose
    /// `n=user` variant reproduces the RFC's published proof.
    @Test func rfc7677ExchangeWithEmptyUser() throws {
        var client = SCRAMSHA256Client(password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(client.clientFirstMessage == "n,,n=,r=rOprNGfwEbeRWgbNEkqO")
        let final = try client.clientFinalMessage(serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        #expect(final == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=qvT2SWdEH5Q06albL+hjSYuUhCG7VndFyzIb7CK4n9k=")
        try client.verify(serverFinal: "v=3HO6Qt1M4MKJrmlKaoOqLAI0/0TV0HZe7J9H3MBtSOg=")
        #expect(throws: BackendAuthenticationError.self) { try client.verify(serverFinal: "v=AAAA") }
    }

    @Test func serverNonceMustExtendOurs() {
        var client = SCRAMSHA256Client(password: "pencil", nonce: "abc")
        #expect(throws: BackendAuthenticationError.self) { _ = try client.clientFinalMessage(serverFirst: "r=xyz,s=AAAA,i=4096") }
    }
}
