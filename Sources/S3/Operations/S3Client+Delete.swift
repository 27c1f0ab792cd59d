import AWSAuth
import Crypto
import Foundation
import Logging
import NIOCore

extension S3Client {
    /// S3's limit of keys in one DeleteObjects request.
    static let deleteBatchSize = 1_000

    /// Deletes objects, 1,000 keys per DeleteObjects request (S3's limit).
    ///
    /// Keys that do not exist count as deleted (S3's rule). Batches run one after the other; each
    /// is retried as a whole on throttling or connection failures (deleting twice is harmless).
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - keys: The keys to delete; any number, duplicates allowed.
    ///   - logger: Where request details are logged.
    /// - Throws: ``S3Error``. When S3 refuses some keys of a batch, code
    ///   ``S3Error/Code/partialDelete`` names how many and the first few keys with their codes;
    ///   the remaining batches are not attempted.
    public func deleteObjects(bucket: String, keys: [String], logger: Logger) async throws {
        var start = keys.startIndex
        while start < keys.endIndex {
            let end = min(start + Self.deleteBatchSize, keys.endIndex)
            try await deleteBatch(bucket: bucket, keys: keys[start..<end], logger: logger)
            start = end
        }
    }

    private func deleteBatch(bucket: String, keys: ArraySlice<String>, logger: Logger) async throws {
        // Quiet mode: S3 reports only the keys it failed to delete.
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>"#
        for key in keys { xml += "<Object><Key>\(xmlEscaped(key))</Key></Object>" }
        xml += "</Delete>"
        let body = ByteBuffer(string: xml)

        var request = S3Request(operation: "DeleteObjects", method: .POST, bucket: bucket, body: body)
        request.query = [QueryItem("delete")]
        // S3 requires an integrity header on DeleteObjects: Content-MD5 is the one every store knows.
        request.headers = [
            ("content-md5", Data(Insecure.MD5.hash(data: Array(xml.utf8))).base64EncodedString()),
            ("content-type", "application/xml"),
        ]
        let answer = try await performCollecting(request, logger: logger)
        let root = try parseXML(answer.body, request: request, expecting: "DeleteResult")
        let failures = root.children("Error")
        guard failures.isEmpty else {
            let sample = failures.prefix(5).map { failure in
                "\(failure.text(of: "Key") ?? "?") (\(failure.text(of: "Code") ?? "?"): \(failure.text(of: "Message") ?? ""))"
            }
            throw S3Error(
                code: .partialDelete,
                message: "\(failures.count) of \(keys.count) keys were not deleted, e.g. \(sample.joined(separator: "; "))",
                operation: request.operation, bucket: bucket
            )
        }
        logger.debug("S3 batch deleted", metadata: ["rrr_s3_bucket": "\(bucket)", "rrr_s3_count": "\(keys.count)"])
    }
}
