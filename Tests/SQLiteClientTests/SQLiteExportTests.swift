import Foundation
import Logging
import SQLiteClient
import SourceSupport
import Testing

@Suite("SQLite export: values by storage class, declared type and Redshift target")
struct SQLiteExportTests {
    let logger = Logger(label: "test")

    @Test func convertsEveryStorageClass() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/app.sqlite3"
        let megabyte = String(repeating: "ü,\"x\"\r\n", count: 1 << 17)
        let writer = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        try await writer.execute("""
            CREATE TABLE "odd ""name" (id INTEGER PRIMARY KEY, flag BOOLEAN, counter INT, ratio REAL,
              amount DECIMAL(12,2), created_at DATETIME, birthday DATE, stamp INTEGER, body TEXT, data BLOB, anything);
            """, logger: logger)
        try await writer.query(
            "INSERT INTO \"odd \"\"name\" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.integer(1), .integer(1), .integer(-9_223_372_036_854_775_808), .real(0.1), .text("12.50"),
             .text("2024-02-29 23:59:58.123456"), .integer(951_782_400), .integer(1_700_000_000),
             .text("quote \" comma , LF \n 🦄 \\N"), .blob([0x00, 0xff, 0x10]), .real(1e300)], logger: logger)
        try await writer.query(
            "INSERT INTO \"odd \"\"name\" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.integer(2), .integer(0), .integer(0), .real(.infinity), .real(3.25), .real(1_700_000_000.5),
             .text("2024-01-02"), .integer(-1), .text(""), .blob([]), .text("")], logger: logger)
        try await writer.query(
            "INSERT INTO \"odd \"\"name\" (id, ratio, body) VALUES (3, ?, ?)", [.real(-.infinity), .text(megabyte)],
            logger: logger)
        try await writer.query("INSERT INTO \"odd \"\"name\" (id) VALUES (4)", logger: logger)

        let reader = try await SQLiteDatabase.open(path: path, logger: logger)
        let columns = ["id", "flag", "counter", "ratio", "amount", "created_at", "birthday", "stamp", "body", "data", "anything"]
            .map { $0 == "stamp" ? ExportColumn($0, target: .timestamp) : ExportColumn($0) }
        let (summary, rows) = try await reader.exportCollecting(table: "odd \"name", columns: columns)
        #expect(summary.rowCount == 4 && summary.nulledValueCount == 0)
        #expect(rows[0] == [
            "1", "t", "-9223372036854775808", "0.1", "12.5", "2024-02-29 23:59:58.123456", "2000-02-29",
            "2023-11-14 22:13:20", "quote \" comma , LF \n 🦄 \\N", "00ff10", "1e+300",
        ])
        #expect(rows[1] == [
            "2", "f", "0", "Infinity", "3.25", "2023-11-14 22:13:20.500000", "2024-01-02", "1969-12-31 23:59:59", "", "", "",
        ])
        #expect(rows[2][3] == "-Infinity" && rows[2][8] == megabyte)
        #expect(rows[3] == ["4", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil])
    }

    @Test func aDateTargetKeepsOnlyTheDayOfDateTimeText() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/dates.sqlite3"
        let writer = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        try await writer.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, at TEXT)", logger: logger)
        for (id, text) in [(1, "2024-02-29 23:59:58.5"), (2, "2024-03-01T08:00:00Z"), (3, "2024-03-02"), (4, "not a date at all")] {
            try await writer.query("INSERT INTO d VALUES (?, ?)", [.integer(Int64(id)), .text(text)], logger: logger)
        }
        let reader = try await SQLiteDatabase.open(path: path, logger: logger)
        let (_, asDate) = try await reader.exportCollecting(table: "d", columns: [ExportColumn("at", target: .date)])
        #expect(asDate.map { $0[0] } == ["2024-02-29", "2024-03-01", "2024-03-02", "not a date at all"], "only ISO date-times are cut")
        let (_, asText) = try await reader.exportCollecting(table: "d", columns: [ExportColumn("at")])
        #expect(asText.first?[0] == "2024-02-29 23:59:58.5", "other targets keep the text")
    }

    @Test func whereClausesAreBound() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/app.sqlite3"
        let database = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        try await database.execute("""
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000)
            INSERT INTO items SELECT n, 'item ' || n FROM s;
            """, logger: logger)
        let (summary, rows) = try await database.exportCollecting(
            table: "items", columns: [ExportColumn("id"), ExportColumn("name")], whereClause: "id > ? AND name <> ?",
            bindings: [.integer(4000), .text("item 4500")])
        #expect(summary.rowCount == 999)
        #expect(rows.first == ["4001", "item 4001"] && !rows.contains(["4500", "item 4500"]))
        #expect(try await database.primaryKey(ofTable: "items", logger: logger) == ["id"])
        #expect(try await database.columns(ofTable: "items", logger: logger).map(\.declaredType) == ["INTEGER", "TEXT"])
    }

    @Test func missingTablesNameTheTable() async throws {
        let directory = try TemporaryDirectory()
        let database = try await SQLiteDatabase.open(path: directory.path + "/a.db", mode: .readWriteCreate, logger: logger)
        await #expect {
            _ = try await database.exportCollecting(table: "nope", columns: [ExportColumn("id")])
        } throws: { error in
            guard let error = error as? SQLiteError else { return false }
            return error.code == .statementFailed && error.table == "nope" && "\(error)".contains("no such table")
        }
    }
}
