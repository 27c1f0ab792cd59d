import Testing
@testable import SQLiteClient

@Suite("REAL epochs to Redshift timestamps")
struct EpochTimeTests {
    /// Expected texts computed by Python's `datetime.fromtimestamp(t, timezone.utc)` (CPython 3.11),
    /// which rounds the exact binary value to the microsecond, half to even. The first case is the
    /// one that arrived a microsecond off when the seconds were scaled by 10^6 before rounding; the
    /// random ones are `time.time()`-like values.
    static let cases: [(Double, String)] = [
        (1796049911.6593125, "2026-11-30 14:45:11.659312"),
        (5e-07, "1970-01-01 00:00:00"),
        (1.5e-06, "1970-01-01 00:00:00.000002"),
        (2.5e-06, "1970-01-01 00:00:00.000002"),
        (-5e-07, "1970-01-01 00:00:00"),
        (-1.5, "1969-12-31 23:59:58.500000"),
        (1.9999995, "1970-01-01 00:00:01.999999"),
        (1.0000005, "1970-01-01 00:00:01.000001"),
        (1700000000.1234567, "2023-11-14 22:13:20.123457"),
        (1796049999.9999995, "2026-11-30 14:46:40"),
        (-86400.0000005, "1969-12-30 23:59:59.999999"),
        (253402300799.999, "9999-12-31 23:59:59.998993"),
        (1796043238.3276484, "2026-11-30 12:53:58.327648"),
        (1796041508.4917393, "2026-11-30 12:25:08.491739"),
        (1796046509.3447304, "2026-11-30 13:48:29.344730"),
        (1796040724.3628666, "2026-11-30 12:12:04.362867"),
        (1796045358.820043, "2026-11-30 13:29:18.820043"),
        (1796043656.8891692, "2026-11-30 13:00:56.889169"),
        (1796040579.9892478, "2026-11-30 12:09:39.989248"),
        (1796045074.357332, "2026-11-30 13:24:34.357332"),
        (1796040374.9565845, "2026-11-30 12:06:14.956584"),
        (1796044336.4568367, "2026-11-30 13:12:16.456837"),
        (1796040698.5542357, "2026-11-30 12:11:38.554236"),
        (1796040907.1301334, "2026-11-30 12:15:07.130133"),
    ]

    @Test(arguments: cases)
    func roundsLikePython(seconds: Double, expected: String) throws {
        let micros = try #require(EpochTime.microseconds(fromSeconds: seconds))
        var text: [UInt8] = []
        EpochTime.text(microseconds: micros, dateOnly: false, into: &text)
        #expect(String(decoding: text, as: UTF8.self) == expected, "\(seconds)")
    }

    @Test func outOfRangeAndNotFiniteAreNil() {
        for value in [Double.nan, .infinity, -.infinity, 1e13, -1e13] {
            #expect(EpochTime.microseconds(fromSeconds: value) == nil)
        }
    }
}
