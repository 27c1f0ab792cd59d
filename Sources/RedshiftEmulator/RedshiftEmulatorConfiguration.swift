/// Everything a `RedshiftEmulatorServer` needs to know. Secrets print as `****`.
public struct RedshiftEmulatorConfiguration: Sendable, CustomStringConvertible {
    /// Address to listen on (default `127.0.0.1`; loopback only is the intent).
    public var host: String
    /// Port to listen on (default 5439, Redshift's; 0 picks a free one).
    public var port: Int
    /// The backing PostgreSQL database.
    public var backend: PostgresTarget
    /// The user clients log in as (default `rrr`).
    public var user: String
    /// The password clients must give. Never printed.
    public var password: String
    /// How clients send their password (default `.md5`, as Redshift).
    public var authenticationMethod: ClientAuthenticationMethod
    /// The S3 endpoint COPY reads from, e.g. `http://127.0.0.1:9000` (required for COPY).
    public var s3Endpoint: String?
    /// The region for SigV4 when the COPY names none (default `us-east-1`).
    public var s3Region: String
    /// Keys used when a COPY authorizes with `IAM_ROLE` (the emulator plays the role).
    public var iamAccessKeyID: String?
    /// Never printed.
    public var iamSecretAccessKey: String?
    /// Failures to inject (default none).
    public var faults: FaultInjection
    /// Behave as Redshift Serverless: STL system tables are refused (`permission denied`), the SYS
    /// views answer. Default `false` (a provisioned cluster).
    public var serverless: Bool
    /// VARCHAR `=` and `<>` ignore trailing blanks, as on Redshift (r_Character_types). Opt-in:
    /// PostgreSQL then runs `IN` lists on VARCHAR through an SQL function per element and row
    /// (see the README). Default `false`.
    public var varcharIgnoresTrailingBlanks: Bool
    /// The cluster's slice count, as `stv_slices` lists it (two per node, as on the smaller node
    /// types; r_STV_SLICES). Default 2 (one node). At least 1.
    public var sliceCount: Int
    /// Certificate and key to answer SSLRequest with TLS, as Redshift does; `nil` (the default):
    /// SSLRequest is refused and clients go on in clear text.
    public var tls: TLSFiles?

    /// PEM files of the server's TLS certificate (chain) and private key.
    public struct TLSFiles: Sendable, Hashable {
        public var certificateChainPath: String
        public var privateKeyPath: String
        public init(certificateChainPath: String, privateKeyPath: String) {
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
        }
    }

    public init(
        host: String = "127.0.0.1", port: Int = 5439, backend: PostgresTarget,
        user: String = "rrr", password: String, authenticationMethod: ClientAuthenticationMethod = .md5,
        s3Endpoint: String? = nil, s3Region: String = "us-east-1",
        iamAccessKeyID: String? = nil, iamSecretAccessKey: String? = nil, faults: FaultInjection = FaultInjection(),
        serverless: Bool = false, varcharIgnoresTrailingBlanks: Bool = false, tls: TLSFiles? = nil,
        sliceCount: Int = 2
    ) {
        self.host = host
        self.port = port
        self.backend = backend
        self.user = user
        self.password = password
        self.authenticationMethod = authenticationMethod
        self.s3Endpoint = s3Endpoint
        self.s3Region = s3Region
        self.iamAccessKeyID = iamAccessKeyID
        self.iamSecretAccessKey = iamSecretAccessKey
        self.faults = faults
        self.tls = tls
        self.serverless = serverless
        self.varcharIgnoresTrailingBlanks = varcharIgnoresTrailingBlanks
        self.sliceCount = max(1, sliceCount)
    }

    var clientCredentials: ClientCredentials {
        ClientCredentials(user: user, password: password, method: authenticationMethod)
    }

    public var description: String {
        "listen \(host):\(port), backend \(backend), user \(user) (password ****, \(authenticationMethod.rawValue)), "
            + "s3 \(s3Endpoint ?? "none") \(s3Region), iam key \(iamAccessKeyID ?? "none") (secret ****), faults \(faults)"
            + (serverless ? ", serverless" : "") + (varcharIgnoresTrailingBlanks ? ", VARCHAR ignores trailing blanks" : "")
            + ", tls \(tls?.certificateChainPath ?? "off"), \(sliceCount) slices"
    }
}

