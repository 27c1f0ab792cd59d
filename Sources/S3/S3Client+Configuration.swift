import AWSAuth

extension S3Client {
    /// Everything an ``S3Client`` needs to reach a store: where, as whom, and how to behave.
    public struct Configuration: Sendable {
        /// The endpoint URL, e.g. `http://127.0.0.1:9000` for an S3-compatible store.
        /// Default `nil`: AWS's regional endpoint `https://s3.<region>.amazonaws.com`.
        public var endpoint: String?
        /// The region requests are signed for. Default `us-east-1`. A bucket found in another region
        /// (S3 names it in `x-amz-bucket-region`) is addressed in its own region from then on.
        public var region: String
        /// How buckets appear in URLs. Default ``AddressingStyle/automatic``.
        public var addressingStyle: AddressingStyle
        /// Where the credentials requests are signed with come from: fixed ``AWSCredentials`` or an
        /// ``AWSCredentialChain`` that renews temporary ones. Asked again for every attempt.
        public var credentialProvider: any AWSCredentialProvider
        /// When and how failed requests are retried. Default ``RetryPolicy/default``.
        public var retryPolicy: RetryPolicy
        /// Server-side encryption requested for every object written. Default `nil` (the bucket's default).
        public var serverSideEncryption: ServerSideEncryption?
        /// Multipart upload tuning. Default: 8 MiB parts above 16 MiB, 4 parts in flight.
        public var multipart: Multipart
        /// Whether request bodies are hashed into the signature. Default ``PayloadSigning/signed``.
        public var payloadSigning: PayloadSigning
        /// How long one attempt may take until the response head arrives (uploads included).
        /// Default 120 seconds. Streaming a response body afterwards is not bounded by it.
        public var requestTimeout: Duration

        /// Creates a configuration with fixed credentials; every other parameter has the documented default.
        public init(
            credentials: AWSCredentials,
            region: String = "us-east-1",
            endpoint: String? = nil,
            addressingStyle: AddressingStyle = .automatic,
            retryPolicy: RetryPolicy = .default,
            serverSideEncryption: ServerSideEncryption? = nil,
            multipart: Multipart = Multipart(),
            payloadSigning: PayloadSigning = .signed,
            requestTimeout: Duration = .seconds(120)
        ) {
            self.init(credentialProvider: credentials, region: region, endpoint: endpoint, addressingStyle: addressingStyle,
                      retryPolicy: retryPolicy, serverSideEncryption: serverSideEncryption, multipart: multipart,
                      payloadSigning: payloadSigning, requestTimeout: requestTimeout)
        }

        /// Creates a configuration whose credentials come from a provider (e.g. an ``AWSCredentialChain``);
        /// every other parameter has the documented default.
        public init(
            credentialProvider: any AWSCredentialProvider,
            region: String = "us-east-1",
            endpoint: String? = nil,
            addressingStyle: AddressingStyle = .automatic,
            retryPolicy: RetryPolicy = .default,
            serverSideEncryption: ServerSideEncryption? = nil,
            multipart: Multipart = Multipart(),
            payloadSigning: PayloadSigning = .signed,
            requestTimeout: Duration = .seconds(120)
        ) {
            self.credentialProvider = credentialProvider
            self.region = region
            self.endpoint = endpoint
            self.addressingStyle = addressingStyle
            self.retryPolicy = retryPolicy
            self.serverSideEncryption = serverSideEncryption
            self.multipart = multipart
            self.payloadSigning = payloadSigning
            self.requestTimeout = requestTimeout
        }
    }

    /// Where the bucket name goes in request URLs.
    public enum AddressingStyle: Sendable, Hashable {
        /// Path-style, `https://endpoint/bucket/key`: what S3-compatible stores (moto, MinIO) expect.
        case path
        /// Virtual-hosted, `https://bucket.endpoint/key`: what AWS prefers.
        case virtualHosted
        /// Virtual-hosted on AWS's own endpoint when the bucket name is a plain DNS label
        /// (no dots, which would break TLS wildcard certificates); path-style otherwise and for
        /// custom endpoints.
        case automatic
    }

    /// Whether request bodies are hashed into the signature.
    public enum PayloadSigning: Sendable, Hashable {
        /// The body's SHA-256 is signed (`x-amz-content-sha256: <hex>`): the server verifies the body
        /// arrived intact. Costs one hashing pass over each body.
        case signed
        /// Bodies are sent as `UNSIGNED-PAYLOAD`, saving the hash. Only sensible over HTTPS, where TLS
        /// protects the body; stores that verify payloads (moto) reject it.
        case unsigned
    }

    /// Multipart upload tuning for ``S3Client/uploadFile(bucket:key:path:logger:)``.
    public struct Multipart: Sendable, Hashable {
        /// S3's smallest part size (except the last part): 5 MiB.
        public static let minimumPartSize = 5 * 1024 * 1024
        /// S3's largest number of parts in one upload.
        public static let maximumPartCount = 10_000

        /// The size of each part. Default 8 MiB; raised to at least ``minimumPartSize``, and grown for
        /// files so large that they would need more than ``maximumPartCount`` parts.
        public var partSize: Int
        /// Files of at least this size are uploaded in parts; smaller ones with one PutObject.
        /// Default 16 MiB.
        public var threshold: Int
        /// How many parts are uploaded at once. Memory used is about `concurrency × partSize`.
        /// Default 4.
        public var concurrency: Int

        /// Creates multipart settings with the documented defaults.
        public init(partSize: Int = 8 * 1024 * 1024, threshold: Int = 16 * 1024 * 1024, concurrency: Int = 4) {
            self.partSize = partSize
            self.threshold = threshold
            self.concurrency = concurrency
        }
    }
}
