import AsyncHTTPClient
import Crypto
import Foundation
import InMemoryLogging
import Logging
import NIOCore
import S3
import Testing

/// PutObject, GetObject, HeadObject and error answers against moto with signature checking on.
///
/// The stack runs moto through `scripts/moto-server.py`, which checks signatures on the URI as
/// sent: plain moto 5.2.1 rebuilds the URL first and so rejects correctly signed keys containing
/// `+`, `=` or unicode, and prefixes containing `/` (boto3's requests too).
@Suite("S3 objects on moto", .requiresS3, .timeLimit(.minutes(10)))
struct ObjectTests {
    @Test("PutObject, HeadObject and a streamed GetObject round-trip bytes and metadata")
    func roundTrip() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client()
        let key = S3TestEnvironment.uniquePrefix("roundtrip") + "dir/with space/data.csv"
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

        let written = try await s3.putObject(bucket: env.bucket, key: key, body: bytes, logger: testLogger)
        #expect(written.eTag == Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        #expect(written.size == 300_000 && written.partCount == 0)

        let info = try await s3.headObject(bucket: env.bucket, key: key, logger: testLogger)
        #expect(info.contentLength == 300_000)
        #expect(info.eTag == written.eTag)
        #expect(info.lastModified.map { abs($0.timeIntervalSinceNow) < 3_600 } == true)

