/// Server-side encryption requested for objects written by ``S3Client``.
///
/// Sent as `x-amz-server-side-encryption` (and `x-amz-server-side-encryption-aws-kms-key-id`) on
/// PutObject and CreateMultipartUpload; S3 applies it to every part of a multipart upload.
public enum ServerSideEncryption: Sendable, Hashable {
    /// SSE-S3: keys managed by S3 (`AES256`).
    case aes256
    /// SSE-KMS (`aws:kms`) with a KMS key ID or ARN; `nil` (the default) uses the account's
    /// AWS-managed `aws/s3` key.
    case kms(keyID: String? = nil)

    /// The value of `x-amz-server-side-encryption`.
    public var algorithm: String {
        switch self {
        case .aes256: "AES256"
        case .kms: "aws:kms"
        }
    }

    /// The request headers that ask for this encryption.
    var headers: [(name: String, value: String)] {
        switch self {
        case .aes256:
            return [("x-amz-server-side-encryption", algorithm)]
        case .kms(let keyID):
            var headers = [(name: "x-amz-server-side-encryption", value: algorithm)]
            if let keyID { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID)) }
            return headers
        }
    }
}
