import Foundation
import S3
import Testing

/// A Redshift to run behaviour checks against: the in-process emulator (the default run) or a real
/// cluster or Serverless workgroup (the opt-in contract run, see `ClusterContract`). Everything goes
/// through what a client sees: psql's simple protocol, and files uploaded to S3 for COPY.
struct RedshiftEndpoint: Sendable {
    /// For messages: "emulator" or the cluster's host.
    var name: String
    var host: String
    var port: Int
    var user: String
    var password: String
    var database: String
    /// S3 where test files go, and the keys that upload them.
    var bucket: String
    var keyPrefix: String
    var region: String
    var s3Endpoint: String?
    var uploadCredentials: AWSCredentials
    /// The IAM role COPY uses; nil: the upload keys (`ACCESS_KEY_ID ... SECRET_ACCESS_KEY ...`).
    var iamRole: String?
    /// The schema rrr's replication uses (tables of the behaviour checks go to the search path's first).
    var schema: String = "public"
    /// rrr's `redshift.sslmode`; nil: rrr's default (verify-full off loopback).
    var sslMode: String? = nil
    var isEmulator: Bool

    /// The COPY authorization clause.
    var copyAuthorization: String {
        if let iamRole { return "IAM_ROLE '\(iamRole)'" }
        var clause = "ACCESS_KEY_ID '\(uploadCredentials.accessKeyID)' SECRET_ACCESS_KEY '\(uploadCredentials.secretAccessKey)'"
        if let token = uploadCredentials.sessionToken { clause += " SESSION_TOKEN '\(token)'" }
        return clause
    }

    /// Runs commands through psql, one session, `-c` each; later commands run after an error.
    func psql(_ commands: String...) async throws -> PsqlResult {
        try await Psql.run(host: host, port: port, user: user, database: database, password: password, commands)
    }

    /// Uploads files under a fresh folder and returns its `s3://bucket/.../` URL.
    func upload(_ files: [String: [UInt8]]) async throws -> String {
        let folder = keyPrefix + UUID().uuidString.lowercased() + "/"
        let client = s3Client()
        for (name, bytes) in files {
            _ = try await client.putObject(bucket: bucket, key: folder + name, body: bytes, logger: TestServices.logger)
        }
        return "s3://\(bucket)/\(folder)"
    }

    /// `FROM '<url>' <authorization> REGION '<region>'`, the part of a COPY every check repeats.
    func from(_ url: String) -> String {
        "FROM '\(url)' \(copyAuthorization) REGION '\(region)'"
    }

    /// A table name no other check uses (lower case, as Redshift stores it).
    func table(_ stem: String) -> String { TestServices.uniqueName("rrr_contract_\(stem)") }

    /// Runs `body`, then (also when it throws) drops the tables, runs `statements` (psql commands)
    /// and deletes the uploaded folders, so a real cluster and bucket stay tidy.
    func cleaningUp(tables: [String] = [], folders: [String] = [], statements: [String] = [], _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await cleanUp(tables: tables, folders: folders, statements: statements)
            throw error
        }
        await cleanUp(tables: tables, folders: folders, statements: statements)
    }

    private func cleanUp(tables: [String], folders: [String], statements: [String]) async {
        let commands = statements + tables.map { "DROP TABLE IF EXISTS \($0)" }
        if !commands.isEmpty { _ = try? await Psql.run(host: host, port: port, user: user, database: database, password: password, commands) }
        let client = s3Client()
        for folder in folders {
            let key = String(folder.dropFirst("s3://\(bucket)/".count))
            guard let objects = try? await client.listObjects(bucket: bucket, prefix: key, logger: TestServices.logger) else { continue }
            try? await client.deleteObjects(bucket: bucket, keys: objects.map(\.key), logger: TestServices.logger)
        }
    }

    func s3Client() -> S3Client {
        S3Client(configuration: .init(credentials: uploadCredentials, region: region, endpoint: s3Endpoint,
                                      addressingStyle: s3Endpoint == nil ? .automatic : .path))
    }
}

extension EmulatorHarness {
    /// This emulator as an endpoint: the stack's moto S3, COPY with `IAM_ROLE` (the emulator plays the role).
    var endpoint: RedshiftEndpoint {
        RedshiftEndpoint(
            name: "emulator", host: "127.0.0.1", port: port, user: "rrr", password: password, database: "dev",
            bucket: TestServices.s3Bucket, keyPrefix: "emulator-tests/", region: TestServices.s3Region,
            s3Endpoint: TestServices.s3Endpoint,
            uploadCredentials: AWSCredentials(accessKeyID: TestServices.s3AccessKeyID ?? "", secretAccessKey: TestServices.s3SecretAccessKey ?? ""),
            iamRole: "arn:aws:iam::123456789012:role/rrr-loader", isEmulator: true)
    }
}
