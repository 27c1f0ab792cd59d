import AsyncHTTPClient
import AWSAuth
import Foundation
import Logging

/// A client for Amazon S3 and S3-compatible stores (moto, MinIO, …), built on AsyncHTTPClient.
///
/// Requests are signed with AWS Signature Version 4 with credentials from an ``AWSCredentialProvider``
/// (fixed ``AWSCredentials`` or an ``AWSCredentialChain`` that renews them), asked for every attempt;
/// retried with jittered backoff on throttling, 5xx answers and dropped connections
/// (``RetryPolicy``), and fail with an ``S3Error`` carrying S3's code and message.
///
/// ```swift
/// let credentials = try AWSCredentials.fromEnvironment()!
/// let s3 = S3Client(configuration: .init(credentials: credentials, region: "eu-west-1"))
/// try await s3.uploadFile(bucket: "exports", key: "users/part_00.csv.gz", path: "/tmp/part_00.csv.gz", logger: logger)
/// for try await chunk in try await s3.getObject(bucket: "exports", key: "users/part_00.csv.gz", logger: logger) {
///     consume(chunk)
/// }
/// ```
///
/// Operations: ``putObject(bucket:key:body:logger:)``, ``uploadFile(bucket:key:path:logger:)``
/// (multipart above a threshold), ``getObject(bucket:key:logger:)`` (streamed),
/// ``getObjectData(bucket:key:maximumSize:logger:)``, ``headObject(bucket:key:logger:)``,
/// ``listObjects(bucket:prefix:logger:)`` (all pages), ``deleteObjects(bucket:keys:logger:)``
/// (batches of 1,000), ``createBucket(_:logger:)`` and ``deleteBucket(_:logger:)``.
///
/// The client is a cheap value: copy it freely across tasks. It does not own the `HTTPClient`.
public struct S3Client: Sendable {
    /// The configuration this client was created with.
    public let configuration: Configuration
    /// The HTTP client requests go through; owned (and shut down) by the caller.
    public let httpClient: HTTPClient
    /// The parsed endpoint, or why the configured one is unusable (reported by the first request).
    let endpoint: Result<S3Endpoint, S3Error>
    /// Buckets found in another region than the configured one, shared by copies of the client.
    let bucketRegions = BucketRegions()

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: Endpoint, region, credentials and behaviour.
    ///   - httpClient: The HTTP client to send requests with. Default `HTTPClient.shared`, which
    ///     needs no shutdown (90 s connect and read timeouts). Note that `HTTPClient.shared`
    ///     decompresses bodies stored with a `Content-Encoding`; pass a client with decompression
    ///     disabled to read such objects byte for byte (rrr never sets `Content-Encoding`).
    public init(configuration: Configuration, httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.endpoint = Result { () throws(S3Error) in
            try S3Endpoint(endpoint: configuration.endpoint, region: configuration.region)
        }
    }

    /// The region requests for `bucket` are signed for: the one S3 named for it, else the configured one.
    /// COPY needs it too (`REGION`), when the bucket is not in the cluster's region.
    public func region(of bucket: String) -> String {
        bucketRegions[bucket] ?? configuration.region
    }
}

/// Bucket -> region, learned from S3's redirects (`x-amz-bucket-region`).
final class BucketRegions: @unchecked Sendable {
    private let lock = NSLock()
    private var regions: [String: String] = [:]

    subscript(bucket: String) -> String? {
        get { lock.withLock { regions[bucket] } }
        set { lock.withLock { regions[bucket] = newValue } }
    }
}

extension S3Client {
    /// The logger with the request's operation, bucket and key as metadata.
    func requestLogger(_ logger: Logger, operation: String, bucket: String?, key: String?) -> Logger {
        var logger = logger
        logger[metadataKey: "rrr_s3_operation"] = "\(operation)"
        if let bucket { logger[metadataKey: "rrr_s3_bucket"] = "\(bucket)" }
        if let key { logger[metadataKey: "rrr_s3_key"] = "\(key)" }
        return logger
    }
}
