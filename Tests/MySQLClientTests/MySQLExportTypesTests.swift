import Logging
import MySQLClient
import SourceSupport
import Testing

@Suite("MySQL export: every type as Redshift's COPY reads it", .enabled(if: TestServer.enabled), .timeLimit(.minutes(10)))
struct MySQLExportTypesTests {
    static let definition = """
        id INT PRIMARY KEY, flag TINYINT(1), small TINYINT, big BIGINT, ubig BIGINT UNSIGNED,
        amount DECIMAL(38,10), ratio FLOAT, precise DOUBLE, created DATETIME(6), stamped TIMESTAMP(6) NULL,
        day DATE, clock TIME(6), bits BIT(10), onebit BIT(1), choice ENUM('a','b,c'), tags SET('x','y'),
        doc JSON, body MEDIUMTEXT, name VARCHAR(100), data BLOB, fixed BINARY(4), varbin VARBINARY(10), yr YEAR
        """
    static let columns: [ExportColumn] = [
        "id", "flag", "small", "big", "ubig", "amount", "ratio", "precise", "created", "stamped", "day",
        "clock", "bits", "onebit", "choice", "tags", "doc", "body", "name", "data", "fixed", "varbin", "yr",
    ].map { name in
        switch name {
        case "flag", "onebit": ExportColumn(name, target: .boolean)
        case "data", "fixed", "varbin": ExportColumn(name, target: .varbyte)
        default: ExportColumn(name)
        }
    }

    @Test func convertsEveryTypeCountsZeroDatesAndKeepsNullApartFromEmpty() async throws {
        let logger = Logger(label: "test")
        try await TestServer.withTable("types", Self.definition) { connection, table in
            let quoted = MySQLConnection.quoteIdentifier(table)
            let megabyte = String(repeating: "ü,\"x\"\n", count: 1 << 18)
            try await connection.execute("""
                INSERT INTO \(quoted) VALUES
                (1, 1, -128, -9223372036854775808, 18446744073709551615, 12345678901234567890.0123456789,
                 3.14159274, 0.1, '2024-02-29 23:59:58.123456', '2024-06-01 10:00:00.5', '2024-02-29',
                 '-12:30:00.5', b'1000000001', b'1', 'b,c', 'x,y', '{"k": [1, "🦄"]}',
                 'quote " comma , newline \n emoji 🦄 \\\\N', '', x'00ff10', x'41424344', x'', 2155),
                (2, 0, 0, 0, 0, 0, 16777217, 1e-300, '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00',
                 '00:00:00', b'0', b'0', 'a', '', '[]', '', ' padded ', NULL, NULL, NULL, NULL),
                (3, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2020-00-10', NULL, NULL, NULL, NULL, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL)
                """, logger: logger)
            try await connection.execute(
                "INSERT INTO \(quoted) (id, body) VALUES (4, \(try await connection.quoteLiteral(megabyte)))", logger: logger)

            let (summary, sink) = try await connection.exportCollecting(table: table, columns: Self.columns)
            let rows = try await sink.rows()
            #expect(summary.rowCount == 4 && rows.count == 4)
            #expect(summary.nulledValues == ["created": 1, "stamped": 1, "day": 2])
            #expect(rows[0] == [
                "1", "t", "-128", "-9223372036854775808", "18446744073709551615", "12345678901234567890.0123456789",
                "3.1415927410125732", "0.1", "2024-02-29 23:59:58.123456", "2024-06-01 10:00:00.500000", "2024-02-29",
                "-12:30:00.500000", "513", "t", "b,c", "x,y", #"{"k": [1, "🦄"]}"#,
                "quote \" comma , newline \n emoji 🦄 \\N", "", "00ff10", "41424344", "", "2155",
            ])
            #expect(rows[1] == [
                "2", "f", "0", "0", "0", "0.0000000000", "16777216", "1e-300", nil, nil, nil,
                "00:00:00.000000", "0", "f", "a", "", "[]", "", " padded ", nil, nil, nil, nil,
            ])
            #expect(rows[2][1] == "t" && rows[2][10] == nil && rows[2][2] == nil)
            #expect(rows[3][17] == megabyte)
        }
    }

    @Test func timestampsAreExportedInUTCAndDatetimesAsStored() async throws {
        let logger = Logger(label: "test")
        try await TestServer.withTable("zones", "id INT, stamped TIMESTAMP(3) NULL, local DATETIME") { connection, table in
            let writer = try await TestServer.connect()
            try await writer.execute("SET time_zone = '+02:00'", logger: logger)
            try await writer.execute(
                "INSERT INTO \(MySQLConnection.quoteIdentifier(table)) VALUES (1, '2024-06-01 12:00:00.250', '2024-06-01 12:00:00')",
                logger: logger)
            let (_, sink) = try await connection.exportCollecting(
                table: table, columns: [ExportColumn("id"), ExportColumn("stamped"), ExportColumn("local", target: .date)])
            #expect(try await sink.rows() == [["1", "2024-06-01 10:00:00.250", "2024-06-01"]])
        }
    }

    @Test func whereClausesAndBatchesKeepRecordsWhole() async throws {
        let logger = Logger(label: "test")
        try await TestServer.withTable("batches", "id INT PRIMARY KEY, body TEXT") { connection, table in
            try await connection.execute(
                "INSERT INTO \(MySQLConnection.quoteIdentifier(table)) SELECT seq, REPEAT('line\\n,', seq % 50) FROM seq_1_to_3000",
                logger: logger)
            let condition = "\(MySQLConnection.quoteIdentifier("id")) > \(try await connection.quoteLiteral("1000"))"
            let (summary, sink) = try await connection.exportCollecting(
                table: table, columns: [ExportColumn("id"), ExportColumn("body")], whereClause: condition, batchSize: 4096)
            let rows = try await sink.rows()
            #expect(summary.rowCount == 2000 && rows.count == 2000)
            #expect(rows.map { Int($0[0]!)! } == Array(1001...3000))
            let batches = await sink.batches
            #expect(batches.count > 10)
            #expect(batches.allSatisfy { $0 < 4096 + 400 })
        }
    }
}
