import SourceSupport
import AWSAuth
import Foundation
import Yams

extension ReplicatorConfiguration {
    /// Reads `rrr.yml` at `path`; see ``parse(yaml:environment:)``.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> ReplicatorConfiguration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            var failure = ConfigurationError(.fileUnreadable, setting: "", "cannot read the configuration file (\(error.localizedDescription))")
            failure.file = path
            throw failure
        }
        do { return try parse(yaml: text, environment: environment) } catch {
            var failure = error
            failure.file = path
            throw failure
        }
    }

    /// Parses a configuration. Values may use `${VAR}` / `${VAR:-default}`; unset settings fall back
    /// to the gem's environment variables (`RRR_REDSHIFT_HOST` ... `RRR_REPLICATION_PREFIX`).
    /// A key rrr does not know, at any level, is an error (``ConfigurationError/Code/unknownSetting``).
    public static func parse(yaml: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> ReplicatorConfiguration {
        try parseNotingKeys(yaml: yaml, environment: environment).configuration
    }

    /// ``parse(yaml:environment:)``, with the keys the parser asked for at each level.
    static func parseNotingKeys(yaml: String, environment: [String: String]) throws(ConfigurationError) -> (configuration: ReplicatorConfiguration, usage: ConfigKeyUsage) {
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw ConfigurationError(.invalidYAML, setting: "", "not valid YAML: \(error)")
        }
        let usage = ConfigKeyUsage()
        let configuration: ReplicatorConfiguration
        do { configuration = try parse(ConfigNode(node: node, path: "", environment: environment, usage: usage)) } catch {
            throw usage.misspelling(causing: error, in: node) ?? error
        }
        try usage.checkNoUnknownKeys(node)
        return (configuration, usage)
    }

    private static func parse(_ root: ConfigNode) throws(ConfigurationError) -> ReplicatorConfiguration {
        let source = try parseSource(root["source"])
        let aws = AWS(profile: try root["aws"]["profile"].string(), environment: root.environment)
        let redshift = try parseRedshift(root["redshift"])
        let storage = try parseStorage(root, aws: aws)
        let settings = try parseSettings(root["settings"]).applied(to: TableSettings())
        let tables = try root["tables"].keys().map { (name) throws(ConfigurationError) in try parseTable(name, root["tables"][name]) }
        if tables.isEmpty {
            throw ConfigurationError(.missingSetting, setting: "tables", "no tables to replicate are configured")
        }
        try refuseSharedTargets(tables)
        var configuration = ReplicatorConfiguration(source: source, redshift: redshift, storage: storage, aws: aws, settings: settings, tables: tables)
        configuration.parallelism = try parseParallelism(root)
        configuration.service = try parseService(root)
        return configuration
    }

    /// `serve: { every, jitter, shutdown_grace }` and `metrics: { host, port }`.
    private static func parseService(_ root: ConfigNode) throws(ConfigurationError) -> ServiceSettings {
        var service = ServiceSettings()
        let serve = root["serve"], metrics = root["metrics"]
        if let every = try parsePeriod(serve["every"]) { service.everySeconds = every }
        if let text = try serve["jitter"].string()?.trimmingCharacters(in: .whitespaces) {
            if text.hasSuffix("%") {
                guard let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), percent >= 0, percent <= 100 else {
                    throw ConfigurationError(.invalidValue, setting: serve["jitter"].path, "expected a percentage of the period from 0% to 100% or a duration such as '30s', got '\(text)'")
                }
                service.jitter = .fraction(percent / 100)
            } else {
                guard case .seconds(let seconds)? = Lookback.parseDuration(text) else {
                    throw ConfigurationError(.invalidValue, setting: serve["jitter"].path, "expected a percentage of the period such as '10%' or a duration such as '30s', got '\(text)'")
                }
                service.jitter = .seconds(seconds)
            }
        }
        if let text = try serve["shutdown_grace"].string() {
            guard case .seconds(let seconds)? = Lookback.parseDuration(text) else {
                throw ConfigurationError(.invalidValue, setting: serve["shutdown_grace"].path, "expected a duration such as '5 minutes', got '\(text)'")
            }
            service.shutdownGraceSeconds = seconds
        }
        if let host = try metrics["host"].string() { service.metricsHost = host }
        if let port = try metrics["port"].int(minimum: 1, maximum: 65535) { service.metricsPort = port }
        return service
    }

    /// A run period (`serve.every`, a table's `every`): a duration of at least one second.
    private static func parsePeriod(_ node: ConfigNode) throws(ConfigurationError) -> Int? {
        guard let text = try node.string() else { return nil }
        guard case .seconds(let seconds)? = Lookback.parseDuration(text), seconds > 0 else {
            throw ConfigurationError(.invalidValue, setting: node.path, "expected a duration such as '15 minutes', got '\(text)'")
        }
        return seconds
    }

    /// `jobs`, `max_source_connections` (at least 3: the shared session and one table's two) and
    /// `max_redshift_connections`.
    private static func parseParallelism(_ root: ConfigNode) throws(ConfigurationError) -> Parallelism {
        Parallelism(
            jobs: try root["jobs"].int(minimum: 1) ?? Parallelism.defaultJobs,
            maxSourceConnections: try root["max_source_connections"].int(minimum: 1 + Parallelism.sourceConnectionsPerTable),
            maxRedshiftConnections: try root["max_redshift_connections"].int(minimum: 1))
    }

    /// Two tables loading one Redshift table would merge, replace and delete each other's rows and
    /// share its load ledger: refused (names compared folded, as Redshift folds them).
    private static func refuseSharedTargets(_ tables: [TableConfiguration]) throws(ConfigurationError) {
        var seen: [String: String] = [:]
        for table in tables {
            if let other = seen[table.targetTable.lowercased()] {
                throw ConfigurationError(.invalidValue, setting: "tables.\(table.name).target_table",
                    "tables `\(other)` and `\(table.name)` both load the Redshift table `\(table.targetTable)`; each would overwrite and delete the other's rows: give one of them another target_table")
            }
            seen[table.targetTable.lowercased()] = table.name
        }
    }

    private static func parseRedshift(_ node: ConfigNode) throws(ConfigurationError) -> Redshift {
        let portText = try node["port"].optional(orEnvironment: ["RRR_REDSHIFT_PORT"]) ?? "5439"
        guard let port = Int(portText), port > 0, port < 65536 else {
            throw ConfigurationError(.invalidValue, setting: node["port"].path, "expected a port number, got '\(portText)'")
        }
        let host = try node["host"].required(orEnvironment: ["RRR_REDSHIFT_HOST"])
        let authentication = try parseAuthentication(node, host: host)
        let passwordSecret = try node["password_secret"].optional(orEnvironment: ["RRR_REDSHIFT_PASSWORD_SECRET"])
        // IAM logins may map the IAM identity; a JSON secret may carry the user name.
        let user = authentication == .password && passwordSecret == nil
            ? try node["user"].required(orEnvironment: ["RRR_REDSHIFT_USER"])
            : try node["user"].optional(orEnvironment: ["RRR_REDSHIFT_USER"]) ?? ""
        var redshift = Redshift(
            host: host,
            port: port,
            database: try node["database"].required(orEnvironment: ["RRR_REDSHIFT_DATABASE"]),
            user: user,
            password: try node["password"].optional(orEnvironment: ["RRR_REDSHIFT_PASSWORD"]).map(Secret.init),
            schema: try node["schema"].string() ?? "public")
        redshift.authentication = authentication
        redshift.passwordSecret = passwordSecret
        if redshift.passwordSecret != nil, redshift.password != nil {
            throw ConfigurationError(.invalidValue, setting: node["password_secret"].path, "set either a password or password_secret, not both")
        }
        redshift.region = try node["region"].string()
        if let seconds = try node["statement_timeout"].int(minimum: 1, maximum: 7 * 86_400) { redshift.statementTimeout = .seconds(seconds) }
        redshift.keepalive = TCPKeepalive(
            idle: try node["keepalive_idle"].int(minimum: 1, maximum: 32_767) ?? 60,
            interval: try node["keepalive_interval"].int(minimum: 1, maximum: 32_767) ?? 10,
            count: try node["keepalive_count"].int(minimum: 1, maximum: 127) ?? 6)
        redshift.sslMode = try node["sslmode"].choice(RedshiftSSLMode.self)
        // `require_tls` (before sslmode existed): true meant TLS with full verification.
        if let requireTLS = try node["require_tls"].bool() {
            guard redshift.sslMode == nil else {
                throw ConfigurationError(.invalidValue, setting: node["require_tls"].path, "replaced by `redshift.sslmode`: set only sslmode")
            }
            redshift.sslMode = requireTLS ? .verifyFull : .disable
        }
        if let path = try node["ssl_root_cert"].string() {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationError(.invalidValue, setting: node["ssl_root_cert"].path, "cannot read the certificate file \(path)")
            }
            redshift.sslRootCertificate = path
        }
        if redshift.sslRootCertificate != nil, [.disable, .prefer].contains(redshift.effectiveSSLMode) {
            throw ConfigurationError(.invalidValue, setting: node["ssl_root_cert"].path, "is only used with sslmode require, verify-ca or verify-full (sslmode is \(redshift.effectiveSSLMode.rawValue))")
        }
        return redshift
    }

    /// `redshift.auth: password | iam`, and for IAM the cluster or workgroup (named, or read from
    /// an AWS host name), `auto_create`, `db_groups`, `duration_seconds`.
    private static func parseAuthentication(_ node: ConfigNode, host: String) throws(ConfigurationError) -> RedshiftAuthentication {
        let method = try node["auth"].string()?.lowercased() ?? "password"
        let iamOnly = ["cluster_identifier", "workgroup", "auto_create", "db_groups", "duration_seconds"]
        switch method {
        case "password":
            if let extra = iamOnly.first(where: { node[$0].node != nil }) {
                throw ConfigurationError(.invalidValue, setting: node[extra].path, "is used only with `redshift.auth: iam`")
            }
            return .password
        case "iam":
            var iam = RedshiftIAMAuthentication(
                clusterIdentifier: try node["cluster_identifier"].string(), workgroup: try node["workgroup"].string(),
                autoCreate: try node["auto_create"].bool() ?? false, groups: try node["db_groups"].stringList() ?? [],
                durationSeconds: try node["duration_seconds"].int(minimum: 900) ?? 900)
            guard iam.durationSeconds <= 3600 else {
                throw ConfigurationError(.invalidValue, setting: node["duration_seconds"].path, "expected 900 to 3600 seconds, got \(iam.durationSeconds)")
            }
            if iam.clusterIdentifier != nil, iam.workgroup != nil {
                throw ConfigurationError(.invalidValue, setting: node["workgroup"].path, "set either cluster_identifier (provisioned) or workgroup (Serverless), not both")
            }
            if iam.clusterIdentifier == nil, iam.workgroup == nil {
                let label = host.split(separator: ".").first.map(String.init)
                if host.hasSuffix(".redshift-serverless.amazonaws.com") { iam.workgroup = label }
                else if host.hasSuffix(".redshift.amazonaws.com") { iam.clusterIdentifier = label }
                else {
                    throw ConfigurationError(.missingSetting, setting: node["cluster_identifier"].path, "`redshift.auth: iam` needs cluster_identifier (provisioned) or workgroup (Serverless) for host \(host)")
                }
            }
            if iam.workgroup != nil, iam.autoCreate || !iam.groups.isEmpty {
                throw ConfigurationError(.invalidValue, setting: node[iam.autoCreate ? "auto_create" : "db_groups"].path, "is for provisioned clusters (GetClusterCredentials), not Serverless workgroups")
            }
            return .iam(iam)
        default:
            throw ConfigurationError(.invalidValue, setting: node["auth"].path, "expected one of password | iam, got '\(method)'")
        }
    }

    /// S3 and COPY's access. Keys here are only those written in rrr.yml: the gem's `RRR_AWS_*`
    /// and the standard variables are links of the credential chain (see `makeAWSClient`).
    private static func parseStorage(_ root: ConfigNode, aws settings: AWS) throws(ConfigurationError) -> Storage {
        let s3 = root["s3"], aws = root["aws"]
        let accessKeyID = try aws["access_key_id"].string()
        let secretAccessKey = try aws["secret_access_key"].string()
        if (accessKeyID == nil) != (secretAccessKey == nil) {
            let missing = accessKeyID == nil ? aws["access_key_id"] : aws["secret_access_key"]
            throw ConfigurationError(.missingSetting, setting: missing.path, "aws.access_key_id and aws.secret_access_key go together")
        }
        var roles = try aws["iam_role"].stringList()
        if roles == nil, let fromEnvironment = settings.environment["RRR_AWS_IAM_ROLE"], !fromEnvironment.isEmpty {
            roles = fromEnvironment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if roles == ["default"] || roles == ["DEFAULT"] {
            roles = ["default"]
        } else if let bad = roles?.first(where: { !$0.hasPrefix("arn:") || !$0.contains(":role/") }) {
            throw ConfigurationError(.invalidValue, setting: aws["iam_role"].path, "expected `default`, an IAM role ARN (arn:aws:iam::<account>:role/<name>) or a chain of them, got '\(bad)'")
        }
        return Storage(
            bucket: try s3["bucket"].required(orEnvironment: ["RRR_REPLICATION_BUCKET"]),
            prefix: try s3["prefix"].optional(orEnvironment: ["RRR_REPLICATION_PREFIX"]) ?? "",
            region: try s3["region"].optional(orEnvironment: ["RRR_REPLICATION_REGION"]) ?? settings.awsEnvironment.region ?? "us-east-1",
            endpoint: try s3["endpoint"].optional(orEnvironment: ["RRR_S3_ENDPOINT"]),
            accessKeyID: accessKeyID,
            secretAccessKey: secretAccessKey.map(Secret.init),
            sessionToken: try aws["session_token"].string().map(Secret.init),
            iamRole: roles.flatMap { $0.isEmpty ? nil : $0.joined(separator: ",") })
    }

    private static func parseSettings(_ node: ConfigNode) throws(ConfigurationError) -> TableSettingsOverrides {
        var o = TableSettingsOverrides()
        o.slices = try node["slices"].int(minimum: 1)
        o.maxFileSize = try parseByteSize(node["max_file_size"])
        o.stage = try node["stage"].choice(StageMode.self)
        o.localPath = try node["local_path"].string()
        o.format = try node["format"].choice(ExportFormat.self)
        o.historyCap = try node["history_cap"].int(minimum: 2)
        // COPY's MAXERROR: the load fails at this many rejected rows; Redshift's limit is 100000.
        o.maxCopyErrors = try node["max_copy_errors"].int(minimum: 0, maximum: 100_000)
        o.maxRetries = try node["max_retries"].int(minimum: 0)
        o.copyOptions = node["copy_options"].node == nil ? nil : (try node["copy_options"].string() ?? "")
        o.deleteS3FilesAfterImport = try node["delete_s3_files_after_import"].bool()
        o.enableDeleteTracking = try node["enable_delete_tracking"].bool()
        o.analyzeAfterLoad = try node["analyze_after_load"].bool()
        o.vacuumAfterLoad = try node["vacuum_after_load"].choice(VacuumMode.self)
        o.invalidValues = try parseInvalidValues(node["invalid_values"])
        if let text = try node["max_lag"].string() {
            guard case .seconds(let seconds)? = Lookback.parseDuration(text), seconds > 0 else {
                throw ConfigurationError(.invalidValue, setting: node["max_lag"].path, "expected a duration such as '2 hours', got '\(text)'")
            }
            o.maxLagSeconds = seconds
        }
        return o
    }

    /// `invalid_values: fail | null | truncate`. YAML reads a bare `null` as no value, so the
    /// scalar is taken as written.
    static func parseInvalidValues(_ node: ConfigNode) throws(ConfigurationError) -> InvalidValuePolicy? {
        if let raw = node.node?.scalar?.string, raw == "null" || raw == "~" { return raw == "null" ? .null : nil }
        return try node.choice(InvalidValuePolicy.self)
    }

    /// `max_file_size`: bytes, or a number with KB/MB/GB (powers of 1024), from 1 MB to 5 GB
    /// (S3's largest single part upload is not the limit here; AWS advises files of 1 MB to 1 GB).
    static func parseByteSize(_ node: ConfigNode) throws(ConfigurationError) -> Int? {
        guard let text = try node.string()?.trimmingCharacters(in: .whitespaces) else { return nil }
        let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        var number = text.uppercased(), multiplier = 1
        if let unit = units.first(where: { number.hasSuffix($0.0) }) {
            number = String(number.dropLast(unit.0.count)).trimmingCharacters(in: .whitespaces)
            multiplier = unit.1
        }
        guard let value = Int(number), value > 0, value <= (5 << 30) / multiplier, value * multiplier >= 1 << 20 else {
            throw ConfigurationError(.invalidValue, setting: node.path, "expected a size from 1 MB to 5 GB such as '256 MB', got '\(text)'")
        }
        return value * multiplier
    }

    private static func parseTable(_ name: String, _ node: ConfigNode) throws(ConfigurationError) -> TableConfiguration {
        guard let strategy = try node["strategy"].choice(ReplicationStrategy.self) else {
            throw ConfigurationError(.missingSetting, setting: node["strategy"].path, "required: one of timed | identity | full")
        }
        var lookback: Lookback?
        if let text = try node["lookback"].string() {
            switch strategy {
            case .timed:
                guard let parsed = Lookback.parseDuration(text) else {
                    throw ConfigurationError(.invalidValue, setting: node["lookback"].path, "expected a duration such as '5 minutes', at most \(Lookback.maximumSeconds / 86400) days, got '\(text)'")
                }
                lookback = parsed
            case .identity:
                guard let ids = Int64(text), ids >= 0 else {
                    throw ConfigurationError(.invalidValue, setting: node["lookback"].path, "expected a number of ids >= 0, got '\(text)'")
                }
                lookback = .ids(ids)
            case .full:
                throw ConfigurationError(.invalidValue, setting: node["lookback"].path, "full tables have no lookback")
            }
        }
        let field = try node["replication_field"].string()
        if strategy == .full, field != nil {
            throw ConfigurationError(.invalidValue, setting: node["replication_field"].path, "full tables have no replication field")
        }
        var table = TableConfiguration(
            name: name, strategy: strategy,
            sourceTable: try node["source_table"].string(),
            targetTable: try node["target_table"].string(),
            replicationField: field,
            keyColumns: try node["key_columns"].stringList(),
            lookback: lookback,
            overrides: try parseSettings(node))
        table.everySeconds = try parsePeriod(node["every"])
        return table
    }
}
