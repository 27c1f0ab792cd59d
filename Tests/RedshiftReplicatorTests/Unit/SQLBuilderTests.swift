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

    @Test func redshiftLiteralsDoubleBackslashesAndQuotes() {
        // Redshift reads '...' with backslash escapes (r_QUOTE_LITERAL doubles both).
        let d = RedshiftDialect()
        #expect(d.quoteLiteral(#"\N"#) == #"'\\N'"#)
        #expect(d.quoteLiteral(#"x\') OR 1=1 --"#) == #"'x\\'') OR 1=1 --'"#)
        #expect(d.quoteLiteral("a\0b") == "'ab'")
        #expect(d.quoteIdentifier(#"we"ird"#) == #""we""ird""#)
    }

    @Test func copyStatementWithKeysIsRedactedForLogs() {
        let credentials = RedshiftCredentials.accessKeys(id: "AKIAEXAMPLE", secret: Secret("super/secret+key"), sessionToken: Secret("token-123"))
        let copy = sql.copy(manifestURL: "s3://b/p/t/k/manifest", format: .gzip, nullMarker: #"\N"#, maxErrors: 3,
                            region: "eu-west-1", credentials: credentials,
                            options: "TIMEFORMAT 'auto' CREDENTIALS 'aws_access_key_id=A;aws_secret_access_key=inline-secret'")
        #expect(copy.sql.contains("super/secret+key"))
        #expect(copy.sql.contains(#"COPY "rrr_stage_x" ("id", "name", "created_at") FROM 's3://b/p/t/k/manifest' MANIFEST"#))
        #expect(copy.sql.contains(#"FORMAT AS CSV NULL AS '\\N' GZIP MAXERROR 3"#), "the marker \\N, its backslash doubled for Redshift")
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
        let full = sql.merge(strategy: .full, keys: [], field: nil, lower: nil).map(\.sql)
        #expect(full == [#"DELETE FROM "analytics"."custom""tags""#, #"INSERT INTO "analytics"."custom""tags" SELECT * FROM "rrr_stage_x""#])
        #expect(!full.joined().contains("TRUNCATE") && !full.joined().contains("DROP"))
        let timed = sql.merge(strategy: .timed, keys: ["id"], field: "updated_at", lower: "2024-01-01 00:00:00")
        #expect(timed[0].sql == #"DELETE FROM "analytics"."custom""tags" USING "rrr_stage_x" WHERE "analytics"."custom""tags"."id" = "rrr_stage_x"."id""#)
        let identity = sql.merge(strategy: .identity, keys: ["id"], field: "id", lower: "41")
        #expect(identity.count == 1)
        #expect(identity[0].sql.contains(#"NOT EXISTS (SELECT 1 FROM "analytics"."custom""tags" t WHERE t."id" = s."id" AND t."id" >= $1)"#))
        #expect(identity[0].values == ["41"], "the lower bound is bound, not pasted")
        let firstIdentity = sql.merge(strategy: .identity, keys: ["id"], field: "id", lower: nil)
        #expect(!firstIdentity[0].sql.contains(">=") && firstIdentity[0].values.isEmpty)
    }

    @Test func varcharKeysMatchExactlyDespiteTrailingBlanks() {
        // Redshift ignores trailing blanks comparing VARCHARs (r_Character_types): the byte lengths
        // must match too, beside the key equality that keeps the join on the key.
        let timed = sql.merge(strategy: .timed, keys: ["id", "code"], field: "updated_at", lower: nil, varcharKeys: ["code"])
        #expect(timed[0].sql.hasSuffix(#"WHERE "analytics"."custom""tags"."id" = "rrr_stage_x"."id" AND "analytics"."custom""tags"."code" = "rrr_stage_x"."code" AND OCTET_LENGTH("analytics"."custom""tags"."code") = OCTET_LENGTH("rrr_stage_x"."code")"#))
        let identity = sql.merge(strategy: .identity, keys: ["code"], field: nil, lower: nil, varcharKeys: ["code"])
        #expect(identity[0].sql.contains(#"WHERE t."code" = s."code" AND OCTET_LENGTH(t."code") = OCTET_LENGTH(s."code"))"#))
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
        #expect(WarehouseColumn(name: "id", dataType: "bigint", columnDefault: #""identity"(123, 0, '1,1'::text)"#).isIdentity)
        #expect(!WarehouseColumn(name: "id", dataType: "bigint", columnDefault: "default_identity(123, 0, '1,1'::text)").isIdentity)
        #expect(!WarehouseColumn(name: "id", dataType: "bigint").isIdentity)
    }

    @Test func redshiftNamesFoldAsRedshiftStoresThem() {
        #expect(RedshiftNames.fold("Users_É") == "users_É", "ASCII letters only (r_names)")
        #expect(RedshiftNames.candidates(schema: "Analytics", table: "Users").map { "\($0.schema).\($0.table)" } == ["Analytics.Users", "analytics.users"])
        #expect(RedshiftNames.candidates(schema: "public", table: "users").count == 1)
        let target = WarehouseTable(schema: "public", name: "users", columns: [WarehouseColumn(name: "userid", dataType: "bigint")])
        #expect(target.column("UserID")?.name == "userid")
        #expect((try? target.columnNames(["UserId"], setting: "key")) == ["userid"])
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

    @Test func sqliteBoundsOfAColumnWithoutAffinityAreNumbers() {
        let untyped = SourceColumn(name: "id", typeName: "", conversion: .text), text = SourceColumn(name: "code", typeName: "TEXT", conversion: .text)
        let sqlite = SQLiteDialect()
        #expect(sqlite.rangeCondition(field: "id", lower: "-997", upper: "3", column: untyped) == #"("id" > -997) AND ("id" <= 3)"#)
        #expect(sqlite.boundLiteral("1.5", column: untyped) == "1.5" && sqlite.boundLiteral("2024-01-01", column: untyped) == "'2024-01-01'")
        #expect(sqlite.boundLiteral("007", column: text) == "'007'", "a TEXT column keeps its text")
        #expect(sqlite.boundLiteral("1e5", column: untyped) == "'1e5'" && sqlite.boundLiteral("1.", column: untyped) == "'1.'")
        #expect(PostgresDialect().boundLiteral("3", column: untyped) == "'3'")
    }
}
