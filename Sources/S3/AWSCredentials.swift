import Foundation

/// An AWS access key pair, optionally with the session token of temporary credentials.
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

    /// Creates credentials from their parts.
    /// - Parameters:
    ///   - accessKeyID: The access key ID.
    ///   - secretAccessKey: The secret access key.
    ///   - sessionToken: The session token of temporary credentials; defaults to `nil`.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension AWSCredentials {
    /// The environment variable families searched by ``fromEnvironment(_:)``, in order.
    static let environmentVariableFamilies: [(accessKeyID: String, secret: String, token: String)] = [
        ("RRR_AWS_ACCESS_KEY_ID", "RRR_AWS_SECRET_ACCESS_KEY", "RRR_AWS_SESSION_TOKEN"),
        ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"),
    ]

    /// Loads credentials from environment variables.
    ///
    /// `RRR_AWS_ACCESS_KEY_ID` / `RRR_AWS_SECRET_ACCESS_KEY` / `RRR_AWS_SESSION_TOKEN` are read first,
    /// then the standard `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`.
    /// A family is used whole: a session token is never combined with the key of the other family.
    /// Empty values count as unset.
    ///
    /// - Parameter environment: The variables to read; defaults to the process environment.
    /// - Returns: The credentials, or `nil` when neither family is set.
    /// - Throws: ``S3Error`` with code ``S3Error/Code/missingCredentials`` when a family is half set
    ///   (an access key ID without its secret or the reverse), naming the missing variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AWSCredentials? {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        for family in environmentVariableFamilies {
            switch (value(family.accessKeyID), value(family.secret)) {
            case (let id?, let secret?):
                return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value(family.token))
            case (nil, nil):
                continue
            case (_?, nil):
                throw S3Error(code: .missingCredentials, message: "\(family.accessKeyID) is set but \(family.secret) is not")
            case (nil, _?):
                throw S3Error(code: .missingCredentials, message: "\(family.secret) is set but \(family.accessKeyID) is not")
            }
        }
        return nil
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `AWSCredentials(accessKeyID: …, secretAccessKey: <redacted>, sessionToken: <redacted>|none)`.
    public var description: String {
        let token = sessionToken == nil ? "none" : "<redacted>"
        return "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token))"
    }

    /// Same as ``description``: the secret parts stay redacted.
    public var debugDescription: String { description }

    /// A mirror with the secret parts redacted, so `dump(_:)` does not reveal them either.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyID": accessKeyID,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "none" : "<redacted>",
        ])
    }
}
