import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("Strict configuration and source fields")
struct StrictConfigurationTests {
    let env = [
        "RRR_REDSHIFT_HOST": "rs.example", "RRR_REDSHIFT_DATABASE": "dw", "RRR_REDSHIFT_USER": "loader",
        "RRR_REPLICATION_BUCKET": "bucket-1",
    ]
    let base = """
        source:
          url: postgres://app@127.0.0.1:5432/app
        settings:
          slices: 2
        tables:
          tags:
            strategy: timed
            lookback: 2 hours
        """

    func failure(_ text: String, environment: [String: String]? = nil) -> ConfigurationError? {
        do { _ = try ReplicatorConfiguration.parse(yaml: text, environment: environment ?? env); return nil } catch { return error }
    }

    @Test func unknownKeysAtEveryLevelSuggestTheClosestKey() {
        let cases: [(String, String, String, String)] = [
            ("lookback: 2 hours", "look_back: 2 hours", "tables.tags.look_back", "lookback"),
            ("settings:", "setings:", "setings", "settings"),
            ("lookback: 2 hours", "replication_feild: created_at", "tables.tags.replication_feild", "replication_field"),
            ("slices: 2", "slises: 2", "settings.slises", "slices"),
            ("url: postgres", "ulr: postgres", "source.ulr", "url"),
            // A misspelled required key is reported as the misspelling, not as the missing key.
            ("strategy: timed", "stratgy: timed", "tables.tags.stratgy", "strategy"),
        ]
        for (from, to, setting, suggestion) in cases {
            let error = failure(base.replacingOccurrences(of: from, with: to))
            #expect(error?.code == .unknownSetting, "\(to): \(String(describing: error))")
            #expect(error?.setting == setting)
            #expect(error?.message.contains("did you mean `\(suggestion)`?") == true, "\(String(describing: error))")
        }
        let far = failure(base + "\nfrobnicate: 1")
        #expect(far?.setting == "frobnicate" && far?.message.contains("valid here:") == true && far?.message.contains("tables") == true,
                "\(String(describing: far))")
        let redshiftTypo = failure(base + "\nredshift:\n  hots: rs.example")
        #expect(redshiftTypo?.setting == "redshift.hots" && redshiftTypo?.message.contains("`host`") == true)
        // Table names are the user's own: any name is a table, its keys are checked.
        #expect(failure(base + "\n  anything_goes:\n    strategy: full") == nil)
    }

    @Test func aSingleValueWhereSettingsBelongIsAnError() {
        let error = failure(base.replacingOccurrences(of: "settings:\n  slices: 2", with: "settings: 5"))
        #expect(error?.code == .invalidValue && error?.setting == "settings", "\(String(describing: error))")
        #expect(failure(base.replacingOccurrences(of: "settings:\n  slices: 2", with: "settings:")) == nil, "an empty section is fine")
    }

    @Test func errorsFromAFileNameTheFile() throws {
        let path = NSTemporaryDirectory() + "rrr-strict-\(UUID().uuidString).yml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try base.replacingOccurrences(of: "lookback:", with: "look_back:").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ReplicatorConfiguration.load(path: path, environment: env)
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.description.hasPrefix("\(path): configuration error in `tables.tags.look_back`"), "\(error)")
        }
        try "tables: [unclosed".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ReplicatorConfiguration.load(path: path, environment: env)
            Issue.record("invalid YAML was accepted")
        } catch {
            #expect(error.code == .invalidYAML && error.description.hasPrefix("\(path): ") && !error.description.contains("rrr.yml"), "\(error)")
        }
    }

    @Test func editDistanceCountsSwapsOnce() {
        #expect(ConfigKeyUsage.editDistance("feild", "field") == 1)
        #expect(ConfigKeyUsage.editDistance("look_back", "lookback") == 1)
        #expect(ConfigKeyUsage.editDistance("", "abc") == 3)
        #expect(ConfigKeyUsage.closest(to: "zzz", among: ["slices", "format"]) == nil)
        #expect(ConfigKeyUsage.closest(to: "Look-Back", among: ["lookback", "local_path"]) == "lookback")
    }

    @Test func sourceSettingsAsFields() throws {
        let password = "p@ss/w#rd?:%"
        let fields = base.replacingOccurrences(of: "  url: postgres://app@127.0.0.1:5432/app", with: """
              type: postgres
              host: db.internal
              port: 6432
              database: app
              user: app
              password: "\(password)"
              sslmode: verify-full
              sslrootcert: /etc/ssl/rds.pem
              parameters:
                application_name: nightly
            """)
        let source = try ReplicatorConfiguration.parse(yaml: fields, environment: env).source
        #expect(source.scheme == "postgres" && source.host == "db.internal" && source.port == 6432 && source.database == "app")
        #expect(source.user == "app" && source.password?.value == password)
        #expect(source.parameters == ["sslmode": "verify-full", "sslrootcert": "/etc/ssl/rds.pem", "application_name": "nightly"])
        #expect(!"\(source)".contains("p@ss"))
        // Beside a URL, a field replaces that part of it; the URL needs no password at all.
        let beside = base.replacingOccurrences(of: "app@127.0.0.1:5432/app", with: "app@127.0.0.1:5432/app\n  password: \"\(password)\"")
        let merged = try ReplicatorConfiguration.parse(yaml: beside, environment: env).source
        #expect(merged.password?.value == password && merged.host == "127.0.0.1" && merged.port == 5432)
        // MySQL takes the same sslmode names.
        let mysql = try ReplicatorConfiguration.parse(yaml: fields.replacingOccurrences(of: "type: postgres", with: "type: mysql"), environment: env).source
        #expect(mysql.parameters["sslmode"] == "VERIFY_IDENTITY" && mysql.parameters["ssl-ca"] == "/etc/ssl/rds.pem")
        #expect(mysql.mysqlConnectionString.hasPrefix("mysql://app:p%40ss%2Fw%23rd%3F%3A%25@db.internal:6432/app?"))
        let sqlite = failure(base.replacingOccurrences(of: "  url: postgres://app@127.0.0.1:5432/app", with: "  type: sqlite\n  database: /tmp/a.db\n  host: x"))
        #expect(sqlite?.setting == "source.host", "\(String(describing: sqlite))")
        let noDatabase = failure(base.replacingOccurrences(of: "  url: postgres://app@127.0.0.1:5432/app", with: "  type: postgres\n  host: x"))
        #expect(noDatabase?.setting == "source.database" && noDatabase?.code == .missingSetting)
        let unknownParameterSection = failure(fields.replacingOccurrences(of: "parameters:", with: "parameter:"))
        #expect(unknownParameterSection?.message.contains("did you mean `parameters`?") == true)
    }

    @Test func passwordsWithURLDelimitersExplainPercentEncoding() {
        for url in ["postgres://app:pa#ss@127.0.0.1/app", "postgres://app:pa/ss@127.0.0.1/app", "postgres://app:pa?ss@127.0.0.1/app",
                    "postgres://app:p@ss@127.0.0.1/app"] {
            let error = failure(base.replacingOccurrences(of: "postgres://app@127.0.0.1:5432/app", with: url))
            #expect(error?.setting == "source.url", "\(url)")
            #expect(error?.message.contains("percent-encoded") == true && error?.message.contains("%40") == true, "\(String(describing: error))")
            #expect(error?.description.contains("ss@") == false, "the error never repeats the URL")
        }
        let encoded = "postgres://app:p%40ss%2Fw%23rd@127.0.0.1/app"
        #expect((try? DatabaseURL(parsing: encoded))?.password?.value == "p@ss/w#rd")
    }
}

