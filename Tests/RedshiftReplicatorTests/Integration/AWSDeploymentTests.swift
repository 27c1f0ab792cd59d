import AWSAuth
import AWSStandIns
import Foundation
import Logging
import RedshiftEmulator
import Testing
@testable import RedshiftReplicator

/// rrr deployed the way AWS users deploy it: no key in rrr.yml, credentials from the provider the
/// platform sets up, IAM or Secrets Manager logins to Redshift. Everything runs against the
/// stack's moto (S3, STS AssumeRole, Secrets Manager) and Redshift emulator; the endpoints moto
/// lacks are local stand-ins speaking the documented APIs, handing out credentials moto issued.
@Suite("Deploying on AWS: credential providers, Redshift logins", .enabled(if: TestStack.enabled), .serialized)
struct AWSDeploymentTests {
    /// Where the credentials of a run come from.
    enum Provider: String, CaseIterable, CustomTestStringConvertible {
        case environment, webIdentity, sharedFilesRole, credentialProcess, container, instanceMetadata
        var testDescription: String { rawValue }
        /// The provider name the chain reports.
        var expectedName: String {
            switch self {
            case .environment: "environment (AWS_ACCESS_KEY_ID)"
            case .webIdentity: "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)"
            case .sharedFilesRole, .credentialProcess: "shared files (profile default)"
            case .container: "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)"
            case .instanceMetadata: "EC2 instance metadata (IMDSv2), role rrr-instance-role"
            }
        }
    }

    /// One run's setting: a scratch HOME, the variables, the stand-in, the secrets that must never show.
    final class Deployment: @unchecked Sendable {
        let home: ScratchHome
        var variables: [String: String]
        var standIn: AWSStandIn?
        var secrets: [String] = []

        init(moto: MotoServer) throws {
            home = try ScratchHome()
            variables = home.environment().variables
            variables["AWS_ENDPOINT_URL_S3"] = moto.endpoint
            variables["AWS_REGION"] = "us-east-1"
            variables["RRR_TEST_REDSHIFT_PASSWORD"] = try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")
            secrets = [moto.credentials.secretAccessKey, try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")]
        }

        /// A stand-in handing out credentials moto's STS issued (moto's S3 accepts them).
        func startStandIn(moto: MotoServer, options: AWSStandIn.Options = AWSStandIn.Options()) async throws -> AWSStandIn {
            let recorded = Locked<[String]>([])
            let standIn = try await AWSStandIn.start(options: options) {
                let credentials = try await moto.assumedCredentials(sessionName: "rrr-standin")
                recorded.withValue { $0 += [credentials.secretAccessKey, credentials.sessionToken ?? ""] }
                return credentials
            }
            standIn.trust(moto.credentials)
            self.standIn = standIn
            issuedSecrets = { recorded.value }
            return standIn
        }

        var issuedSecrets: @Sendable () -> [String] = { [] }

        func finish() async {
            await standIn?.shutdown()
            home.remove()
        }
    }

