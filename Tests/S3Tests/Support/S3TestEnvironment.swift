import Foundation
import Logging
import S3
import Testing

/// The moto S3 server the integration tests run against, from the variables `scripts/stack` writes:
/// RRR_TEST_S3_ENDPOINT, RRR_TEST_S3_REGION, RRR_TEST_S3_BUCKET, RRR_TEST_S3_ACCESS_KEY_ID,
/// RRR_TEST_S3_SECRET_ACCESS_KEY.
struct S3TestEnvironment: Sendable {
    var endpoint: String
    var region: String
    var bucket: String
    var credentials: AWSCredentials

    static let variableNames = [
        "RRR_TEST_S3_ENDPOINT", "RRR_TEST_S3_REGION", "RRR_TEST_S3_BUCKET",
        "RRR_TEST_S3_ACCESS_KEY_ID", "RRR_TEST_S3_SECRET_ACCESS_KEY",
    ]

    /// The configured server, or `nil` when a variable is missing.
    static let current: S3TestEnvironment? = {
        let environment = ProcessInfo.processInfo.environment
        let values = variableNames.compactMap { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        guard values.count == variableNames.count else { return nil }
        return S3TestEnvironment(
            endpoint: values[0], region: values[1], bucket: values[2],
            credentials: AWSCredentials(accessKeyID: values[3], secretAccessKey: values[4])
        )
    }()

    /// Under CI a missing server is a failure, never a silent skip.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The server, or a thrown failure (reached only under CI, where tests are not skipped).
    static func required() throws -> S3TestEnvironment {
        guard let current else {
            throw TestEnvironmentMissing(what: "moto S3", variables: variableNames)
        }
        return current
    }

    /// A client for the test server (path-style, as moto on 127.0.0.1 needs).
    func client(
        credentials: AWSCredentials? = nil,
        _ configure: (inout S3Client.Configuration) -> Void = { _ in }
    ) -> S3Client {
        var configuration = S3Client.Configuration(
            credentials: credentials ?? self.credentials, region: region, endpoint: endpoint, addressingStyle: .path
        )
        configure(&configuration)
        return S3Client(configuration: configuration)
    }

    /// A key prefix no other test run uses, so tests never see each other's objects.
    static func uniquePrefix(_ name: String) -> String {
        "rrr-s3-tests-\(name)-\(UUID().uuidString.lowercased().prefix(8))-"
    }
}

/// Thrown when a required server is not configured (only under CI; locally the test is skipped).
struct TestEnvironmentMissing: Error, CustomStringConvertible {
    var what: String
    var variables: [String]
    var description: String {
        "\(what) is not configured: set \(variables.joined(separator: ", ")) (scripts/stack up; source .run/stack/env)"
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when moto S3 is configured, or always under CI (where it then fails loudly).
    static var requiresS3: Self {
        .enabled(
            if: S3TestEnvironment.current != nil || S3TestEnvironment.isCI,
            "moto S3 not configured: set RRR_TEST_S3_* (scripts/stack up; source .run/stack/env)"
        )
    }
}

/// A logger for tests: warnings and above to stderr, so retries and failures are visible.
let testLogger: Logger = {
    var logger = Logger(label: "rrr.s3.tests")
    logger.logLevel = .warning
    return logger
}()
