import Testing
@testable import PostgresClient

@Suite("PostgreSQL export statement")
struct ExportStatementTests {
    @Test func valuesLeaveInTheFormOfTheRedshiftColumn() {
        let flag = PostgresColumnInfo(name: "flag", typeName: "smallint", baseTypeName: "int2")
        let at = PostgresColumnInfo(name: "at", typeName: "timestamp(3) without time zone", baseTypeName: "timestamp")
        let done = PostgresColumnInfo(name: "done", typeName: "boolean", baseTypeName: "bool")
        let blob = PostgresColumnInfo(name: "b\"lob", typeName: "bytea", baseTypeName: "bytea")
        #expect(LibpqConnection.expression(flag, target: .boolean) == #"("flag" <> 0)"#)
        #expect(LibpqConnection.expression(flag, target: .automatic) == #""flag""#)
        #expect(LibpqConnection.expression(at, target: .date) == #""at"::date"#)
        #expect(LibpqConnection.expression(at, target: .timestamp) == #""at""#)
        #expect(LibpqConnection.expression(done, target: .boolean) == #""done""#)
        #expect(LibpqConnection.expression(blob, target: .automatic) == #"encode("b""lob", 'hex')"#)
    }

    @Test func copyStatementQuotesTheTableAndNamesTheNullMarker() {
        let statement = LibpqConnection.copyStatement(
            table: LibpqConnection.quoteQualified("app.t"), expressions: [#""id""#, #"encode("blob", 'hex')"#],
            whereClause: #"("updated_at" > '2024-01-01')"#)
        #expect(statement == #"COPY (SELECT "id", encode("blob", 'hex') FROM "app"."t" WHERE ("updated_at" > '2024-01-01')) TO STDOUT WITH (FORMAT csv, NULL '\N')"#)
        #expect(LibpqConnection.copyStatement(table: #""t""#, expressions: ["1"], whereClause: nil) == #"COPY (SELECT 1 FROM "t") TO STDOUT WITH (FORMAT csv, NULL '\N')"#)
    }

    @Test func configurationDescriptionHidesThePassword() {
        let configuration = PostgresConfiguration(host: "db", port: 5433, user: "app", password: "s3cret", database: "prod")
        #expect(configuration.description == "postgres://app:********@db:5433/prod")
        #expect(configuration.keywords.contains { $0 == ("password", "s3cret") }, "the password reaches libpq only")
    }
}
