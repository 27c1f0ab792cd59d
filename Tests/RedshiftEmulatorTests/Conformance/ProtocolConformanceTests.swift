import Foundation
import PostgresNIO
import RedshiftEmulator
import Testing

extension ConformanceSuites {
@Suite("Wire protocol: auth, server_version, relay")
struct ProtocolConformanceTests {
    @Test func psqlSeesRedshiftsServerVersion() async throws {
        try await EmulatorHarness.with { emulator in
            let result = try await emulator.psql("\\echo :SERVER_VERSION_NAME", "SHOW server_version", "select 1 + 1")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.lines == ["8.0.2", "8.0.2", "2"])
        }
    }

    @Test func wrongPasswordIsRefused() async throws {
        try await EmulatorHarness.with { emulator in
            let result = try await emulator.psql("select 1", password: "wrong")
            #expect(result.status != 0)
            #expect(result.stderr.contains("password authentication failed for user \"rrr\""))
            #expect(!result.stderr.contains("wrong"))
        }
    }

    @Test func cleartextAuthenticationWorks() async throws {
        try await EmulatorHarness.with(method: .cleartext) { emulator in
            let result = try await emulator.psql("select 'clear'")
            #expect(result.lines == ["clear"], "\(result.stderr)")
        }
    }

    @Test func postgresNIOUsesTheExtendedProtocolWithBinds() async throws {
        try await EmulatorHarness.with { emulator in
            try await emulator.withConnection { connection in
                let rows = try await connection.query("SELECT \(42) + 1 AS answer, \("text") AS word", logger: TestServices.logger)
                var seen: [(Int, String)] = []
                for try await (answer, word) in rows.decode((Int, String).self) { seen.append((answer, word)) }
                #expect(seen.count == 1 && seen[0].0 == 43 && seen[0].1 == "text")
                // An error, then the session still works (ReadyForQuery relayed after the error).
                await #expect(throws: PSQLError.self) { try await connection.query("SELECT 1/0", logger: TestServices.logger) }
                let after = try await connection.query("SELECT 'ok'", logger: TestServices.logger)
                for try await word in after.decode(String.self) { #expect(word == "ok") }
            }
        }
    }

    @Test func multiStatementQueryMixesRelayedAndEmulatedStatements() async throws {
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("mixed")
            let result = try await emulator.psql("CREATE TABLE \(table) (id int ENCODE az64) SORTKEY (id); INSERT INTO \(table) VALUES (1), (2); SELECT count(*) FROM \(table)")
            #expect(result.lines.last == "2", "\(result.stderr)")
            #expect(try await emulator.psql("SELECT sortkey FROM pg_table_def WHERE tablename = '\(table)'").lines == ["1"])
        }
    }
}
}