    static func setUp(_ provider: Provider, moto: MotoServer) async throws -> Deployment {
        let deployment = try Deployment(moto: moto)
        switch provider {
        case .environment:
            let temporary = try await moto.assumedCredentials(sessionName: "rrr-env")
            deployment.variables["AWS_ACCESS_KEY_ID"] = temporary.accessKeyID
            deployment.variables["AWS_SECRET_ACCESS_KEY"] = temporary.secretAccessKey
            deployment.variables["AWS_SESSION_TOKEN"] = temporary.sessionToken
            deployment.secrets += [temporary.secretAccessKey, temporary.sessionToken ?? ""]
        case .webIdentity:
            let standIn = try await deployment.startStandIn(moto: moto)
            deployment.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = try deployment.home.write("eks/token", standIn.options.webIdentityToken)
            deployment.variables["AWS_ROLE_ARN"] = moto.roleARN
            deployment.variables["AWS_ENDPOINT_URL_STS"] = standIn.endpoint
            deployment.secrets.append(standIn.options.webIdentityToken)
        case .sharedFilesRole:
            try deployment.home.write(".aws/credentials", """
                [base]
                aws_access_key_id = \(moto.credentials.accessKeyID)
                aws_secret_access_key = \(moto.credentials.secretAccessKey)
                """)
            try deployment.home.write(".aws/config", "[default]\nrole_arn = \(moto.roleARN)\nsource_profile = base\nregion = us-east-1\n")
            deployment.variables["AWS_ENDPOINT_URL_STS"] = moto.endpoint
        case .credentialProcess:
            let temporary = try await moto.assumedCredentials(sessionName: "rrr-process")
            let json = #"{"Version": 1, "AccessKeyId": "\#(temporary.accessKeyID)", "SecretAccessKey": "\#(temporary.secretAccessKey)", "SessionToken": "\#(temporary.sessionToken ?? "")", "Expiration": "\#(AWSStandIn.iso8601(temporary.expiration!))"}"#
            let script = try deployment.home.write("bin/vault-creds", "#!/bin/sh\ncat <<'EOF'\n\(json)\nEOF\n", executable: true)
            try deployment.home.write(".aws/config", "[default]\ncredential_process = \(script) --role rrr\n")
            deployment.secrets += [temporary.secretAccessKey, temporary.sessionToken ?? ""]
        case .container:
            var options = AWSStandIn.Options()
            options.containerToken = "eks-pod-identity-token"
            let standIn = try await deployment.startStandIn(moto: moto, options: options)
            deployment.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = standIn.endpoint + options.containerPath
            deployment.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = try deployment.home.write("eks/pod-token", "eks-pod-identity-token")
            deployment.secrets.append("eks-pod-identity-token")
        case .instanceMetadata:
            let standIn = try await deployment.startStandIn(moto: moto)
            deployment.variables["AWS_EC2_METADATA_DISABLED"] = nil
            deployment.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = standIn.endpoint
            deployment.variables["AWS_METADATA_SERVICE_TIMEOUT"] = "10"  // a busy test machine, not EC2's link-local answer
        }
        return deployment
    }

    /// rrr.yml as a user writes it on AWS: no key, no endpoint (the AWS_ENDPOINT_URL_* variables
    /// point at the local services).
    static func yaml(table: String, redshift: String) throws -> String {
        """
        source: { url: "\(try TestStack.value("RRR_TEST_POSTGRES_URL"))" }
        redshift: \(redshift)
        s3: { bucket: \(try TestStack.value("RRR_TEST_S3_BUCKET")), prefix: rrr-aws-tests }
        settings: { local_path: "\(NSTemporaryDirectory())" }
        tables: { \(table): { strategy: identity } }
        """
    }

    static func stackRedshift() throws -> String {
        "{ host: \(try TestStack.value("RRR_TEST_REDSHIFT_HOST")), port: \(try TestStack.value("RRR_TEST_REDSHIFT_PORT")), "
            + "database: \(try TestStack.value("RRR_TEST_REDSHIFT_DATABASE")), user: \(try TestStack.value("RRR_TEST_REDSHIFT_USER")), "
            + "password: \"${RRR_TEST_REDSHIFT_PASSWORD}\" }"
    }

