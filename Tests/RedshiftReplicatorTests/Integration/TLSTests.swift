import AWSAuth
import Logging
import PostgresClient
import Foundation
import Testing
@testable import RedshiftReplicator

/// TLS for real: the stack's emulator serves a certificate for `localhost` (not 127.0.0.1) and its
/// PostgreSQL one for both, each from the stack's throwaway CA.
@Suite("TLS: Redshift sslmode, PostgreSQL source sslmode", .enabled(if: TestStack.enabled))
struct TLSTests {
    static func redshift(host: String, mode: RedshiftSSLMode?, root: String?) throws -> ReplicatorConfiguration.Redshift {
        var settings = ReplicatorConfiguration.Redshift(
            host: host, port: Int(try TestStack.value("RRR_TEST_REDSHIFT_PORT"))!, database: try TestStack.value("RRR_TEST_REDSHIFT_DATABASE"),
            user: try TestStack.value("RRR_TEST_REDSHIFT_USER"), password: Secret(try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")))
        settings.sslMode = mode
        settings.sslRootCertificate = root
        return settings
    }

    /// Connects as rrr does and runs one query.
    static func connect(_ settings: ReplicatorConfiguration.Redshift) async throws -> String? {
        let aws = AWSClient(environment: AWSEnvironment([:]), credentials: AWSCredentials(accessKeyID: "unused", secretAccessKey: "unused"))
        let warehouse = RedshiftWarehouse(settings: settings, login: RedshiftLogin(settings: settings, aws: aws, fallbackRegion: "us-east-1"))
        return try await warehouse.withSession(logger: TestStack.logger) { try await $0.rows("SELECT CAST(1 AS VARCHAR)").first?.first ?? nil }
    }

    static var ca: String { get throws { try TestStack.value("RRR_TEST_REDSHIFT_TLS_CA") } }

    @Test("verify-full succeeds with the right CA and host name; so do verify-ca, require, prefer and disable")
    func accepted() async throws {
        #expect(try await Self.connect(try Self.redshift(host: "localhost", mode: .verifyFull, root: try Self.ca)) == "1")
        #expect(try await Self.connect(try Self.redshift(host: "127.0.0.1", mode: .verifyCA, root: try Self.ca)) == "1", "verify-ca checks no host name")
        #expect(try await Self.connect(try Self.redshift(host: "127.0.0.1", mode: .require, root: nil)) == "1")
        #expect(try await Self.connect(try Self.redshift(host: "127.0.0.1", mode: nil, root: nil)) == "1", "loopback default: prefer")
        #expect(try await Self.connect(try Self.redshift(host: "127.0.0.1", mode: .disable, root: nil)) == "1")
    }

    @Test("a wrong host name, an unknown CA or a wrong root certificate fail, naming sslmode, never the password",
          arguments: [("127.0.0.1", RedshiftSSLMode.verifyFull, true), ("localhost", .verifyFull, false), ("localhost", .require, false)])
    func refused(_ host: String, _ mode: RedshiftSSLMode, _ stackCA: Bool) async throws {
        // Without the stack's CA: the system's trust store (verify-full), or the system bundle given as
        // root certificate (require + a root certificate checks the chain, as libpq).
        let root: String? = stackCA ? try Self.ca : (mode == .require ? "/etc/ssl/certs/ca-certificates.crt" : nil)
        let error = await #expect(throws: WarehouseError.self) { try await Self.connect(try Self.redshift(host: host, mode: mode, root: root)) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("sslmode \(mode == .require ? "require" : "verify-full")"), "\(text)")
        #expect(!text.contains(try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")))
    }

    @Test("the PostgreSQL source honours sslmode and sslrootcert in its URL, as libpq does")
    func sourceURL() async throws {
        let ca = try TestStack.value("RRR_TEST_POSTGRES_SSL_ROOT_CERT")
        let base = try TestStack.value("RRR_TEST_POSTGRES_URL").replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:")
        func ssl(_ query: String) async throws -> String? {
            let connection = try await LibpqConnection.connect(try DatabaseURL(parsing: base + "?" + query).postgresConfiguration, logger: Logger(label: "rrr.test"))
            do {
                let ssl = try await connection.scalar("SELECT CAST(ssl AS text) FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                await connection.close()
                return ssl
            } catch {
                await connection.close()
                throw error
            }
        }
        #expect(try await ssl("sslmode=verify-full&sslrootcert=\(ca)") == "true")
        #expect(try await ssl("sslmode=disable") == "false")
        let error = await #expect(throws: LibpqError.self) { try await ssl("sslmode=verify-ca&sslrootcert=/etc/ssl/certs/ca-certificates.crt") }
        #expect(error.map { "\($0)" }?.contains("certificate verify failed") == true, "\(String(describing: error))")
    }
}
