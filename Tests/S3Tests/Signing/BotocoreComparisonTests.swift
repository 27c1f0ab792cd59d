import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import S3
import AWSAuth

/// Our client's signed requests compared with botocore's own SigV4 signer
/// (`scripts/botocore-sigv4.py`), same requests, same fixed date and credentials: the
/// `Authorization` headers and the URL paths must be identical.
@Suite("SigV4 signer vs botocore", .enabled(if: Botocore.isAvailable || S3TestEnvironment.isCI, "python3 with botocore is not installed"), .timeLimit(.minutes(10)))
struct BotocoreComparisonTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var request: S3Request
        var endpoint: String? = "http://127.0.0.1:25502"
        var addressing: S3Client.AddressingStyle = .path
        var payloadSigning: S3Client.PayloadSigning = .signed
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "PutObject, plain key", request: S3Request(operation: "PutObject", method: .PUT, bucket: "rrr-test", key: "plain.csv", body: ByteBuffer(string: "a,b\n1,2\n"))),
        Case(name: "PutObject, key with spaces, + = &", request: S3Request(operation: "PutObject", method: .PUT, bucket: "rrr-test", key: "dir/with space/a+b=c&d.csv", body: ByteBuffer(string: "x"))),
        Case(name: "PutObject, unicode key", request: S3Request(operation: "PutObject", method: .PUT, bucket: "rrr-test", key: "ünïcødé/☃ snow 🚀.txt", body: ByteBuffer(string: "❄️"))),
        Case(name: "GetObject, reserved punctuation", request: S3Request(operation: "GetObject", method: .GET, bucket: "rrr-test", key: "~tilde/(paren)!*'@$,;:.csv")),
        Case(name: "GetObject, key with // and trailing /", request: S3Request(operation: "GetObject", method: .GET, bucket: "rrr-test", key: "a//b/")),
        Case(name: "ListObjectsV2, encoded prefix and token", request: S3Request(
            operation: "ListObjectsV2", method: .GET, bucket: "rrr-test",
            query: [QueryItem("list-type", "2"), QueryItem("encoding-type", "url"), QueryItem("prefix", "dir/with space/ü+"), QueryItem("continuation-token", "1e3f+/=tok en")]
        )),
        Case(name: "CreateMultipartUpload, bare ?uploads, SSE-KMS headers", request: S3Request(
            operation: "CreateMultipartUpload", method: .POST, bucket: "rrr-test", key: "big file.csv.gz", query: [QueryItem("uploads")],
            headers: ServerSideEncryption.kms(keyID: "arn:aws:kms:us-east-1:123456789012:key/abcd").headers
        )),
        Case(name: "UploadPart", request: S3Request(
            operation: "UploadPart", method: .PUT, bucket: "rrr-test", key: "big file.csv.gz",
            query: [QueryItem("partNumber", "7"), QueryItem("uploadId", "VXBsb2FkIElE/x+y=")], body: ByteBuffer(repeating: 0x41, count: 4096)
        )),
        Case(name: "DeleteObjects, Content-MD5", request: S3Request(
            operation: "DeleteObjects", method: .POST, bucket: "rrr-test", query: [QueryItem("delete")],
            headers: [("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="), ("content-type", "application/xml")], body: ByteBuffer(string: "<Delete/>")
        )),
        Case(name: "PutObject, UNSIGNED-PAYLOAD", request: S3Request(operation: "PutObject", method: .PUT, bucket: "rrr-test", key: "u.bin", body: ByteBuffer(string: "data")), payloadSigning: .unsigned),
        Case(name: "GetObject, virtual-hosted on AWS", request: S3Request(operation: "GetObject", method: .GET, bucket: "rrr-test", key: "a b.csv"), endpoint: nil, addressing: .automatic),
        Case(name: "HeadObject, https custom endpoint with port", request: S3Request(operation: "HeadObject", method: .HEAD, bucket: "rrr-test", key: "x"), endpoint: "https://storage.example:9443"),
    ]

    static let date = Date(timeIntervalSince1970: 1_700_000_000)
    static let sessionTokens: [String?] = [nil, "IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+="]

    /// Our signed request for a case.
    static func ours(_ testCase: Case, sessionToken: String?) throws -> HTTPClientRequest {
        let credentials = AWSCredentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: sessionToken
        )
        let client = S3Client(configuration: .init(
            credentials: credentials, region: "eu-central-1", endpoint: testCase.endpoint,
            addressingStyle: testCase.addressing, payloadSigning: testCase.payloadSigning
        ))
        return try client.httpRequest(
            for: testCase.request, payloadHash: testCase.request.payloadHash(testCase.payloadSigning), credentials: credentials, date: date
        )
    }

    /// The same logical request, described for the botocore script.
    static func botocoreSpec(_ testCase: Case, sessionToken: String?) throws -> [String: Any] {
        let ours = try ours(testCase, sessionToken: sessionToken)
        guard let url = URLComponents(string: ours.url), let host = url.host, let scheme = url.scheme else {
            throw Botocore.Failure(description: "unparsable URL \(ours.url)")
        }
        let virtual = host.hasPrefix("rrr-test.")
        let serverHost = virtual ? String(host.dropFirst("rrr-test.".count)) : host
        return [
            "method": testCase.request.method.rawValue,
            "scheme": scheme,
            "host": url.port.map { "\(serverHost):\($0)" } ?? serverHost,
            "bucket": testCase.request.bucket as Any,
            "key": testCase.request.key as Any,
            "addressing": virtual ? "virtual" : "path",
            "query": testCase.request.query.map { [$0.name, $0.value] },
            "headers": Dictionary(testCase.request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
            "body_base64": testCase.request.body.map { Data($0.readableBytesView).base64EncodedString() } as Any,
            "unsigned_payload": testCase.payloadSigning == .unsigned,
            "timestamp": AmzDate(date).timestamp,
            "region": "eu-central-1",
            "credentials": [
                "access_key": "AKIDEXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "token": sessionToken as Any,
            ],
        ]
    }

    /// botocore's results for every (token, case) pair, from one run of the script (Python starts slowly).
    static let references: Result<[String: Botocore.Signed], Botocore.Failure> = {
        do {
            let pairs = sessionTokens.flatMap { token in cases.map { (token, $0) } }
            let signed = try Botocore.sign(pairs.map { try botocoreSpec($0.1, sessionToken: $0.0) })
            return .success(Dictionary(uniqueKeysWithValues: zip(pairs.map { "\($0.0 ?? "-")|\($0.1.name)" }, signed)))
        } catch {
            return .failure(Botocore.Failure(description: "\(error)"))
        }
    }()

    @Test("Authorization and path equal botocore's", arguments: sessionTokens, cases)
    func matchesBotocore(sessionToken: String?, testCase: Case) throws {
        let reference = try #require(try Self.references.get()["\(sessionToken ?? "-")|\(testCase.name)"])
        let ours = try Self.ours(testCase, sessionToken: sessionToken)
        #expect(URLComponents(string: ours.url)?.percentEncodedPath == reference.path)
        #expect(
            ours.headers.first(name: "authorization") == reference.authorization,
            "botocore canonical request:\n\(reference.canonicalRequest)"
        )
        if sessionToken != nil {
            #expect(ours.headers.first(name: "x-amz-security-token") == sessionToken)
        }
    }
}

