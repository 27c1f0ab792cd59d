import AWSStandIns
import Foundation
import Testing

@testable import AWSAuth

@Suite("Credential chain")
struct CredentialChainTests {
    /// The chain as rrr builds it: its own explicit keys and `RRR_AWS_*` first, then the SDKs' order.
    static func chain(explicit: AWSCredentials?, environment: AWSEnvironment) -> AWSCredentialChain {
        AWSCredentialChain.standard(leading: [
            StaticCredentialSource(name: "rrr.yml (aws.access_key_id)", credentials: explicit, missingReason: "aws.access_key_id is not set"),
            EnvironmentCredentialSource(prefix: "RRR_AWS_", environment: environment),
        ], environment: environment)
    }

    @Test("order: rrr.yml, RRR_AWS_*, AWS_*, web identity, shared files, container, instance metadata")
    func order() async throws {
        let standIn = try await AWSStandIn.start()
        let home = try ScratchHome()
        defer { home.remove() }
        let tokenFile = try home.write("token", standIn.options.webIdentityToken)
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n")
        // Every provider set up at once; each round removes the one that answered.
        var variables: [String: String] = [
            "RRR_AWS_ACCESS_KEY_ID": "AKIDRRR", "RRR_AWS_SECRET_ACCESS_KEY": "r",
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e",
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa",
            "AWS_ENDPOINT_URL_STS": standIn.endpoint,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": standIn.endpoint + standIn.options.containerPath,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": standIn.endpoint, "AWS_METADATA_SERVICE_TIMEOUT": "10",
        ]
        var explicit: AWSCredentials? = AWSCredentials(accessKeyID: "AKIDYML", secretAccessKey: "y")
        let expected = [
            "rrr.yml (aws.access_key_id)", "environment (RRR_AWS_ACCESS_KEY_ID)", "environment (AWS_ACCESS_KEY_ID)",
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", "shared files (profile default)",
            "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)", "EC2 instance metadata (IMDSv2), role rrr-instance-role",
        ]
        var answered: [String] = []
        for round in expected.indices {
            let environment = home.environment(variables, metadata: true)
            let credentials = try await Self.chain(explicit: explicit, environment: environment).credentials()
            answered.append(credentials.providerName ?? "?")
            switch round {
            case 0: explicit = nil
            case 1: variables["RRR_AWS_ACCESS_KEY_ID"] = nil; variables["RRR_AWS_SECRET_ACCESS_KEY"] = nil
            case 2: variables["AWS_ACCESS_KEY_ID"] = nil; variables["AWS_SECRET_ACCESS_KEY"] = nil
            case 3: variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = nil
            case 4: try FileManager.default.removeItem(atPath: home.path + "/.aws/credentials")
            case 5: variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = nil
            default: break
            }
        }
        #expect(answered == expected)
        // Each stand-in answered its round (at least once: on a loaded machine a 2-second container
        // timeout may fire and the SDK-style retry asks again).
        for provider in ["web identity", "container", "imds"] {
            #expect(standIn.issuedCount(provider) >= 1, "\(provider) issued \(standIn.issuedCount(provider))")
        }
        await standIn.shutdown()
    }

