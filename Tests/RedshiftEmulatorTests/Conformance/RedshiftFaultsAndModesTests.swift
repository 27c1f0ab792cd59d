import Foundation
import RedshiftEmulator
import Testing

/// Behaviours the emulator produces on request: Redshift's serializable isolation violation,
/// Redshift Serverless's system views, and session settings PostgreSQL lacks.
extension ConformanceSuites {
@Suite("Redshift faults and modes")
struct RedshiftFaultsAndModesTests {
    @Test func serializableIsolationViolationAtCommitRollsBack() async throws {
        try await EmulatorHarness.with(faults: FaultInjection(serializableViolationAtCommitNumber: 1)) { emulator in
            let table = TestServices.uniqueName("conflict")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int)",
                "BEGIN", "INSERT INTO \(table) VALUES (1)", "COMMIT",
                "SELECT count(*) FROM \(table)",
                "BEGIN", "INSERT INTO \(table) VALUES (2)", "COMMIT",
                "SELECT count(*) FROM \(table)")
            // c_serial_isolation-serializable-isolation-troubleshooting: ERROR: 1023 / DETAIL: Serializable isolation violation on table
            #expect(result.stderr.contains("ERROR:  1023"), "\(result.stderr)")
            #expect(result.stderr.contains("DETAIL:  Serializable isolation violation on table - "), "\(result.stderr)")
            #expect(result.lines == ["0", "1"], "the canceled transaction was rolled back, the next one commits: \(result.stderr)")
        }
    }

    @Test func serverlessRefusesSTLTablesAndAnswersSYSViews() async throws {
        let prefix = try await TestServices.upload(["s.csv": Array("1\nx\n".utf8)])
        try await EmulatorHarness.with(serverless: true) { emulator in
            let table = TestServices.uniqueName("serverless")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int)",
                "COPY \(table) FROM 's3://\(TestServices.s3Bucket)/\(prefix)s.csv' IAM_ROLE default CSV",
                "SELECT count(*) FROM stl_load_errors",
                "SELECT trim(column_name), error_code FROM sys_load_error_detail WHERE query_id = pg_last_copy_id()")
            #expect(result.stderr.contains("permission denied for relation stl_load_errors"), "\(result.stderr)")
            #expect(result.lines == ["id|1207"], "\(result.stderr)")
        }
    }

    @Test func stvSlicesListsTheConfiguredSliceCountTwoPerNode() async throws {
        try await EmulatorHarness.with(sliceCount: 6) { emulator in
            let result = try await emulator.psql(
                "SELECT COUNT(*) FROM stv_slices", "SELECT node, slice, localslice, type FROM stv_slices ORDER BY slice LIMIT 3")
            #expect(result.lines == ["6", "0|0|0|D", "0|1|1|D", "1|2|0|D"], "\(result.stderr)")
        }
        try await EmulatorHarness.with(serverless: true) { emulator in
            let result = try await emulator.psql("SELECT COUNT(*) FROM stv_slices")
            #expect(result.stderr.contains("permission denied for relation stv_slices"), "\(result.stderr)")
        }
    }

    @Test func standardConformingStringsDoesNotExist() async throws {
        try await EmulatorHarness.with { emulator in
            let result = try await emulator.psql("SHOW standard_conforming_strings", "SET standard_conforming_strings = on", #"SELECT '\\'"#)
            #expect(result.stderr.components(separatedBy: #"unrecognized configuration parameter "standard_conforming_strings""#).count - 1 == 2,
                    "\(result.stderr)")
            #expect(result.lines == [#"\"#], "still Redshift's literals: \(result.stderr)")
        }
    }

    @Test func caseSensitiveIdentifiersAreASessionSetting() async throws {
        try await EmulatorHarness.with { emulator in
            let result = try await emulator.psql(
                "SHOW enable_case_sensitive_identifier", #"SELECT 1 AS "Folded""#,
                "SET enable_case_sensitive_identifier TO on", "SHOW enable_case_sensitive_identifier",
                "RESET enable_case_sensitive_identifier", "SHOW enable_case_sensitive_identifier")
            #expect(result.lines == ["off", "1", "on", "off"], "\(result.stderr)")
        }
    }
}
}