/// Runs `scripts/botocore-sigv4.py`.
enum Botocore {
    struct Signed: Decodable, Sendable {
        var authorization: String
        var path: String
        var canonicalRequest: String
        enum CodingKeys: String, CodingKey {
            case authorization, path
            case canonicalRequest = "canonical_request"
        }
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/botocore-sigv4.py")

    static let isAvailable: Bool = (try? run(["-c", "import botocore"], input: Data())) != nil

    static func sign(_ requests: [[String: Any]]) throws -> [Signed] {
        let input = try JSONSerialization.data(withJSONObject: requests)
        return try JSONDecoder().decode([Signed].self, from: run([script.path], input: input))
    }

    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    private static func run(_ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        // The stack's virtual environment has botocore (RRR_TEST_PYTHON); else whatever python3 is on PATH.
        if let python = ProcessInfo.processInfo.environment["RRR_TEST_PYTHON"] {
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + arguments
        }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        // Both pipes at once: a child that fills one while we wait on the other would never end.
        let errorReader = PipeReader(stderr.fileHandleForReading)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = errorReader.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return output
    }
}

/// A pipe read to its end on a Dispatch thread (whose signals are blocked: a plain thread's read
/// would fail with EINTR when a child process ends).
final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written once by the reading thread, read after `done`

    init(_ handle: FileHandle) {
        DispatchQueue.global().async { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Everything the pipe carried, once its writer closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}

