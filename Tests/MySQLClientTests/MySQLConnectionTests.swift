import InMemoryLogging
import Logging
import MySQLClient
import Testing

@Suite("MySQL connection against the stack's MariaDB", .enabled(if: TestServer.enabled))
struct MySQLConnectionTests {
    @Test func connectsWithUTF8MB4AndUTCAndLogsNoPassword() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in logs })
        logger.logLevel = .trace
        let connection = try await MySQLConnection.connect(TestServer.configuration(), logger: logger)
        let settings = try await connection.query(
            "SELECT @@session.time_zone, @@character_set_connection, @@character_set_results", logger: logger)
        #expect(settings.rows == [["+00:00", "utf8mb4", "utf8mb4"]])
        #expect(!logs.entries.isEmpty)
        #expect(!logs.entries.contains { "\($0.message) \($0.metadata)".contains(TestServer.password) })
    }

    @Test func connectsThroughTheUnixSocket() async throws {
        let logger = Logger(label: "test")
        let socket = try #require(try await TestServer.connect().query("SELECT @@socket", logger: logger).scalar)
        var configuration = try TestServer.configuration()
        configuration.endpoint = .unixSocket(path: socket)
        let connection = try await MySQLConnection.connect(configuration, logger: logger)
        // A socket session reports no TCP port as its origin host.
        let host = try await connection.query("SELECT SUBSTRING_INDEX(USER(), '@', -1)", logger: logger).scalar
        #expect(host == "localhost")
    }

    @Test func aWrongPasswordFailsWithoutShowingIt() async throws {
        var configuration = try TestServer.configuration()
        configuration.password = "definitely-wrong-pw-4711"
        await #expect {
            _ = try await MySQLConnection.connect(configuration, logger: Logger(label: "test"))
        } throws: { error in
            guard let error = error as? MySQLError else { return false }
            return error.code == .connectionFailed && error.errorNumber == 1045
                && !"\(error)".contains("definitely-wrong-pw-4711")
        }
    }

    @Test func requiredTLSIsEnforcedAgainstAServerWithoutTLS() async throws {
        // The stack's MariaDB runs without TLS (@@have_ssl = DISABLED): REQUIRED must refuse, not fall back.
        let connection = try await TestServer.connect()
        let haveSSL = try await connection.query("SELECT @@have_ssl", logger: Logger(label: "test")).scalar
        try #require(haveSSL != "YES", "this test expects a server without TLS")
        var configuration = try TestServer.configuration()
        configuration.tls = .required
        await #expect {
            _ = try await MySQLConnection.connect(configuration, logger: Logger(label: "test"))
        } throws: { error in
            (error as? MySQLError)?.code == .connectionFailed
        }
    }

    @Test func queryErrorsCarryCodeSQLStateAndTable() async throws {
        let connection = try await TestServer.connect()
        let table = TestServer.uniqueTable("missing")
        await #expect {
            try await connection.query(
                "SELECT * FROM \(MySQLConnection.quoteIdentifier(table))", table: table, logger: Logger(label: "test"))
        } throws: { error in
            guard let error = error as? MySQLError else { return false }
            return error.errorNumber == 1146 && error.sqlState == "42S02" && error.table == table
                && "\(error)".contains("on table \(table)")
        }
    }

    @Test func literalsAreEscapedForTheSession() async throws {
        let connection = try await TestServer.connect()
        let tricky = "it's a \\ \"test\" \u{0} 🦄"
        let echoed = try await connection.query("SELECT \(try await connection.quoteLiteral(tricky))", logger: Logger(label: "test"))
        #expect(echoed.scalar == tricky)
    }

    @Test func closedConnectionsSaySo() async throws {
        let connection = try await TestServer.connect()
        await connection.close()
        await #expect {
            try await connection.execute("DO 1", logger: Logger(label: "test"))
        } throws: { ($0 as? MySQLError)?.code == .connectionClosed }
    }

    @Test func describesColumnsAndPrimaryKey() async throws {
        let logger = Logger(label: "test")
        let definition = "a INT, b VARCHAR(20) NOT NULL, c DECIMAL(12,2), d DATETIME(6), flag TINYINT(1), PRIMARY KEY (b, a)"
        try await TestServer.withTable("schema", definition) { connection, table in
            let columns = try await connection.columns(ofTable: table, logger: logger)
            #expect(columns.map(\.name) == ["a", "b", "c", "d", "flag"])
            #expect(columns[1].characterMaximumLength == 20 && !columns[1].isNullable)
            #expect(columns[2].numericPrecision == 12 && columns[2].numericScale == 2)
            #expect(columns[3].datetimePrecision == 6 && columns[4].columnType == "tinyint(1)")
            #expect(try await connection.primaryKey(ofTable: table, logger: logger) == ["b", "a"])
        }
    }
}
