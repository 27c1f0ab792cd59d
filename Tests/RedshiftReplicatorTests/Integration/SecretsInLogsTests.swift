import Foundation
import Testing

/// No configured secret reaches any output at any log level: PostgresNIO, AsyncHTTPClient and the
/// engine all log at trace, some with statement texts (a COPY carries its keys when no IAM role is set).
@Suite("No secret at any log level", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct SecretsInLogsTests {
    @Test func replicationAtTraceLevelPrintsNoSecret() async throws {
        let name = TestStack.uniqueName("trace_users")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, name text, updated_at timestamp DEFAULT now());
            INSERT INTO \(name) (id, name) SELECT g, 'u' || g FROM generate_series(1, 25) g
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(16), updated_at TIMESTAMP)")
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: timed\n")
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)
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
