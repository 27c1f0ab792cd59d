import Foundation
import Testing

/// No configured secret reaches any output at any log level: PostgresNIO, AsyncHTTPClient and the
/// engine all log at trace, some with statement texts (a COPY carries its keys when no IAM role is set).
@Suite("No secret at any log level", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct SecretsInLogsTests {
    @Test func replicationAtTraceLevelPrintsNoSecret() async throws {
        let (name, config, source, redshift) = try await CLIProcess.installedUsersTable("trace_users")
        let run = try await CLIProcess.run(["replicate", "--all", "--config", config, "--log-level", "trace"])
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        #expect(run.stderr.contains("trace"), "trace logging was on")
        #expect(try await redshift.count(name) == 25)
        let secrets = [
            "S3 secret key": try TestStack.value("RRR_TEST_S3_SECRET_ACCESS_KEY"),
            "Redshift password": try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD"),
            "source password": try TestStack.value("RRR_TEST_POSTGRES_PASSWORD"),
        ]
        for (what, secret) in secrets {
            // Never print the secret itself, even in a failure message.
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret), "the \(what) leaked into the output at trace level")
        }
        await source.close()
        await redshift.close()
    }
}
