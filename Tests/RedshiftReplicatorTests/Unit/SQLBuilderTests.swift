import SourceSupport
import Testing
@testable import RedshiftReplicator

@Suite("SQL builders")
struct SQLBuilderTests {
    let sql = RedshiftLoadSQL(schema: "analytics", target: "custom\"tags", stage: "rrr_stage_x", columns: ["id", "name", "created_at"])

    @Test func quotingIdentifiersAndLiterals() {
        let d = PostgresDialect()
        #expect(d.quoteIdentifier(#"we"ird"#) == #""we""ird""#)
        #expect(d.quoteLiteral("it's") == "'it''s'")
        #expect(d.quoteQualified("app.users") == #""app"."users""#)
        #expect(sql.qualifiedTarget == #""analytics"."custom""tags""#)
    }

    @Test func copyStatementWithKeysIsRedactedForLogs() {
        let credentials = RedshiftCredentials.accessKeys(id: "AKIAEXAMPLE", secret: Secret("super/secret+key"), sessionToken: Secret("token-123"))
        let copy = sql.copy(manifestURL: "s3://b/p/t/k/manifest", format: .gzip, nullMarker: #"\N"#, maxErrors: 3,
                            region: "eu-west-1", credentials: credentials,
                            options: "TIMEFORMAT 'auto' CREDENTIALS 'aws_access_key_id=A;aws_secret_access_key=inline-secret'")
        #expect(copy.sql.contains("super/secret+key"))
        #expect(copy.sql.contains(#"COPY "rrr_stage_x" ("id", "name", "created_at") FROM 's3://b/p/t/k/manifest' MANIFEST"#))
        #expect(copy.sql.contains(#"FORMAT AS CSV NULL AS '\N' GZIP MAXERROR 3"#))
        #expect(copy.sql.contains("REGION 'eu-west-1'"))
        for secret in ["super/secret+key", "token-123", "AKIAEXAMPLE", "inline-secret"] {
            #expect(!copy.redacted.contains(secret))
            #expect(!"\(copy)".contains(secret))
        }
        #expect(copy.redacted.contains("SECRET_ACCESS_KEY '********'"))
        #expect(copy.redacted.contains("TIMEFORMAT 'auto'"))
    }

    @Test func copyWithIAMRoleAndZstd() {
        let copy = sql.copy(manifestURL: "s3://b/m", format: .zstd, nullMarker: #"\N"#, maxErrors: 0, region: "us-east-1",
                            credentials: .iamRole("arn:aws:iam::1:role/r"), options: "")
        #expect(copy.sql.contains("IAM_ROLE 'arn:aws:iam::1:role/r'"))
        #expect(copy.sql.hasSuffix("ZSTD MAXERROR 0"))
    }

    @Test func mergeStatementsPerStrategy() {
        let full = sql.merge(strategy: .full, keys: [], field: nil, lower: nil)
        #expect(full == [#"DELETE FROM "analytics"."custom""tags""#, #"INSERT INTO "analytics"."custom""tags" SELECT * FROM "rrr_stage_x""#])
        #expect(!full.joined().contains("TRUNCATE") && !full.joined().contains("DROP"))
        let timed = sql.merge(strategy: .timed, keys: ["id"], field: "updated_at", lower: "2024-01-01 00:00:00")
        #expect(timed[0] == #"DELETE FROM "analytics"."custom""tags" USING "rrr_stage_x" WHERE "analytics"."custom""tags"."id" = "rrr_stage_x"."id""#)
        let identity = sql.merge(strategy: .identity, keys: ["id"], field: "id", lower: "41")
        #expect(identity.count == 1)
        #expect(identity[0].contains(#"NOT EXISTS (SELECT 1 FROM "analytics"."custom""tags" t WHERE t."id" = s."id" AND t."id" >= '41')"#))
        let firstIdentity = sql.merge(strategy: .identity, keys: ["id"], field: "id", lower: nil)
        #expect(!firstIdentity[0].contains(">="))
    }

    @Test func redactsFreeFormCredentialClauses() {
        let text = "ACCESS_KEY_ID 'AK' SECRET_ACCESS_KEY 'it''s-secret' SESSION_TOKEN 'tok' ACCEPTINVCHARS"
        let redacted = RedshiftLoadSQL.redact(text)
        #expect(redacted == "ACCESS_KEY_ID '********' SECRET_ACCESS_KEY '********' SESSION_TOKEN '********' ACCEPTINVCHARS")
    }

    @Test func postgresBlockSharesCoverEveryBlockOnce() {
        #expect(PostgresExportSQL.blockShares(blocks: 1000, parts: 2) == ["ctid < '(500,0)'::tid", "ctid >= '(500,0)'::tid"])
        let three = PostgresExportSQL.blockShares(blocks: 10, parts: 3)
        #expect(three == ["ctid < '(3,0)'::tid", "ctid >= '(3,0)'::tid AND ctid < '(6,0)'::tid", "ctid >= '(6,0)'::tid"],
                "the last share is open-ended")
        #expect(PostgresExportSQL.blockShares(blocks: 10, parts: 1) == [nil])
        #expect(SQLCondition.all(["a", nil]) == "(a)" && SQLCondition.all([nil, nil]) == nil && SQLCondition.all(["a", "b"]) == "(a) AND (b)" && SQLCondition.all([nil, ""]) == nil)
    }

    @Test func redshiftColumnTypesChooseTheExportTarget() {
        #expect(WarehouseColumn(name: "a", dataType: "boolean").exportTarget == .boolean)
        #expect(WarehouseColumn(name: "a", dataType: "date").exportTarget == .date)
        #expect(WarehouseColumn(name: "a", dataType: "timestamp with time zone").exportTarget == .timestamp)
        #expect(WarehouseColumn(name: "a", dataType: "binary varying").exportTarget == .varbyte)
        #expect(WarehouseColumn(name: "a", dataType: "character varying").exportTarget == .automatic)
        #expect(WarehouseColumn(name: "a", dataType: "smallint").exportColumn == ExportColumn("a"))
    }

    @Test func stageNamesAreUniquePerKey() {
        let a = RedshiftLoadSQL.stageName(target: "users", key: "users_20240101T000000Z_0000abcd")
        let b = RedshiftLoadSQL.stageName(target: "users", key: "users_20240101T000000Z_0000abce")
        #expect(a != b)
        #expect(a.utf8.count <= 127)
    }

    @Test func rangeConditionsQuoteTheFieldAndTheBounds() {
        let condition = PostgresDialect().rangeCondition(field: "updated_at", lower: "2024-01-01 00:00:00", upper: "2024-01-02 00:00:00.5")
        #expect(condition == #"("updated_at" > '2024-01-01 00:00:00') AND ("updated_at" <= '2024-01-02 00:00:00.5')"#)
        #expect(PostgresDialect().rangeCondition(field: "id", lower: nil, upper: nil) == "1 = 0")
        #expect(MySQLDialect().rangeCondition(field: "i`d", lower: "a'\\", upper: "b") == #"(`i``d` > 'a''\\') AND (`i``d` <= 'b')"#)
        #expect(SQLiteDialect().quoteLiteral("it's") == "'it''s'")
    }
}
