import Crypto
import NIOCore

/// The client side of a session's opening: SSL (accepted when the emulator has a certificate),
/// startup, password check.
///
/// A value type with no I/O: the session feeds it messages and performs the actions it returns,
/// so every path (wrong user, wrong password, cancel request, garbage) is testable without sockets.
struct ClientAuthStateMachine {
    enum State {
        case awaitingStartup
        case awaitingPassword(StartupMessage)
        case authenticated
        case closed
    }

    enum Action: Equatable {
        /// Answer an SSLRequest / GSSENCRequest with the single byte 'N' and wait for the startup.
        case refuseEncryption
        /// Answer an SSLRequest with 'S', start TLS, and wait for the startup inside it.
        case acceptEncryption
        /// Send AuthenticationCleartextPassword (3).
        case requestCleartextPassword
        /// Send AuthenticationMD5Password (5) with this salt.
        case requestMD5Password(salt: [UInt8])
        /// The client is who it claims: connect the backend session.
        case authenticated
        /// Send this error and close.
        case reject(code: String, message: String)
        /// Close without a word (cancel requests, which the emulator does not forward).
        case close
    }

    private(set) var state: State = .awaitingStartup
    private let credentials: ClientCredentials
    private let salt: [UInt8]
    /// Whether SSLRequest is answered with TLS.
    private let offersTLS: Bool
    /// Whether TLS started (a second SSLRequest inside it is refused).
    private(set) var encrypted = false
    /// The startup parameters once authenticated.
    private(set) var startup: StartupMessage?

    init(credentials: ClientCredentials, salt: [UInt8], offersTLS: Bool = false) {
        self.credentials = credentials
        self.salt = salt
        self.offersTLS = offersTLS
    }

    mutating func messageReceived(_ message: PGMessage) -> Action {
        switch state {
        case .awaitingStartup:
            guard message.id == PGMessage.startupID else { return fail("expected a startup message") }
            let code = message.body.getInteger(at: message.body.readerIndex, as: UInt32.self) ?? 0
            switch code {
            case StartupCode.sslRequest where offersTLS && !encrypted:
                encrypted = true
                return .acceptEncryption
            case StartupCode.sslRequest, StartupCode.gssEncryptionRequest:
                return .refuseEncryption
            case StartupCode.cancelRequest:
                state = .closed
                return .close
            case StartupCode.protocol3:
                guard let startup = StartupMessage(body: message.body), let user = startup.user else {
                    return fail("invalid startup packet layout: expected terminator and user name")
                }
                guard user == credentials.user else {
                    state = .closed
                    return .reject(code: "28000", message: "password authentication failed for user \"\(user)\"")
                }
                state = .awaitingPassword(startup)
                switch credentials.method {
                case .cleartext: return .requestCleartextPassword
                case .md5: return .requestMD5Password(salt: salt)
                }
            default:
                return fail("unsupported frontend protocol \(code >> 16).\(code & 0xFFFF)")
            }
        case .awaitingPassword(let startup):
            guard message.id == UInt8(ascii: "p") else { return fail("expected a password message") }
            var body = message.body
            let given = body.readCString() ?? ""
            guard passwordMatches(given, user: startup.user ?? "") else {
                state = .closed
                return .reject(code: "28P01", message: "password authentication failed for user \"\(startup.user ?? "")\"")
            }
            self.startup = startup
            state = .authenticated
            return .authenticated
        case .authenticated, .closed:
            return fail("unexpected message during authentication")
        }
    }

    private mutating func fail(_ message: String) -> Action {
        state = .closed
        return .reject(code: "08P01", message: message)
    }

    private func passwordMatches(_ given: String, user: String) -> Bool {
        switch credentials.method {
        case .cleartext:
            return given == credentials.password
        case .md5:
            return given == MD5Password.response(user: user, password: credentials.password, salt: salt)
        }
    }
}

/// The user and password clients must present, and how the password travels.
struct ClientCredentials: Sendable {
    var user: String
    var password: String
    var method: ClientAuthenticationMethod
}

/// How the emulator asks clients for their password.
public enum ClientAuthenticationMethod: String, Sendable, CaseIterable {
    /// AuthenticationMD5Password: what Redshift uses for ordinary users (the default).
    case md5
    /// AuthenticationCleartextPassword.
    case cleartext
}

/// PostgreSQL's MD5 password hashing: `"md5" + md5hex(md5hex(password + user) + salt)`.
enum MD5Password {
    static func response(user: String, password: String, salt: [UInt8]) -> String {
        let inner = hex(Insecure.MD5.hash(data: Array((password + user).utf8)))
        return "md5" + hex(Insecure.MD5.hash(data: Array(inner.utf8) + salt))
    }

    private static func hex(_ digest: Insecure.MD5.Digest) -> String {
        let digits = Array("0123456789abcdef")
        return String(digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }
}
