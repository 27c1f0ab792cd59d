import AWSAuth
import Logging
import NIOCore

extension S3Client {
    /// Creates a bucket in the configured region; succeeds if this account already owns it.
    ///
    /// Outside `us-east-1` the region is sent as the bucket's `LocationConstraint`, as S3 requires.
    /// - Throws: ``S3Error``, e.g. code `BucketAlreadyExists` when another account owns the name.
    public func createBucket(_ bucket: String, logger: Logger) async throws {
        var request = S3Request(operation: "CreateBucket", method: .PUT, bucket: bucket)
        if configuration.region != "us-east-1" {
            request.body = ByteBuffer(string: """
                <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
                <LocationConstraint>\(xmlEscaped(configuration.region))</LocationConstraint>\
                </CreateBucketConfiguration>
                """)
        }
        do {
            _ = try await performCollecting(request, logger: logger)
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" {
            logger.debug("S3 bucket already exists", metadata: ["rrr_s3_bucket": "\(bucket)"])
        }
    }

    /// Deletes an empty bucket.
    /// - Throws: ``S3Error``, e.g. code `BucketNotEmpty` or ``S3Error/Code/noSuchBucket``.
    public func deleteBucket(_ bucket: String, logger: Logger) async throws {
        let request = S3Request(operation: "DeleteBucket", method: .DELETE, bucket: bucket)
        _ = try await performCollecting(request, logger: logger)
    }
}
