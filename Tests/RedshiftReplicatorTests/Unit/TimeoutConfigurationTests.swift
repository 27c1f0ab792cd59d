import Testing
@testable import PostgresClient
@testable import RedshiftReplicator

@Suite("Timeout and keepalive settings")
struct TimeoutConfigurationTests {
    let env = ["RRR_REPLICATION_BUCKET": "b"]

    func yaml(_ redshiftExtra: String) -> String {
        """
        source:
          url: postgres://app@127.0.0.1:5432/app
        redshift:
          host: rs.example
          database: dw
          user: loader
        \(redshiftExtra)
        tables:
          users:
            strategy: timed
        """
    }

    @Test func defaultsEndADeadConnectionWithinMinutes() throws {
        let config = try ReplicatorConfiguration.parse(yaml: yaml(""), environment: env)
        #expect(config.redshift.statementTimeout == .seconds(3600))
        #expect(config.redshift.keepalive == ReplicatorConfiguration.TCPKeepalive(idle: 60, interval: 10, count: 6))
    }

    @Test func redshiftTimeoutsAreConfigurable() throws {
        let config = try ReplicatorConfiguration.parse(yaml: yaml("""
              statement_timeout: 600
              keepalive_idle: 30
              keepalive_interval: 5
              keepalive_count: 3
            """), environment: env)
        #expect(config.redshift.statementTimeout == .seconds(600))
        #expect(config.redshift.keepalive == ReplicatorConfiguration.TCPKeepalive(idle: 30, interval: 5, count: 3))
    }

    @Test func aZeroTimeoutIsAnErrorNamingTheSetting() throws {
        #expect {
            try ReplicatorConfiguration.parse(yaml: yaml("  statement_timeout: 0"), environment: env)
        } throws: { "\($0)".contains("redshift.statement_timeout") }
    }

    @Test func libpqGetsKeepalivesUnlessTheURLSetsThem() {
        let plain = PostgresConfiguration(host: "h", database: "d")
        let keywords = Dictionary(plain.keywords, uniquingKeysWith: { $1 })
        #expect(keywords["keepalives"] == "1")
        #expect(keywords["keepalives_idle"] == "60")
        #expect(keywords["keepalives_interval"] == "10")
        #expect(keywords["keepalives_count"] == "6")
        let own = PostgresConfiguration(host: "h", database: "d", options: ["keepalives_idle": "15"])
        #expect(own.keywords.filter { $0.0 == "keepalives_idle" }.map(\.1) == ["15"])
    }
}
