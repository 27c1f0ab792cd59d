import Testing
@testable import RedshiftReplicator

@Suite("verify: key ranges and checksum SQL")
struct VerifyUnitTests {
    @Test func rangesCoalesceAndSplitIntoBuckets() {
        let ranges = [KeyRange(lower: 10, upper: 11), KeyRange(lower: 1, upper: 5), KeyRange(lower: 5, upper: 7), KeyRange(lower: 20, upper: 30), KeyRange(lower: 25, upper: 26)]
        #expect(KeyRange.coalesced(ranges) == [KeyRange(lower: 1, upper: 7), KeyRange(lower: 10, upper: 11), KeyRange(lower: 20, upper: 30)])
        let whole = KeyRange(lower: 1, upper: 2001)
        #expect(whole.bucketWidth(parts: 32) == 63)
        #expect(whole.bucket(31, width: 63) == KeyRange(lower: 1954, upper: 2001), "the last bucket is cut at the range's end")
        #expect(KeyRange(lower: 5, upper: 6).bucketWidth(parts: 32) == 1)
        #expect(KeyRange.condition(column: "\"id\"", ranges: []) == "1 = 0")
        #expect(KeyRange.condition(column: "\"id\"", ranges: [KeyRange(lower: -3, upper: 4)]) == "(\"id\" >= -3 AND \"id\" < 4)")
    }

    @Test func kindsFollowRedshiftTypes() {
        #expect(ChecksumKind(redshiftType: "bigint", precision: 64, scale: 0) == .integer)
        #expect(ChecksumKind(redshiftType: "numeric", precision: 10, scale: 2) == .decimal(precision: 10, scale: 2))
        #expect(ChecksumKind(redshiftType: "timestamp with time zone", precision: nil, scale: nil) == .timestamp)
        #expect(ChecksumKind(redshiftType: "binary varying", precision: nil, scale: nil) == .bytes)
        #expect(ChecksumKind(redshiftType: "character", precision: nil, scale: nil) == .paddedText)
        #expect(ChecksumKind(redshiftType: "character varying", precision: nil, scale: nil) == .text)
    }

    @Test func theRedshiftQueryUsesDocumentedFunctionsAndTellsNullFromText() {
        let key = ChecksumColumn(sourceName: "ID", sourceType: "bigint", redshiftName: "id", kind: .integer)
        let name = ChecksumColumn(sourceName: "Name", sourceType: "text", redshiftName: "name", kind: .text)
        let query = RangeChecksumQuery(spelling: RedshiftChecksumSpelling(schema: "public"), table: "users", key: key, columns: [key, name], redshift: true)
        let sql = query.sql(range: KeyRange(lower: 1, upper: 65), width: 2)
        #expect(sql.contains("STRTOL(SUBSTRING(h, 1, 8), 16)") && sql.contains("STRTOL(SUBSTRING(h, 9, 8), 16)"))
        #expect(sql.contains("md5(COALESCE('v' || CAST(\"id\" AS VARCHAR), 'n') || '|' || COALESCE('v' || CAST(\"name\" AS VARCHAR(65535)), 'n'))"), "\(sql)")
        #expect(sql.contains("FROM \"public\".\"users\" WHERE (\"id\" >= 1 AND \"id\" < 65)"))
        let mysql = RangeChecksumQuery(spelling: MySQLChecksumSpelling(), table: "users", key: key, columns: [key, name], redshift: false).sql(range: KeyRange(lower: 1, upper: 65), width: 2)
        #expect(mysql.contains("MD5(CONCAT(COALESCE(CONCAT('v', CAST(`ID` AS CHAR)), 'n'), '|', COALESCE(CONCAT('v', CONVERT(`Name` USING utf8mb4)), 'n')))"), "\(mysql)")
        #expect(mysql.contains("DIV 2"))
    }
}
