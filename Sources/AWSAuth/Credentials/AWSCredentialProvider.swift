/// Something that hands out credentials to sign requests with: fixed keys, or a chain that finds
/// and renews them (``AWSCredentialChain``).
public protocol AWSCredentialProvider: Sendable {
    /// Credentials valid now, and for at least `minimumLifetime` more when the source can give that
    /// (COPY asks for enough to finish: Redshift needs them for the whole statement).
    func credentials(minimumLifetime: Duration) async throws -> AWSCredentials
    /// Forgets cached credentials after a server refused them as expired; the next call fetches.
    func invalidate() async
}

extension AWSCredentialProvider {
    /// Nothing cached, nothing to forget.
    public func invalidate() async {}

    /// Credentials valid now.
    public func credentials() async throws -> AWSCredentials {
        try await credentials(minimumLifetime: .zero)
    }
}

extension AWSCredentials: AWSCredentialProvider {
    /// Fixed credentials provide themselves.
    public func credentials(minimumLifetime: Duration) async throws -> AWSCredentials { self }
}

/// One link of a credential chain: a place credentials may come from.
public protocol AWSCredentialSource: Sendable {
    /// How errors name it, e.g. `web identity (AWS_WEB_IDENTITY_TOKEN_FILE)`.
    var name: String { get }
    /// Looks for credentials.
    /// - Returns: ``AWSCredentialResolution/found(_:)``, or ``AWSCredentialResolution/notApplicable(_:)``
    ///   with the reason when this source is not set up here (the chain goes on to the next one).
    /// - Throws: ``AWSAuthError`` when the source is set up but fails (the chain stops: a
    ///   misconfigured role must not silently fall through to other credentials).
    func resolve() async throws -> AWSCredentialResolution
}

/// What a ``AWSCredentialSource`` found.
public enum AWSCredentialResolution: Sendable {
    /// Credentials, possibly temporary.
    case found(AWSCredentials)
    /// The source is not set up here; the reason is shown when no source applies.
    case notApplicable(String)
}
