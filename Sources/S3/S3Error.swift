/// An error from an S3 operation: either S3's own error response or a client-side failure.
///
/// S3's error code and message are kept as sent (``code``, ``message``), together with the HTTP
/// status, the operation and the bucket/key it concerned. Nothing secret is ever stored in it:
/// credentials are not part of any field, and ``description`` can be logged as is.
public struct S3Error: Error, Sendable {
    /// A stable error code: S3's own (`NoSuchBucket`, `SignatureDoesNotMatch`, …, kept as an
    /// open-ended string so new S3 codes need no new release) or one of the client-side codes below.
    public struct Code: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The code's text, exactly as S3 sent it for server errors.
        public var rawValue: String
        /// Creates a code from its text.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        /// Creates a code from a string literal.
        public init(stringLiteral value: String) { self.rawValue = value }
        /// The code's text.
        public var description: String { rawValue }

        // S3 codes worth naming.
        /// The request was signed with a different secret (or signed wrongly).
        public static let signatureDoesNotMatch: Code = "SignatureDoesNotMatch"
        /// The access key ID is unknown to the server.
        public static let invalidAccessKeyID: Code = "InvalidAccessKeyId"
        /// The session token is invalid or expired.
        public static let invalidToken: Code = "InvalidToken"
        /// The credentials are valid but not allowed to do this.
        public static let accessDenied: Code = "AccessDenied"
        /// The bucket does not exist.
        public static let noSuchBucket: Code = "NoSuchBucket"
        /// The key does not exist.
        public static let noSuchKey: Code = "NoSuchKey"
        /// The multipart upload does not exist (completed or aborted).
        public static let noSuchUpload: Code = "NoSuchUpload"
        /// A HEAD request got 404: HEAD responses carry no body, so S3 sends no code of its own.
        public static let notFound: Code = "NotFound"
        /// S3 asks the client to slow down (retried).
        public static let slowDown: Code = "SlowDown"

        // Client-side codes.
        /// No credentials were configured or found in the environment.
        public static let missingCredentials: Code = "MissingCredentials"
        /// A configuration value (endpoint, region, part size, …) is unusable.
        public static let invalidConfiguration: Code = "InvalidConfiguration"
        /// The connection failed or dropped (after all retries).
        public static let connectionFailed: Code = "ConnectionFailed"
        /// The server answered with something this client could not understand.
        public static let invalidResponse: Code = "InvalidResponse"
        /// A local file could not be read.
        public static let fileReadFailed: Code = "FileReadFailed"
        /// Some keys of a DeleteObjects batch were not deleted.
        public static let partialDelete: Code = "PartialDelete"
    }

    /// The error code: S3's, or a client-side one.
    public var code: Code
    /// S3's message, or a client-side explanation.
    public var message: String
    /// The HTTP status S3 answered with; `nil` for client-side failures.
    public var httpStatus: Int?
    /// The S3 operation, e.g. `PutObject`; empty when raised outside an operation.
    public var operation: String
    /// The bucket the operation concerned, if any.
    public var bucket: String?
    /// The key the operation concerned, if any.
    public var key: String?
    /// S3's request ID (`x-amz-request-id`), useful when asking AWS support.
    public var requestID: String?
    /// How many attempts were made before giving up (1 = no retry).
    public var attempts: Int
    /// The underlying error of client-side failures (e.g. the connection error).
    public var underlying: (any Error)?
    /// The credential provider whose credentials signed the request (named in the description of
    /// authentication failures: which credentials S3 refused).
    public var credentialProvider: String?
    /// The region S3 says the bucket is in, when it answered that the request went to another one.
    public var bucketRegion: String?

    /// Creates an error. Only `code` and `message` are required.
    public init(
        code: Code, message: String, httpStatus: Int? = nil, operation: String = "",
        bucket: String? = nil, key: String? = nil, requestID: String? = nil,
        attempts: Int = 1, underlying: (any Error)? = nil, credentialProvider: String? = nil
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.requestID = requestID
        self.attempts = attempts
        self.underlying = underlying
        self.credentialProvider = credentialProvider
    }

    /// Codes that mean S3 refused the credentials themselves.
    static let authenticationCodes: Set<Code> = [
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired",
        "AccessDenied", "InvalidClientTokenId",
    ]
}

extension S3Error: CustomStringConvertible {
    /// One line: operation, target, code, status, message, request ID and attempts.
    /// Example: `S3 PutObject s3://rrr-test/a.csv failed: SignatureDoesNotMatch (HTTP 403): The request
    /// signature we calculated does not match… [request id 7F3A, 1 attempt]`.
    public var description: String {
        var text = "S3"
        if !operation.isEmpty { text += " \(operation)" }
        if let bucket { text += " s3://\(bucket)" + (key.map { "/\($0)" } ?? "") }
        text += " failed: \(code)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if !message.isEmpty { text += ": \(message)" }
        if let underlying { text += " (\(underlying))" }
        if let credentialProvider, Self.authenticationCodes.contains(code) { text += " (credentials from \(credentialProvider))" }
        var details: [String] = []
        if let requestID { details.append("request id \(requestID)") }
        details.append(attempts == 1 ? "1 attempt" : "\(attempts) attempts")
        return text + " [\(details.joined(separator: ", "))]"
    }
}
