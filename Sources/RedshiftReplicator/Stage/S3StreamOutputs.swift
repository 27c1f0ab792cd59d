import AsyncSupport
import ExportFiles
import Logging
import S3

/// A streamed export's files: each one an S3 object under the replication's folder, written in
/// multipart parts while the export runs (``S3ObjectWriter``: one filling part per file, two parts uploading across the export).
struct S3StreamOutputs: SliceOutputFactory {
    let client: S3Client
    let bucket: String
    let folder: String
    /// Parts of 5 MiB, larger when a file of `maxFileSize` would need more than S3's 10,000 parts.
    let partSize: Int
    let logger: Logger
    /// Parts in flight across all of the export's files: two, so memory is one filling part per
    /// file plus two uploading, while two uploads keep the network busy.
    let uploads = AsyncPermits(total: 2)

    init(client: S3Client, bucket: String, folder: String, maxFileSize: Int, logger: Logger) {
        self.client = client
        self.bucket = bucket
        self.folder = folder
        let minimum = S3Client.Multipart.minimumPartSize, forLimit = maxFileSize / S3Client.Multipart.maximumPartCount + 1
        self.partSize = max(minimum, forLimit)
        self.logger = logger
    }

    func open(fileName: String) async throws -> any SliceOutput {
        S3SliceOutput(S3ObjectWriter(
            client: client, bucket: bucket, key: folder + "/" + fileName, partSize: partSize, logger: logger, uploads: uploads,
            partUploaded: { _ in Failpoint.hit("part-uploaded") }))
    }
}

/// One export file streamed to S3.
final class S3SliceOutput: SliceOutput {
    private let writer: S3ObjectWriter

    init(_ writer: S3ObjectWriter) { self.writer = writer }

    func write(_ bytes: [UInt8]) async throws { try await writer.write(bytes) }
    func finish() async throws { try await writer.finish() }
    func abort() async { await writer.abort() }
}
