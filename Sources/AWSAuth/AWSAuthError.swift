/// Why AWS credentials or an AWS API answer could not be had.
///
/// AWS's own error code and message are kept as sent (``code``, ``message``), with the credential
/// provider concerned (``provider``), the operation and the HTTP status. When no provider applies,
/// ``triedProviders`` says why each one did not. Nothing secret is ever stored in it, so
/// ``description`` can be logged as is.
public struct AWSAuthError: Error, Sendable {
    /// AWS's error code (`AccessDenied`, `ExpiredToken`, `InvalidIdentityToken`, …) or a client-side one.
    public struct Code: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The code's text, exactly as AWS sent it for server errors.
        public var rawValue: String
        /// Creates a code from its text.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        /// Creates a code from a string literal.
        public init(stringLiteral value: String) { self.rawValue = value }
        /// The code's text.
        public var description: String { rawValue }

        /// No provider of the chain applied (``AWSAuthError/triedProviders`` says why each did not).
        public static let noCredentials: Code = "NoCredentials"
        /// A setting (variable, profile, file, URL) is unusable.
        public static let invalidConfiguration: Code = "InvalidConfiguration"
        /// The endpoint could not be reached or dropped the connection (after all retries).
        public static let connectionFailed: Code = "ConnectionFailed"
        /// The answer could not be understood (not the documented format, fields missing).
        public static let invalidResponse: Code = "InvalidResponse"
        /// The credentials expired and could not be renewed.
        public static let expired: Code = "CredentialsExpired"
        /// A `credential_process` command failed or printed something unusable.
        public static let processFailed: Code = "CredentialProcessFailed"
    }

    /// Why one provider of the chain did not supply credentials.
    public struct ProviderAttempt: Sendable, Hashable, CustomStringConvertible {
        /// The provider, e.g. `environment (AWS_ACCESS_KEY_ID)`.
        public var provider: String
        /// Why it did not apply, e.g. `AWS_ACCESS_KEY_ID is not set`.
        public var reason: String
        /// Creates an attempt record.
        public init(provider: String, reason: String) {
            self.provider = provider
            self.reason = reason
        }
        /// `provider: reason`.
        public var description: String { "\(provider): \(reason)" }
    }

    /// The error code.
    public var code: Code
    /// AWS's message, or a client-side explanation.
    public var message: String
    /// The credential provider concerned, e.g. `web identity (AWS_WEB_IDENTITY_TOKEN_FILE)`.
    public var provider: String?
    /// The AWS operation, e.g. `STS AssumeRoleWithWebIdentity`.
    public var operation: String?
    /// The HTTP status of AWS's answer, if any.
    public var httpStatus: Int?
    /// AWS's request ID, useful when asking AWS support.
    public var requestID: String?
    /// For ``Code/noCredentials``: every provider tried, in order, and why it did not apply.
    public var triedProviders: [ProviderAttempt]
    /// The underlying error of client-side failures (e.g. the connection error).
    public var underlying: (any Error)?

    /// Creates an error. Only `code` and `message` are required.
    public init(code: Code, message: String, provider: String? = nil, operation: String? = nil,
                httpStatus: Int? = nil, requestID: String? = nil, triedProviders: [ProviderAttempt] = [],
                underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.provider = provider
        self.operation = operation
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.triedProviders = triedProviders
        self.underlying = underlying
    }

    /// The same error, attributed to `provider` unless it already names one.
    func attributed(to provider: String) -> AWSAuthError {
        var error = self
        if error.provider == nil { error.provider = provider }
        return error
    }
}

extension AWSAuthError: CustomStringConvertible {
    /// One line, e.g. `AWS credentials from web identity (arn:aws:iam::1:role/r): STS
    /// AssumeRoleWithWebIdentity failed: AccessDenied (HTTP 403): Not authorized [request id 7F3A]`.
    public var description: String {
        if code == .noCredentials {
            let tried = triedProviders.map(\.description).joined(separator: "; ")
            return "no AWS credentials found (\(message)); tried in order: \(tried)"
        }
        var text = provider.map { "AWS credentials from \($0): " } ?? "AWS: "
        if let operation { text += "\(operation) failed: " }
        text += "\(code)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if !message.isEmpty { text += ": \(message)" }
        if let underlying { text += " (\(underlying))" }
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }
}
