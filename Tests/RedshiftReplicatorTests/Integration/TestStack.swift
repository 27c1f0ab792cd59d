import Foundation
import Logging
import PostgresNIO
@testable import RedshiftReplicator

/// The local services (`scripts/stack up`), found through the RRR_TEST_* variables.
/// Locally a test skips when they are missing; under CI (`CI=true`) it runs and fails.
enum TestStack {
    static let environment = ProcessInfo.processInfo.environment
    static let required = ["RRR_TEST_POSTGRES_URL", "RRR_TEST_S3_ENDPOINT", "RRR_TEST_S3_BUCKET",
                           "RRR_TEST_S3_ACCESS_KEY_ID", "RRR_TEST_S3_SECRET_ACCESS_KEY", "RRR_TEST_REDSHIFT_HOST"]
    static var isCI: Bool { environment["CI"] == "true" }
    /// Whether the tests needing the whole stack should run.
    static var enabled: Bool { isCI || required.allSatisfy { environment[$0] != nil } }

    static func value(_ name: String) throws -> String {
        guard let value = environment[name], !value.isEmpty else {
            throw TestStackError(message: "\(name) is not set: run `scripts/stack up` and source its env file")
        }
        return value
    }

    /// A configuration replicating `tables` with everything pointing at the stack.
    static func configuration(tables: [TableConfiguration], prefix: String = "rrr-tests", source: DatabaseURL? = nil,
                              settings: (inout TableSettings) -> Void = { _ in }) throws -> ReplicatorConfiguration {
        var s = TableSettings()
        s.localPath = NSTemporaryDirectory()
        settings(&s)
        return ReplicatorConfiguration(
            source: try source ?? DatabaseURL(parsing: try value("RRR_TEST_POSTGRES_URL")),
            redshift: .init(host: try value("RRR_TEST_REDSHIFT_HOST"), port: Int(try value("RRR_TEST_REDSHIFT_PORT")) ?? 5439,
                            database: try value("RRR_TEST_REDSHIFT_DATABASE"), user: try value("RRR_TEST_REDSHIFT_USER"),
                            password: Secret(try value("RRR_TEST_REDSHIFT_PASSWORD"))),
            storage: .init(bucket: try value("RRR_TEST_S3_BUCKET"), prefix: prefix, region: environment["RRR_TEST_S3_REGION"] ?? "us-east-1",
                           endpoint: try value("RRR_TEST_S3_ENDPOINT"), accessKeyID: try value("RRR_TEST_S3_ACCESS_KEY_ID"),
                           secretAccessKey: Secret(try value("RRR_TEST_S3_SECRET_ACCESS_KEY"))),
            settings: s, tables: tables)
    }

    /// A unique lower-case table name for one test.
    static func uniqueName(_ stem: String) -> String {
        "\(stem)_\(String(UInt32.random(in: .min ... .max), radix: 36))"
    }

    static var logger: Logger {
        var logger = Logger(label: "rrr-tests")
        logger.logLevel = environment["RRR_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }
}

struct TestStackError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
