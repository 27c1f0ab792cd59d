public import AsyncSupport
public import Logging
import NIOCore

/// Writes one S3 object from bytes appended as they are produced, without a local file.
///
/// Bytes gather into a part buffer of exactly ``partSize`` bytes (allocated once per part, never
/// grown); a full part is uploaded (UploadPart) in the background while the next one fills, so at
/// most two parts are in memory and the producer waits only when the upload falls behind. Writers
/// given one shared `uploads` budget (e.g. all files of one export) have at most that many parts
/// in flight between them, which bounds memory by `writers + budget` parts instead of `2 x writers`. An object that ends below one part is sent with one
/// PutObject at ``finish()``; S3 takes parts of at least 5 MiB except the last. A failure, or
/// ``abort()``, aborts the multipart upload (AbortMultipartUpload) so that no parts stay in the
/// bucket; a process killed mid-upload leaves an incomplete upload that
/// ``S3Client/abortMultipartUploads(bucket:prefix:logger:)`` removes. Used by one task at a time.
public final class S3ObjectWriter {
    /// The bucket and key written.
    public let bucket: String, key: String
    /// Bytes per part (at least 5 MiB).
    public let partSize: Int
    private let client: S3Client
    private let logger: Logger
    private let partUploaded: @Sendable (Int) -> Void
    private let uploads: AsyncPermits?
    private var buffer: ByteBuffer
    private var uploadID: String?
    private var parts: [CompletedPart] = []
    private var inFlight: Task<CompletedPart, any Error>?
    private var size: Int64 = 0

    /// Creates a writer; nothing is sent until a part fills or ``finish()`` runs.
    /// - Parameter partUploaded: called with each part's number once S3 has it.
    public init(client: S3Client, bucket: String, key: String, partSize: Int = S3Client.Multipart.minimumPartSize,
                logger: Logger, uploads: AsyncPermits? = nil, partUploaded: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.partSize = max(partSize, S3Client.Multipart.minimumPartSize)
        self.logger = logger
        self.partUploaded = partUploaded
        self.uploads = uploads
        buffer = ByteBuffer()
    }

    /// Appends bytes; waits while the previous part is still uploading and another part is full.
    public func write(_ bytes: [UInt8]) async throws {
        size += Int64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            if buffer.capacity < partSize { buffer.reserveCapacity(partSize) }
            let take = min(partSize - buffer.readableBytes, bytes.count - offset)
            buffer.writeBytes(bytes[offset..<(offset + take)])
            offset += take
            if buffer.readableBytes == partSize {
                let part = buffer
                buffer = ByteBuffer()
                try await send(part)
            }
        }
    }

    /// Sends what remains and completes the object.
    @discardableResult
    public func finish() async throws -> S3UploadResult {
        do {
            guard uploadID != nil else {
                let result = try await client.putObject(bucket: bucket, key: key, body: buffer, logger: logger)
                buffer = ByteBuffer()
                return result
            }
            if buffer.readableBytes > 0 { try await send(buffer) }
            buffer = ByteBuffer()
            try await collectInFlight()
            let eTag = try await client.completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID!, parts: parts, logger: logger)
            let count = parts.count
            uploadID = nil
            return S3UploadResult(key: key, eTag: eTag, size: size, partCount: count)
        } catch {
            await abort()
            throw error
        }
    }

    /// Stops the upload: an in-flight part is cancelled and the multipart upload aborted. Never fails.
    public func abort() async {
        inFlight?.cancel()
        _ = try? await inFlight?.value
        inFlight = nil
        buffer = ByteBuffer()
        guard let uploadID else { return }
        self.uploadID = nil
        let client = client, bucket = bucket, key = key, logger = logger
        // Its own task: the caller may be cancelled, which would cancel the abort request too.
        let abort = Task { try await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, logger: logger) }
        do {
            try await abort.value
            logger.notice("S3 multipart upload aborted", metadata: ["rrr_s3_key": "\(key)"])
        } catch {
            logger.error("S3 multipart upload could not be aborted: its parts stay until a lifecycle rule or the next run removes them",
                         metadata: ["rrr_s3_key": "\(key)", "rrr_s3_error": "\(error)"])
        }
    }

    private func send(_ part: ByteBuffer) async throws {
        do {
            if uploadID == nil { uploadID = try await client.createMultipartUpload(bucket: bucket, key: key, logger: logger) }
            try await collectInFlight()
            guard parts.count < S3Client.Multipart.maximumPartCount else {
                throw S3Error(code: .invalidResponse, message: "more than \(S3Client.Multipart.maximumPartCount) parts", operation: "UploadPart", bucket: bucket, key: key)
            }
            let number = parts.count + 1
            // The shared budget is taken before the task starts, so a full budget holds the producer back.
            try await uploads?.acquire()
            let client = client, bucket = bucket, key = key, uploadID = uploadID!, logger = logger, partUploaded = partUploaded
            let uploads = uploads
            inFlight = Task {
                defer { uploads?.release() }
                let done = try await client.uploadPart(
                    bucket: bucket, key: key, uploadID: uploadID, number: number, body: part, sha256: nil, logger: logger)
                partUploaded(number)
                return done
            }
        } catch {
            await abort()
            throw error
        }
    }

    private func collectInFlight() async throws {
        guard let task = inFlight else { return }
        inFlight = nil
        parts.append(try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() })
    }
}

extension S3Client {
    /// Aborts every incomplete multipart upload under `prefix` (all pages), e.g. those a killed
    /// process left; returns how many. Incomplete uploads are invisible to ListObjects but billed.
    @discardableResult
    public func abortMultipartUploads(bucket: String, prefix: String, logger: Logger) async throws -> Int {
        var aborted = 0
        for _ in 0..<100 {
            let uploads = try await listMultipartUploads(bucket: bucket, prefix: prefix, logger: logger)
            guard !uploads.isEmpty else { return aborted }
            for upload in uploads {
                try await abortMultipartUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID, logger: logger)
                aborted += 1
            }
        }
        return aborted
    }

    /// The keys of the incomplete multipart uploads under `prefix` (first 1,000).
    public func incompleteMultipartUploadKeys(bucket: String, prefix: String, logger: Logger) async throws -> [String] {
        try await listMultipartUploads(bucket: bucket, prefix: prefix, logger: logger).map(\.key)
    }
}
