import Foundation
import Logging
@testable import SQLiteClient
import Testing

/// Time values as SQLite stores them, read as instants (`rrr_instant`) and made comparable
/// (`rrr_time_key`) for replication bounds.
@Suite("SQLite time values as instants")
struct SQLiteInstantTests {
    let logger = Logger(label: "test")
    /// 2026-01-01 08:00:00 UTC.
    static let eight: Int64 = 1_767_254_400_000_000

    @Test(arguments: [
        ("2026-01-01T10:00:00+02:00", eight), ("2026-01-01 08:00:00", eight), ("2026-01-01T08:00:00Z", eight),
        ("2026-01-01 08:00:00z", eight), ("2026-01-01 03:00:00-05:00", eight), ("2026-01-01T13:30:00+0530", eight),
        ("2026-01-01 09:00+01", eight), ("2026-01-01T08:00", eight), ("  2026-01-01 08:00:00 +00:00 ", eight),
        ("2026-01-01 08:00:00.5", eight + 500_000), ("2026-01-01 08:00:00.1234567", eight + 123_456),
        ("2026-01-01T09:00:00.000001+01:00", eight + 1), ("2026-01-01", eight - 8 * 3_600_000_000),
        ("1767254400", eight), ("1767254400.25", eight + 250_000),
    ] as [(String, Int64)])
    func textIsReadAsItsInstant(text: String, micros: Int64) {
        #expect(SQLiteInstant.microseconds(.text(text)) == micros, "\(text)")
    }

    @Test(arguments: ["", "2026-13-01", "2026-01-01 25:00:00", "2026/01/01 08:00:00", "2026-01-01 08:00:00+15:00", "now", "2026-01-01 08:00:00.", "nan", "0x10"])
    func otherTextIsNoInstant(text: String) {
        #expect(SQLiteInstant.microseconds(.text(text)) == nil, "\(text)")
    }

    @Test func numbersAreEpochSeconds() {
        #expect(SQLiteInstant.microseconds(.integer(1_767_254_400)) == Self.eight)
        #expect(SQLiteInstant.microseconds(.real(1_796_049_911.6593125)) == 1_796_049_911_659_312, "as the export rounds it")
        #expect(SQLiteInstant.microseconds(.integer(Int64.max / 10)) == nil, "beyond microseconds in 64 bits")
        #expect(SQLiteInstant.microseconds(.null) == nil && SQLiteInstant.microseconds(.blob([1])) == nil)
    }

    @Test func keysOrderInstantsWhateverTheirZoneOrShape() {
        let key = { (text: String) -> String in
            guard case .text(let key) = SQLiteInstant.timeKey(.text(text)) else { return "not text" }
            return key
        }
        #expect(key("2026-01-01T10:00:00+02:00") == "2026-01-01 08:00:00.000000")
        #expect(key("2026-01-01T09:30:00Z") > key("2026-01-01T10:00:00+02:00"), "09:30 UTC is later than 08:00 UTC")
        #expect(key("2026-01-01 12:00:00-03:00") > key("2026-01-01T14:59:59.999999Z"))
        #expect(key("2026-01-01") < key("2026-01-01 00:00:00.000001"))
        #expect(SQLiteInstant.timeKey(.text("Jan 1")) == .text("Jan 1"), "other text compares as stored")
        #expect(SQLiteInstant.timeKey(.text(" 42 ")) == .integer(42) && SQLiteInstant.timeKey(.real(1.5)) == .real(1.5))
        #expect(SQLiteInstant.timeKey(.integer(1_767_254_400), numbersAreTimes: true) == .text("2026-01-01 08:00:00.000000"))
        #expect(SQLiteInstant.timeKey(.text("1767254400.5"), numbersAreTimes: true) == .text("2026-01-01 08:00:00.500000"))
        #expect(SQLiteInstant.timeKey(.null) == .null && SQLiteInstant.timeKey(.blob([0])) == .null)
    }

    @Test func theSQLFunctionsAnswerAsTheSwiftOnes() async throws {
        let directory = try TemporaryDirectory()
        let database = try await SQLiteDatabase.open(path: directory.path + "/f.db", mode: .readWriteCreate, logger: logger)
        let row = try await database.query("""
            SELECT rrr_instant('2026-01-01T10:00:00+02:00'), rrr_instant(1767254400), rrr_instant('x'), rrr_instant(NULL), \
            rrr_time_key('2026-01-01T10:00:00+02:00'), rrr_time_key(7), rrr_time_key('7'), rrr_time_key(1767254400, 1), rrr_time_key(NULL), \
            rrr_time_key('2026-01-01T09:30:00Z') > rrr_time_key('2026-01-01T10:00:00+02:00')
            """, logger: logger).rows[0]
        #expect(row == [.integer(Self.eight), .integer(Self.eight), .null, .null,
                        .text("2026-01-01 08:00:00.000000"), .integer(7), .integer(7), .text("2026-01-01 08:00:00.000000"), .null, .integer(1)])
        await #expect(throws: SQLiteError.self) { try await database.query("SELECT rrr_time_key(1, 2, 3)", logger: logger) }
        await database.close()
    }
}
