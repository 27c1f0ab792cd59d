import AWSAuth
import Logging
import NIOCore

/// One uploaded part, as CompleteMultipartUpload needs it.
struct CompletedPart: Sendable, Hashable {
    var number: Int
    var eTag: String
}

/// A multipart upload in progress, as ListMultipartUploads reports it.
struct MultipartUploadSummary: Sendable, Hashable {
    var key: String
    var uploadID: String
}

extension S3Client {
    /// Starts a multipart upload (CreateMultipartUpload) with the configured encryption.
    func createMultipartUpload(bucket: String, key: String, logger: Logger) async throws -> String {
        var request = S3Request(operation: "CreateMultipartUpload", method: .POST, bucket: bucket, key: key)
        request.query = [QueryItem("uploads")]
        request.headers += configuration.serverSideEncryption?.headers ?? []
        let answer = try await performCollecting(request, logger: logger)
        let root = try parseXML(answer.body, request: request, expecting: "InitiateMultipartUploadResult")
        guard let uploadID = root.text(of: "UploadId"), !uploadID.isEmpty else {
            throw S3Error(code: .invalidResponse, message: "no UploadId in the answer", operation: request.operation, bucket: bucket, key: key)
        }
        return uploadID
    }

    /// Uploads one part (UploadPart); `sha256` is the body's hash when already computed.
    func uploadPart(
        bucket: String, key: String, uploadID: String, number: Int, body: ByteBuffer, sha256: String?, logger: Logger
    ) async throws -> CompletedPart {
        var request = S3Request(operation: "UploadPart", method: .PUT, bucket: bucket, key: key, body: body, bodySHA256: sha256)
        request.query = [QueryItem("partNumber", String(number)), QueryItem("uploadId", uploadID)]
        let eTag = try await perform(request, logger: logger) { response in
            _ = try await response.body.collect(upTo: Self.maximumXMLBodySize)
            return response.headers.first(name: "etag")
        }
        guard let eTag, !eTag.isEmpty else {
            throw S3Error(code: .invalidResponse, message: "no ETag for part \(number)", operation: request.operation, bucket: bucket, key: key)
        }
        return CompletedPart(number: number, eTag: unquotedETag(eTag))
    }

    /// Joins the parts into the object (CompleteMultipartUpload) and returns its ETag.
    func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts: [CompletedPart], logger: Logger
    ) async throws -> String {
        var xml = #"<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
        for part in parts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(xmlEscaped(part.eTag))\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var request = S3Request(operation: "CompleteMultipartUpload", method: .POST, bucket: bucket, key: key, body: ByteBuffer(string: xml))
        request.query = [QueryItem("uploadId", uploadID)]
        // Failures may arrive inside a 200 answer; performCollecting turns those into (retried) errors.
        let answer = try await performCollecting(request, logger: logger)
        // moto names the root CompleteMultipartUploadResponse; S3 CompleteMultipartUploadResult.
        let root = try parseXML(
            answer.body, request: request, expecting: "CompleteMultipartUploadResult", or: "CompleteMultipartUploadResponse"
        )
        return unquotedETag(root.text(of: "ETag") ?? "")
    }

    /// Abandons a multipart upload (AbortMultipartUpload) so that S3 frees its parts.
    func abortMultipartUpload(bucket: String, key: String, uploadID: String, logger: Logger) async throws {
        var request = S3Request(operation: "AbortMultipartUpload", method: .DELETE, bucket: bucket, key: key)
        request.query = [QueryItem("uploadId", uploadID)]
        do {
            _ = try await performCollecting(request, logger: logger)
        } catch let error as S3Error where error.code == .noSuchUpload {
            // Already gone: the goal of an abort.
        }
    }

    /// The multipart uploads in progress under a prefix (first 1,000), to check that none is orphaned.
    func listMultipartUploads(bucket: String, prefix: String, logger: Logger) async throws -> [MultipartUploadSummary] {
        var request = S3Request(operation: "ListMultipartUploads", method: .GET, bucket: bucket)
        request.query = [QueryItem("uploads"), QueryItem("prefix", prefix)]
        let answer = try await performCollecting(request, logger: logger)
        let root = try parseXML(answer.body, request: request, expecting: "ListMultipartUploadsResult")
        return root.children("Upload").compactMap { upload in
            guard let key = upload.text(of: "Key"), let id = upload.text(of: "UploadId") else { return nil }
            return MultipartUploadSummary(key: key, uploadID: id)
        }
    }
}
