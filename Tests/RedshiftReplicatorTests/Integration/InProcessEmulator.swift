import Foundation
import Logging
import RedshiftEmulator
@testable import RedshiftReplicator

/// A Redshift emulator of one test's own, in this process, for what the stack's emulator is not
/// configured to do: Serverless's system views, injected serializable isolation violations.
/// It shares the stack's backing database and S3 server.
enum InProcessEmulator {
    static let password = "in-process-test"

    static func with<Result: Sendable>(
        serverless: Bool = false, faults: FaultInjection = FaultInjection(),
        _ body: (_ port: Int) async throws -> Result
    ) async throws -> Result {
        let configuration = RedshiftEmulatorConfiguration(
            host: "127.0.0.1", port: 0, backend: try PostgresTarget(url: try TestStack.value("RRR_TEST_WAREHOUSE_POSTGRES_URL")),
            user: "rrr", password: password, s3Endpoint: try TestStack.value("RRR_TEST_S3_ENDPOINT"),
            s3Region: TestStack.environment["RRR_TEST_S3_REGION"] ?? "us-east-1",
            iamAccessKeyID: try TestStack.value("RRR_TEST_S3_ACCESS_KEY_ID"), iamSecretAccessKey: try TestStack.value("RRR_TEST_S3_SECRET_ACCESS_KEY"),
            faults: faults, serverless: serverless, varcharIgnoresTrailingBlanks: true)
        return try await with(configuration, body)
    }

    /// Runs an emulator with `configuration` (its port chosen by the system) around `body`.
    static func with<Result: Sendable>(
        _ configuration: RedshiftEmulatorConfiguration, _ body: (_ port: Int) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "rrr-tests.emulator")
        logger.logLevel = .warning
        let server = try await RedshiftEmulatorServer.bind(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            do {
                let result = try await body(server.port)
                await server.close()
                return result
            } catch {
                await server.close()
                throw error
            }
        }
    }

    /// `configuration` pointed at the in-process emulator on `port`.
    static func pointing(_ configuration: ReplicatorConfiguration, at port: Int) -> ReplicatorConfiguration {
        var configuration = configuration
        configuration.redshift.host = "127.0.0.1"
        configuration.redshift.port = port
        configuration.redshift.user = "rrr"
        configuration.redshift.password = Secret(password)
        return configuration
    }

    /// A test's own connection to the emulator on `port`.
    static func client(port: Int) async throws -> SQLClient {
        try await SQLClient.connect(host: "127.0.0.1", port: port, user: "rrr", password: password, database: "dev")
    }
}
