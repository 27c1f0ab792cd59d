import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("rrr triggers / deletes / vacuum / analyze as a user runs them", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct DeleteAndMaintenanceCLITests {
    @Test func trackDeletesThenVacuumAndAnalyzeFromTheCommandLine() async throws {
        let name = TestStack.uniqueName("members"), plain = TestStack.uniqueName("plain")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, updated_at timestamp NOT NULL DEFAULT '2024-01-01');
            INSERT INTO \(name) (id) SELECT generate_series(1, 5);
            CREATE TABLE \(plain) (id bigint PRIMARY KEY, updated_at timestamp)
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP)")
        let config = try CLIProcess.writeConfig(tables: """
              \(name):
                strategy: timed
                enable_delete_tracking: true
              \(plain):
                strategy: timed
            """)
        defer { try? FileManager.default.removeItem(atPath: config) }

        let install = try await CLIProcess.run(["install", "--config", config])
        #expect(install.status == 0 && install.stdout.contains("rrr_deleted_keys"), "\(install.stderr)")
        let sql = try await CLIProcess.run(["triggers", "sql", "--config", config])
        #expect(sql.status == 0)
        #expect(sql.stdout.contains("AFTER DELETE ON \"\(name)\" FOR EACH ROW") && !sql.stdout.contains(plain), "\(sql.stdout)")
        let refused = try await CLIProcess.run(["triggers", "install", plain, "--config", config])
        #expect(refused.status == 2 && refused.stderr.contains("enable_delete_tracking"), "\(refused.stderr)")
        let triggers = try await CLIProcess.run(["triggers", "install", "--config", config])
        #expect(triggers.status == 0 && triggers.stdout.contains("\(name): delete trigger installed (key id)"), "\(triggers.stdout + triggers.stderr)")
        #expect(triggers.stdout.contains("TRUNCATE"))

        #expect(try await CLIProcess.run(["replicate", name, "--config", config]).status == 0)
        try await source.execute("DELETE FROM \(name) WHERE id IN (1, 2)")
        let deletes = try await CLIProcess.run(["deletes", name, "--config", config])
        #expect(deletes.status == 0 && deletes.stdout.contains("\(name): propagated (2 deleted"), "\(deletes.stdout + deletes.stderr)")
        #expect(try await DeleteTrackingSupport.ids(name, redshift) == ["3", "4", "5"])

        let vacuum = try await CLIProcess.run(["vacuum", name, "--mode", "auto", "--config", config])
        #expect(vacuum.status == 0 && vacuum.stdout.contains("VACUUM DELETE ONLY \"public\".\"\(name)\""), "\(vacuum.stdout + vacuum.stderr)")
        let all = try await CLIProcess.run(["vacuum", "--all", "--mode", "delete-only", "--json", "--config", config])
        #expect(all.status == 1, "\(plain) has no Redshift table: exit 1, the other still vacuumed")
        #expect(all.stdout.contains("\"error\"") && all.stdout.contains("VACUUM DELETE ONLY"), "\(all.stdout)")
        let analyze = try await CLIProcess.run(["analyze", name, "--predicate-columns", "--config", config])
        #expect(analyze.status == 0 && analyze.stdout.contains("ANALYZE ok"), "\(analyze.stdout + analyze.stderr)")
        let usage = try await CLIProcess.run(["vacuum", "--config", config])
        #expect(usage.status == 2)
        let removed = try await CLIProcess.run(["triggers", "remove", name, "--config", config])
        #expect(removed.status == 0 && removed.stdout.contains("no delete trigger"))
    }
}
