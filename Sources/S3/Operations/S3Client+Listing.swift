import AWSAuth
import Logging
import NIOCore

extension S3Client {
    /// Lists every object whose key starts with `prefix`, following all pages (ListObjectsV2).
    ///
    /// S3 answers at most 1,000 keys per request; this follows the continuation tokens until the
    /// listing is complete. Keys come back in S3's order (UTF-8 binary order). Keys are requested
    /// URL-encoded (`encoding-type=url`) so that any key, even one with control characters,
    /// survives the XML.
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - prefix: Only keys starting with it are listed. Default `""`: every key.
    ///   - logger: Where request details are logged.
    /// - Returns: Every matching object, with size, ETag and modification time.
    /// - Throws: ``S3Error``, e.g. code ``S3Error/Code/noSuchBucket``.
    public func listObjects(bucket: String, prefix: String = "", logger: Logger) async throws -> [S3ObjectSummary] {
        try await listObjects(bucket: bucket, prefix: prefix, pageSize: 1_000, logger: logger)
    }

    /// ``listObjects(bucket:prefix:logger:)`` with a chosen page size, so tests can force many pages.
    func listObjects(bucket: String, prefix: String, pageSize: Int, logger: Logger) async throws -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        var continuationToken: String?
        repeat {
            var request = S3Request(operation: "ListObjectsV2", method: .GET, bucket: bucket)
            request.query = [QueryItem("list-type", "2"), QueryItem("encoding-type", "url")]
            if !prefix.isEmpty { request.query.append(QueryItem("prefix", prefix)) }
            if pageSize != 1_000 { request.query.append(QueryItem("max-keys", String(pageSize))) }
            if let continuationToken { request.query.append(QueryItem("continuation-token", continuationToken)) }

            let page = try await performCollecting(request, logger: logger)
            let root = try parseXML(page.body, request: request, expecting: "ListBucketResult")
            let urlEncoded = root.text(of: "EncodingType") == "url"
            for entry in root.children("Contents") {
                guard let rawKey = entry.text(of: "Key") else { continue }
                objects.append(S3ObjectSummary(
                    key: urlEncoded ? SigV4Encoding.percentDecode(rawKey) : rawKey,
                    size: entry.text(of: "Size").flatMap { Int64($0) } ?? 0,
                    eTag: unquotedETag(entry.text(of: "ETag") ?? ""),
                    lastModified: entry.text(of: "LastModified").flatMap(S3Timestamp.parseISO8601)
                ))
            }
            let truncated = root.text(of: "IsTruncated") == "true"
            continuationToken = truncated ? root.text(of: "NextContinuationToken") : nil
            if truncated, continuationToken == nil {
                throw S3Error(
                    code: .invalidResponse, message: "a truncated listing page came without NextContinuationToken",
                    operation: request.operation, bucket: bucket
                )
            }
        } while continuationToken != nil
        logger.debug("S3 listing complete", metadata: ["rrr_s3_bucket": "\(bucket)", "rrr_s3_count": "\(objects.count)"])
        return objects
    }

    /// Parses an XML result whose root element must be `expecting` (or the `alternative` name).
    func parseXML(
        _ body: ByteBuffer, request: S3Request, expecting rootName: String, or alternative: String? = nil
    ) throws(S3Error) -> XMLNode {
        let root: XMLNode
        do {
            root = try XMLNode.parse(body.readableBytesView)
        } catch {
            throw S3Error(
                code: .invalidResponse, message: "the \(rootName) answer is not XML: \(error)",
                operation: request.operation, bucket: request.bucket, key: request.key
            )
        }
        guard root.name == rootName || root.name == alternative else {
            throw S3Error(
                code: .invalidResponse, message: "expected <\(rootName)>, got <\(root.name)>",
                operation: request.operation, bucket: request.bucket, key: request.key
            )
        }
        return root
    }
}