    /// Creates a 25-row table in the source and its Redshift twin, replicates it, and returns the
    /// outcome and every event.
    static func replicate(yaml: (String) throws -> String, environment: [String: String],
                          redshift: SQLClient) async throws -> (TableOutcome, [ReplicationEvent], ReplicatorConfiguration) {
        let name = TestStack.uniqueName("aws_events")
        let source = try await SQLClient.source()
        defer { Task { await source.close() } }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, kind text); INSERT INTO \(name) SELECT g, 'k' || g FROM generate_series(1, 25) g")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, kind VARCHAR(16))")
        let configuration = try ReplicatorConfiguration.parse(yaml: try yaml(name), environment: environment)
        let replicator = Replicator(configuration: configuration)
        let events = EventCollector(replicator)
        try await replicator.install(logger: TestStack.logger)
        let outcome = try #require(try await replicator.replicate(tables: [name], logger: TestStack.logger).first)
        #expect(try await redshift.count(name) == (outcome.status == .imported ? 25 : 0))
        return (outcome, await events.finish(replicator), configuration)
    }

    @Test("a replication with credentials from each provider and no key in rrr.yml", arguments: Provider.allCases)
    func replicationWithCredentialsFrom(_ provider: Provider) async throws {
        let moto = try MotoServer.required()
        let deployment = try await Self.setUp(provider, moto: moto)
        let redshift = try await SQLClient.redshift()
        defer { Task { await redshift.close(); await deployment.finish() } }

        let (outcome, events, configuration) = try await Self.replicate(
            yaml: { try Self.yaml(table: $0, redshift: try Self.stackRedshift()) }, environment: deployment.variables, redshift: redshift)
        #expect(configuration.storage.accessKeyID == nil && configuration.storage.endpoint == nil)
        #expect(outcome.status == .imported, "\(outcome)")
        // COPY got the chain's temporary credentials, SESSION_TOKEN included, and said where they came from.
        let load = events.first { $0.message.hasPrefix("loading: COPY") }
        #expect(load?.message.contains("SESSION_TOKEN '********'") == true, "\(load?.message ?? "no COPY event")")
        #expect(load?.message.hasSuffix("(credentials from \(provider.expectedName))") == true, "\(load?.message ?? "")")
        if let standIn = deployment.standIn { #expect(standIn.requests.count > 0) }
        let printed = events.map(\.message).joined(separator: "\n") + "\(outcome)"
        for secret in deployment.secrets + deployment.issuedSecrets() where !secret.isEmpty {
            #expect(!printed.contains(secret), "a secret of \(provider) leaked")
        }
    }

    @Test("a failed COPY says whose credentials authorized it, never the credentials")
    func failedCopyNamesTheProvider() async throws {
        let moto = try MotoServer.required()
        let deployment = try await Self.setUp(.container, moto: moto)
        let redshift = try await SQLClient.redshift()
        defer { Task { await redshift.close(); await deployment.finish() } }
        let database = try TestStack.value("RRR_TEST_REDSHIFT_DATABASE"), password = try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")
        try await Self.withEmulator(user: "loader", password: password, moto: moto, faults: FaultInjection(failCopyNumber: 1)) { port in
            let (outcome, _, _) = try await Self.replicate(
                yaml: { try Self.yaml(table: $0, redshift: "{ host: 127.0.0.1, port: \(port), database: \(database), user: loader, password: \"${RRR_TEST_REDSHIFT_PASSWORD}\" }") },
                environment: deployment.variables, redshift: redshift)
            #expect(outcome.status == .failed)
            #expect(outcome.error?.hasSuffix("(COPY authorized with credentials from container credentials (AWS_CONTAINER_CREDENTIALS_*_URI))") == true,
                    "\(outcome.error ?? "")")
            for secret in deployment.secrets + deployment.issuedSecrets() where !secret.isEmpty {
                #expect(outcome.error?.contains(secret) == false)
            }
        }
    }

    @Test("no credentials anywhere: the table fails with each provider tried and why")
    func noCredentials() async throws {
        let moto = try MotoServer.required()
        let deployment = try Deployment(moto: moto)
        let redshift = try await SQLClient.redshift()
        defer { Task { await redshift.close(); await deployment.finish() } }
        let (outcome, _, _) = try await Self.replicate(
            yaml: { try Self.yaml(table: $0, redshift: try Self.stackRedshift()) }, environment: deployment.variables, redshift: redshift)
        #expect(outcome.status == .failed)
        let error = outcome.error ?? ""
        for expected in ["NoCredentials", "rrr.yml (aws.access_key_id): aws.access_key_id is not set",
                         "environment (AWS_ACCESS_KEY_ID): AWS_ACCESS_KEY_ID is not set",
                         "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): AWS_WEB_IDENTITY_TOKEN_FILE is not set",
                         "shared files (profile default): profile `default` is in neither",
                         "EC2 instance metadata (IMDSv2): AWS_EC2_METADATA_DISABLED is true"] {
            #expect(error.contains(expected), "missing `\(expected)` in: \(error)")
        }
    }

    @Test("Redshift password from Secrets Manager (redshift.password_secret), signed with the chain", .enabled(if: MotoServer.current != nil || TestStack.isCI))
    func passwordFromSecretsManager() async throws {
        let moto = try MotoServer.required()
        let deployment = try await Self.setUp(.sharedFilesRole, moto: moto)
        deployment.variables["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = moto.endpoint
        let redshift = try await SQLClient.redshift()
        defer { Task { await redshift.close(); await deployment.finish() } }
        let login = "{ host: \(try TestStack.value("RRR_TEST_REDSHIFT_HOST")), port: \(try TestStack.value("RRR_TEST_REDSHIFT_PORT")), "
            + "database: \(try TestStack.value("RRR_TEST_REDSHIFT_DATABASE")), password_secret: \(moto.secretID) }"
        let (outcome, events, configuration) = try await Self.replicate(
            yaml: { try Self.yaml(table: $0, redshift: login) }, environment: deployment.variables, redshift: redshift)
        #expect(configuration.redshift.password == nil && configuration.redshift.user == "", "user and password both come from the secret")
        #expect(outcome.status == .imported, "\(outcome)")
        #expect(!events.map(\.message).joined().contains(try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")))
    }

    /// An emulator of our own: its only login is `user`/`password` (the one the stand-in's Redshift
    /// API hands out), with `faults` injected.
    static func withEmulator<T: Sendable>(user: String, password: String, moto: MotoServer, faults: FaultInjection = FaultInjection(),
                                          _ body: (Int) async throws -> T) async throws -> T {
        let configuration = RedshiftEmulatorConfiguration(
            port: 0, backend: try PostgresTarget(url: try TestStack.value("RRR_TEST_WAREHOUSE_POSTGRES_URL")),
            user: user, password: password, s3Endpoint: moto.endpoint,
            iamAccessKeyID: moto.credentials.accessKeyID, iamSecretAccessKey: moto.credentials.secretAccessKey, faults: faults)
        var logger = Logger(label: "rrr-tests-emulator")
        logger.logLevel = .error
        let server = try await RedshiftEmulatorServer.bind(configuration: configuration, logger: logger)
        let running = Task { try await server.run() }
        defer { running.cancel() }
        do {
            let result = try await body(server.port)
            await server.close()
            return result
        } catch {
            await server.close()
            throw error
        }
    }

    @Test("IAM login: GetClusterCredentials for a database user, GetClusterCredentialsWithIAM, Serverless GetCredentials",
          arguments: ["cluster user", "cluster identity", "serverless"])
    func iamLogin(_ kind: String) async throws {
        let moto = try MotoServer.required()
        let deployment = try await Self.setUp(.instanceMetadata, moto: moto)
        let standIn = try #require(deployment.standIn)
        deployment.variables["AWS_ENDPOINT_URL_REDSHIFT"] = standIn.endpoint
        deployment.variables["AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS"] = standIn.endpoint
        deployment.secrets.append(standIn.options.databasePassword)
        let redshift = try await SQLClient.redshift()
        defer { Task { await redshift.close(); await deployment.finish() } }
        let database = try TestStack.value("RRR_TEST_REDSHIFT_DATABASE")
        let (user, login): (String, String) = switch kind {
        case "cluster user": ("IAM:loader", "user: loader, auth: iam, cluster_identifier: analytics")
        case "cluster identity": (standIn.options.iamDatabaseUser, "auth: iam, cluster_identifier: analytics")
        default: (standIn.options.iamDatabaseUser, "auth: iam, workgroup: etl-wg")
        }
        try await Self.withEmulator(user: user, password: standIn.options.databasePassword, moto: moto) { port in
            let (outcome, events, _) = try await Self.replicate(
                yaml: { try Self.yaml(table: $0, redshift: "{ host: 127.0.0.1, port: \(port), database: \(database), region: us-east-1, \(login) }") },
                environment: deployment.variables, redshift: redshift)
            #expect(outcome.status == .imported, "\(outcome)")
            let printed = events.map(\.message).joined(separator: "\n") + "\(outcome)"
            for secret in deployment.secrets + deployment.issuedSecrets() where !secret.isEmpty { #expect(!printed.contains(secret)) }
        }
        let calls = standIn.requests.filter { $0.method == "POST" }
        #expect(!calls.isEmpty, "the Redshift API was called")
        #expect(standIn.issuedCount("redshift") == 1, "the temporary password is shared by the run's sessions")
        let call = try #require(calls.last)
        switch kind {
        case "cluster user":
            #expect(call.form["Action"] == "GetClusterCredentials" && call.form["DbUser"] == "loader" && call.form["ClusterIdentifier"] == "analytics")
            #expect(call.form["DbName"] == database)
        case "cluster identity":
            #expect(call.form["Action"] == "GetClusterCredentialsWithIAM" && call.form["DbUser"] == nil)
        default:
            #expect(call.header("x-amz-target") == "RedshiftServerless.GetCredentials" && call.text.contains("\"workgroupName\":\"etl-wg\""))
        }
        // Signed with the instance profile's credentials (moto-issued), as the stand-in verified.
        #expect(call.header("x-amz-security-token") != nil)
    }
}
