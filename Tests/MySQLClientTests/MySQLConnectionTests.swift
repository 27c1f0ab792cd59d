import InMemoryLogging
import Logging
import MySQLClient
import Testing

@Suite("MySQL connection against the stack's MariaDB", .enabled(if: TestServer.enabled), .timeLimit(.minutes(10)))
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

    @Test func requiredTLSEncryptsTheSession() async throws {
        var configuration = try TestServer.configuration()
        configuration.tls = .required
        let connection = try await MySQLConnection.connect(configuration, logger: Logger(label: "test"))
        let cipher = try await connection.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'", logger: Logger(label: "test")).rows.first?.last
        #expect((cipher ?? nil)?.isEmpty == false, "the session is encrypted: \(String(describing: cipher))")
    }

    @Test func verifyCAAcceptsTheServersCAAndRefusesAnother() async throws {
        let logger = Logger(label: "test")
        var configuration = try TestServer.configuration()
        configuration.tls = .init(mode: .verifyCA, certificateAuthorityFile: try TestServer.value("RRR_TEST_MYSQL_SSL_CA"))
        let connection = try await MySQLConnection.connect(configuration, logger: logger)
        #expect(try await connection.query("SELECT 1", logger: logger).scalar == "1")

        let otherCA = try TLSTestSupport.makeCertificateAuthority()
        configuration.tls = .init(mode: .verifyCA, certificateAuthorityFile: otherCA)
        await #expect {
            _ = try await MySQLConnection.connect(configuration, logger: logger)
        } throws: { error in
            (error as? MySQLError)?.code == .connectionFailed
        }
    }

    @Test func requiredTLSRefusesAProxyThatStripsTLSFromTheGreeting() async throws {
        let logger = Logger(label: "test")
        let configuration = try TestServer.configuration()
        guard case .tcp(let host, let port) = configuration.endpoint else { throw MySQLError(.invalidConfiguration, "expected TCP") }
        let proxy = try TLSTestSupport.DowngradingProxy(upstreamPort: port)
        defer { proxy.stop() }
        var throughProxy = configuration
        throughProxy.endpoint = .tcp(host: host, port: proxy.port)
        // Without TLS the proxy relays faithfully...
        let plain = try await MySQLConnection.connect(throughProxy, logger: logger)
        #expect(try await plain.query("SELECT 1", logger: logger).scalar == "1")
        await plain.close()
        // ...and a client requiring TLS must not continue in clear text when TLS is "not offered".
        throughProxy.tls = .required
        await #expect {
            _ = try await MySQLConnection.connect(throughProxy, logger: logger)
        } throws: { error in
            (error as? MySQLError)?.code == .connectionFailed && !"\(error)".contains(TestServer.password)
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
