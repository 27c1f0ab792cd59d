import Foundation
import Logging
@testable import SQLiteClient
import Testing

/// `md5` and `strtol`, which rrr registers on its SQLite connections for `rrr verify`, answer as
/// Redshift's MD5 (r_MD5) and STRTOL (r_STRTOL: the examples of AWS's page).
@Suite("SQLite: md5 and strtol as Redshift has them")
struct SQLiteFunctionsTests {
    let logger = Logger(label: "test")

    @Test func md5AndStrtolMatchRedshiftsExamples() async throws {
        let directory = try TemporaryDirectory()
        let database = try await SQLiteDatabase.open(path: directory.path + "/f.db", mode: .readWriteCreate, logger: logger)
        let row = try await database.query("""
            SELECT md5('Amazon Redshift'), md5(NULL), strtol('0xf', 16), strtol('abcd1234', 16), strtol('1234567', 8), \
            strtol('110101', 2), strtol('', 2), strtol('  -12', 10), strtol(substr(md5('x'), 1, 8), 16)
            """, logger: logger).rows[0].map { value -> String? in
                switch value {
                case .null: nil
                case .integer(let number): String(number)
                case .text(let text): text
                default: "\(value)"
                }
            }
        #expect(row == ["f7415e33f972c03abd4f3fed36748f7a", nil, "15", "2882343476", "342391", "53", "0", "-12", "2647975009"])
        await #expect(throws: SQLiteError.self) { try await database.query("SELECT strtol('12', 1)", logger: logger) }
        #expect(SQLiteFunctions.strtol("9223372036854775808", base: 10) == nil, "beyond the signed 64-bit range")
        await database.close()
    }
}
