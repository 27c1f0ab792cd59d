import Foundation
import Testing
@testable import RedshiftReplicator

/// Issue 14 item 2: several `rrr replicate --all` processes against one configuration share the
/// tables through the source's locks and the history: in a round each table is replicated by
/// exactly one of them, none is left out, and the tables end equal to the source.
@Suite("Several processes share the tables", .enabled(if: TestStack.enabled), .timeLimit(.minutes(6)), .closesResources)
struct SeveralProcessesTests {
    @Test func threeProcessesTwoJobsEachReplicateEveryTableOncePerRound() async throws {
        let prefix = TestStack.uniqueName("share")
        let names = (0..<20).map { "\(prefix)_\($0)" }
        let strategies = names.indices.map { ["timed", "identity", "full"][$0 % 3] }
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift(), writing = try await SQLClient.source()
        closeAfterTest { await source.close(); await redshift.close(); await writing.close() }
        for name in names {
            try await source.execute("""
                CREATE TABLE \(name) (id bigint PRIMARY KEY, name text, updated_at timestamp DEFAULT clock_timestamp());
                INSERT INTO \(name) (id, name) SELECT g, 'u' || g FROM generate_series(1, 50) g
                """)
            try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(32), updated_at TIMESTAMP)")
        }
        let tables = zip(names, strategies).map { "  \($0):\n    strategy: \($1)\n" }.joined()
        let config = try CLIProcess.writeConfig(tables: tables)
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)

        // A writer inserting into every table (and updating the timed ones) all along.
        let writer = Task { [writing] in
            let client = writing
            var next = 1000
            while !Task.isCancelled {
                for (index, name) in names.enumerated() {
                    try await client.execute("INSERT INTO \(name) (id, name) VALUES (\(next), 'w\(next)')")
                    if index % 3 == 0 { try await client.execute("UPDATE \(name) SET name = 'x\(next)', updated_at = clock_timestamp() WHERE id = \(next % 50 + 1)") }
                }
                next += 1
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        let targets = names.map { "'\($0)'" }.joined(separator: ", ")
        for round in 1...2 {
            // Each table has new rows, so each must be imported once in the round.
            let mark = try await source.rows("SELECT CAST(COALESCE(MAX(id), 0) AS text) FROM rrr_replications").first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
            async let a = CLIProcess.run(["replicate", "--all", "--jobs", "2", "--config", config])
            async let b = CLIProcess.run(["replicate", "--all", "--jobs", "2", "--config", config])
            async let c = CLIProcess.run(["replicate", "--all", "--jobs", "2", "--config", config])
            let results = try await [a, b, c]
            for result in results {
                #expect([0, 3].contains(result.status), "round \(round): \(result.stdout)\(result.stderr)")
                #expect(!result.stdout.contains("failed"), "round \(round): \(result.stdout)")
            }
            let lines = results.flatMap { $0.stdout.split(separator: "\n") }
            #expect(lines.filter { $0.hasSuffix(": imported") || $0.contains(": imported ") }.count >= names.count, "\(lines)")
            let imports = try await source.rows("""
                SELECT CAST(target_table AS text), CAST(COUNT(*) AS text) FROM rrr_replications
                WHERE id > \(mark) AND state = 'imported' AND target_table IN (\(targets)) GROUP BY target_table
                """)
            let perTable = Dictionary(uniqueKeysWithValues: imports.map { ($0[0] ?? "", Int($0[1] ?? "") ?? 0) })
            for name in names {
                #expect(perTable[name] == 1, "round \(round): \(name) imported \(perTable[name] ?? 0) times")
            }
        }
        writer.cancel()
        _ = await writer.result
        // One last run after the writer stopped: every table equal to its source.
        let last = try await CLIProcess.run(["replicate", "--all", "--jobs", "2", "--config", config])
        #expect(last.status == 0, "\(last.stdout)\(last.stderr)")
        for name in names {
            let query = "SELECT CAST(COUNT(*) AS VARCHAR), CAST(SUM(id) AS VARCHAR), MAX(name) FROM \(name)"
            let expected = try await source.rows(query)
            #expect(try await redshift.rows(query) == expected, "\(name)")
        }
    }
}
