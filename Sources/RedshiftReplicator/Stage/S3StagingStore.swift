import ExportFiles
import Foundation
import Logging
import S3

/// Stages export files in S3 (or an S3-compatible store such as moto or MinIO).
struct S3StagingStore: StagingStore {
    let client: S3Client
    let bucket: String

    /// Builds the client from the storage settings; the keys are required for the upload even
    /// when COPY uses an IAM role.
    init(storage: ReplicatorConfiguration.Storage) throws {
        guard let id = storage.accessKeyID, let secret = storage.secretAccessKey else {
            throw ConfigurationError(.missingSetting, setting: "aws.access_key_id", "uploading to S3 needs `aws.access_key_id` and `aws.secret_access_key` (or RRR_AWS_ACCESS_KEY_ID / RRR_AWS_SECRET_ACCESS_KEY)")
        }
        let credentials = AWSCredentials(accessKeyID: id, secretAccessKey: secret.value, sessionToken: storage.sessionToken?.value)
        client = S3Client(configuration: .init(credentials: credentials, region: storage.region, endpoint: storage.endpoint))
        bucket = storage.bucket
    }

    func upload(_ files: [ExportedFile], folder: String, logger: Logger) async throws -> String {
        var entries: [ExportManifest.Entry] = []
        for file in files {
            let key = folder + "/" + file.name
            _ = try await client.uploadFile(bucket: bucket, key: key, path: file.path, logger: logger)
            entries.append(ExportManifest.Entry(url: "s3://\(bucket)/\(key)", contentLength: Int(file.byteCount)))
        }
        let manifest = try ExportManifest(entries: entries).jsonBytes()
        _ = try await client.putObject(bucket: bucket, key: folder + "/manifest", body: manifest, logger: logger)
        return manifestURL(folder: folder)
    }

    func manifestURL(folder: String) -> String { "s3://\(bucket)/\(folder)/manifest" }

    func deleteFolder(_ folder: String, logger: Logger) async throws {
        // listObjects follows every page, so folders of more than 1,000 objects go entirely.
        let keys = try await client.listObjects(bucket: bucket, prefix: folder + "/", logger: logger).map(\.key)
        if !keys.isEmpty { try await client.deleteObjects(bucket: bucket, keys: keys, logger: logger) }
    }

}
