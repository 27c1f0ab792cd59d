import Foundation
import Logging
import NIOCore
import PostgresNIO
import RedshiftEmulator
import S3
import Testing

/// The real servers the conformance tests use, found through the stack's environment variables.
/// Locally a missing server skips the suite (saying so); under CI (`CI=true`) it is a failure.
enum TestServices {
    static let environment = ProcessInfo.processInfo.environment
    static let warehouseURL = environment["RRR_TEST_WAREHOUSE_POSTGRES_URL"]
    static let s3Endpoint = environment["RRR_TEST_S3_ENDPOINT"]
    static let s3Region = environment["RRR_TEST_S3_REGION"] ?? "us-east-1"
    static let s3Bucket = environment["RRR_TEST_S3_BUCKET"] ?? "rrr-test"
    static let s3AccessKeyID = environment["RRR_TEST_S3_ACCESS_KEY_ID"]
    static let s3SecretAccessKey = environment["RRR_TEST_S3_SECRET_ACCESS_KEY"]
    static let isCI = environment["CI"] == "true"

    /// True when the suites should run: servers configured, or CI (where missing ones must fail).
    static let enabled: Bool = {
        let configured = warehouseURL != nil && s3Endpoint != nil && s3AccessKeyID != nil && s3SecretAccessKey != nil
        if !configured && !isCI {
            print("RedshiftEmulatorTests: RRR_TEST_WAREHOUSE_POSTGRES_URL / RRR_TEST_S3_* not set; conformance suites skipped (run scripts/stack up and source its env)")
        }
        return configured || isCI
    }()

    static var logger: Logger {
        var logger = Logger(label: "rrr.emulator.tests")
        logger.logLevel = .warning
        return logger
    }

    /// The emulator configuration for the test servers; the test client password is `emulator-test`.
    static func configuration(faults: FaultInjection = FaultInjection(), method: ClientAuthenticationMethod = .md5) throws -> RedshiftEmulatorConfiguration {
        let url = try #require(warehouseURL, "RRR_TEST_WAREHOUSE_POSTGRES_URL is not set")
        return RedshiftEmulatorConfiguration(
            host: "127.0.0.1", port: 0, backend: try PostgresTarget(url: url), user: "rrr", password: "emulator-test",
            authenticationMethod: method, s3Endpoint: try #require(s3Endpoint, "RRR_TEST_S3_ENDPOINT is not set"), s3Region: s3Region,
            iamAccessKeyID: s3AccessKeyID, iamSecretAccessKey: s3SecretAccessKey, faults: faults)
    }

    static func s3Client() throws -> S3Client {
        S3Client(configuration: .init(
            credentials: AWSCredentials(accessKeyID: try #require(s3AccessKeyID), secretAccessKey: try #require(s3SecretAccessKey)),
            region: s3Region, endpoint: try #require(s3Endpoint), addressingStyle: .path))
    }

    /// Uploads test files under a fresh prefix and returns it (`emulator-tests/<uuid>/`).
    static func upload(_ files: [String: [UInt8]]) async throws -> String {
        let prefix = "emulator-tests/\(UUID().uuidString.lowercased())/"
        let client = try s3Client()
        for (name, bytes) in files {
            _ = try await client.putObject(bucket: s3Bucket, key: prefix + name, body: bytes, logger: logger)
        }
        return prefix
    }

    /// A table name no other test uses.
    static func uniqueName(_ stem: String) -> String {
        "\(stem)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Compresses with the real command-line tool (`gzip` or `zstd`).
    static func compress(_ bytes: [UInt8], with tool: String) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-c", "-q", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(output)
    }
}
