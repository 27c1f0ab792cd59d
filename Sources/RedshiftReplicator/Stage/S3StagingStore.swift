import AWSAuth
import ExportFiles
import Foundation
import Logging
import S3

/// Stages export files in S3 (or an S3-compatible store such as moto or MinIO).
struct S3StagingStore: StagingStore {
    let client: S3Client
    let bucket: String
    /// `aws.iam_role`: what COPY authorizes with instead of the chain's credentials.
    let iamRole: String?

    /// COPY asks for credentials that live at least this long: Redshift needs them until the
    /// statement ends.
    static let copyCredentialLifetime: Duration = .seconds(15 * 60)

    /// Builds the client from the storage settings, signed with the run's credential chain; the
    /// endpoint is `s3.endpoint`, else `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`, else AWS.
    init(storage: ReplicatorConfiguration.Storage, aws: AWSClient) {
        let endpoint = storage.endpoint ?? aws.environment.configuredEndpoint(for: .s3)
        client = S3Client(configuration: .init(credentialProvider: aws.credentials, region: storage.region, endpoint: endpoint))
        bucket = storage.bucket
        iamRole = storage.iamRole
    }

    /// `aws.iam_role` when set, else the chain's current credentials (renewed first when they
    /// would not outlive a long COPY); the region is the bucket's, as S3 named it.
    func copyAccess(logger: Logger) async throws -> CopyAccess {
        let region = client.region(of: bucket)
        if let iamRole { return CopyAccess(credentials: .iamRole(iamRole), region: region) }
        let credentials = try await client.configuration.credentialProvider.credentials(minimumLifetime: Self.copyCredentialLifetime)
        return CopyAccess(
            credentials: .accessKeys(id: credentials.accessKeyID, secret: Secret(credentials.secretAccessKey),
                                     sessionToken: credentials.sessionToken.map(Secret.init)),
            region: region, provider: credentials.providerName)
    }

    func upload(_ files: [ExportedFile], folder: String, logger: Logger) async throws -> String {
        for file in files {
            _ = try await client.uploadFile(bucket: bucket, key: folder + "/" + file.name, path: file.path, logger: logger)
        }
        return try await writeManifest(files, folder: folder, logger: logger)
    }

    func streamOutputs(folder: String, maxFileSize: Int, logger: Logger) -> any SliceOutputFactory {
        S3StreamOutputs(client: client, bucket: bucket, folder: folder, maxFileSize: maxFileSize, logger: logger)
    }

    func writeManifest(_ files: [ExportedFile], folder: String, logger: Logger) async throws -> String {
        let entries = files.map { ExportManifest.Entry(url: "s3://\(bucket)/\(folder)/\($0.name)", contentLength: Int($0.byteCount)) }
        let manifest = try ExportManifest(entries: entries).jsonBytes()
        _ = try await client.putObject(bucket: bucket, key: folder + "/manifest", body: manifest, logger: logger)
        return manifestURL(folder: folder)
    }

    func manifestURL(folder: String) -> String { "s3://\(bucket)/\(folder)/manifest" }

    func folders(under parent: String, logger: Logger) async throws -> [String] {
        let prefix = parent + "/"
        let keys = try await client.listObjects(bucket: bucket, prefix: prefix, logger: logger).map(\.key)
        let names = keys.compactMap { key in key.dropFirst(prefix.count).split(separator: "/", maxSplits: 1).first.map(String.init) }
        return Set(names).sorted().map { prefix + $0 }
    }

    func deleteFolder(_ folder: String, logger: Logger) async throws {
        let aborted = try await client.abortMultipartUploads(bucket: bucket, prefix: folder + "/", logger: logger)
        if aborted > 0 { logger.notice("aborted incomplete multipart uploads", metadata: ["rrr_s3_folder": "\(folder)", "rrr_count": "\(aborted)"]) }
        // listObjects follows every page, so folders of more than 1,000 objects go entirely.
        let keys = try await client.listObjects(bucket: bucket, prefix: folder + "/", logger: logger).map(\.key)
        if !keys.isEmpty { try await client.deleteObjects(bucket: bucket, keys: keys, logger: logger) }
    }

}