/// Failures the emulator injects for reliability tests; all off by default.
public struct FaultInjection: Sendable, CustomStringConvertible {
    /// Fail the Nth COPY from S3 (1-based, counted over the whole process) with an error.
    public var failCopyNumber: Int?
    /// Close the client's connection (and its backend session, so the transaction rolls back) in
    /// the middle of the Nth COPY from S3, after its first rows reached the backend.
    public var dropConnectionDuringCopyNumber: Int?
    /// Close the connection instead of running the Nth COMMIT/END (the transaction rolls back).
    public var dropConnectionAtCommitNumber: Int?
    /// Fail the Nth COMMIT/END with Redshift's serializable isolation violation (`ERROR: 1023`,
    /// SQLSTATE XX000, c_serial_isolation-serializable-isolation-troubleshooting); the
    /// transaction rolls back. COMMITs are counted with `dropConnectionAtCommitNumber`'s.
    public var serializableViolationAtCommitNumber: Int?
    /// Delay every statement by this many milliseconds (default 0).
    public var statementDelayMilliseconds: Int
    /// Delay every COPY from S3 by this many milliseconds before it loads (default 0).
    public var copyDelayMilliseconds: Int = 0
    /// Test-only random faults for soaks: the share (0...1) of COPYs from S3 that fail with an error,
    /// of COPYs whose connection drops midway, of COMMIT/ENDs whose connection drops instead, and of
    /// COMMIT/ENDs that fail with a serializable isolation violation. One draw per COPY and one per
    /// COMMIT from a generator seeded with `seed`; all 0 by default.
    public var copyFailureRate: Double = 0
    public var copyDropRate: Double = 0
    public var commitDropRate: Double = 0
    public var serializableViolationRate: Double = 0
    /// The seed of the random faults' generator (the same seed draws the same sequence).
    public var seed: UInt64 = 0

    public init(failCopyNumber: Int? = nil, dropConnectionDuringCopyNumber: Int? = nil,
                dropConnectionAtCommitNumber: Int? = nil, statementDelayMilliseconds: Int = 0,
                serializableViolationAtCommitNumber: Int? = nil) {
        self.failCopyNumber = failCopyNumber
        self.dropConnectionDuringCopyNumber = dropConnectionDuringCopyNumber
        self.dropConnectionAtCommitNumber = dropConnectionAtCommitNumber
        self.statementDelayMilliseconds = statementDelayMilliseconds
        self.serializableViolationAtCommitNumber = serializableViolationAtCommitNumber
    }

    /// True when any fault is configured.
    public var isActive: Bool {
        failCopyNumber != nil || dropConnectionDuringCopyNumber != nil || dropConnectionAtCommitNumber != nil
            || statementDelayMilliseconds > 0 || serializableViolationAtCommitNumber != nil || copyDelayMilliseconds > 0
            || drawsForCopies || drawsForCommits
    }

    /// True when a fault strikes at COMMIT (so COMMITs are counted).
    var watchesCommits: Bool { dropConnectionAtCommitNumber != nil || serializableViolationAtCommitNumber != nil || drawsForCommits }
    /// True when COPYs / COMMITs draw random faults.
    var drawsForCopies: Bool { copyFailureRate > 0 || copyDropRate > 0 }
    var drawsForCommits: Bool { commitDropRate > 0 || serializableViolationRate > 0 }

    public var description: String {
        isActive ? "failCopy=\(failCopyNumber.map(String.init) ?? "-") dropDuringCopy=\(dropConnectionDuringCopyNumber.map(String.init) ?? "-") "
            + "dropAtCommit=\(dropConnectionAtCommitNumber.map(String.init) ?? "-") delayMs=\(statementDelayMilliseconds) copyDelayMs=\(copyDelayMilliseconds) "
            + "serializableViolationAtCommit=\(serializableViolationAtCommitNumber.map(String.init) ?? "-")"
            + (drawsForCopies || drawsForCommits
                ? " rates copyFailure=\(copyFailureRate) copyDrop=\(copyDropRate) commitDrop=\(commitDropRate) serializableViolation=\(serializableViolationRate) seed=\(seed)"
                : "") : "none"
    }
}
