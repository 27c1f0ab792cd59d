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
        let redshift = try parseRedshift(root["redshift"])
        let storage = try parseStorage(root)
        let settings = try parseSettings(root["settings"]).applied(to: TableSettings())
        let tables = try root["tables"].keys().map { (name) throws(ConfigurationError) in try parseTable(name, root["tables"][name]) }
        if tables.isEmpty {
            throw ConfigurationError(.missingSetting, setting: "tables", "no tables to replicate are configured")
        }
        return ReplicatorConfiguration(source: source, redshift: redshift, storage: storage, settings: settings, tables: tables)
    }

    private static func parseRedshift(_ node: ConfigNode) throws(ConfigurationError) -> Redshift {
        let portText = try node["port"].optional(orEnvironment: ["RRR_REDSHIFT_PORT"]) ?? "5439"
        guard let port = Int(portText), port > 0, port < 65536 else {
            throw ConfigurationError(.invalidValue, setting: node["port"].path, "expected a port number, got '\(portText)'")
        }
        var redshift = Redshift(
            host: try node["host"].required(orEnvironment: ["RRR_REDSHIFT_HOST"]),
            port: port,
            database: try node["database"].required(orEnvironment: ["RRR_REDSHIFT_DATABASE"]),
            user: try node["user"].required(orEnvironment: ["RRR_REDSHIFT_USER"]),
            password: try node["password"].optional(orEnvironment: ["RRR_REDSHIFT_PASSWORD"]).map(Secret.init),
            schema: try node["schema"].string() ?? "public")
        redshift.requireTLS = try node["require_tls"].bool() ?? false
        return redshift
    }

    private static func parseStorage(_ root: ConfigNode) throws(ConfigurationError) -> Storage {
        let s3 = root["s3"], aws = root["aws"]
        return Storage(
            bucket: try s3["bucket"].required(orEnvironment: ["RRR_REPLICATION_BUCKET"]),
            prefix: try s3["prefix"].optional(orEnvironment: ["RRR_REPLICATION_PREFIX"]) ?? "",
            region: try s3["region"].optional(orEnvironment: ["RRR_REPLICATION_REGION"]) ?? "us-east-1",
            endpoint: try s3["endpoint"].optional(orEnvironment: ["RRR_S3_ENDPOINT"]),
            accessKeyID: try aws["access_key_id"].optional(orEnvironment: ["RRR_AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"]),
            secretAccessKey: try aws["secret_access_key"].optional(orEnvironment: ["RRR_AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"]).map(Secret.init),
            sessionToken: try aws["session_token"].optional(orEnvironment: ["RRR_AWS_SESSION_TOKEN", "AWS_SESSION_TOKEN"]).map(Secret.init),
            iamRole: try aws["iam_role"].optional(orEnvironment: ["RRR_AWS_IAM_ROLE"]))
    }

    private static func parseSettings(_ node: ConfigNode) throws(ConfigurationError) -> TableSettingsOverrides {
        var o = TableSettingsOverrides()
        o.slices = try node["slices"].int(minimum: 1)
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
        if let text = try node["max_lag"].string() {
            guard case .seconds(let seconds)? = Lookback.parseDuration(text), seconds > 0 else {
                throw ConfigurationError(.invalidValue, setting: node["max_lag"].path, "expected a duration such as '2 hours', got '\(text)'")
            }
            o.maxLagSeconds = seconds
        }
        return o
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
        return TableConfiguration(
            name: name, strategy: strategy,
            sourceTable: try node["source_table"].string(),
            targetTable: try node["target_table"].string(),
            replicationField: field,
            keyColumns: try node["key_columns"].stringList(),
            lookback: lookback,
            overrides: try parseSettings(node))
    }
}