        var received: [UInt8] = []
        var chunks = 0
        for try await chunk in try await s3.getObject(bucket: env.bucket, key: key, logger: testLogger) {
            received += chunk.readableBytesView
            chunks += 1
        }
        #expect(received == bytes)
        #expect(chunks >= 1)
        #expect(try await s3.getObjectData(bucket: env.bucket, key: key, logger: testLogger) == ByteBuffer(bytes: bytes))
        try await s3.deleteObjects(bucket: env.bucket, keys: [key], logger: testLogger)
    }

    @Test("keys with spaces, + = & ( ) ! * ', unicode and / round-trip and list under a / prefix")
    func awkwardKeys() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client()
        let prefix = S3TestEnvironment.uniquePrefix("keys") + "exports/users/"
        let keys = ["a+b=c&d.csv", "ünïcødé ☃ 🚀.txt", "(paren)!*'~@$,;:.csv", "with space/deeper//x.gz"].map { prefix + $0 }
        for key in keys {
            try await s3.putObject(bucket: env.bucket, key: key, body: ByteBuffer(string: key), logger: testLogger)
        }
        for key in keys {
            #expect(try await s3.getObjectData(bucket: env.bucket, key: key, logger: testLogger) == ByteBuffer(string: key))
            #expect(try await s3.headObject(bucket: env.bucket, key: key, logger: testLogger).contentLength == Int64(key.utf8.count))
        }
        #expect(try await s3.listObjects(bucket: env.bucket, prefix: prefix, logger: testLogger).map(\.key) == keys.sorted())
        #expect(try await s3.listObjects(bucket: env.bucket, prefix: prefix + "with space/", logger: testLogger).map(\.key) == [keys[3]])
        try await s3.deleteObjects(bucket: env.bucket, keys: keys, logger: testLogger)
        #expect(try await s3.listObjects(bucket: env.bucket, prefix: prefix, logger: testLogger).isEmpty)
    }

    @Test("a wrong secret is refused with SignatureDoesNotMatch, without retry, never showing the secret")
    func wrongSecret() async throws {
        let env = try S3TestEnvironment.required()
        let wrongSecret = "Wr0ngSecretKeyThatMustNeverBePrinted0000"
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "wrong-secret") { _ in logs }
        logger.logLevel = .trace
        let s3 = env.client(credentials: AWSCredentials(accessKeyID: env.credentials.accessKeyID, secretAccessKey: wrongSecret))

        let error = await #expect(throws: S3Error.self) {
            try await s3.putObject(bucket: env.bucket, key: "refused.txt", body: ByteBuffer(string: "x"), logger: logger)
        }
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error?.httpStatus == 403)
        #expect(error?.attempts == 1)
        #expect(error?.operation == "PutObject")
        let text = "\(String(describing: error)) \(String(reflecting: error)) \(logs.entries)"
        #expect(text.contains("SignatureDoesNotMatch"))
        #expect(text.contains("s3://\(env.bucket)/refused.txt"))
        #expect(!text.contains(wrongSecret))
        #expect(!text.contains(env.credentials.secretAccessKey))
        #expect("\(s3.configuration)".contains(wrongSecret) == false)
    }

    @Test("an unknown access key is refused with InvalidAccessKeyId")
    func unknownAccessKey() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client(credentials: AWSCredentials(accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: "whatever"))
        let error = await #expect(throws: S3Error.self) {
            try await s3.listObjects(bucket: env.bucket, logger: testLogger)
        }
        #expect(error?.code == .invalidAccessKeyID)
        #expect(error?.httpStatus == 403)
    }

    @Test("missing bucket and key give NoSuchBucket, NoSuchKey and NotFound")
    func missing() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client()
        let noBucket = await #expect(throws: S3Error.self) {
            try await s3.listObjects(bucket: "rrr-no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())", logger: testLogger)
        }
        #expect(noBucket?.code == .noSuchBucket)
        #expect(noBucket?.httpStatus == 404)
        #expect(noBucket?.description.contains("rrr-no-such-bucket-") == true)

        let noKey = await #expect(throws: S3Error.self) {
            try await s3.getObject(bucket: env.bucket, key: "no/such key.csv", logger: testLogger)
        }
        #expect(noKey?.code == .noSuchKey)
        #expect(noKey?.key == "no/such key.csv")

        let noHead = await #expect(throws: S3Error.self) {
            try await s3.headObject(bucket: env.bucket, key: "no/such key.csv", logger: testLogger)
        }
        #expect(noHead?.code == .notFound)
        #expect(noHead?.httpStatus == 404)
    }

    @Test("server-side encryption is requested and reported back", arguments: [
        ServerSideEncryption.aes256, .kms(keyID: "arn:aws:kms:us-east-1:123456789012:key/rrr-test-key"),
    ])
    func serverSideEncryption(encryption: ServerSideEncryption) async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client { $0.serverSideEncryption = encryption }
        let key = S3TestEnvironment.uniquePrefix("sse") + "object.csv"
        try await s3.putObject(bucket: env.bucket, key: key, body: ByteBuffer(string: "secret data"), logger: testLogger)
        let info = try await s3.headObject(bucket: env.bucket, key: key, logger: testLogger)
        #expect(info.serverSideEncryption == encryption.algorithm)
        if case .kms(let keyID?) = encryption {
            #expect(info.kmsKeyID?.contains(keyID) == true)
        }
        try await s3.deleteObjects(bucket: env.bucket, keys: [key], logger: testLogger)
    }

    @Test("virtual-hosted addressing reaches the bucket through its host name")
    func virtualHosted() async throws {
        let env = try S3TestEnvironment.required()
        var endpoint = try #require(URLComponents(string: env.endpoint))
        endpoint.host = "localhost"
        // "<bucket>.localhost" is not in /etc/hosts: point it at the server through the client's DNS override.
        var configuration = HTTPClient.Configuration()
        configuration.dnsOverride = ["\(env.bucket).localhost": "127.0.0.1"]
        try await HTTPClient.withHTTPClient(configuration: configuration) { http in
            let s3 = S3Client(
                configuration: .init(credentials: env.credentials, region: env.region, endpoint: endpoint.string!, addressingStyle: .virtualHosted),
                httpClient: http
            )
            let key = S3TestEnvironment.uniquePrefix("virtual") + "a b.txt"
            try await s3.putObject(bucket: env.bucket, key: key, body: ByteBuffer(string: "hosted"), logger: testLogger)
            #expect(try await s3.getObjectData(bucket: env.bucket, key: key, logger: testLogger) == ByteBuffer(string: "hosted"))
            #expect(try await s3.listObjects(bucket: env.bucket, prefix: key, logger: testLogger).map(\.key) == [key])
            try await s3.deleteObjects(bucket: env.bucket, keys: [key], logger: testLogger)
        }
    }
}
