import AWSAuth
import AWSStandIns
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import S3

/// A provider handing out a new key each time it is asked, counting renewals.
final class CountingProvider: AWSCredentialProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var asked = 0
    private var invalidated = 0
    let name: String
    init(name: String = "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)") { self.name = name }

    var askedCount: Int { lock.withLock { asked } }
    var invalidatedCount: Int { lock.withLock { invalidated } }

    func credentials(minimumLifetime: Duration) async throws -> AWSCredentials {
        let number = lock.withLock { asked += 1; return asked }
        return AWSCredentials(accessKeyID: "ASIAKEY\(number)", secretAccessKey: "secret-\(number)-never-shown",
                              sessionToken: "token-\(number)-never-shown", expiration: Date().addingTimeInterval(3600), providerName: name)
    }

    func invalidate() async { lock.withLock { invalidated += 1 } }
}

@Suite("S3 regions and credential providers (local scripted server)")
struct RegionAndCredentialsTests {
    static func client(_ server: ScriptedHTTPServer, provider: any AWSCredentialProvider) -> S3Client {
        S3Client(configuration: .init(credentialProvider: provider, region: "us-east-1", endpoint: server.endpoint,
                                      addressingStyle: .path, retryPolicy: RetryTests.fastRetries))
    }

    static func scope(_ request: ScriptedHTTPServer.Request) -> String? {
        request.headers.first(name: "authorization")?.components(separatedBy: "Credential=").last?.components(separatedBy: ",").first
    }

    @Test("a bucket in another region: S3's x-amz-bucket-region is followed at once and remembered")
    func bucketInAnotherRegion() async throws {
        let server = try await ScriptedHTTPServer.start { index, _ in
            index == 0
                ? .respond(.movedPermanently, headers: [("x-amz-bucket-region", "eu-west-1")],
                           body: RetryTests.errorXML("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint."))
                : .respond(.ok, headers: [("ETag", "\"e\"")])
        }
        let client = Self.client(server, provider: AWSCredentials(accessKeyID: "AKIDLOCAL", secretAccessKey: "s"))
        _ = try await client.putObject(bucket: "far", key: "a.csv", body: ByteBuffer(string: "x"), logger: testLogger)
        #expect(client.region(of: "far") == "eu-west-1" && client.region(of: "near") == "us-east-1")
        _ = try await client.putObject(bucket: "far", key: "b.csv", body: ByteBuffer(string: "y"), logger: testLogger)
        let scopes = server.requests.map { Self.scope($0)?.split(separator: "/").dropFirst(2).first.map(String.init) }
        #expect(scopes == ["us-east-1", "eu-west-1", "eu-west-1"])
        try await server.shutdown()
    }

    @Test("a HEAD to the wrong region (400, no body) is followed through the header too")
    func headInAnotherRegion() async throws {
        let server = try await ScriptedHTTPServer.start { index, _ in
            index == 0 ? .respond(.badRequest, headers: [("x-amz-bucket-region", "ap-southeast-2")])
                       : .respond(.ok, headers: [("Content-Length", "0"), ("ETag", "\"e\"")])
        }
        let client = Self.client(server, provider: AWSCredentials(accessKeyID: "AKIDLOCAL", secretAccessKey: "s"))
        _ = try await client.headObject(bucket: "far", key: "a.csv", logger: testLogger)
        #expect(client.region(of: "far") == "ap-southeast-2" && server.requests.count == 2)
    }

    @Test("on AWS: virtual-hosted addressing, the regional host of the bucket's region")
    func awsAddressing() throws {
        let endpoint = try S3Endpoint(endpoint: nil, region: "us-east-1").inRegion("eu-west-1")
        #expect(endpoint.location(bucket: "my-bucket", key: "dir/a b.csv", style: .automatic).host == "my-bucket.s3.eu-west-1.amazonaws.com")
        #expect(endpoint.location(bucket: "my.dotted.bucket", key: "k", style: .automatic) == ("s3.eu-west-1.amazonaws.com", "/my.dotted.bucket/k"))
        let custom = try S3Endpoint(endpoint: "http://127.0.0.1:9000", region: "us-east-1")
        #expect(custom.inRegion("eu-west-1") == custom)
    }

