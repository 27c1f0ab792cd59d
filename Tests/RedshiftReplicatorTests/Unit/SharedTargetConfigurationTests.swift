import Testing
@testable import RedshiftReplicator

@Suite("Configuration: one Redshift table per configured table")
struct SharedTargetConfigurationTests {
    let env = ["RRR_REDSHIFT_HOST": "rs.example", "RRR_REDSHIFT_DATABASE": "dw", "RRR_REDSHIFT_USER": "loader",
               "RRR_REPLICATION_BUCKET": "bucket-1"]

    func parse(_ tables: String) throws(ConfigurationError) -> ReplicatorConfiguration {
        try ReplicatorConfiguration.parse(yaml: "source:\n  url: postgres://app@127.0.0.1/app\ntables:\n" + tables, environment: env)
    }

    @Test("two tables with the same target (as Redshift folds names) are refused, naming both and the setting")
    func sharedTargetIsRefused() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try parse("  users: { strategy: timed }\n  legacy_users: { strategy: timed, target_table: Users }\n")
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("tables.legacy_users.target_table") && text.contains("`users`") && text.contains("`legacy_users`"), "\(text)")
        #expect(try parse("  users: { strategy: timed }\n  legacy_users: { strategy: timed, target_table: old_users }\n").tables.count == 2)
    }
}
