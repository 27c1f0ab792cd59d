import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import S3
import AWSAuth

/// Retries, aborts and headers, observed on a scripted local HTTP server.
@Suite("S3 retries and request behaviour (local scripted server)", .timeLimit(.minutes(10)))
struct RetryTests {
    static let fastRetries = RetryPolicy(maximumAttempts: 4, baseDelay: .milliseconds(2), maximumDelay: .milliseconds(20))

    static func client(_ server: ScriptedHTTPServer, _ configure: (inout S3Client.Configuration) -> Void = { _ in }) -> S3Client {
        var configuration = S3Client.Configuration(
            credentials: AWSCredentials(accessKeyID: "AKIDLOCAL", secretAccessKey: "local-secret-never-shown"),
            endpoint: server.endpoint, addressingStyle: .path, retryPolicy: fastRetries
        )
        configure(&configuration)
        return S3Client(configuration: configuration)
    }

    static func errorXML(_ code: String, _ message: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>REQ1</RequestId></Error>"
    }

    @Test("503 SlowDown twice, then 200: the request succeeds on the third attempt")
    func slowDownThenSuccess() async throws {
        let server = try await ScriptedHTTPServer.start { index, _ in
            index < 2
                ? .respond(.serviceUnavailable, body: Self.errorXML("SlowDown", "Please reduce your request rate."))
                : .respond(.ok, headers: [("ETag", "\"abc123\"")])
        }
        let result = try await Self.client(server).putObject(bucket: "b", key: "k.csv", body: ByteBuffer(string: "data"), logger: testLogger)
        #expect(result.eTag == "abc123")
        #expect(server.requests.count == 3)
        #expect(server.requests.allSatisfy { $0.method == .PUT && $0.uri == "/b/k.csv" && $0.body == ByteBuffer(string: "data") })
        #expect(server.requests.allSatisfy { $0.headers.first(name: "authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDLOCAL/") == true })
        try await server.shutdown()
    }

