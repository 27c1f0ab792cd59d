import AWSAuth
import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("Configuration: AWS credentials, Redshift login and TLS")
struct AWSConfigurationTests {
    static func parse(_ redshift: String, aws: String = "", environment: [String: String] = [:]) throws -> ReplicatorConfiguration {
        try ReplicatorConfiguration.parse(yaml: """
            source: { url: "postgres://app@127.0.0.1/app" }
            redshift: \(redshift)
            s3: { bucket: b }
            \(aws)
            tables: { users: { strategy: timed } }
            """, environment: environment)
    }

    static func error(_ redshift: String, aws: String = "", environment: [String: String] = [:]) -> ConfigurationError? {
        do { _ = try parse(redshift, aws: aws, environment: environment); return nil } catch { return error as? ConfigurationError }
    }

    @Test("TLS: verify-full by default off loopback, prefer on loopback; sslmode and ssl_root_cert as libpq names them")
    func sslModes() throws {
        #expect(try Self.parse("{ host: cluster.abc.eu-west-1.redshift.amazonaws.com, database: dev, user: u }").redshift.effectiveSSLMode == .verifyFull)
        #expect(try Self.parse("{ host: 10.0.0.5, database: dev, user: u }").redshift.effectiveSSLMode == .verifyFull)
        for host in ["127.0.0.1", "localhost", "::1"] {
            #expect(try Self.parse("{ host: \"\(host)\", database: dev, user: u }").redshift.effectiveSSLMode == .prefer)
        }
        for mode in RedshiftSSLMode.allCases {
            #expect(try Self.parse("{ host: h, database: dev, user: u, sslmode: \(mode.rawValue) }").redshift.effectiveSSLMode == mode)
        }
        let caFile = NSTemporaryDirectory() + "rrr-ca-\(UUID().uuidString).pem"
        try "not checked here".write(toFile: caFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        #expect(try Self.parse("{ host: h, database: dev, user: u, sslmode: verify-ca, ssl_root_cert: \(caFile) }").redshift.sslRootCertificate == caFile)
        #expect(try Self.parse("{ host: h, database: dev, user: u, require_tls: true }").redshift.sslMode == .verifyFull)

        #expect(Self.error("{ host: h, database: dev, user: u, sslmode: allow }")?.setting == "redshift.sslmode")
        #expect(Self.error("{ host: h, database: dev, user: u, ssl_root_cert: /no/such.pem }")?.setting == "redshift.ssl_root_cert")
        #expect(Self.error("{ host: h, database: dev, user: u, sslmode: disable, ssl_root_cert: \(caFile) }")?.setting == "redshift.ssl_root_cert")
        #expect(Self.error("{ host: h, database: dev, user: u, sslmode: require, require_tls: true }")?.setting == "redshift.require_tls")
    }

    @Test("IAM login: cluster or workgroup, named or read from the AWS host name; user optional")
    func iamAuthentication() throws {
        let cluster = try Self.parse("{ host: analytics.abc123.eu-west-1.redshift.amazonaws.com, database: dev, user: loader, auth: iam, auto_create: true, db_groups: [etl, readers], duration_seconds: 1800 }")
        #expect(cluster.redshift.authentication == .iam(RedshiftIAMAuthentication(clusterIdentifier: "analytics", autoCreate: true, groups: ["etl", "readers"], durationSeconds: 1800)))
        #expect(RedshiftLogin.region(fromHost: cluster.redshift.host) == "eu-west-1")
        let serverless = try Self.parse("{ host: wg.123456789012.us-west-2.redshift-serverless.amazonaws.com, database: dev, auth: iam }")
        #expect(serverless.redshift.authentication == .iam(RedshiftIAMAuthentication(workgroup: "wg")) && serverless.redshift.user == "")
        #expect(RedshiftLogin.region(fromHost: serverless.redshift.host) == "us-west-2")
        let named = try Self.parse("{ host: 127.0.0.1, database: dev, auth: iam, cluster_identifier: c1 }")
        #expect(named.redshift.authentication == .iam(RedshiftIAMAuthentication(clusterIdentifier: "c1")))

        #expect(Self.error("{ host: 127.0.0.1, database: dev, auth: iam }")?.setting == "redshift.cluster_identifier")
        #expect(Self.error("{ host: h, database: dev, auth: iam, cluster_identifier: c, workgroup: w }")?.setting == "redshift.workgroup")
        #expect(Self.error("{ host: h, database: dev, auth: iam, workgroup: w, auto_create: true }")?.setting == "redshift.auto_create")
        #expect(Self.error("{ host: h, database: dev, auth: iam, cluster_identifier: c, duration_seconds: 60 }")?.setting == "redshift.duration_seconds")
        #expect(Self.error("{ host: h, database: dev, user: u, cluster_identifier: c }")?.setting == "redshift.cluster_identifier")
        #expect(Self.error("{ host: h, database: dev, user: u, auth: kerberos }")?.setting == "redshift.auth")
        #expect(Self.error("{ host: h, database: dev }")?.setting == "redshift.user", "password login needs a user")
        #expect(Self.error("{ host: h, database: dev, user: u, password: p, password_secret: s }")?.setting == "redshift.password_secret")
        #expect(try Self.parse("{ host: h, database: dev, user: u, password_secret: \"arn:aws:secretsmanager:eu-west-1:1:secret:rs\" }").redshift.passwordSecret == "arn:aws:secretsmanager:eu-west-1:1:secret:rs")
    }

    @Test("aws: keys only from rrr.yml (the rest is the chain's), IAM role chains, profile, region from AWS_REGION")
    func awsSettings() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_REGION": "eu-central-1"]
        let fromEnvironment = try Self.parse("{ host: h, database: dev, user: u }", environment: environment)
        #expect(fromEnvironment.storage.accessKeyID == nil && fromEnvironment.storage.region == "eu-central-1")
        let roles = try Self.parse("{ host: h, database: dev, user: u }", aws: """
            aws: { profile: deploy, iam_role: ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::222222222222:role/b"] }
            """)
        #expect(roles.storage.iamRole == "arn:aws:iam::111111111111:role/a,arn:aws:iam::222222222222:role/b")
        #expect(roles.aws.profile == "deploy" && roles.aws.awsEnvironment.profile == "deploy")
        #expect(Self.error("{ host: h, database: dev, user: u }", aws: "aws: { iam_role: redshift-copy }")?.setting == "aws.iam_role")
        #expect(Self.error("{ host: h, database: dev, user: u }", aws: "aws: { access_key_id: AKID }")?.setting == "aws.secret_access_key")
        #expect(!"\(fromEnvironment) \(String(reflecting: fromEnvironment)) \(fromEnvironment.aws)".contains("env-secret"))
    }

