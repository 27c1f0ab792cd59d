import Testing
@testable import RedshiftReplicator

@Suite("Configuration parsing")
struct ConfigurationTests {
    let env = [
        "DB_PASSWORD": "s3cr3t-db", "RRR_REDSHIFT_HOST": "rs.example", "RRR_REDSHIFT_DATABASE": "dw",
        "RRR_REDSHIFT_USER": "loader", "RRR_REDSHIFT_PASSWORD": "rs-pass", "RRR_REPLICATION_BUCKET": "bucket-1",
        "RRR_AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "RRR_AWS_SECRET_ACCESS_KEY": "very-secret-key",
    ]

    let yaml = """
        source:
          url: postgres://app:${DB_PASSWORD}@127.0.0.1:5432/app
        settings:
          slices: 4
          format: zstd
          history_cap: 10
        tables:
          users:
            strategy: timed
          events:
            strategy: identity
            lookback: 50
          tags:
            strategy: timed
            target_table: custom_tags
            replication_field: created_at
            lookback: 2 hours
            format: csv
          tags_users:
            strategy: full
            key_columns: [tag_id, user_id]
        """

    @Test func parsesTablesWithDefaultsAndOverrides() throws {
        let config = try ReplicatorConfiguration.parse(yaml: yaml, environment: env)
        #expect(config.tables.map(\.name) == ["users", "events", "tags", "tags_users"])
        let users = config.tables[0]
        #expect(users.replicationField == "updated_at")
        #expect(users.effectiveLookback == .seconds(300))
        #expect(config.tables[1].replicationField == "id")
        #expect(config.tables[1].effectiveLookback == .ids(50))
        let tags = config.tables[2]
        #expect(tags.targetTable == "custom_tags")
        #expect(tags.replicationField == "created_at")
        #expect(tags.effectiveLookback == .seconds(7200))
        #expect(config.settings(for: tags).format == .csv)
        #expect(config.settings(for: users).format == .zstd)
        #expect(config.settings(for: users).slices == 4)
        #expect(config.settings(for: users).historyCap == 10)
        #expect(config.tables[3].keyColumns == ["tag_id", "user_id"])
        #expect(config.tables[3].replicationField == nil)
    }

    @Test func environmentDefaultsAndInterpolation() throws {
        let config = try ReplicatorConfiguration.parse(yaml: yaml, environment: env)
        #expect(config.source.password?.value == "s3cr3t-db")
        #expect(config.redshift.host == "rs.example")
        #expect(config.redshift.port == 5439)
        #expect(config.storage.bucket == "bucket-1")
        #expect(config.storage.region == "us-east-1")
        // RRR_AWS_* are read by the credential chain (after rrr.yml's own keys), not copied into the settings.
        #expect(config.storage.secretAccessKey == nil && config.aws.environment["RRR_AWS_SECRET_ACCESS_KEY"] == "very-secret-key")
    }

    @Test func descriptionsNeverShowSecrets() throws {
        let config = try ReplicatorConfiguration.parse(yaml: yaml, environment: env)
        let printed = "\(config) \(String(reflecting: config)) \(config.source) \(config.redshift) \(config.storage)"
        for secret in ["s3cr3t-db", "rs-pass", "very-secret-key"] {
            #expect(!printed.contains(secret), "description leaked a secret")
        }
        #expect("\(config.source)".contains("app:********@127.0.0.1"))
    }

