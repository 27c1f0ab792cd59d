import Foundation
import SourceSupport
import Testing
@testable import PostgresClient
@testable import RedshiftReplicator

@Suite("Invalid values: limits, UTF-8 cuts, policies")
struct InvalidValueTests {
    static func problem(_ limit: ValueLimit, _ text: String) -> InvalidValueProblem? { limit.problem(Array(text.utf8)) }

    static func cut(_ text: String, _ limit: Int) -> String {
        let bytes = Array(text.utf8)
        let length = bytes.withUnsafeBufferPointer { UTF8Prefix.length($0, atMost: limit) }
        return String(decoding: bytes[..<length], as: UTF8.self)
    }

    @Test func varcharCountsBytesNotCharacters() {
        #expect(Self.problem(.characterBytes(4), "abcd") == nil)
        #expect(Self.problem(.characterBytes(4), "abcde") == .tooLong(bytes: 5, limit: 4))
        #expect(Self.problem(.characterBytes(4), "ééé") == .tooLong(bytes: 6, limit: 4), "é is 2 bytes in UTF-8")
        #expect(Self.problem(.binaryBytes(2), "abcd") == nil, "hex: 2 digits per byte")
        #expect(Self.problem(.binaryBytes(2), "abcdef") == .tooLong(bytes: 3, limit: 2))
    }

    @Test func truncationEndsOnACharacterBoundary() {
        #expect(Self.cut("abcdef", 4) == "abcd")
        #expect(Self.cut("abc", 4) == "abc")
        #expect(Self.cut("aéb", 2) == "a", "é (2 bytes) would be split at 2: dropped")
        #expect(Self.cut("aéb", 3) == "aé")
        #expect(Self.cut("🦄x", 3) == "", "a 4-byte character does not fit in 3")
        #expect(Self.cut("x🦄", 4) == "x")
        #expect(Self.cut("日本語", 7) == "日本", "3-byte characters: 7 bytes keep two")
        let hex = Array("abcdef".utf8)
        #expect(hex.withUnsafeBufferPointer { ValueLimit.binaryBytes(2).truncatedLength($0) } == 4)
    }

    @Test func datesOutsideRedshiftsRangeAndSpecialValues() {
        let d = ValueLimit.dateTime
        #expect(Self.problem(d, "2024-02-29 10:00:00") == nil)
        #expect(Self.problem(d, "294276-12-31 23:59:59") == nil)
        #expect(Self.problem(d, "294277-01-01") == .outOfRange("after 294276 AD"))
        #expect(Self.problem(d, "4713-01-01 BC") == nil)
        #expect(Self.problem(d, "4714-12-31 BC") == .outOfRange("before 4713 BC"))
        #expect(Self.problem(d, "infinity") == .notFinite("infinity"))
        #expect(Self.problem(d, "-infinity") == .notFinite("-infinity"))
        #expect(Self.problem(d, "0000-00-00") == .zeroDate)
        #expect(Self.problem(d, "2024-00-10") == .zeroDate)
        #expect(Self.problem(d, "2023-02-29") != nil, "not a leap year")
        #expect(Self.problem(d, "2024-02-30 00:00:00") != nil)
        #expect(Self.problem(d, "2024-13-01") != nil)
        #expect(Self.problem(d, "0000-01-01") != nil, "there is no year 0")
        #expect(Self.problem(d, "May 5 2024") == nil, "other forms are left to COPY")
    }

    @Test func numericLimitsFindNaNInfinityAndOverflow() {
        let n = ValueLimit.numeric(precision: 5, scale: 2)
        #expect(Self.problem(n, "999.99") == nil)
        #expect(Self.problem(n, "-0000999.5") == nil, "leading zeros are not digits")
        #expect(Self.problem(n, "1000.00") != nil)
        #expect(Self.problem(n, "NaN") == .notFinite("NaN"))
        #expect(Self.problem(n, "Infinity") == .notFinite("Infinity"))
        #expect(Self.problem(n, "-Infinity") == .notFinite("-Infinity"))
        #expect(Self.problem(n, "1e+20") != nil)
        #expect(Self.problem(n, "1.5e2") == nil)
    }

