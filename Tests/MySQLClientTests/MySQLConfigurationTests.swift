import MySQLClient
import Testing

@Suite("MySQL configuration: URLs and redaction")
struct MySQLConfigurationTests {
    @Test func parsesATCPURLWithEscapesAndOptions() throws {
        let configuration = try MySQLConfiguration(
            url: "mysql://app%40x:p%40ss%3Aw0rd@db.example:3307/shop%2Ddb?ssl-mode=required&connect-timeout=3")
        #expect(configuration.endpoint == .tcp(host: "db.example", port: 3307))
        #expect(configuration.username == "app@x")
        #expect(configuration.password == "p@ss:w0rd")
        #expect(configuration.database == "shop-db")
        #expect(configuration.tls.mode == .required)
        #expect(configuration.connectTimeoutSeconds == 3)
    }

    @Test func readWriteTimeoutsAndKeepaliveAreOptionsWithDefaults() throws {
        let plain = try MySQLConfiguration(url: "mysql://u@h/d")
        #expect([plain.readTimeoutSeconds, plain.writeTimeoutSeconds, plain.keepaliveIdleSeconds] == [3600, 3600, 60])
        let set = try MySQLConfiguration(url: "mysql://u@h/d?read-timeout=5&write-timeout=6&keepalive-idle=7")
        #expect([set.readTimeoutSeconds, set.writeTimeoutSeconds, set.keepaliveIdleSeconds] == [5, 6, 7])
    }

    @Test func parsesSocketIPv6AndDefaults() throws {
        let socket = try MySQLConfiguration(url: "mariadb://rrr@localhost/rrr?socket=/run/mysqld/mysqld.sock")
        #expect(socket.endpoint == .unixSocket(path: "/run/mysqld/mysqld.sock"))
        #expect(socket.password == nil)
        #expect(socket.tls.mode == .disabled)
        let ipv6 = try MySQLConfiguration(url: "mysql://u:p@[::1]/d?ssl-mode=VERIFY_CA&ssl-ca=/ca.pem")
        #expect(ipv6.endpoint == .tcp(host: "::1", port: 3306))
        #expect(ipv6.tls == .init(mode: .verifyCA, certificateAuthorityFile: "/ca.pem"))
    }

    @Test(arguments: [
        "postgres://u:secret-pw@h/d", "mysql://u:secret-pw@h:0/d", "mysql://u:secret-pw@h/",
        "mysql://u:secret-pw@h/d?ssl-mode=sometimes", "mysql://u:secret-pw@h/d?colour=blue",
        "mysql://u:secret-p%zz@h/d",
    ])
    func rejectsBadURLsWithoutRepeatingThePassword(url: String) {
        #expect {
            try MySQLConfiguration(url: url)
        } throws: { error in
            let error = error as? MySQLError
            return error?.code == .invalidConfiguration && !"\(error!)".contains("secret-p")
        }
    }

    @Test func neverPrintsThePassword() throws {
        let configuration = try MySQLConfiguration(url: "mysql://rrr:hunter2-secret@127.0.0.1:3306/rrr")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", String(reflecting: configuration), dumped] {
            #expect(!text.contains("hunter2-secret"))
            #expect(text.contains("rrr:********@127.0.0.1:3306/rrr"))
        }
    }

    @Test func lockNamesFitMySQLsLimitAndStayDistinct() {
        #expect(MySQLConnection.lockName(database: "shop", table: "users") == "rrr:shop.users")
        let long = String(repeating: "t", count: 80)
        let first = MySQLConnection.lockName(database: "shop", table: long + "1")
        let second = MySQLConnection.lockName(database: "shop", table: long + "2")
        #expect(first.count <= 64 && second.count <= 64)
        #expect(first != second)
    }

    @Test func quotesIdentifiers() {
        #expect(MySQLConnection.quoteIdentifier("we`ird") == "`we``ird`")
    }
}