    @Test("no credentials: the error lists each provider tried, in order, and why it did not apply")
    func noCredentials() async throws {
        let home = try ScratchHome()
        defer { home.remove() }
        let error = await #expect(throws: AWSAuthError.self) {
            try await Self.chain(explicit: nil, environment: home.environment()).credentials()
        }
        let tried = error?.triedProviders ?? []
        #expect(error?.code == .noCredentials)
        #expect(tried.map(\.provider) == [
            "rrr.yml (aws.access_key_id)", "environment (RRR_AWS_ACCESS_KEY_ID)", "environment (AWS_ACCESS_KEY_ID)",
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", "shared files (profile default)",
            "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)", "EC2 instance metadata (IMDSv2)",
        ])
        #expect(tried.map(\.reason) == [
            "aws.access_key_id is not set", "RRR_AWS_ACCESS_KEY_ID is not set", "AWS_ACCESS_KEY_ID is not set",
            "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            "profile `default` is in neither \(home.path)/.aws/credentials nor \(home.path)/.aws/config",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            "AWS_EC2_METADATA_DISABLED is true",
        ])
        let text = error?.description ?? ""
        for attempt in tried { #expect(text.contains(attempt.description)) }
    }

    @Test("a provider that is set up but fails stops the chain, naming itself and AWS's code")
    func failingProviderStops() async throws {
        let standIn = try await AWSStandIn.start()
        let home = try ScratchHome()
        defer { home.remove() }
        let tokenFile = try home.write("token", "not-the-token")
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n")
        let environment = home.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                                            "AWS_ENDPOINT_URL_STS": standIn.endpoint])
        let error = await #expect(throws: AWSAuthError.self) { try await Self.chain(explicit: nil, environment: environment).credentials() }
        #expect(error?.provider == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)" && error?.code == "InvalidIdentityToken")
        #expect(error?.description.contains("STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken (HTTP 400)") == true)
        await standIn.shutdown()
    }

    @Test("short-lived credentials are renewed before they expire, by the provider that gave them")
    func renewal() async throws {
        // Container credentials living 4 seconds, on a clock the test moves: renewed at half their lifetime.
        let clock = Locked(Date(timeIntervalSince1970: 2_000_000_000))
        let standIn = try await AWSStandIn.start { AWSStandIn.madeUpCredentials(lifetime: 4, now: clock.value) }
        let home = try ScratchHome()
        defer { home.remove() }
        let standard = Self.chain(explicit: nil, environment: home.environment([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": standIn.endpoint + standIn.options.containerPath]))
        let chain = AWSCredentialChain(sources: standard.sources, refreshWindow: .seconds(900), now: { clock.value })
        let first = try await chain.credentials()
        clock.withValue { $0 += 1.9 }
        #expect(try await chain.credentials().accessKeyID == first.accessKeyID, "still fresh: the same credentials")
        clock.withValue { $0 += 0.2 }
        let renewed = try await chain.credentials()
        #expect(renewed.accessKeyID != first.accessKeyID, "renewed after half the lifetime")
        #expect(try #require(first.expiration) > clock.value, "before the old ones expired")
        #expect(standIn.issuedCount("container") == 2)
        #expect(await chain.selectedSourceName == "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)")
        // Hour-long credentials: renewed 15 minutes before expiry, not at half their lifetime.
        let hour = Locked(Date(timeIntervalSince1970: 2_000_000_000))
        let cache = RefreshingCache<AWSCredentials>(now: { hour.value }) { $0.expiration }
        let fetch: @Sendable () async throws -> AWSCredentials = { AWSStandIn.madeUpCredentials(lifetime: 3600, now: hour.value) }
        let long = try await cache.value(fetch: fetch)
        hour.withValue { $0 += 2699 }
        #expect(try await cache.value(fetch: fetch) == long)
        hour.withValue { $0 += 2 }
        #expect(try await cache.value(fetch: fetch) != long)
        await standIn.shutdown()
    }

    @Test("COPY's minimum lifetime renews credentials that would expire during a long statement")
    func minimumLifetime() async throws {
        let calls = Locked(0), clock = Locked(Date(timeIntervalSince1970: 2_000_000_000))
        let cache = RefreshingCache<AWSCredentials>(now: { clock.value }) { $0.expiration }
        let fetch: @Sendable () async throws -> AWSCredentials = {
            calls.withValue { $0 += 1 }
            return AWSStandIn.madeUpCredentials(lifetime: 3600, now: clock.value)
        }
        let first = try await cache.value(fetch: fetch)
        clock.withValue { $0 += 2 }
        #expect(try await cache.value(minimumLifetime: 900, fetch: fetch) == first, "an hour left: enough for a COPY")
        let longer = try await cache.value(minimumLifetime: 4000, fetch: fetch)
        #expect(longer != first && calls.value == 2)
        #expect(try await cache.value(minimumLifetime: 4000, fetch: fetch) == longer, "not asked again within a second")
    }

    @Test("concurrent callers share one fetch")
    func singleFlight() async throws {
        let standIn = try await AWSStandIn.start()
        let home = try ScratchHome()
        defer { home.remove() }
        let chain = Self.chain(explicit: nil, environment: home.environment([
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": standIn.endpoint, "AWS_METADATA_SERVICE_TIMEOUT": "10"], metadata: true))
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await chain.credentials().accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys.count == 1 && standIn.issuedCount("imds") == 1)
        await standIn.shutdown()
    }

    @Test("a failed renewal keeps credentials that still have a minute to live, then fails")
    func failedRenewal() async throws {
        let calls = Locked(0), clock = Locked(Date(timeIntervalSince1970: 2_000_000_000))
        let cache = RefreshingCache<AWSCredentials>(now: { clock.value }) { $0.expiration }
        let fetch: @Sendable () async throws -> AWSCredentials = {
            let call = calls.withValue { $0 += 1; return $0 }
            if call == 1 { return AWSStandIn.madeUpCredentials(lifetime: 600, now: clock.value) }
            throw AWSAuthError(code: .connectionFailed, message: "agent down")
        }
        let first = try await cache.value(fetch: fetch)
        clock.withValue { $0 += 400 }
        #expect(try await cache.value(fetch: fetch) == first, "renewal failed, the old ones are still good")
        clock.withValue { $0 += 150 }
        await #expect(throws: AWSAuthError.self) { try await cache.value(fetch: fetch) }
        #expect(calls.value == 3)
    }
}
