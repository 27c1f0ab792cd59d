import AWSAuth
import Foundation
import NIOHTTP1

/// What HeadObject and GetObject tell about an object.
public struct S3ObjectInfo: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// The object's size in bytes (of the returned range, for ranged reads).
    public var contentLength: Int64
    /// The entity tag, quotes removed. For multipart objects it is not an MD5 (`<hash>-<parts>`).
    public var eTag: String
    /// When the object was last written, if the server said.
    public var lastModified: Date?
    /// The `Content-Type` the object was stored with.
    public var contentType: String?
    /// The server-side encryption applied (`AES256`, `aws:kms`), if any.
    public var serverSideEncryption: String?
    /// The KMS key of `aws:kms` encryption, if any.
    public var kmsKeyID: String?
    /// User metadata (`x-amz-meta-*` headers, prefix removed, names lowercased).
    public var metadata: [String: String]

    /// Creates object information.
    public init(
        key: String, contentLength: Int64, eTag: String, lastModified: Date? = nil, contentType: String? = nil,
        serverSideEncryption: String? = nil, kmsKeyID: String? = nil, metadata: [String: String] = [:]
    ) {
        self.key = key
        self.contentLength = contentLength
        self.eTag = eTag
        self.lastModified = lastModified
        self.contentType = contentType
        self.serverSideEncryption = serverSideEncryption
        self.kmsKeyID = kmsKeyID
        self.metadata = metadata
    }

    /// Reads the object's headers from a HeadObject/GetObject answer.
    init(key: String, headers: HTTPHeaders) {
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        self.init(
            key: key,
            contentLength: headers.first(name: "content-length").flatMap { Int64($0) } ?? 0,
            eTag: unquotedETag(headers.first(name: "etag") ?? ""),
            lastModified: headers.first(name: "last-modified").flatMap(S3Timestamp.parseRFC1123),
            contentType: headers.first(name: "content-type"),
            serverSideEncryption: headers.first(name: "x-amz-server-side-encryption"),
            kmsKeyID: headers.first(name: "x-amz-server-side-encryption-aws-kms-key-id"),
            metadata: metadata
        )
    }
}

/// One object in a listing.
public struct S3ObjectSummary: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// The object's size in bytes.
    public var size: Int64
    /// The entity tag, quotes removed.
    public var eTag: String
    /// When the object was last written, if the server said.
    public var lastModified: Date?

    /// Creates a listing entry.
    public init(key: String, size: Int64, eTag: String, lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.eTag = eTag
        self.lastModified = lastModified
    }
}

/// The outcome of writing an object with ``S3Client/putObject(bucket:key:body:logger:)`` or
/// ``S3Client/uploadFile(bucket:key:path:logger:)``.
public struct S3UploadResult: Sendable, Hashable {
    /// The key written.
    public var key: String
    /// The entity tag S3 gave the object, quotes removed.
    public var eTag: String
    /// The number of bytes written.
    public var size: Int64
    /// The number of parts: 0 for a single PutObject, otherwise the multipart upload's part count.
    public var partCount: Int
}

/// S3 sends entity tags in quotes (`"9b2cf535…"`); callers compare them without.
func unquotedETag(_ tag: String) -> String {
    var tag = Substring(tag)
    if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
    if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = tag.dropFirst().dropLast() }
    return String(tag)
}
