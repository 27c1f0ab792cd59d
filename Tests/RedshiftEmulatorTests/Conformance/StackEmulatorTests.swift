import Foundation
import Testing

/// The emulator `scripts/stack up` starts (the real binary, configured by flags and env), reached
/// through RRR_TEST_REDSHIFT_HOST/PORT/USER/PASSWORD/DATABASE. Locally skipped when not running;
/// under CI a missing emulator fails.
@Suite("Stack emulator (the built binary)", .enabled(if: StackEmulator.enabled))
struct StackEmulatorTests {
    @Test func binaryServesRedshiftVersionAndCopiesWithIAMRole() async throws {
        let host = try #require(StackEmulator.host, "RRR_TEST_REDSHIFT_HOST is not set (scripts/stack up starts the emulator once it is built)")
        let port = try #require(StackEmulator.port.flatMap(Int.init), "RRR_TEST_REDSHIFT_PORT is not set")
        let prefix = try await TestServices.upload(["s.csv": Array("1,\"a\"\n2,\"\"\n".utf8)])
        let table = TestServices.uniqueName("stack")
        let result = try await StackEmulator.psql(host: host, port: port, [
            "\\echo :SERVER_VERSION_NAME",
            "CREATE TABLE \(table) (id int, name varchar(4)) SORTKEY (id)",
            "COPY \(table) FROM 's3://\(TestServices.s3Bucket)/\(prefix)s.csv' IAM_ROLE 'arn:aws:iam::123456789012:role/stack' CSV",
            "SELECT pg_last_copy_count()",
        ])
        #expect(result.lines == ["8.0.2", "2"], "\(result.stderr)")
    }

    @Test func binaryServesTLSWithTheStacksCertificate() async throws {
        let port = try #require(StackEmulator.port.flatMap(Int.init), "RRR_TEST_REDSHIFT_PORT is not set")
        let ca = try #require(StackEmulator.environment["RRR_TEST_REDSHIFT_TLS_CA"], "RRR_TEST_REDSHIFT_TLS_CA is not set")
        // The certificate names localhost and chains to the stack's CA: libpq's strictest mode accepts it.
        let verified = try await StackEmulator.psql(host: "localhost", port: port, ["\\conninfo", "SELECT 1"],
                                                    environment: ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": ca])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("SSL connection") && verified.lines.last == "1", "\(verified.stdout)")
        // 127.0.0.1 is not a name of the certificate.
        let wrongHost = try await StackEmulator.psql(host: "127.0.0.1", port: port, ["SELECT 1"],
                                                     environment: ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": ca])
        #expect(wrongHost.status != 0 && wrongHost.stderr.contains("does not match host name"), "\(wrongHost.stderr)")
        // The system's authorities do not know the throwaway CA.
        let wrongCA = try await StackEmulator.psql(host: "localhost", port: port, ["SELECT 1"],
                                                   environment: ["PGSSLMODE": "verify-ca", "PGSSLROOTCERT": "/etc/ssl/certs/ca-certificates.crt"])
        #expect(wrongCA.status != 0 && wrongCA.stderr.contains("certificate verify failed"), "\(wrongCA.stderr)")
    }
}

enum StackEmulator {
    static let environment = ProcessInfo.processInfo.environment
    static let host = environment["RRR_TEST_REDSHIFT_HOST"]
    static let port = environment["RRR_TEST_REDSHIFT_PORT"]
    static var enabled: Bool { (host != nil && TestServices.enabled) || TestServices.isCI }

    static func psql(host: String, port: Int, _ commands: [String], environment extra: [String: String] = [:]) async throws -> PsqlResult {
        try await Psql.run(host: host, port: port, user: environment["RRR_TEST_REDSHIFT_USER"] ?? "rrr",
                           database: environment["RRR_TEST_REDSHIFT_DATABASE"] ?? "dev",
                           password: environment["RRR_TEST_REDSHIFT_PASSWORD"] ?? "", environment: extra, commands)
    }
}
