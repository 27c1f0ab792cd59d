public import Logging
public import NIOCore

/// Where COPY reads its objects: the S3 endpoint, with the statement's credentials.
protocol LoadObjectStore: Sendable {
    /// Keys starting with `prefix`, in key order (ListObjectsV2, all pages).
    func keys(bucket: String, prefix: String, logger: Logger) async throws -> [String]
    /// Streams the object's bytes to `consume`, chunk by chunk; throws `LoadObjectMissing` for a missing key.
    func read(bucket: String, key: String, logger: Logger, consume: (ByteBuffer) async throws -> Void) async throws
}

/// The object does not exist (S3 NoSuchKey).
struct LoadObjectMissing: Error, CustomStringConvertible {
    var bucket: String
    var key: String
    var description: String { "S3ServiceException:The specified key does not exist.,Status 404,Error NoSuchKey,Bucket \(bucket),Key \(key)" }
}

/// S3 refused or failed a request; `message` is what Redshift would quote after `S3ServiceException:`.
struct LoadObjectStoreFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "S3ServiceException:\(message)" }
}

/// Makes stores for a COPY's credentials.
typealias LoadObjectStoreFactory = @Sendable (_ credentials: LoadCredentials, _ region: String) throws -> any LoadObjectStore

/// The keys a COPY reads S3 with. Prints redacted.
struct LoadCredentials: Sendable, CustomStringConvertible {
    var accessKeyID: String
    var secretAccessKey: String
    var sessionToken: String?
    var description: String { "\(accessKeyID) / ****" }
}