    @Test func policiesDecideReplacement() {
        var column = ExportColumn("name")
        column.limit = .characterBytes(3)
        let value = Array("abcdé".utf8)
        let action = { (column: ExportColumn, problem: InvalidValueProblem) in value.withUnsafeBufferPointer { column.action(for: problem, value: $0) } }
        #expect(action(column, .tooLong(bytes: 6, limit: 3)) == .fail)
        column.invalidValues = .null
        #expect(action(column, .tooLong(bytes: 6, limit: 3)) == .null)
        column.invalidValues = .truncate
        #expect(action(column, .tooLong(bytes: 6, limit: 3)) == .truncate(3))
        #expect(action(column, .notFinite("NaN")) == .null, "truncate cannot fix NaN: NULL")
        column.targetIsNullable = false
        #expect(action(column, .notFinite("NaN")) == .fail, "a NOT NULL column cannot take the NULL")
    }

    @Test func errorNamesTableKeyAndColumnButNotTheValue() {
        let error = InvalidValue(table: "users", column: "bio", row: [("id", "7")], problem: .tooLong(bytes: 70000, limit: 256),
                                 limit: .characterBytes(256))
        let text = "\(error)"
        #expect(text.contains("table `users`") && text.contains("`bio`") && text.contains("id = '7'") && text.contains("70000 bytes"))
        #expect(text.contains("invalid_values") && text.contains(InvalidValue.phrase))
        #expect(InvalidValue.printable(Array(String(repeating: "k", count: 500).utf8)).count < 110, "long keys are shortened")
        #expect(ReplicationFailure(error).kind == .invalidValue)
    }

    @Test func postgresFailureMessageBecomesAnInvalidValue() {
        var column = ExportColumn("seen")
        column.limit = .dateTime
        let message = "ERROR:  invalid input syntax for type integer: \"rrr-invalid-value:1:fail:inf:infinity\u{1E}4\u{1F}x\" "
            + "(on db, statement: COPY (SELECT \"id\", CASE WHEN ... 'rrr-invalid-value:1:fail:' || ...)"
        let error = PostgresValueCheck.invalidValue(in: message, table: "events", columns: [ExportColumn("id"), column], keyNames: ["id", "k"])
        #expect(error?.column == "seen")
        #expect(error?.problem == .notFinite("infinity"))
        #expect(error?.row.map { $0.1 } == ["4", "x"])
        #expect(PostgresValueCheck.invalidValue(in: "ERROR: something else (on db, statement: ... 'rrr-invalid-value:0:fail:' ...)",
                                                table: "t", columns: [column], keyNames: ["id"]) == nil)
    }

    @Test func settingInheritsAndAcceptsABareNull() throws {
        let configuration = try ReplicatorConfiguration.parse(yaml: """
            source: { url: "postgres://app@127.0.0.1/app" }
            redshift: { host: h, database: d, user: u, password: p }
            s3: { bucket: b }
            settings: { invalid_values: truncate }
            tables:
              a: { strategy: full }
              b: { strategy: full, invalid_values: null }
              c: { strategy: full, invalid_values: fail }
            """, environment: [:])
        #expect(try configuration.settings(for: configuration.table(named: "a")).invalidValues == .truncate)
        #expect(try configuration.settings(for: configuration.table(named: "b")).invalidValues == .null)
        #expect(try configuration.settings(for: configuration.table(named: "c")).invalidValues == .fail)
        #expect(throws: ConfigurationError.self) {
            try ReplicatorConfiguration.parse(yaml: """
                source: { url: "postgres://app@127.0.0.1/app" }
                redshift: { host: h, database: d, user: u, password: p }
                s3: { bucket: b }
                tables: { a: { strategy: full, invalid_values: skip } }
                """, environment: [:])
        }
    }
}
