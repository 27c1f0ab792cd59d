import Crypto
import Foundation

/// AWS Signature Version 4, signed in the `Authorization` header.
///
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html.
/// The signer is a pure value: the same request, credentials and date always give the same signature,
/// which is what the tests compare with botocore's signer.
package struct SigV4Signer: Sendable {
    /// The hash of an empty payload, sent by requests without a body.
    package static let emptyPayloadHash = SigV4Encoding.hex(SHA256.hash(data: [UInt8]()))
    /// The payload hash value that tells S3 the body is not signed.
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"

    package var credentials: AWSCredentials
    package var region: String
    /// The signing name of the service: `s3`, `sts`, `redshift`, `redshift-serverless`, `secretsmanager`.
    package var service: String
    /// Whether the payload hash travels as `x-amz-content-sha256`: S3 requires it, other services
    /// hash the body themselves (botocore sends it to S3 only).
    package var sendsContentHash: Bool

    package init(credentials: AWSCredentials, region: String, service: String = "s3", sendsContentHash: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.sendsContentHash = sendsContentHash ?? (service == "s3")
    }

    /// The parts of a request that are signed. Header names may use any case.
    package struct Request: Sendable {
        package var method: String
        /// `host` or `host:port` (the port only when it is not the scheme's default).
        package var host: String
        /// The URI-encoded path exactly as sent, e.g. `/bucket/dir/a%20b.csv`.
        package var path: String
        package var query: [QueryItem]
        package var headers: [(name: String, value: String)]

        package init(method: String, host: String, path: String, query: [QueryItem] = [], headers: [(name: String, value: String)] = []) {
            self.method = method
            self.host = host
            self.path = path
            self.query = query
            self.headers = headers
        }
    }

    /// The headers the signature adds to the request: `x-amz-date`, `x-amz-content-sha256` (S3),
    /// `x-amz-security-token` (with a session token) and `authorization`.
    package func signingHeaders(for request: Request, payloadHash: String, date: Date) -> [(name: String, value: String)] {
        let amzDate = AmzDate(date)
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate.timestamp)]
        if sendsContentHash { added.append(("x-amz-content-sha256", payloadHash)) }
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        var signed = request
        signed.headers += added
        let canonical = canonicalRequest(signed, payloadHash: payloadHash)
        let signature = self.signature(stringToSign: stringToSign(canonicalRequest: canonical.text, date: amzDate), date: amzDate)
        added.append((
            "authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(amzDate)), "
                + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        ))
        return added
    }

    /// The canonical request and its signed-header list.
    package func canonicalRequest(_ request: Request, payloadHash: String) -> (text: String, signedHeaders: String) {
        // Lowercase names; values trimmed with inner runs of spaces collapsed; repeated names joined by ",".
        var values: [String: [String]] = [:]
        for header in request.headers where !Self.unsignedHeaders.contains(header.name.lowercased()) {
            let value = header.value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            values[header.name.lowercased(), default: []].append(value)
        }
        if values["host"] == nil { values["host"] = [request.host] }
        let names = values.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let text = [
            request.method.uppercased(),
            request.path.isEmpty ? "/" : request.path,
            SigV4Encoding.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    package func stringToSign(canonicalRequest: String, date: AmzDate) -> String {
        let hash = SigV4Encoding.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
        return "AWS4-HMAC-SHA256\n\(date.timestamp)\n\(scope(date))\n\(hash)"
    }

    package func signature(stringToSign: String, date: AmzDate) -> String {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [date.day, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return SigV4Encoding.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    package func scope(_ date: AmzDate) -> String { "\(date.day)/\(region)/\(service)/aws4_request" }

    /// The SHA-256 of a body, as SigV4 writes it (lowercase hex).
    package static func payloadHash<Bytes: Sequence<UInt8>>(_ body: Bytes) -> String {
        SigV4Encoding.hex(SHA256.hash(data: Array(body)))
    }

    /// Headers that proxies may change or that clients add late: never signed (as botocore).
    package static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]
}
