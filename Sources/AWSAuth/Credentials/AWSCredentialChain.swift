import Foundation

/// Credentials from the first source of a chain that has them, renewed before they expire.
///
/// The sources are tried in order until one applies; that one is remembered and asked again for
/// every renewal (as the AWS SDKs do), so a multi-hour run keeps valid credentials throughout.
/// When none applies, the error lists each source and why it did not apply. The standard order
/// (``standard(leading:environment:httpClient:)``) is the AWS SDKs': environment, web identity,
/// shared files, container, EC2 instance metadata.
///
/// ```swift
/// let chain = AWSCredentialChain.standard(environment: AWSEnvironment())
/// let credentials = try await chain.credentials()
/// ```
public actor AWSCredentialChain: AWSCredentialProvider {
    /// The sources, in the order they are tried.
    public nonisolated let sources: [any AWSCredentialSource]
    private let cache: RefreshingCache<AWSCredentials>
    private var selected: (any AWSCredentialSource)?

    /// Creates a chain.
    /// - Parameters:
    ///   - sources: Where to look, in order.
    ///   - refreshWindow: Renew temporary credentials this long before they expire (or at half
    ///     their lifetime when that is shorter). Default 15 minutes.
    public init(sources: [any AWSCredentialSource], refreshWindow: Duration = .seconds(15 * 60)) {
        self.init(sources: sources, refreshWindow: refreshWindow, now: { Date() })
    }

    /// A chain on its own clock (tests).
    package init(sources: [any AWSCredentialSource], refreshWindow: Duration, now: @escaping @Sendable () -> Date) {
        self.sources = sources
        self.cache = RefreshingCache(schedule: RefreshSchedule(window: refreshWindow.timeInterval), now: now) { $0.expiration }
    }

    /// Credentials valid now (and for `minimumLifetime`, when the source can give that).
    public func credentials(minimumLifetime: Duration) async throws -> AWSCredentials {
        try await cache.value(minimumLifetime: minimumLifetime.timeInterval) { try await self.fetch() }
    }

    /// The name of the source in use, once one was found.
    public var selectedSourceName: String? { selected?.name }

    /// Forgets the current credentials: the next call asks the source again.
    public func invalidate() async {
        await cache.invalidate()
    }

    private func fetch() async throws -> AWSCredentials {
        if let selected {
            switch try await Self.resolve(selected) {
            case .found(let credentials): return credentials
            case .notApplicable(let reason):
                throw AWSAuthError(code: .expired, message: "cannot renew the credentials: \(reason)", provider: selected.name)
            }
        }
        var tried: [AWSAuthError.ProviderAttempt] = []
        for source in sources {
            switch try await Self.resolve(source) {
            case .found(let credentials):
                selected = source
                return credentials
            case .notApplicable(let reason):
                tried.append(.init(provider: source.name, reason: reason))
            }
        }
        throw AWSAuthError(code: .noCredentials, message: "\(sources.count) providers", triedProviders: tried)
    }

    /// Asks one source, naming it in its credentials and errors.
    private static func resolve(_ source: any AWSCredentialSource) async throws -> AWSCredentialResolution {
        do {
            switch try await source.resolve() {
            case .found(var credentials):
                if credentials.providerName == nil { credentials.providerName = source.name }
                return .found(credentials)
            case .notApplicable(let reason):
                return .notApplicable(reason)
            }
        } catch let error as AWSAuthError {
            throw error.attributed(to: source.name)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AWSAuthError(code: .invalidConfiguration, message: "failed", provider: source.name, underlying: error)
        }
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    package var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