    @Test("every attempt asks the provider, so renewed credentials sign the next request")
    func providerPerAttempt() async throws {
        let server = try await ScriptedHTTPServer.start { index, _ in
            index == 0 ? .respond(.serviceUnavailable, body: RetryTests.errorXML("SlowDown", "slow")) : .respond(.ok, headers: [("ETag", "\"e\"")])
        }
        let provider = CountingProvider()
        let client = Self.client(server, provider: provider)
        _ = try await client.putObject(bucket: "b", key: "k", body: ByteBuffer(string: "x"), logger: testLogger)
        _ = try await client.putObject(bucket: "b", key: "k2", body: ByteBuffer(string: "x"), logger: testLogger)
        let keys = server.requests.map { Self.scope($0)?.split(separator: "/").first.map(String.init) }
        #expect(keys == ["ASIAKEY1", "ASIAKEY2", "ASIAKEY3"])
        #expect(server.requests.map { $0.headers.first(name: "x-amz-security-token") } == ["token-1-never-shown", "token-2-never-shown", "token-3-never-shown"])
        try await server.shutdown()
    }

    @Test("a credential chain renews short-lived credentials between two uploads")
    func chainRenewsBetweenUploads() async throws {
        let standIn = try await AWSStandIn.start { AWSStandIn.madeUpCredentials(lifetime: 6) }
        let server = try await ScriptedHTTPServer.start { _, _ in .respond(.ok, headers: [("ETag", "\"e\"")]) }
        let chain = AWSCredentialChain(sources: [ContainerCredentialSource(environment: AWSEnvironment([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": standIn.endpoint + standIn.options.containerPath]))])
        let client = Self.client(server, provider: chain)
        _ = try await client.putObject(bucket: "b", key: "a", body: ByteBuffer(string: "x"), logger: testLogger)
        try await Task.sleep(for: .seconds(3.5))
        _ = try await client.putObject(bucket: "b", key: "b", body: ByteBuffer(string: "x"), logger: testLogger)
        let keys = server.requests.map { Self.scope($0)?.split(separator: "/").first.map(String.init) }
        #expect(keys.count == 2 && keys[0] != keys[1], "the second upload is signed with renewed credentials")
        #expect(standIn.issuedCount("container") == 2)
        try await server.shutdown()
        await standIn.shutdown()
    }

    @Test("ExpiredToken renews the credentials once; a refused key names the provider, never the secret")
    func expiredAndRefused() async throws {
        let server = try await ScriptedHTTPServer.start { index, _ in
            switch index {
            case 0: .respond(.badRequest, body: RetryTests.errorXML("ExpiredToken", "The provided token has expired."))
            case 1: .respond(.ok, headers: [("ETag", "\"e\"")])
            default: .respond(.forbidden, body: RetryTests.errorXML("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."))
            }
        }
        let provider = CountingProvider()
        let client = Self.client(server, provider: provider)
        _ = try await client.putObject(bucket: "b", key: "k", body: ByteBuffer(string: "x"), logger: testLogger)
        #expect(provider.invalidatedCount == 1 && server.requests.count == 2)
        let error = await #expect(throws: S3Error.self) {
            try await client.putObject(bucket: "b", key: "k", body: ByteBuffer(string: "x"), logger: testLogger)
        }
        #expect(error?.code == .invalidAccessKeyID)
        #expect(error?.description.contains("(credentials from web identity (AWS_WEB_IDENTITY_TOKEN_FILE))") == true)
        for leaked in ["secret-", "token-"] { #expect(error?.description.contains(leaked) == false) }
        try await server.shutdown()
    }

    @Test("no credentials: S3 says so with the provider chain's explanation")
    func noCredentials() async throws {
        struct Nothing: AWSCredentialProvider {
            func credentials(minimumLifetime: Duration) async throws -> AWSCredentials {
                throw AWSAuthError(code: .noCredentials, message: "2 providers", triedProviders: [
                    .init(provider: "environment (AWS_ACCESS_KEY_ID)", reason: "AWS_ACCESS_KEY_ID is not set"),
                    .init(provider: "EC2 instance metadata (IMDSv2)", reason: "no answer"),
                ])
            }
        }
        let server = try await ScriptedHTTPServer.start { _, _ in .respond(.ok) }
        let error = await #expect(throws: S3Error.self) {
            try await Self.client(server, provider: Nothing()).putObject(bucket: "b", key: "k", body: ByteBuffer(string: "x"), logger: testLogger)
        }
        #expect(error?.code == "NoCredentials" && server.requests.isEmpty)
        #expect(error?.description.contains("environment (AWS_ACCESS_KEY_ID): AWS_ACCESS_KEY_ID is not set; EC2 instance metadata (IMDSv2): no answer") == true)
        try await server.shutdown()
    }
}