    @Test func errorsNameTheSetting() throws {
        func error(_ text: String, _ environment: [String: String]) -> ConfigurationError? {
            do { _ = try ReplicatorConfiguration.parse(yaml: text, environment: environment); return nil } catch { return error }
        }
        let badStrategy = error(yaml.replacingOccurrences(of: "strategy: identity", with: "strategy: append"), env)
        #expect(badStrategy?.setting == "tables.events.strategy")
        let badLookback = error(yaml.replacingOccurrences(of: "lookback: 2 hours", with: "lookback: soon"), env)
        #expect(badLookback?.setting == "tables.tags.lookback")
        var noHost = env; noHost["RRR_REDSHIFT_HOST"] = nil
        let missing = error(yaml, noHost)
        #expect(missing?.setting == "redshift.host")
        #expect(missing?.description.contains("RRR_REDSHIFT_HOST") == true)
        var noPassword = env; noPassword["DB_PASSWORD"] = nil
        #expect(error(yaml, noPassword)?.code == .undefinedVariable)
        let badSlices = error(yaml.replacingOccurrences(of: "slices: 4", with: "slices: zero"), env)
        #expect(badSlices?.setting == "settings.slices")
        // copy-parameters-data-load: "the limit is 100000".
        let tooManyErrors = error(yaml.replacingOccurrences(of: "slices: 4", with: "slices: 4\n  max_copy_errors: 100001"), env)
        #expect(tooManyErrors?.setting == "settings.max_copy_errors" && tooManyErrors?.description.contains("from 0 to 100000") == true,
                "\(String(describing: tooManyErrors))")
        #expect(error(yaml.replacingOccurrences(of: "slices: 4", with: "slices: 4\n  max_copy_errors: 100000"), env) == nil)
    }

    @Test func fileSizingAndStageSettings() throws {
        func error(_ text: String, _ environment: [String: String]) -> ConfigurationError? {
            do { _ = try ReplicatorConfiguration.parse(yaml: text, environment: environment); return nil } catch { return error }
        }
        let defaults = try ReplicatorConfiguration.parse(yaml: yaml.replacingOccurrences(of: "slices: 4\n  ", with: ""), environment: env)
        let users = defaults.tables[0]
        #expect(defaults.settings(for: users).slices == nil, "read from the cluster")
        #expect(defaults.settings(for: users).maxFileSize == 256 << 20)
        #expect(defaults.settings(for: users).stage == .stream)
        let sized = try ReplicatorConfiguration.parse(
            yaml: yaml.replacingOccurrences(of: "slices: 4", with: "slices: 4\n  max_file_size: 64 MB\n  stage: disk")
                .replacingOccurrences(of: "format: csv", with: "format: csv\n    max_file_size: 1gb"), environment: env)
        #expect(sized.settings(for: sized.tables[0]).maxFileSize == 64 << 20)
        #expect(sized.settings(for: sized.tables[0]).stage == .disk)
        #expect(sized.settings(for: sized.tables[2]).maxFileSize == 1 << 30)
        #expect(try ReplicatorConfiguration.parse(
            yaml: yaml.replacingOccurrences(of: "slices: 4", with: "max_file_size: 2097152"), environment: env
        ).settings(for: users).maxFileSize == 2 << 20)
        for bad in ["512 KB", "6 GB", "big", "0"] {
            let refused = error(yaml.replacingOccurrences(of: "slices: 4", with: "max_file_size: \(bad)"), env)
            #expect(refused?.setting == "settings.max_file_size" && refused?.description.contains("1 MB to 5 GB") == true, "\(bad)")
        }
        #expect(error(yaml.replacingOccurrences(of: "slices: 4", with: "stage: tape"), env)?.setting == "settings.stage")
    }

    @Test func starterConfigurationIsValidYAMLOnceTablesAreAdded() throws {
        let text = ReplicatorConfiguration.starterYAML + "\n  users:\n    strategy: timed\n"
        let config = try ReplicatorConfiguration.parse(yaml: text, environment: env.merging(["DATABASE_URL": "postgres://a@h/db"]) { $1 })
        #expect(config.tables.first?.name == "users")
        #expect(config.settings.format == .zstd)
    }

    @Test func lookbackDurations() {
        #expect(Lookback.parseDuration("5 minutes") == .seconds(300))
        #expect(Lookback.parseDuration("90s") == .seconds(90))
        #expect(Lookback.parseDuration("1 day") == .seconds(86400))
        #expect(Lookback.parseDuration("300") == .seconds(300))
        #expect(Lookback.parseDuration("5 fortnights") == nil)
        // Overflowing or absurd windows are refused, never a crash.
        #expect(Lookback.parseDuration("3650 days") == .seconds(3650 * 86400))
        #expect(Lookback.parseDuration("3651 days") == nil)
        #expect(Lookback.parseDuration("99999999999 days") == nil)
        #expect(Lookback.parseDuration("999999999999999999 hours") == nil)
    }

    @Test func hugeLookbackIsAConfigurationError() {
        let text = yaml.replacingOccurrences(of: "lookback: 2 hours", with: "lookback: 99999999999 days")
        do {
            _ = try ReplicatorConfiguration.parse(yaml: text, environment: env)
            Issue.record("a lookback of 99999999999 days was accepted")
        } catch {
            #expect(error.setting == "tables.tags.lookback")
            #expect(error.description.contains("at most 3650 days"))
        }
    }
}
