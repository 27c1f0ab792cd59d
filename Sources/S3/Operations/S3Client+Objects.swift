import AWSAuth
import Logging
import NIOCore

extension S3Client {
    /// Writes an object in one PutObject request.
    ///
    /// The body is held in memory (so retries can resend it) and its SHA-256 is signed. For large
    /// data on disk use ``uploadFile(bucket:key:path:logger:)``, which switches to multipart.
    /// The configured ``Configuration/serverSideEncryption`` is requested.
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The object key; any Unicode text, `/` separates "folders".
    ///   - body: The object's bytes (up to 5 GiB, S3's single-PUT limit).
    ///   - logger: Where request details are logged (debug level; retries at notice).
    /// - Returns: The key, ETag and size written.
    /// - Throws: ``S3Error``.
    @discardableResult
    public func putObject(bucket: String, key: String, body: ByteBuffer, logger: Logger) async throws -> S3UploadResult {
        var request = S3Request(operation: "PutObject", method: .PUT, bucket: bucket, key: key, body: body)
        request.headers += configuration.serverSideEncryption?.headers ?? []
        let eTag = try await perform(request, logger: logger) { response in
            _ = try await response.body.collect(upTo: Self.maximumXMLBodySize)
            return unquotedETag(response.headers.first(name: "etag") ?? "")
        }
        return S3UploadResult(key: key, eTag: eTag, size: Int64(body.readableBytes), partCount: 0)
    }

    /// Writes an object in one PutObject request; see ``putObject(bucket:key:body:logger:)``.
    @discardableResult
    public func putObject(bucket: String, key: String, body: some Sequence<UInt8>, logger: Logger) async throws -> S3UploadResult {
        try await putObject(bucket: bucket, key: key, body: ByteBuffer(bytes: body), logger: logger)
    }

    /// Reads an object's size, ETag, timestamps, encryption and user metadata without its body.
    /// - Throws: ``S3Error``; a missing object or bucket gives code ``S3Error/Code/notFound``
    ///   (HEAD answers carry no error document, so S3 cannot say which).
    public func headObject(bucket: String, key: String, logger: Logger) async throws -> S3ObjectInfo {
        let request = S3Request(operation: "HeadObject", method: .HEAD, bucket: bucket, key: key)
        return try await perform(request, logger: logger) { response in
            S3ObjectInfo(key: key, headers: response.headers)
        }
    }

    /// Reads a whole object into memory: for small objects such as manifests.
    /// - Parameter maximumSize: The largest object accepted. Default 64 MiB.
    /// - Throws: ``S3Error``; code `EntityTooLarge` when the object exceeds `maximumSize`.
    public func getObjectData(
        bucket: String, key: String, maximumSize: Int = 64 * 1024 * 1024, logger: Logger
    ) async throws -> ByteBuffer {
        let object = try await getObject(bucket: bucket, key: key, logger: logger)
        guard object.info.contentLength <= Int64(maximumSize) else {
            throw S3Error(
                code: "EntityTooLarge",
                message: "the object has \(object.info.contentLength) bytes, more than the \(maximumSize) accepted",
                operation: "GetObject", bucket: bucket, key: key
            )
        }
        var data = ByteBuffer()
        data.reserveCapacity(Int(object.info.contentLength))
        for try await var chunk in object { data.writeBuffer(&chunk) }
        return data
    }
}
