import AWSAuth
import Foundation

extension ReplicatorConfiguration {
    /// Where AWS credentials, regions and endpoint overrides come from. Its descriptions never
    /// show the variables' values (they hold secrets).
    public struct AWS: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// The shared files' profile (`aws.profile`). Default `nil`: `AWS_PROFILE`, else `default`.
        /// Chosen explicitly, it also takes precedence over `AWS_ACCESS_KEY_ID` (as the AWS CLI's
        /// `--profile`).
        public var profile: String?
        /// The environment variables the credential chain, the region and the endpoint overrides
        /// (`AWS_ENDPOINT_URL_*`) are read from: those the configuration was loaded with.
        public var environment: [String: String]

        /// Creates AWS settings; the environment defaults to the process's.
        public init(profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.profile = profile
            self.environment = environment
        }

        /// The variables and profile, as the AWS tools read them.
        public var awsEnvironment: AWSEnvironment { AWSEnvironment(environment, profile: profile) }

        /// `AWS(profile: …, environment: N variables)`.
        public var description: String { "AWS(profile: \(profile ?? "default"), environment: \(environment.count) variables)" }
        public var debugDescription: String { description }
        public var customMirror: Mirror {
            Mirror(self, children: ["profile": profile ?? "default", "environment": "\(environment.count) variables"])
        }
    }

    /// The AWS client every AWS call of a run goes through, with the credential chain in the AWS
    /// SDKs' order after rrr's own settings:
    /// `aws.access_key_id` in rrr.yml, the gem's `RRR_AWS_*` variables, `AWS_ACCESS_KEY_ID`…, web
    /// identity, the shared files' profile, container credentials, EC2 instance metadata.
    func makeAWSClient() -> AWSClient {
        let environment = aws.awsEnvironment
        let explicit = storage.accessKeyID.flatMap { id in
            storage.secretAccessKey.map { AWSCredentials(accessKeyID: id, secretAccessKey: $0.value, sessionToken: storage.sessionToken?.value) }
        }
        let leading: [any AWSCredentialSource] = [
            StaticCredentialSource(name: "rrr.yml (aws.access_key_id)", credentials: explicit, missingReason: "aws.access_key_id is not set"),
            EnvironmentCredentialSource(prefix: "RRR_AWS_", environment: environment),
        ]
        let chain = AWSCredentialChain.standard(leading: leading, environment: environment, skipEnvironmentKeys: aws.profile != nil)
        return AWSClient(environment: environment, credentials: chain)
    }
}

/// How rrr logs in to Redshift.
public enum RedshiftAuthentication: Sendable, Hashable {
    /// `redshift.password`, `RRR_REDSHIFT_PASSWORD` or `redshift.password_secret`.
    case password
    /// Temporary credentials from the Redshift API, signed with the AWS credential chain.
    case iam(RedshiftIAMAuthentication)
}

/// IAM authentication: a provisioned cluster (`GetClusterCredentials` for a named database user,
/// `GetClusterCredentialsWithIAM` for the caller's IAM identity) or a Serverless workgroup
/// (`redshift-serverless` `GetCredentials`).
public struct RedshiftIAMAuthentication: Sendable, Hashable {
    /// The provisioned cluster (`redshift.cluster_identifier`; default: the host's first label on
    /// `*.redshift.amazonaws.com`).
    public var clusterIdentifier: String?
    /// The Serverless workgroup (`redshift.workgroup`; default: the host's first label on
    /// `*.redshift-serverless.amazonaws.com`).
    public var workgroup: String?
    /// Create the database user at first login (`redshift.auto_create`, GetClusterCredentials only).
    public var autoCreate: Bool
    /// Database groups the user joins for the session (`redshift.db_groups`, GetClusterCredentials only).
    public var groups: [String]
    /// Lifetime of the temporary password, 900-3600 s (`redshift.duration_seconds`). Default 900.
    public var durationSeconds: Int

    /// Creates IAM settings.
    public init(clusterIdentifier: String? = nil, workgroup: String? = nil, autoCreate: Bool = false, groups: [String] = [],
                durationSeconds: Int = 900) {
        self.clusterIdentifier = clusterIdentifier
        self.workgroup = workgroup
        self.autoCreate = autoCreate
        self.groups = groups
        self.durationSeconds = durationSeconds
    }
}

/// TLS to Redshift, as libpq's `sslmode` names it.
public enum RedshiftSSLMode: String, Sendable, Hashable, CaseIterable {
    /// Plain TCP.
    case disable
    /// TLS when the server offers it, without checking its certificate; plain otherwise.
    case prefer
    /// TLS or no connection; the certificate is not checked (unless `ssl_root_cert` is set, which
    /// makes it `verify-ca`, as libpq does).
    case require
    /// TLS; the certificate must chain to a trusted authority.
    case verifyCA = "verify-ca"
    /// TLS; the certificate must chain to a trusted authority and name the host.
    case verifyFull = "verify-full"
}
