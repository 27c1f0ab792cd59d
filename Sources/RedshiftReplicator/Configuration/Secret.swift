/// A credential (password, AWS secret key, session token) that never prints itself.
///
/// `description`, `debugDescription` and string interpolation all show `********`, so a
/// secret cannot leak through logs, errors or test output by accident. Read ``value`` only
/// where the secret is sent to its server.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Use it only to authenticate.
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) { self.value = value }

    /// Always `********`.
    public var description: String { "********" }
    /// Always `Secret(********)`.
    public var debugDescription: String { "Secret(********)" }
}
