import Foundation
import PostgresNIO
import RedshiftEmulator
import Testing

extension ConformanceSuites {
@Suite("Fault injection (configuration only)")
struct FaultInjectionTests {
    let iamRole = "IAM_ROLE 'arn:aws:iam::123456789012:role/rrr-loader'"

    @Test func secondCopyFails() async throws {
        let prefix = try await TestServices.upload(["f.csv": Array("1\n".utf8)])
        try await EmulatorHarness.with(faults: FaultInjection(failCopyNumber: 2)) { emulator in
            let table = TestServices.uniqueName("failcopy")
            let copy = "COPY \(table) FROM 's3://\(TestServices.s3Bucket)/\(prefix)f.csv' \(iamRole) CSV"
            let result = try await emulator.psql("CREATE TABLE \(table) (id int)", copy, copy, copy, "SELECT count(*) FROM \(table)")
            #expect(result.stderr.contains("fault injection: COPY number 2 failed"))
            #expect(result.lines == ["2"])
        }
    }

    @Test func connectionDropsInTheMiddleOfACopy() async throws {
        let rows = (1...200_000).map { "\($0),some text to make the file larger than one chunk\n" }.joined()
        let prefix = try await TestServices.upload(["big.csv": Array(rows.utf8)])
        try await EmulatorHarness.with(faults: FaultInjection(dropConnectionDuringCopyNumber: 1)) { emulator in
            let table = TestServices.uniqueName("drop")
            let result = try await emulator.psql("CREATE TABLE \(table) (id int, note varchar(100))",
                                           "BEGIN; COPY \(table) FROM 's3://\(TestServices.s3Bucket)/\(prefix)big.csv' \(iamRole) CSV")
            #expect(result.status != 0)
            #expect(result.stderr.contains("server closed the connection") || result.stderr.contains("connection"))
            #expect(try await emulator.psql("SELECT count(*) FROM \(table)").lines == ["0"])
        }
    }

    @Test func connectionDropsAtCommit() async throws {
        try await EmulatorHarness.with(faults: FaultInjection(dropConnectionAtCommitNumber: 1)) { emulator in
            let table = TestServices.uniqueName("commitdrop")
            #expect(try await emulator.psql("CREATE TABLE \(table) (id int)").status == 0)
            let dropped = try await emulator.psql("BEGIN; INSERT INTO \(table) VALUES (1)", "COMMIT")
            #expect(dropped.status != 0)
            let after = try await emulator.psql("BEGIN; INSERT INTO \(table) VALUES (2)", "COMMIT", "SELECT string_agg(id::text, ',') FROM \(table)")
            #expect(after.lines == ["2"], "\(after.stderr)")
        }
    }

    @Test func statementsAreDelayed() async throws {
        try await EmulatorHarness.with(faults: FaultInjection(statementDelayMilliseconds: 300)) { emulator in
            let start = ContinuousClock.now
            let lines = try await emulator.psql("SELECT 1").lines
            #expect(lines == ["1"])
            #expect(ContinuousClock.now - start >= .milliseconds(300))
        }
    }
}
}