    @Test("the chain rrr builds: rrr.yml's keys first, then RRR_AWS_*, then the AWS SDKs' order")
    func chainOrder() async throws {
        let config = try Self.parse("{ host: h, database: dev, user: u }", aws: "aws: { access_key_id: AKIDYML, secret_access_key: yml-secret }",
                                    environment: ["RRR_AWS_ACCESS_KEY_ID": "AKIDRRR", "RRR_AWS_SECRET_ACCESS_KEY": "r", "AWS_EC2_METADATA_DISABLED": "true"])
        let client = config.makeAWSClient()
        let chain = try #require(client.credentials as? AWSCredentialChain)
        #expect(chain.sources.map(\.name) == [
            "rrr.yml (aws.access_key_id)", "environment (RRR_AWS_ACCESS_KEY_ID)", "environment (AWS_ACCESS_KEY_ID)",
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", "shared files (profile default)",
            "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)", "EC2 instance metadata (IMDSv2)",
        ])
        #expect(try await chain.credentials().accessKeyID == "AKIDYML")
        // An explicit profile takes precedence over AWS_ACCESS_KEY_ID, as the CLI's --profile does.
        let profiled = try Self.parse("{ host: h, database: dev, user: u }", aws: "aws: { profile: p }")
        #expect((profiled.makeAWSClient().credentials as? AWSCredentialChain)?.sources.map(\.name).contains("environment (AWS_ACCESS_KEY_ID)") == false)
    }

    @Test("source URLs: libpq's TLS parameters pass through, sslpassword never prints")
    func sourceTLSParameters() throws {
        let url = try DatabaseURL(parsing: "postgres://app:pw@db.internal/app?sslmode=verify-full&sslrootcert=/etc/rrr/ca.pem&sslpassword=key-pass")
        #expect(url.parameters["sslmode"] == "verify-full" && url.parameters["sslrootcert"] == "/etc/rrr/ca.pem")
        #expect(!"\(url)".contains("key-pass") && "\(url)".contains("sslpassword=********"))
    }
}
