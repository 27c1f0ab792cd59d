import AsyncHTTPClient
import AWSAuth
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// One S3 API call before signing: what every operation builds and the transport sends.
struct S3Request: Sendable {
    /// The S3 operation name (`PutObject`, …), for errors and logs.
    var operation: String
    var method: HTTPMethod
    var bucket: String?
    var key: String?
    var query: [QueryItem] = []
    var headers: [(name: String, value: String)] = []
    /// The whole body: kept in memory so that retries can resend it.
    var body: ByteBuffer?
    /// The body's SHA-256 (hex) when the caller already computed it, e.g. while reading a file part.
    var bodySHA256: String?

    /// The `x-amz-content-sha256` value for this body under the given payload signing.
    func payloadHash(_ signing: S3Client.PayloadSigning) -> String {
        guard let body, body.readableBytes > 0 else { return SigV4Signer.emptyPayloadHash }
        switch signing {
        case .signed:
            if let bodySHA256 { return bodySHA256 }
            return body.withUnsafeReadableBytes { SigV4Encoding.hex(SHA256.hash(data: $0)) }
        case .unsigned:
            return SigV4Signer.unsignedPayload
        }
    }
}

extension S3Client {
    /// The signed HTTP request for one attempt; signed anew each attempt so the date (and temporary
    /// credentials) stay fresh. `region` defaults to the bucket's.
    func httpRequest(for request: S3Request, payloadHash: String, credentials: AWSCredentials, region: String? = nil,
                     date: Date = Date()) throws(S3Error) -> HTTPClientRequest {
        let signingRegion = region ?? request.bucket.map(self.region(of:)) ?? configuration.region
        let endpoint = try endpoint.get().inRegion(signingRegion)
        let signer = SigV4Signer(credentials: credentials, region: signingRegion, service: "s3")
        let location = endpoint.location(bucket: request.bucket, key: request.key, style: configuration.addressingStyle)
        var headers = request.headers
        headers.append(("host", location.host))
        let toSign = SigV4Signer.Request(
            method: request.method.rawValue, host: location.host, path: location.path,
            query: request.query, headers: headers
        )
        headers += signer.signingHeaders(for: toSign, payloadHash: payloadHash, date: date)

        var http = HTTPClientRequest(
            url: endpoint.url(host: location.host, path: location.path, query: SigV4Encoding.wireQuery(request.query))
        )
        http.method = request.method
        for header in headers { http.headers.add(name: header.name, value: header.value) }
        if let body = request.body {
            http.body = .bytes(body)
        } else if request.method == .PUT || request.method == .POST {
            // An explicit empty body makes the client send `Content-Length: 0`, which S3 requires.
            http.body = .bytes(ByteBuffer())
        }
        return http
    }
}
