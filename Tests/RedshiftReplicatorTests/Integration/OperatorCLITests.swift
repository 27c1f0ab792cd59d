import Foundation
import Testing
@testable import RedshiftReplicator

/// What an operator sees from the built `rrr`: configuration mistakes, status, doctor, output.
@Suite("rrr for operators", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)))
struct OperatorCLITests {
    @Test func anUnknownKeyExitsWithTwoNamingFileKeyAndSuggestion() async throws {
        let config = try CLIProcess.writeConfig(tables: "  users:\n    strategy: timed\n    look_back: 10 minutes\n")
        let run = try await CLIProcess.run(["replicate", "--all", "--config", config])
        #expect(run.status == 2)
        #expect(run.stderr.contains(config) && run.stderr.contains("tables.users.look_back") && run.stderr.contains("did you mean `lookback`?"),
                "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    /// The source URL without a password: libpq takes it from PGPASSWORD, as psql does.
    @Test func theSourcePasswordMayComeFromPGPASSWORD() async throws {
        let name = TestStack.uniqueName("pgpassword")
        let stackURL = try DatabaseURL(parsing: try TestStack.value("RRR_TEST_POSTGRES_URL"))
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, updated_at timestamp DEFAULT now()); INSERT INTO \(name) (id) VALUES (1), (2)")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP)")
        // `url:` left empty, the fields beside it say where the source is.
        let fields = ["type: postgres", "host: \(stackURL.host)", "port: \(stackURL.port ?? 5432)", "database: \(stackURL.database)",
                      "user: \(stackURL.user ?? "")"].map { "\n  " + $0 }.joined()
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: timed\n", sourceURL: fields)
        let password = stackURL.password?.value ?? ""
        #expect(try await CLIProcess.run(["install", "--config", config], environment: ["PGPASSWORD": password]).status == 0)
        let run = try await CLIProcess.run(["replicate", name, "--config", config], environment: ["PGPASSWORD": password])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(try await redshift.count(name) == 2)
        let refused = try await CLIProcess.run(["replicate", name, "--config", config], environment: ["PGPASSWORD": "wrong"])
        #expect(refused.status != 0 && !refused.stderr.contains(password))
    }

    @Test func beforeInstallOneMessageSaysRunInstall() async throws {
        let source = try await TestSource.openIsolated(.sqlite)
        defer { Task { await source.close() } }
        try await source.execute("CREATE TABLE users (id integer PRIMARY KEY, updated_at datetime); CREATE TABLE orders (id integer PRIMARY KEY, updated_at datetime)")
        let config = try CLIProcess.writeConfig(tables: "  users:\n    strategy: timed\n  orders:\n    strategy: timed\n", sourceURL: source.configURL)
        let run = try await CLIProcess.run(["replicate", "--all", "--config", config])
        #expect(run.status == 1)
        let advice = "the history table rrr_replications is missing in the history file \(source.url.database).rrr-history.sqlite: run `rrr install`"
        #expect(run.stderr.components(separatedBy: advice).count == 2, "said once: \(run.stderr)")
        #expect(!run.stderr.lowercased().contains("no such table"), "no raw SQL error")
        let status = try await CLIProcess.run(["status", "--config", config])
        #expect(status.status == 1 && status.stderr.contains(advice))
    }

    @Test func outputForCronQuietJSONLogsAndVersion() async throws {
        let version = try await CLIProcess.run(["--version"])
        #expect(version.status == 0 && version.stdout == RRRVersion.current + "\n")

        let name = TestStack.uniqueName("cron")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, note text, updated_at timestamp DEFAULT now()); INSERT INTO \(name) (id, note) VALUES (1, 'a/b')")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, note VARCHAR(4), updated_at TIMESTAMP)")
        // No lookback: a second run finds nothing new (a lookback re-reads its window each run).
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: timed\n    lookback: 0 seconds\n")
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)

        let quiet = try await CLIProcess.run(["replicate", "--all", "--quiet", "--config", config])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
        #expect(try await redshift.count(name) == 1)

        // One line per table on stdout, in words; logs on stderr, each line with a UTC timestamp.
        let again = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(again.status == 0 && again.stdout == "\(name): up to date\n", "\(again.stdout)")
        let logLines = again.stderr.split(separator: "\n")
        #expect(!logLines.isEmpty)
        for line in logLines { #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \w+ +.*/) != nil, "\(line)") }

        // JSON logs: one object a line.
        let json = try await CLIProcess.run(["replicate", name, "--config", config, "--log-format", "json", "--json"])
        for line in json.stderr.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["time"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
        }
        // --json: every field present (null when empty), slashes unescaped, the version.
        #expect(json.stdout.contains("\"error\" : null") && json.stdout.contains("\"record\" : null"), "\(json.stdout)")
        #expect(json.stdout.contains("\"status\" : \"up_to_date\"") && json.stdout.contains("\"rrrVersion\" : \"\(RRRVersion.current)\""))
        let status = try await CLIProcess.run(["status", name, "--json", "--config", config])
        #expect(status.status == 0 && !status.stdout.contains("\\/") && status.stdout.contains("\"importDuration\" : null") == false && status.stdout.contains("\"cause\" : null"), "\(status.stdout)")
        #expect(status.stdout.contains("\"state\" : \"ok\"") && status.stdout.contains("\"replicationField\" : \"updated_at\""))

        // A failure: --quiet prints the table line (one line, the error on it) and the error log.
        try await source.execute("UPDATE \(name) SET note = 'far too long', updated_at = now() + interval '1 second'")
        let failed = try await CLIProcess.run(["replicate", name, "--quiet", "--config", config])
        #expect(failed.status == 1)
        // (found at export: 12 bytes for VARCHAR(4); the value itself is never printed)
        #expect(failed.stdout.hasPrefix("\(name): failed #") && failed.stdout.contains("`note` (VARCHAR(4))") && failed.stdout.contains("12 bytes")
                && !failed.stdout.contains("far too long") && failed.stdout.split(separator: "\n").count == 1, "\(failed.stdout)")
        #expect(failed.stderr.contains(" error "), "\(failed.stderr)")
        let unhealthy = try await CLIProcess.run(["status", name, "--config", config])
        #expect(unhealthy.status == 1 && unhealthy.stdout.contains("failed") && unhealthy.stdout.contains("set `invalid_values: null`"), "\(unhealthy.stdout)")
    }

    @Test func doctorChecksEachPartOnALineAndExitsNonZeroOnFailure() async throws {
        let name = TestStack.uniqueName("doctor")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        defer { Task { await source.close(); await redshift.close() } }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, note text, extra text, updated_at timestamp DEFAULT now())")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, note VARCHAR(16), updated_at TIMESTAMP)")
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: timed\n")
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)
        let healthy = try await CLIProcess.run(["doctor", "--config", config])
        #expect(healthy.status == 0, "\(healthy.stdout)\n\(healthy.stderr)")
        let lines = healthy.stdout.split(separator: "\n").map(String.init)
        for prefix in ["ok      source: ", "ok      history: rrr_replications installed and writable", "ok      table \(name): source table \(name): 4 columns, replication field updated_at, key (id)",
                       "ok      redshift: ", "ok      tls: sslmode ", "ok      ledger: ", "ok      s3: put, get and list under s3://",
                       "ok      copy: COPY loaded a probe file from S3 with ", "ok      s3: delete under s3://"] {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "\(prefix) in \(healthy.stdout)")
        }
        #expect(lines.contains { $0.hasPrefix("warning target \(name): ") && $0.contains("the source's extra are not replicated") }, "\(healthy.stdout)")
        #expect(lines.last?.hasPrefix("all ") == true)

        // Broken: a table missing at both ends, a Redshift column the source lacks, a wrong S3 secret.
        let missing = TestStack.uniqueName("doctor_missing")
        try await redshift.execute("ALTER TABLE \(name) ADD COLUMN gone VARCHAR(4)")
        let broken = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: timed\n  \(missing):\n    strategy: identity\n")
        let text = try String(contentsOfFile: broken, encoding: .utf8)
            .replacingOccurrences(of: "${RRR_TEST_S3_SECRET_ACCESS_KEY}", with: "wrong-secret")
        try text.write(toFile: broken, atomically: true, encoding: .utf8)
        let sick = try await CLIProcess.run(["doctor", "--config", broken])
        #expect(sick.status == 1, "\(sick.stdout)")
        let found = sick.stdout.split(separator: "\n").map(String.init)
        #expect(found.contains { $0.hasPrefix("FAILED  table \(missing): ") }, "\(sick.stdout)")
        #expect(found.contains { $0.hasPrefix("FAILED  target \(name): ") && $0.contains("gone") }, "\(sick.stdout)")
        #expect(found.contains { $0.hasPrefix("FAILED  target \(missing): ") && $0.contains("does not exist") }, "\(sick.stdout)")
        #expect(found.contains { $0.hasPrefix("FAILED  s3: ") } && found.contains { $0.hasPrefix("skipped copy: ") }, "\(sick.stdout)")
        #expect(!sick.stdout.contains("wrong-secret") && !sick.stderr.contains("wrong-secret"))
        #expect(found.last?.contains("checks failed") == true)
    }
}
