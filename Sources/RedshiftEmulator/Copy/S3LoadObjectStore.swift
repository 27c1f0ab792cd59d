import Logging
import NIOCore
import S3

/// `LoadObjectStore` over the project's S3 client: the COPY's own keys sign every request, so
/// wrong keys fail as they do on Redshift.
struct S3LoadObjectStore: LoadObjectStore {
    let client: S3Client

    init(endpoint: String, region: String, credentials: LoadCredentials) {
        let configuration = S3Client.Configuration(
            credentials: AWSCredentials(accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey,
                                        sessionToken: credentials.sessionToken),
            region: region, endpoint: endpoint, addressingStyle: .path, retryPolicy: .default)
        self.client = S3Client(configuration: configuration)
    }

    /// Lists with the prefix cut before its first `/` and filters here: moto 5.2's SigV4 check
    /// rejects a correctly signed ListObjectsV2 whose `prefix` holds a `/` (so does the AWS CLI's),
    /// and the emulator only ever talks to local stores.
    func keys(bucket: String, prefix: String, logger: Logger) async throws -> [String] {
        let listed = String(prefix.prefix(while: { $0 != "/" }))
        do {
            return try await client.listObjects(bucket: bucket, prefix: listed, logger: logger).map(\.key)
                .filter { $0.hasPrefix(prefix) }.sorted()
        } catch let error as S3Error {
            throw Self.failure(error)
        }
    }

    func read(bucket: String, key: String, logger: Logger, consume: (ByteBuffer) async throws -> Void) async throws {
        let stream: S3ObjectStream
        do {
            stream = try await client.getObject(bucket: bucket, key: key, logger: logger)
        } catch let error as S3Error where error.code == .noSuchKey || error.httpStatus == 404 {
            throw LoadObjectMissing(bucket: bucket, key: key)
        } catch let error as S3Error {
            throw Self.failure(error)
        }
        do {
            for try await chunk in stream { try await consume(chunk) }
        } catch let error as S3Error {
            throw Self.failure(error)
        }
    }

    /// Redshift quotes S3's own words: `S3ServiceException:<message>,Status 403,Error InvalidAccessKeyId`.
    private static func failure(_ error: S3Error) -> LoadObjectStoreFailure {
        LoadObjectStoreFailure(message: "\(error.message),Status \(error.httpStatus.map(String.init) ?? "-"),Error \(error.code)")
    }
}
