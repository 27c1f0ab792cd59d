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
        /// User; env `RRR_REDSHIFT_USER`.
        public var user: String
        /// Password; env `RRR_REDSHIFT_PASSWORD`.
        public var password: Secret?
        /// Schema holding the target tables and the ledger. Default `public`.
        public var schema: String = "public"
        /// Whether to require TLS. Default `false` (the emulator speaks plain TCP).
        public var requireTLS: Bool = false

        /// Creates connection settings.
        public init(host: String, port: Int = 5439, database: String, user: String, password: Secret?, schema: String = "public") {
            self.host = host; self.port = port; self.database = database; self.user = user
            self.password = password; self.schema = schema
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
        /// Access key id; env `RRR_AWS_ACCESS_KEY_ID` (then `AWS_ACCESS_KEY_ID`).
        public var accessKeyID: String?
        /// Secret access key; env `RRR_AWS_SECRET_ACCESS_KEY` (then `AWS_SECRET_ACCESS_KEY`).
        public var secretAccessKey: Secret?
        /// Session token for temporary credentials; env `RRR_AWS_SESSION_TOKEN` (then `AWS_SESSION_TOKEN`).
        public var sessionToken: Secret?
        /// IAM role COPY assumes instead of passing the keys (`IAM_ROLE 'arn...'`). Default `nil`.
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
    /// Global settings each table may override.
    public var settings: TableSettings
    /// The replicable tables, in configuration order.
    public var tables: [TableConfiguration]

    /// Creates a configuration.
    public init(source: DatabaseURL, redshift: Redshift, storage: Storage, settings: TableSettings = TableSettings(), tables: [TableConfiguration]) {
        self.source = source; self.redshift = redshift; self.storage = storage
        self.settings = settings; self.tables = tables
    }

    /// The settings in force for `table`.
    public func settings(for table: TableConfiguration) -> TableSettings {
        table.overrides.applied(to: settings)
    }
}