    @Test("403 AccessDenied is not retried and carries S3's code, message and request ID")
    func forbiddenIsFinal() async throws {
        let server = try await ScriptedHTTPServer.start { _, _ in
            .respond(.forbidden, body: Self.errorXML("AccessDenied", "Access Denied"))
        }
        let error = await #expect(throws: S3Error.self) {
            try await Self.client(server).putObject(bucket: "b", key: "k.csv", body: ByteBuffer(string: "x"), logger: testLogger)
        }
        #expect(error?.code == .accessDenied)
        #expect(error?.message == "Access Denied")
        #expect(error?.httpStatus == 403)
        #expect(error?.requestID == "REQ1")
        #expect(error?.attempts == 1)
        #expect(error?.description.contains("local-secret-never-shown") == false)
        #expect(server.requests.count == 1)
        try await server.shutdown()
    }

    @Test("a persistent 500 is retried up to the policy's limit, then reported with the attempt count")
    func persistentServerError() async throws {
        let server = try await ScriptedHTTPServer.start { _, _ in .respond(.internalServerError, body: Self.errorXML("InternalError", "We encountered an internal error.")) }
        let error = await #expect(throws: S3Error.self) {
            try await Self.client(server).headObject(bucket: "b", key: "k", logger: testLogger)
        }
        #expect(error?.httpStatus == 500)
        #expect(error?.attempts == 4)
        #expect(server.requests.count == 4)
        try await server.shutdown()
    }

    @Test("a dropped connection is retried")
    func droppedConnection() async throws {
        let server = try await ScriptedHTTPServer.start { index, _ in
            index == 0 ? .drop : .respond(.ok, headers: [("Content-Length", "0"), ("ETag", "\"e\"")])
        }
        let info = try await Self.client(server).headObject(bucket: "b", key: "k", logger: testLogger)
        #expect(info.eTag == "e")
        #expect(server.requests.count == 2)
        try await server.shutdown()
    }

    @Test("a download cut mid-body resumes with a ranged, ETag-guarded GET")
    func resumedDownload() async throws {
        let server = try await ScriptedHTTPServer.start { index, request in
            if index == 0 {
                return .truncated(.ok, headers: [("ETag", "\"v1\"")], declaredLength: 10, body: "01234")
            }
            guard request.headers.first(name: "range") == "bytes=5-", request.headers.first(name: "if-match") == "\"v1\"" else {
                return .respond(.badRequest, body: Self.errorXML("BadRequest", "unexpected resume"))
            }
            return .respond(.partialContent, headers: [("ETag", "\"v1\""), ("Content-Range", "bytes 5-9/10")], body: "56789")
        }
        let data = try await Self.client(server).getObjectData(bucket: "b", key: "k", logger: testLogger)
        #expect(String(buffer: data) == "0123456789")
        #expect(server.requests.count == 2)
        try await server.shutdown()
    }

    @Test("a failing part aborts the multipart upload and reports the part's error")
    func failedPartAborts() async throws {
        let server = try await ScriptedHTTPServer.start { _, request in
            switch (request.method, request.uri) {
            case (.POST, let uri) where uri.hasSuffix("?uploads"):
                return .respond(.ok, body: "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>big</Key><UploadId>UP1</UploadId></InitiateMultipartUploadResult>")
            case (.PUT, let uri) where uri.contains("partNumber=2"):
                return .respond(.forbidden, body: Self.errorXML("AccessDenied", "no parts for you"))
            case (.PUT, _):
                return .respond(.ok, headers: [("ETag", "\"p\"")])
            case (.DELETE, _):
                return .respond(.noContent)
            default:
                return .respond(.badRequest, body: Self.errorXML("Unexpected", "\(request.method) \(request.uri)"))
            }
        }
        let file = try TemporaryFile(size: 11 * 1024 * 1024, seed: 9)
        defer { file.remove() }
        let s3 = Self.client(server) { $0.multipart = .init(partSize: 5 * 1024 * 1024, threshold: 5 * 1024 * 1024, concurrency: 1) }
        let error = await #expect(throws: S3Error.self) {
            try await s3.uploadFile(bucket: "b", key: "big", path: file.path, logger: testLogger)
        }
        #expect(error?.code == .accessDenied)
        #expect(error?.operation == "UploadPart")
        let requests = server.requests.map { "\($0.method) \($0.uri)" }
        #expect(requests == ["POST /b/big?uploads", "PUT /b/big?partNumber=1&uploadId=UP1", "PUT /b/big?partNumber=2&uploadId=UP1", "DELETE /b/big?uploadId=UP1"])
        try await server.shutdown()
    }

    @Test("server-side encryption headers go on PutObject and CreateMultipartUpload, not on parts")
    func encryptionHeaders() async throws {
        let server = try await ScriptedHTTPServer.start { _, request in
            request.uri.hasSuffix("?uploads")
                ? .respond(.ok, body: "<InitiateMultipartUploadResult><UploadId>UP2</UploadId></InitiateMultipartUploadResult>")
                : request.method == .POST
                ? .respond(.ok, body: "<CompleteMultipartUploadResult><ETag>\"whole-2\"</ETag></CompleteMultipartUploadResult>")
                : .respond(.ok, headers: [("ETag", "\"p\"")])
        }
        let s3 = Self.client(server) {
            $0.serverSideEncryption = .kms(keyID: "key-42")
            $0.multipart = .init(partSize: 5 * 1024 * 1024, threshold: 5 * 1024 * 1024)
        }
        try await s3.putObject(bucket: "b", key: "small", body: ByteBuffer(string: "x"), logger: testLogger)
        let file = try TemporaryFile(size: 6 * 1024 * 1024, seed: 4)
        defer { file.remove() }
        let result = try await s3.uploadFile(bucket: "b", key: "big", path: file.path, logger: testLogger)
        #expect(result.eTag == "whole-2")

        let requests = server.requests
        try #require(requests.count == 5)  // put, create, 2 parts, complete
        for index in [0, 1] {
            #expect(requests[index].headers.first(name: "x-amz-server-side-encryption") == "aws:kms")
            #expect(requests[index].headers.first(name: "x-amz-server-side-encryption-aws-kms-key-id") == "key-42")
            #expect(requests[index].headers.first(name: "authorization")?.contains("x-amz-server-side-encryption") == true)
        }
        for part in requests[2...3] {
            #expect(part.headers.first(name: "x-amz-server-side-encryption") == nil)
            #expect(part.headers.first(name: "x-amz-content-sha256")?.count == 64)
        }
        #expect(String(buffer: requests[4].body).contains("<Part><PartNumber>2</PartNumber><ETag>\"p\"</ETag></Part>"))
        try await server.shutdown()
    }
}
