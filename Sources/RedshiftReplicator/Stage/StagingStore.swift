import ExportFiles
import Logging

/// One finished export file: on local disk (`stage: disk`) or already in the staging store
/// (`stage: stream`).
public struct ExportedFile: Sendable, Hashable {
    /// Absolute path on disk; for a streamed file, its name.
    public var path: String
    /// File name (used as the S3 object name).
    public var name: String
    /// Records in the file.
    public var recordCount: Int64
    /// Size on disk in bytes.
    public var byteCount: Int64

    /// Creates a description of a file.
    public init(path: String, name: String, recordCount: Int64, byteCount: Int64) {
        self.path = path; self.name = name; self.recordCount = recordCount; self.byteCount = byteCount
    }
}

/// Where the files wait for COPY (S3, or an S3-compatible store).
protocol StagingStore: Sendable {
    /// Uploads `files` and a manifest listing exactly them under `folder`; returns the manifest's `s3://` URL.
    func upload(_ files: [ExportedFile], folder: String, logger: Logger) async throws -> String
    /// Where a streamed export's files go: objects under `folder`, written while the export runs.
    func streamOutputs(folder: String, maxFileSize: Int, logger: Logger) -> any SliceOutputFactory
    /// Writes the manifest listing exactly `files` (already under `folder`); returns its `s3://` URL.
    func writeManifest(_ files: [ExportedFile], folder: String, logger: Logger) async throws -> String
    /// The manifest URL of `folder` (for importing an earlier upload again).
    func manifestURL(folder: String) -> String
    /// Deletes every object under `folder` (all pages of the listing) and aborts its incomplete
    /// multipart uploads (a killed streamed export's).
    func deleteFolder(_ folder: String, logger: Logger) async throws
    /// The replication folders directly under `parent` (`<parent>/<key>`) holding any object.
    func folders(under parent: String, logger: Logger) async throws -> [String]
    /// How COPY reads the staged files: its authorization clause and the bucket's region.
    func copyAccess(logger: Logger) async throws -> CopyAccess
}

/// What COPY needs to read the staged files.
struct CopyAccess: Sendable {
    var credentials: RedshiftCredentials
    /// The bucket's region (COPY's `REGION`).
    var region: String
    /// The credential provider the keys came from, for messages; `nil` for an IAM role.
    var provider: String?
}
