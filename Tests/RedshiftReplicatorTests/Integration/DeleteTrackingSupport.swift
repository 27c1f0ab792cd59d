import Foundation
@testable import RedshiftReplicator

/// Helpers for the delete-tracking tests: tracked table entries, a replicator with triggers in place.
enum DeleteTrackingSupport {
    static func tracked(_ name: String, strategy: ReplicationStrategy = .timed, keyColumns: [String]? = nil,
                        lookback: Lookback? = nil, enabled: Bool = true) -> TableConfiguration {
        var overrides = TableSettingsOverrides()
        overrides.enableDeleteTracking = enabled
        return TableConfiguration(name: name, strategy: strategy, keyColumns: keyColumns, lookback: lookback, overrides: overrides)
    }

    /// `rrr install` + `rrr triggers install` for `tables`.
    static func replicator(_ tables: [TableConfiguration]) async throws -> Replicator {
        let replicator = Replicator(configuration: try TestStack.configuration(tables: tables))
        try await replicator.install(logger: TestStack.logger)
        let outcomes = try await replicator.triggers(install: true, logger: TestStack.logger)
        guard outcomes.allSatisfy({ $0.installed }) else { throw TestStackError(message: "trigger install failed: \(outcomes)") }
        return replicator
    }

    /// Recorded, not yet propagated deletes of `table`.
    static func recorded(_ table: String, source: SQLClient) async throws -> [String] {
        try await source.rows("SELECT key_value FROM rrr_deleted_keys WHERE source_table = '\(table)' ORDER BY id").map { $0[0] ?? "" }
    }

    static func ids(_ table: String, _ client: SQLClient) async throws -> [String] {
        try await client.rows("SELECT CAST(id AS VARCHAR) AS text_id FROM \(table) ORDER BY \(table).id").map { $0[0] ?? "" }
    }
}