@Suite("Starter configuration per source")
struct StarterConfigurationTests {
    @Test(arguments: ReplicatorConfiguration.StarterSource.allCases)
    func theTemplateParsesAndMentionsEverySetting(source: ReplicatorConfiguration.StarterSource) throws {
        let env = ["RRR_REDSHIFT_HOST": "rs", "RRR_REDSHIFT_DATABASE": "dw", "RRR_REDSHIFT_USER": "u", "RRR_REPLICATION_BUCKET": "b",
                   "DATABASE_URL": "postgres://a@h/db"]
        let text = ReplicatorConfiguration.starterYAML(source: source) + "\n  users:\n    strategy: timed\n"
        let (configuration, usage) = try ReplicatorConfiguration.parseNotingKeys(yaml: text, environment: env)
        #expect(configuration.source.scheme == (source == .postgres ? "postgres" : source.rawValue))
        // Every key the parser knows in `settings:` and in `source:` appears in the template.
        let keys = usage.keysAsked(in: "settings").union(source == .sqlite ? ["database"] : usage.keysAsked(in: "source"))
        for key in keys { #expect(text.contains("\(key):"), "\(source): `\(key)` is missing from the template") }
        let sourceSection = text.components(separatedBy: "\nredshift:")[0]
        #expect(sourceSection.contains("sslmode") == (source != .sqlite), "TLS settings belong to networked sources")
    }
}
