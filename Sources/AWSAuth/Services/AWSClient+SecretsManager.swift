import Foundation

extension AWSClient {
    /// The `SecretString` of a Secrets Manager secret (its current version).
    /// - Parameters:
    ///   - secretID: The secret's name or ARN. An ARN's region is used; otherwise `region`.
    ///   - region: The region of a secret named without an ARN.
    public func secretString(_ secretID: String, region: String) async throws -> RedactedString {
        let region = Self.region(ofARN: secretID) ?? region
        let call = AWSAPI.Call(
            service: .secretsManager, region: region, endpoint: environment.endpoint(for: .secretsManager, region: region),
            operation: "GetSecretValue", callProtocol: .json(targetPrefix: "secretsmanager"), json: ["SecretId": secretID])
        let response = try await signedCall(call)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            throw AWSAuthError(code: .invalidResponse, message: "the answer is not a JSON object", operation: call.name)
        }
        guard let text = object["SecretString"] as? String else {
            throw AWSAuthError(code: .invalidResponse, message: "secret \(secretID) has no SecretString (binary secrets are not supported)", operation: call.name)
        }
        return RedactedString(text)
    }

    /// The region of an ARN (`arn:aws:secretsmanager:eu-west-1:123:secret:name`), if it is one.
    static func region(ofARN text: String) -> String? {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }
}

/// A secret value (a password, a token) that never prints itself: `description`,
/// `debugDescription` and `dump` show `<redacted>`.
public struct RedactedString: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The value. Read it only where it is sent to its server.
    public let value: String
    /// Wraps a value.
    public init(_ value: String) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: ["value": "<redacted>"]) }
}
