import Foundation

/// Everything a ``Replicator`` needs: the source, Redshift, S3, settings and the tables.
///
/// Build it in code or load it from `rrr.yml` with ``ReplicatorConfiguration/load(path:environment:)``.
/// Its description never contains a secret.
public struct ReplicatorConfiguration: Sendable {
    /// Connection to Redshift (or the local emulator).
    public struct Redshift: Sendable, Hashable {
        /// Host; env `RRR_REDSHIFT_HOST`.
        public var host: String
        /// Port; env `RRR_REDSHIFT_PORT`, default 5439.
        public var port: Int = 5439
        /// Database; env `RRR_REDSHIFT_DATABASE`.
        public var database: String
        /// User; env `RRR_REDSHIFT_USER`. With ``RedshiftAuthentication/iam(_:)`` the database user
        /// credentials are asked for (empty: the caller's IAM identity, `GetClusterCredentialsWithIAM`).
        public var user: String
        /// Password; env `RRR_REDSHIFT_PASSWORD`.
        public var password: Secret?
        /// A Secrets Manager secret (name or ARN) holding the password, read at each connection:
        /// a plain string, or Redshift's JSON `{"username": …, "password": …}`. Default `nil`.
        public var passwordSecret: String?
        /// Password (the default) or IAM authentication.
        public var authentication: RedshiftAuthentication = .password
        /// Schema holding the target tables and the ledger. Default `public`.
        public var schema: String = "public"
        /// TLS as libpq's `sslmode` names it; `nil` (the default) means `verify-full` for every host
        /// but loopback ones, which get `prefer`.
        public var sslMode: RedshiftSSLMode?
        /// PEM file of the certificate authorities to trust (libpq's `sslrootcert`); default the
        /// system's trust store.
        public var sslRootCertificate: String?
        /// Region of the Redshift API (IAM authentication); default from the host name, else the
        /// AWS region, else the S3 region.
        public var region: String?
        /// How long one statement (COPY and merges included) may run, default one hour
        /// (`redshift.statement_timeout`, seconds): set as the session's `statement_timeout`, and
        /// past it plus ``statementGrace`` rrr closes the connection itself, since a server that no
        /// longer answers cannot end the statement.
        public var statementTimeout: Duration = .seconds(3600)
        /// TCP keepalive probes on the connection (`redshift.keepalive_idle`, `keepalive_interval`,
        /// `keepalive_count`), so a connection dropped by a NAT or firewall fails instead of hanging.
        public var keepalive = TCPKeepalive()

        /// How long after ``statementTimeout`` rrr stops waiting for the server's own timeout error.
        static let statementGrace: Duration = .seconds(10)

        /// The TLS mode in force: ``sslMode``, else the default for ``host``.
        public var effectiveSSLMode: RedshiftSSLMode {
            sslMode ?? (Self.isLoopback(host) ? .prefer : .verifyFull)
        }

        /// `localhost`, `127.x.x.x` or `::1`: traffic that never leaves the machine.
        static func isLoopback(_ host: String) -> Bool {
            let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
            return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
        }

        /// Creates connection settings.
        public init(host: String, port: Int = 5439, database: String, user: String, password: Secret?, schema: String = "public") {
            self.host = host; self.port = port; self.database = database; self.user = user
            self.password = password; self.schema = schema
        }
    }

    /// TCP keepalive settings of a connection: probes start after ``idle`` seconds without
    /// traffic, repeat every ``interval`` seconds, and ``count`` unanswered probes end the
    /// connection. The defaults (60/10/6) notice a dead peer within two minutes, where the
    /// operating system's default (two hours) would let a dropped connection hold a table's lock.
    public struct TCPKeepalive: Sendable, Hashable {
        /// Seconds idle before the first probe, default 60.
        public var idle: Int = 60
        /// Seconds between probes, default 10.
        public var interval: Int = 10
        /// Unanswered probes that end the connection, default 6.
        public var count: Int = 6

        /// Creates keepalive settings; see each property for its default.
        public init(idle: Int = 60, interval: Int = 10, count: Int = 6) {
            self.idle = idle; self.interval = interval; self.count = count
        }
    }

    /// The S3 bucket that stages the files, and how COPY reads it.
    public struct Storage: Sendable, Hashable {
        /// Bucket; env `RRR_REPLICATION_BUCKET`.
        public var bucket: String
        /// Key prefix; env `RRR_REPLICATION_PREFIX`. Default empty.
        public var prefix: String = ""
        /// Region; env `RRR_REPLICATION_REGION`, default `us-east-1`.
        public var region: String = "us-east-1"
        /// Endpoint of an S3-compatible store (moto, MinIO); `nil` means AWS.
        public var endpoint: String?
        /// Access key id written in the configuration (`aws.access_key_id`): the first link of the
        /// credential chain, before `RRR_AWS_*`, `AWS_*`, web identity, profiles, container, EC2.
        public var accessKeyID: String?
        /// Secret access key going with ``accessKeyID``.
        public var secretAccessKey: Secret?
        /// Session token going with ``accessKeyID`` when it is temporary.
        public var sessionToken: Secret?
        /// IAM role COPY assumes instead of passing keys (`IAM_ROLE 'arn...'`); a chain of roles is
        /// comma-separated, as Redshift takes it. Default `nil`: COPY gets the chain's current
        /// credentials (with `SESSION_TOKEN` when temporary).
        public var iamRole: String?

        /// Creates storage settings.
        public init(bucket: String, prefix: String = "", region: String = "us-east-1", endpoint: String? = nil,
                    accessKeyID: String? = nil, secretAccessKey: Secret? = nil, sessionToken: Secret? = nil, iamRole: String? = nil) {
            self.bucket = bucket; self.prefix = prefix; self.region = region; self.endpoint = endpoint
            self.accessKeyID = accessKeyID; self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken; self.iamRole = iamRole
        }
    }

    /// The source database.
    public var source: DatabaseURL
    /// Redshift.
    public var redshift: Redshift
    /// S3 staging.
    public var storage: Storage
    /// Where AWS credentials, regions and endpoint overrides come from.
    public var aws: AWS
    /// Global settings each table may override.
    public var settings: TableSettings
    /// The replicable tables, in configuration order.
    public var tables: [TableConfiguration]
    /// Tables at once and the connection budgets (`jobs`, `max_source_connections`, `max_redshift_connections`).
    public var parallelism = Parallelism()
    /// `rrr serve`: schedule, shutdown grace, metrics endpoint (`serve:`, `metrics:`).
    public var service = ServiceSettings()

    /// Creates a configuration.
    public init(source: DatabaseURL, redshift: Redshift, storage: Storage, aws: AWS = AWS(), settings: TableSettings = TableSettings(),
                tables: [TableConfiguration]) {
        self.source = source; self.redshift = redshift; self.storage = storage; self.aws = aws
        self.settings = settings; self.tables = tables
    }

    /// The settings in force for `table`.
    public func settings(for table: TableConfiguration) -> TableSettings {
        table.overrides.applied(to: settings)
    }
}
