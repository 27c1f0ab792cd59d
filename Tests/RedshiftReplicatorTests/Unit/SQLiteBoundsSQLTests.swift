import Testing
@testable import RedshiftReplicator

/// SQLite's timed bounds: compared as times (`rrr_time_key`), the lower bound computed to the
/// microsecond whatever the previous upper bound's zone, identity bounds left as they were.
@Suite("SQLite timed bounds SQL")
struct SQLiteBoundsSQLTests {
    let datetime = SourceColumn(name: "updated_at", typeName: "DATETIME", conversion: .text)
    let text = SourceColumn(name: "changed", typeName: "TEXT", conversion: .text)

    @Test func theLowerBoundIsTheInstantMinusTheLookback() throws {
        #expect(try SQLiteSource.lowerTime("2026-01-01T10:00:00+02:00", seconds: 60, table: "t") == "2026-01-01 07:59:00.000000")
        #expect(try SQLiteSource.lowerTime("2026-01-01 00:00:00.123456", seconds: 1, table: "t") == "2025-12-31 23:59:59.123456")
        #expect(try SQLiteSource.lowerTime("1767254400", seconds: 300, table: "t") == "1767254100", "epoch numbers stay numbers")
        #expect(throws: SourceError.self) { try SQLiteSource.lowerTime("yesterday", seconds: 1, table: "t") }
    }

    @Test func aTimedRangeComparesTimeKeysAndAnIdentityRangeTheValues() {
        var timed = ExportRequest(table: "t", columns: ["updated_at"], range: .fixed(field: "updated_at", lower: "a", upper: "b"))
        timed.fieldHoldsTimes = true
        let sql = SQLiteSource(url: try! DatabaseURL(parsing: "sqlite:///tmp/never-opened.db")).boundsSQL
        #expect(sql.rangeCondition(timed, field: datetime, lower: "2026-01-01", upper: "1767254400")
                == #"(rrr_time_key("updated_at", 1) > rrr_time_key('2026-01-01', 1)) AND (rrr_time_key("updated_at", 1) <= rrr_time_key('1767254400', 1))"#)
        #expect(sql.rangeCondition(timed, field: text, lower: nil, upper: "x") == #"(rrr_time_key("changed") <= rrr_time_key('x'))"#)
        #expect(sql.rangeCondition(timed, field: text, lower: nil, upper: nil) == "1 = 0")
        let identity = ExportRequest(table: "t", columns: ["id"], range: .fixed(field: "id", lower: "1", upper: "9"))
        #expect(sql.rangeCondition(identity, field: SourceColumn(name: "id", typeName: "INTEGER", conversion: .text), lower: "1", upper: "9")
                == #"("id" > '1') AND ("id" <= '9')"#)
    }

    @Test func theClampComparesTheSameKeysForValuesThatAreTimes() {
        #expect(SQLiteSource.futureCondition(text, #""changed""#).hasPrefix(#"rrr_instant("changed") IS NOT NULL AND rrr_time_key("changed") > rrr_time_key(max("#))
        #expect(SQLiteSource.futureCondition(datetime, #""updated_at""#).contains(#"rrr_time_key("updated_at", 1) > "#))
    }
}
