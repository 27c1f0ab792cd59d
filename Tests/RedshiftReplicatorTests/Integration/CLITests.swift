import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("The rrr command line", .enabled(if: TestStack.enabled), .timeLimit(.minutes(10)), .closesResources)
struct CLITests {
    @Test func usageAndConfigurationErrorsExitWithTwo() async throws {
        let noTables = try await CLIProcess.run(["replicate", "--config", "/nonexistent.yml"])
        #expect(noTables.status == 2, "\(noTables.stderr)")
        let missingFile = try await CLIProcess.run(["replicate", "--all", "--config", "/nonexistent.yml"])
        #expect(missingFile.status == 2)
        #expect(missingFile.stderr.contains("/nonexistent.yml"))
        let directory = NSTemporaryDirectory() + "rrr-init-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try await CLIProcess.run(["init"], directory: directory).status == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/rrr.yml"))
        #expect(try await CLIProcess.run(["init"], directory: directory).status == 2, "refuses to overwrite")
    }

    @Test func installReplicateStatusAndNoSecretsInDebugLogs() async throws {
        let (name, config, source, redshift) = try await CLIProcess.installedUsersTable("cli_users")
        closeAfterTest { await source.close(); await redshift.close() }
        let run = try await CLIProcess.run(["replicate", "--all", "--config", config, "--log-level", "debug"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("\(name): imported"))
        #expect(run.stderr.contains("COPY"), "debug logs show the COPY statement")
        for secret in [try TestStack.value("RRR_TEST_S3_SECRET_ACCESS_KEY"), try TestStack.value("RRR_TEST_REDSHIFT_PASSWORD")] {
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret), "a secret leaked into the output")
        }
        #expect(try await redshift.count(name) == 25)
        let status = try await CLIProcess.run(["status", "--json", "--config", config])
        #expect(status.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]]
        let latest = json?.first?["latest"] as? [String: Any]
        #expect(latest?["state"] as? String == "imported")
        #expect(latest?["recordCount"] as? Int == 25)
        let text = try await CLIProcess.run(["status", "--config", config])
        #expect(text.stdout.contains(" ok ") && text.stdout.contains("TABLE"), "\(text.stdout)")
        let history = try await CLIProcess.run(["history", name, "--config", config])
        #expect(history.status == 0 && history.stdout.contains("imported"))
        #expect(try await CLIProcess.run(["replicate", "nope", "--config", config]).status == 2, "unknown table")
    }

    @Test(arguments: SourceKind.allCases, ["enqueued", "exporting", "exported", "uploading", "uploaded", "importing", "load-committed"])
    func killNineInEveryStateThenARunCompletes(kind: SourceKind, point: String) async throws {
        let name = TestStack.uniqueName("kill")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name \(kind.text), updated_at \(kind.timestampDefaultNow))")
        try await source.insertNumbered(name, 1...200, columns: "id, name")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(16), updated_at TIMESTAMP)")
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: identity\n", sourceURL: source.configURL)
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)
        let killed = try await CLIProcess.run(["replicate", name, "--config", config], environment: ["RRR_FAILPOINT_KILL": point])
        #expect(killed.killedBySignal && killed.status == 9, "rrr was killed at \(point)")
        try await source.insertNumbered(name, 201...230, columns: "id, name")
        let completed = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(completed.status == 0, "\(completed.stdout)\n\(completed.stderr)")
        // A second run picks up whatever the resumed one did not cover.
        #expect(try await CLIProcess.run(["replicate", name, "--config", config]).status == 0)
        func select(_ text: String) -> String { "SELECT CAST(id AS \(text)), name, CAST(updated_at AS \(text)) FROM \(name)" }
        let expected = try await source.rows(select(kind == .mariadb ? "CHAR" : "VARCHAR")).map { $0.map { $0 ?? "NULL" }.joined(separator: ":") }.sorted()
        let actual = try await redshift.rows(select("VARCHAR")).map { $0.map { $0 ?? "NULL" }.joined(separator: ":") }.sorted()
        #expect(actual.count == 230)
        #expect(actual == expected, "source and Redshift equal row for row; first difference: \(String(describing: zip(actual, expected).first { $0 != $1 }))")
    }

    @Test(arguments: SourceKind.allCases)
    func twoConcurrentProcessesOnOneTableLoadOnce(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("concurrent")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name \(kind.text), updated_at \(kind.timestampDefaultNow))")
        for start in stride(from: 1, through: 5000, by: 1000) { try await source.insertNumbered(name, start...(start + 999), columns: "id, name") }
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(16), updated_at TIMESTAMP)")
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: identity\n", sourceURL: source.configURL)
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)
        async let first = Task.detached { try await CLIProcess.run(["replicate", name, "--config", config]) }.value
        async let second = Task.detached { try await CLIProcess.run(["replicate", name, "--config", config]) }.value
        let results = try await [first, second]
        #expect(results.allSatisfy { $0.status == 0 || $0.status == 3 }, "\(results.map(\.status))")
        for result in results where result.status == 3 { #expect(result.stdout.contains("skipped (another rrr process holds")) }
        #expect(try await redshift.count(name) == 5000)
    }
}
