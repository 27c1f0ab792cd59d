import AsyncHTTPClient
import AWSAuth
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension S3Client {
    /// The most bytes read from an error answer or an XML result.
    static let maximumXMLBodySize = 16 * 1024 * 1024

    /// Sends a request with retries and hands the successful (2xx) response to `handle`.
    ///
    /// Error answers become ``S3Error``s. A retryable failure, whether an error answer, a transport
    /// error, or an error thrown by `handle` while it reads the body, leads to a new, freshly signed
    /// attempt after a jittered backoff, up to the retry policy's limit. A bucket in another region
    /// is retried at once in the region S3 names; credentials S3 calls expired are renewed once.
    func perform<Value: Sendable>(
        _ request: S3Request,
        logger: Logger,
        handle: (HTTPClientResponse) async throws -> Value
    ) async throws -> Value {
        let logger = requestLogger(logger, operation: request.operation, bucket: request.bucket, key: request.key)
        let policy = configuration.retryPolicy
        let payloadHash = request.payloadHash(configuration.payloadSigning)
        var attempt = 1
        var redirected = false, renewed = false
        while true {
            var providerName: String?
            do {
                let credentials = try await signingCredentials(request)
                providerName = credentials.providerName
                let http = try httpRequest(for: request, payloadHash: payloadHash, credentials: credentials)
                let response = try await httpClient.execute(http, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds), logger: logger)
                logger.debug("S3 response", metadata: ["rrr_s3_status": "\(response.status.code)", "rrr_s3_attempt": "\(attempt)"])
                guard (200..<300).contains(response.status.code) else {
                    throw await errorFromResponse(response, request: request)
                }
                return try await handle(response)
            } catch {
                // A cancelled caller gets CancellationError, not the HTTP client's "cancelled" error.
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                var failure = s3Error(error, request: request, attempts: attempt)
                failure.credentialProvider = failure.credentialProvider ?? providerName
                if !redirected, let bucket = request.bucket, let region = failure.bucketRegion, region != self.region(of: bucket) {
                    logger.notice("S3 bucket is in another region, retrying there", metadata: ["rrr_s3_region": "\(region)"])
                    bucketRegions[bucket] = region
                    redirected = true
                    continue
                }
                if !renewed, failure.code == "ExpiredToken" || failure.code == "TokenRefreshRequired" {
                    await configuration.credentialProvider.invalidate()
                    renewed = true
                    continue
                }
                let retryable = error is S3Error ? RetryPolicy.isRetryable(code: failure.code.rawValue, httpStatus: failure.httpStatus) : RetryPolicy.isRetryableTransportError(error)
                guard retryable, attempt < policy.maximumAttempts else { throw failure }
                let delay = policy.delay(beforeRetry: attempt)
                logger.notice("S3 request failed, retrying", metadata: [
                    "rrr_s3_error": "\(failure.code)", "rrr_s3_attempt": "\(attempt)", "rrr_s3_retry_delay": "\(delay)",
                ])
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// Sends a request and collects its (XML) body, which must not be an `<Error>` document:
    /// some operations (CompleteMultipartUpload) report failures inside a 200 answer.
    func performCollecting(_ request: S3Request, logger: Logger) async throws -> (headers: HTTPHeaders, body: ByteBuffer) {
        try await perform(request, logger: logger) { response in
            let body = try await response.body.collect(upTo: Self.maximumXMLBodySize)
            if body.readableBytes > 0, let root = try? XMLNode.parse(body.readableBytesView), root.name == "Error" {
                throw S3Error(fromXML: root, status: Int(response.status.code), headers: response.headers, request: request)
            }
            return (response.headers, body)
        }
    }

    /// Credentials for one attempt; a provider's failure (none found, STS refused) becomes an
    /// ``S3Error`` with the provider's code and explanation.
    private func signingCredentials(_ request: S3Request) async throws -> AWSCredentials {
        do {
            return try await configuration.credentialProvider.credentials()
        } catch let error as AWSAuthError {
            throw S3Error(code: S3Error.Code(error.code.rawValue), message: "\(error)", operation: request.operation,
                          bucket: request.bucket, key: request.key, credentialProvider: error.provider)
        }
    }

    /// Turns any failure into an ``S3Error`` with the request's context and the attempt count.
    func s3Error(_ error: any Error, request: S3Request, attempts: Int) -> S3Error {
        var failure: S3Error
        if let error = error as? S3Error {
            failure = error
        } else {
            failure = S3Error(code: .connectionFailed, message: "the request did not complete", underlying: error)
        }
        if failure.operation.isEmpty { failure.operation = request.operation }
        if failure.bucket == nil { failure.bucket = request.bucket }
        if failure.key == nil { failure.key = request.key }
        failure.attempts = attempts
        return failure
    }

    /// Reads an error answer: S3's `<Error>` document, or (for bodiless HEAD answers) the status.
    func errorFromResponse(_ response: HTTPClientResponse, request: S3Request) async -> S3Error {
        let status = Int(response.status.code)
        let body = try? await response.body.collect(upTo: Self.maximumXMLBodySize)
        if let body, body.readableBytes > 0, let root = try? XMLNode.parse(body.readableBytesView), root.name == "Error" {
            return S3Error(fromXML: root, status: status, headers: response.headers, request: request)
        }
        var error = S3Error(
            code: S3Error.Code(statusCode: status),
            message: response.status.reasonPhrase + (request.method == .HEAD ? " (HEAD answers carry no error details)" : ""),
            httpStatus: status, operation: request.operation, bucket: request.bucket, key: request.key,
            requestID: response.headers.first(name: "x-amz-request-id")
        )
        error.bucketRegion = S3Error.redirectRegion(code: error.code, status: status, headers: response.headers, bodyRegion: nil)
        return error
    }
}

extension S3Error {
    /// An error from S3's `<Error><Code/><Message/><RequestId/></Error>` document.
    init(fromXML root: XMLNode, status: Int, headers: HTTPHeaders, request: S3Request) {
        self.init(
            code: Code(root.text(of: "Code") ?? Code(statusCode: status).rawValue),
            message: root.text(of: "Message") ?? "",
            httpStatus: status, operation: request.operation, bucket: request.bucket, key: request.key,
            requestID: root.text(of: "RequestId") ?? headers.first(name: "x-amz-request-id")
        )
        bucketRegion = Self.redirectRegion(code: code, status: status, headers: headers, bodyRegion: root.text(of: "Region"))
    }

    /// The bucket's region when S3 answered that the request went to the wrong one: a 301
    /// (`PermanentRedirect`), `AuthorizationHeaderMalformed` or `IllegalLocationConstraintException`,
    /// or a bodiless 400/301 to a HEAD; the region from `x-amz-bucket-region`, else the error's `<Region>`.
    static func redirectRegion(code: Code, status: Int, headers: HTTPHeaders, bodyRegion: String?) -> String? {
        let wrongRegion = status == 301 || code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed"
            || code == "IllegalLocationConstraintException" || (status == 400 && code == "BadRequest")
        guard wrongRegion else { return nil }
        return (headers.first(name: "x-amz-bucket-region") ?? bodyRegion).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension S3Error.Code {
    /// The code for an answer without an error document, named after its HTTP status.
    init(statusCode: Int) {
        switch statusCode {
        case 301: self = "PermanentRedirect"
        case 400: self = "BadRequest"
        case 403: self = "Forbidden"
        case 404: self = .notFound
        case 412: self = "PreconditionFailed"
        case 429: self = "TooManyRequests"
        case 500: self = "InternalError"
        case 503: self = "ServiceUnavailable"
        default: self = S3Error.Code("HTTP\(statusCode)")
        }
    }
}
