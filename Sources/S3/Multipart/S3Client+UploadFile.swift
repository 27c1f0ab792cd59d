import AWSAuth
import Logging
import NIOCore

extension S3Client {
    /// Uploads a local file: one PutObject below the multipart threshold, a multipart upload above.
    ///
    /// Multipart uploads read the file part by part (never whole), upload
    /// ``Configuration/multipart`` `.concurrency` parts at once, and sign each part's SHA-256.
    /// If anything fails, or the calling task is cancelled, the upload is aborted
    /// (AbortMultipartUpload) so that no orphaned parts stay billed in the bucket, and the first
    /// error is thrown. The configured ``Configuration/serverSideEncryption`` is requested.
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The object key.
    ///   - path: The local file; it must not change during the upload.
    ///   - logger: Where request and part progress are logged.
    /// - Returns: The key, ETag, size and part count (0 for a single PutObject).
    /// - Throws: ``S3Error`` (code ``S3Error/Code/fileReadFailed`` for local I/O errors), or
    ///   `CancellationError`.
    @discardableResult
    public func uploadFile(bucket: String, key: String, path: String, logger: Logger) async throws -> S3UploadResult {
        let file: PartFile
        do {
            file = try PartFile(path: path)
        } catch {
            throw s3Error(error, request: S3Request(operation: "UploadFile", method: .PUT, bucket: bucket, key: key), attempts: 1)
        }
        let settings = configuration.multipart
        guard file.size >= Int64(settings.threshold) else {
            let part = try await file.readPart(offset: 0, count: Int(file.size), hashed: false)
            return try await putObject(bucket: bucket, key: key, body: part.bytes, logger: logger)
        }

        let partSize = Self.partSize(fileSize: file.size, configured: settings.partSize)
        let partCount = Int((file.size + partSize - 1) / partSize)
        let uploadID = try await createMultipartUpload(bucket: bucket, key: key, logger: logger)
        var logger = logger
        logger[metadataKey: "rrr_s3_upload_id"] = "\(uploadID)"
        logger.debug("S3 multipart upload started", metadata: ["rrr_s3_parts": "\(partCount)", "rrr_s3_part_size": "\(partSize)"])
        do {
            let parts = try await uploadParts(
                of: file, partSize: partSize, partCount: partCount,
                bucket: bucket, key: key, uploadID: uploadID, logger: logger
            )
            let eTag = try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, parts: parts, logger: logger)
            return S3UploadResult(key: key, eTag: eTag, size: file.size, partCount: partCount)
        } catch {
            await abandon(bucket: bucket, key: key, uploadID: uploadID, logger: logger)
            throw error
        }
    }

    /// The part size for a file: the configured one, at least S3's 5 MiB minimum, and large enough
    /// that the file fits in S3's 10,000 parts.
    static func partSize(fileSize: Int64, configured: Int) -> Int64 {
        let forPartLimit = (fileSize + Int64(Multipart.maximumPartCount) - 1) / Int64(Multipart.maximumPartCount)
        return max(Int64(configured), Int64(Multipart.minimumPartSize), forPartLimit)
    }

    /// Uploads every part with at most `concurrency` in flight; on the first failure the group
    /// cancels the others and waits for them before the error propagates.
    private func uploadParts(
        of file: PartFile, partSize: Int64, partCount: Int,
        bucket: String, key: String, uploadID: String, logger: Logger
    ) async throws -> [CompletedPart] {
        let concurrency = max(1, configuration.multipart.concurrency)
        let hashed = configuration.payloadSigning == .signed
        return try await withThrowingTaskGroup(of: CompletedPart.self) { group in
            var nextPart = 1
            func startNextPart() {
                let number = nextPart
                nextPart += 1
                group.addTask {
                    let offset = Int64(number - 1) * partSize
                    let count = Int(min(partSize, file.size - offset))
                    let part = try await file.readPart(offset: offset, count: count, hashed: hashed)
                    return try await uploadPart(
                        bucket: bucket, key: key, uploadID: uploadID, number: number,
                        body: part.bytes, sha256: part.sha256, logger: logger
                    )
                }
            }
            while nextPart <= min(concurrency, partCount) { startNextPart() }
            var completed: [CompletedPart] = []
            completed.reserveCapacity(partCount)
            while let part = try await group.next() {
                completed.append(part)
                if nextPart <= partCount { startNextPart() }
            }
            return completed
        }
    }

    /// Aborts an upload after a failure. It runs in a task of its own because the failure may be
    /// the caller's cancellation, which would otherwise cancel the abort request too.
    private func abandon(bucket: String, key: String, uploadID: String, logger: Logger) async {
        let client = self
        let abort = Task {
            try await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, logger: logger)
        }
        do {
            try await abort.value
            logger.notice("S3 multipart upload aborted after a failure")
        } catch {
            logger.error("S3 multipart upload could not be aborted: its parts stay in the bucket until a lifecycle rule removes them", metadata: ["rrr_s3_error": "\(error)"])
        }
    }
}
