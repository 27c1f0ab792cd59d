import Foundation
import PostgresNIO
import RedshiftEmulator
import Testing

/// COPY from S3 against moto and PostgreSQL, checked through psql and the backing database.
extension ConformanceSuites {
@Suite("COPY from S3")
struct CopyConformanceTests {
    let bucket = TestServices.s3Bucket
    var iamRole: String { "IAM_ROLE 'arn:aws:iam::123456789012:role/rrr-loader'" }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func quotedNewlineEmptyQuotedEmptyAndNullMarker() async throws {
        let prefix = try await TestServices.upload(["u.csv": bytes("1,\"two\nlines\",5\n2,,\n3,\"\",\n4,\\N,\\N\n")])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("csvrules")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int, name varchar(20), n int)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)u.csv' \(iamRole) CSV NULL AS '\\\\N'",
                "SELECT id, coalesce(name, '<null>'), coalesce(n::text, '<null>') FROM \(table) ORDER BY id")
            #expect(!result.stderr.contains("ERROR"), "\(result.stderr)")
            #expect(result.lines == ["1|two", "lines|5", "2||<null>", "3||<null>", "4|<null>|<null>"], "\(result)")
        }
    }

    @Test func multibyteTextOverflowingVarcharByBytes() async throws {
        // "ééééé" is 5 characters but 10 bytes: too long for VARCHAR(5) on Redshift.
        let prefix = try await TestServices.upload(["m.csv": bytes("1,abcde\n2,ééééé\n3,éé\n")])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("bytes")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int, name varchar(5))",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)m.csv' \(iamRole) CSV MAXERROR 5",
                "SELECT pg_last_copy_count()",
                "SELECT line_number, trim(colname), err_code, trim(raw_field_value) FROM stl_load_errors WHERE query = pg_last_copy_id()",
                "SELECT id FROM \(table) ORDER BY id")
            #expect(result.lines == ["2", "2|name|1204|ééééé", "1", "3"], "\(result.stderr)")
            let truncated = try await emulator.psql(
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)m.csv' \(iamRole) CSV TRUNCATECOLUMNS",
                "SELECT name FROM \(table) WHERE id = 2")
            #expect(truncated.lines == ["éé"], "\(truncated.stderr)")
        }
    }

    @Test func invalidUTF8WithAndWithoutAcceptInvChars() async throws {
        let prefix = try await TestServices.upload(["bad.csv": bytes("1,ok\n2,a") + [0xC3, 0x28] + bytes("b\n")])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("utf8")
            let refused = try await emulator.psql(
                "CREATE TABLE \(table) (id int, name varchar(20))",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)bad.csv' \(iamRole) CSV",
                "SELECT err_code FROM stl_load_errors WHERE query = pg_last_copy_id()",
                "SELECT count(*) FROM \(table)")
            #expect(refused.stderr.contains("Load into table '\(table)' failed.  Check 'stl_load_errors' system table for details."))
            #expect(refused.lines == ["1220", "0"])
            let accepted = try await emulator.psql(
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)bad.csv' \(iamRole) CSV ACCEPTINVCHARS",
                "SELECT name FROM \(table) ORDER BY id")
            #expect(accepted.lines == ["ok", "a?(b"], "\(accepted.stderr)")
        }
    }

    @Test func maxErrorZeroFailsWholeLoadFiveKeepsGoodRows() async throws {
        let prefix = try await TestServices.upload(["e.csv": bytes("1,a\nx,b\n3,c\ny,d\n5,e\n")])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("maxerror")
            let zero = try await emulator.psql(
                "CREATE TABLE \(table) (id int, name varchar(5))",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)e.csv' \(iamRole) CSV MAXERROR 0",
                "SELECT count(*) FROM \(table)", "SELECT pg_last_copy_count()")
            #expect(zero.stderr.contains("ERROR:  Load into table"))
            #expect(zero.lines == ["0", "0"])
            let five = try await emulator.psql(
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)e.csv' \(iamRole) CSV MAXERROR 5",
                "SELECT count(*) FROM \(table)", "SELECT pg_last_copy_count()",
                "SELECT line_number, err_code FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number",
                "SELECT count(*) FROM sys_load_error_detail WHERE query_id = pg_last_copy_id() AND error_code = 1207")
            #expect(five.lines == ["3", "3", "2|1207", "4|1207", "2"], "\(five.stderr)")
        }
    }

    @Test func manifestWithMissingMandatoryFileFails() async throws {
        let prefix = try await TestServices.upload(["a.csv": bytes("1\n2\n")])
        let manifest = { (mandatory: Bool) in
            #"{"entries":[{"url":"s3://\#(bucket)/\#(prefix)a.csv","mandatory":true},{"url":"s3://\#(bucket)/\#(prefix)missing.csv","mandatory":\#(mandatory)}]}"#
        }
        let manifests = try await TestServices.upload(["strict.manifest": bytes(manifest(true)), "lenient.manifest": bytes(manifest(false))])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("manifest")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int)",
                "COPY \(table) FROM 's3://\(bucket)/\(manifests)strict.manifest' \(iamRole) MANIFEST CSV",
                "SELECT count(*) FROM \(table)",
                "COPY \(table) FROM 's3://\(bucket)/\(manifests)lenient.manifest' \(iamRole) MANIFEST CSV",
                "SELECT count(*) FROM \(table)")
            #expect(result.stderr.contains("NoSuchKey"))
            #expect(result.lines == ["0", "2"], "\(result.stderr)")
        }
    }

    @Test func prefixMatchesExtraObjects() async throws {
        let prefix = try await TestServices.upload(["users.csv": bytes("1\n"), "users.csv.bak": bytes("2\n"), "users.csv.1": bytes("3\n"), "other.csv": bytes("4\n")])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("prefix")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)users.csv' \(iamRole) CSV",
                "SELECT string_agg(id::text, ',' ORDER BY id) FROM \(table)")
            #expect(result.lines == ["1,2,3"], "\(result.stderr)")
        }
    }

    @Test func rolledBackCopyKeepsItsLoadErrorsButNotItsCopyID() async throws {
        let prefix = try await TestServices.upload(["r.csv": bytes("1\nbad\n3\n")])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("rollback")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int)",
                "BEGIN", "COPY \(table) FROM 's3://\(bucket)/\(prefix)r.csv' \(iamRole) CSV MAXERROR 2",
                "SELECT count(*) FROM \(table)", "SELECT pg_last_copy_id() > 0", "ROLLBACK",
                "SELECT count(*) FROM \(table)", "SELECT pg_last_copy_id()",
                "SELECT err_code, line_number FROM stl_load_errors WHERE filename LIKE 's3://\(bucket)/\(prefix)r.csv%'")
            // PG_LAST_COPY_ID: "If the COPY transaction is rolled back, the COPY ID is not updated."
            #expect(result.lines == ["2", "t", "0", "-1", "1207|2"], "\(result.stderr)")
        }
    }

    @Test func compressedFilesAndConversionOptions() async throws {
        let csv = bytes("id,name,flag,day,at\n1,  padded  ,yes,2024-01-31,2024-01-31T10:00:00Z\n2,   ,0,01/31/2024,2024-01-31 12:00:00+02\n3,x\n")
        let prefix = try await TestServices.upload([
            "c.csv.gz": try TestServices.compress(csv, with: "gzip"),
            "c.csv.zst": try TestServices.compress(csv, with: "zstd"),
        ])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("options")
            let options = "CSV IGNOREHEADER 1 BLANKSASNULL TRIMBLANKS FILLRECORD DATEFORMAT 'auto' TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF"
            let result = try await emulator.psql(
                "SET timezone = 'UTC'",
                "CREATE TABLE \(table) (id int, name varchar(10), flag boolean, day date, at timestamptz)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)c.csv.gz' \(iamRole) \(options) GZIP",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)c.csv.zst' \(iamRole) \(options) ZSTD",
                "SELECT id, coalesce(name, '<null>'), flag, day, at FROM \(table) ORDER BY id LIMIT 3",
                "SELECT count(*) FROM \(table)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)c.csv.gz' \(iamRole) CSV BZIP2")
            #expect(Array(result.lines.prefix(4)) == [
                "1|  padded|t|2024-01-31|2024-01-31 10:00:00+00", "1|  padded|t|2024-01-31|2024-01-31 10:00:00+00",
                "2|<null>|f|2024-01-31|2024-01-31 10:00:00+00", "6",
            ], "\(result.stderr)")
            #expect(result.stderr.contains("BZIP2 compression is not supported"))
        }
    }

    @Test func authorizationFormsAndWrongKeys() async throws {
        let prefix = try await TestServices.upload(["k.csv": bytes("1\n")])
        let id = try #require(TestServices.s3AccessKeyID), secret = try #require(TestServices.s3SecretAccessKey)
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("auth")
            let source = "'s3://\(bucket)/\(prefix)k.csv'"
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int)",
                "COPY \(table) FROM \(source) CREDENTIALS 'aws_access_key_id=\(id);aws_secret_access_key=\(secret)' CSV",
                "COPY \(table) FROM \(source) ACCESS_KEY_ID '\(id)' SECRET_ACCESS_KEY '\(secret)' REGION '\(TestServices.s3Region)' CSV",
                "COPY \(table) FROM \(source) IAM_ROLE default CSV",
                "SELECT count(*) FROM \(table)",
                "COPY \(table) FROM \(source) ACCESS_KEY_ID '\(id)' SECRET_ACCESS_KEY 'not-the-secret' CSV")
            #expect(result.lines == ["3"], "\(result.stderr)")
            #expect(result.stderr.contains("S3ServiceException:"))
            #expect(result.stderr.contains("Status 403"))
            #expect(!result.stderr.contains(secret))
        }
    }

    @Test func copyThroughPostgresNIOExtendedProtocol() async throws {
        let prefix = try await TestServices.upload(["p.csv": bytes("1,a\n2,b\n")])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("nio")
            try await emulator.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id int, name varchar(3))"), logger: TestServices.logger)
                try await connection.query(PostgresQuery(unsafeSQL: "COPY \(table) FROM 's3://\(bucket)/\(prefix)p.csv' \(iamRole) CSV"), logger: TestServices.logger)
                let rows = try await connection.query("SELECT pg_last_copy_count()::int, (SELECT count(*)::int FROM \(unescaped: table))", logger: TestServices.logger)
                for try await (copied, total) in rows.decode((Int, Int).self) { #expect(copied == 2 && total == 2) }
                await #expect(throws: PSQLError.self) {
                    try await connection.query(PostgresQuery(unsafeSQL: "COPY \(table) FROM 's3://\(bucket)/\(prefix)none' \(iamRole) CSV"), logger: TestServices.logger)
                }
            }
        }
    }
}
}
