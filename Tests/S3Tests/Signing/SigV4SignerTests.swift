import Foundation
import Testing

@testable import S3
import AWSAuth

/// The signer's canonical request and signature, checked against AWS's published S3 examples
/// (docs.aws.amazon.com, "Signature Calculations for the Authorization Header": examplebucket,
/// 24 May 2013) and against hand-derived canonical forms.
@Suite("SigV4 signer (pure)")
struct SigV4SignerTests {
    static let exampleCredentials = AWSCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    static let exampleDate = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    let signer = SigV4Signer(credentials: exampleCredentials, region: "us-east-1")

    func authorization(_ request: SigV4Signer.Request, payloadHash: String = SigV4Signer.emptyPayloadHash) -> String {
        signer.signingHeaders(for: request, payloadHash: payloadHash, date: Self.exampleDate)
            .first { $0.name == "authorization" }!.value
    }

    @Test("AWS example: GET object with a Range header")
    func getObjectExample() {
        let request = SigV4Signer.Request(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
            headers: [("Range", "bytes=0-9")]
        )
        #expect(authorization(request) == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("AWS example: PUT object with a signed payload and a $ in the key")
    func putObjectExample() {
        let request = SigV4Signer.Request(
            method: "PUT", host: "examplebucket.s3.amazonaws.com",
            path: "/" + SigV4Encoding.uriEncode("test$file.text", keepSlash: true),
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")]
        )
        let body = S3Request(operation: "PutObject", method: .PUT, body: .init(string: "Welcome to Amazon S3."))
        let payloadHash = body.payloadHash(.signed)
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        #expect(authorization(request, payloadHash: payloadHash).hasSuffix("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
    }

    @Test("AWS example: list objects with a query string")
    func listObjectsExample() {
        let request = SigV4Signer.Request(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/",
            query: [QueryItem("prefix", "J"), QueryItem("max-keys", "2")]
        )
        #expect(authorization(request).hasSuffix("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
    }

    @Test("canonical request: encoded path kept, query sorted and encoded, headers trimmed and joined")
    func canonicalRequestShape() {
        let request = SigV4Signer.Request(
            method: "get", host: "127.0.0.1:25502",
            path: "/bucket/" + SigV4Encoding.uriEncode("dir/a b+c/ü.csv", keepSlash: true),
            query: [QueryItem("uploads"), QueryItem("prefix", "a/b c"), QueryItem("a", "2"), QueryItem("a", "1")],
            headers: [("X-Amz-Meta-Note", "  two   spaces  "), ("x-amz-meta-note", "second"), ("User-Agent", "ignored")]
        )
        let canonical = signer.canonicalRequest(request, payloadHash: "HASH")
        #expect(canonical.text == """
            GET
            /bucket/dir/a%20b%2Bc/%C3%BC.csv
            a=1&a=2&prefix=a%2Fb%20c&uploads=
            host:127.0.0.1:25502
            x-amz-meta-note:two spaces,second

            host;x-amz-meta-note
            HASH
            """)
        #expect(canonical.signedHeaders == "host;x-amz-meta-note")
    }

    @Test("a session token is sent and signed as x-amz-security-token")
    func sessionTokenIsSigned() {
        var credentials = Self.exampleCredentials
        credentials.sessionToken = "FwoGZXIvYXdzEXAMPLETOKEN"
        let signer = SigV4Signer(credentials: credentials, region: "eu-west-1")
        let headers = signer.signingHeaders(
            for: .init(method: "GET", host: "h", path: "/"), payloadHash: SigV4Signer.emptyPayloadHash, date: Self.exampleDate
        )
        #expect(headers.contains { $0.name == "x-amz-security-token" && $0.value == "FwoGZXIvYXdzEXAMPLETOKEN" })
        let authorization = headers.first { $0.name == "authorization" }!.value
        #expect(authorization.contains("/20130524/eu-west-1/s3/aws4_request"))
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
    }

    @Test("URI encoding keeps only unreserved characters (and / in keys)")
    func uriEncoding() {
        #expect(SigV4Encoding.uriEncode("a-b_c.d~e") == "a-b_c.d~e")
        #expect(SigV4Encoding.uriEncode("a b+c=d&e/f*") == "a%20b%2Bc%3Dd%26e%2Ff%2A")
        #expect(SigV4Encoding.uriEncode("dir/sub dir/☃", keepSlash: true) == "dir/sub%20dir/%E2%98%83")
        #expect(SigV4Encoding.percentDecode("a+b%2Bc%20%E2%98%83") == "a b+c ☃")
    }

    @Test("SigV4 timestamps are UTC, zero-padded", arguments: [
        (0.0, "19700101T000000Z"), (1_369_353_600, "20130524T000000Z"),
        (951_827_696, "20000229T123456Z"), (4_102_444_799, "20991231T235959Z"),
    ])
    func timestamps(seconds: Double, expected: String) {
        #expect(AmzDate(Date(timeIntervalSince1970: seconds)).timestamp == expected)
    }
}
