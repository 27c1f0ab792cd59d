import Foundation

/// An AWS access key pair, optionally with the session token and expiry of temporary credentials.
///
/// Every textual form (`description`, `debugDescription`, `dump`, string interpolation) shows the
/// access key ID only; the secret access key and the session token print as `<redacted>` so they
/// cannot leak through logs, errors or test output.
public struct AWSCredentials: Sendable, Hashable {
    /// The access key ID, e.g. `AKIAIOSFODNN7EXAMPLE`. Not secret: it is shown in descriptions.
    public var accessKeyID: String
    /// The secret access key. Never printed.
    public var secretAccessKey: String
    /// The session token of temporary (STS) credentials; `nil` (the default) for long-term keys.
    /// Never printed.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?
    /// Which provider supplied them (`web identity`, `EC2 instance metadata`, …), for errors.
    public var providerName: String?

    /// Creates credentials from their parts.
    /// - Parameters:
    ///   - accessKeyID: The access key ID.
    ///   - secretAccessKey: The secret access key.
    ///   - sessionToken: The session token of temporary credentials; defaults to `nil`.
    ///   - expiration: When temporary credentials expire; defaults to `nil` (never).
    ///   - providerName: The provider that supplied them; defaults to `nil`.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
                expiration: Date? = nil, providerName: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.providerName = providerName
    }
}

extension AWSCredentials {
    /// Loads credentials from environment variables.
    ///
    /// `RRR_AWS_ACCESS_KEY_ID` / `RRR_AWS_SECRET_ACCESS_KEY` / `RRR_AWS_SESSION_TOKEN` are read first,
    /// then the standard `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`.
    /// A family is used whole: a session token is never combined with the key of the other family.
    /// Empty values count as unset. The full provider chain is ``AWSCredentialChain``.
    ///
    /// - Parameter environment: The variables to read; defaults to the process environment.
    /// - Returns: The credentials, or `nil` when neither family is set.
    /// - Throws: ``AWSAuthError`` with code ``AWSAuthError/Code/invalidConfiguration`` when a family
    ///   is half set (an access key ID without its secret or the reverse), naming the missing variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AWSCredentials? {
        let variables = AWSEnvironment(environment)
        for prefix in ["RRR_AWS_", "AWS_"] {
            if let credentials = try EnvironmentCredentialSource(prefix: prefix).read(variables) { return credentials }
        }
        return nil
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `AWSCredentials(accessKeyID: …, secretAccessKey: <redacted>, sessionToken: <redacted>|none)`.
    public var description: String {
        let token = sessionToken == nil ? "none" : "<redacted>"
        var text = "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token)"
        if let expiration { text += ", expiration: \(expiration)" }
        if let providerName { text += ", provider: \(providerName)" }
        return text + ")"
    }

    /// Same as ``description``: the secret parts stay redacted.
    public var debugDescription: String { description }

    /// A mirror with the secret parts redacted, so `dump(_:)` does not reveal them either.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyID": accessKeyID,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "none" : "<redacted>",
            "expiration": expiration.map { "\($0)" } ?? "none",
            "providerName": providerName ?? "none",
        ])
    }
}
