import AsyncHTTPClient

/// The HTTP client AWS calls go through (a wrapper, so that the public API does not need callers
/// to import AsyncHTTPClient for the default).
public struct HTTPClientReference: Sendable {
    /// The client.
    public let client: HTTPClient
    /// Wraps a client owned (and shut down) by the caller.
    public init(_ client: HTTPClient) { self.client = client }
    /// `HTTPClient.shared`, which needs no shutdown.
    public static var shared: HTTPClientReference { HTTPClientReference(.shared) }
}
