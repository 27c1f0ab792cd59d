import Foundation
@testable import RedshiftReplicator

/// Helpers for the delete-tracking tests: tracked table entries, a replicator with triggers in
/// place, and what the source recorded, for every source kind.
enum DeleteTrackingSupport {
    static func tracked(_ name: String, strategy: ReplicationStrategy = .timed, keyColumns: [String]? = nil,
                        lookback: Lookback? = nil, enabled: Bool = true) -> TableConfiguration {
        var overrides = TableSettingsOverrides()
        overrides.enableDeleteTracking = enabled
        return TableConfiguration(name: name, strategy: strategy, keyColumns: keyColumns, lookback: lookback, overrides: overrides)
    }

    /// `rrr install` + `rrr triggers install` for `tables` read from `source`.
    static func replicator(_ source: TestSource, _ tables: [TableConfiguration]) async throws -> Replicator {
        let replicator = Replicator(configuration: try TestStack.configuration(tables: tables, source: source.url))
        try await replicator.install(logger: TestStack.logger)
        let outcomes = try await replicator.triggers(install: true, logger: TestStack.logger)
        guard outcomes.allSatisfy({ $0.installed }) else { throw TestStackError(message: "trigger install failed: \(outcomes)") }
        return replicator
    }

    /// Recorded, not yet propagated deletes of `table`.
    static func recorded(_ table: String, source: TestSource) async throws -> [String] {
        try await source.rows("SELECT key_value FROM rrr_deleted_keys WHERE source_table = '\(table)' ORDER BY id").map { $0[0] ?? "" }
    }

    /// The names of the triggers on `table`, sorted.
    static func triggerNames(on table: String, source: TestSource) async throws -> [String] {
        let query = switch source.kind {
        case .postgres: "SELECT CAST(tgname AS text) FROM pg_trigger WHERE tgrelid = '\(table)'::regclass AND NOT tgisinternal ORDER BY 1"
        case .mariadb: "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = '\(table)' ORDER BY 1"
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '\(table)' ORDER BY 1"
        }
        return try await source.rows(query).map { $0[0] ?? "" }
    }

    static func ids(_ table: String, _ client: SQLClient) async throws -> [String] {
        try await client.rows("SELECT CAST(id AS VARCHAR) AS text_id FROM \(table) ORDER BY \(table).id").map { $0[0] ?? "" }
    }
}

extension TestSource {
    /// `INSERT INTO table columns VALUES row(id), ...` for `ids`, 1,000 rows per statement.
    func insert(_ table: String, _ columns: String, _ ids: ClosedRange<Int>, row: (Int) -> String) async throws {
        for start in stride(from: ids.lowerBound, through: ids.upperBound, by: 1_000) {
            let batch = start...min(start + 999, ids.upperBound)
            try await execute("INSERT INTO \(table) \(columns) VALUES " + batch.map { "(\(row($0)))" }.joined(separator: ", "))
        }
    }

    /// Starts a transaction on this session (left open until `COMMIT`).
    func begin() async throws { try await execute(kind == .mariadb ? "START TRANSACTION" : "BEGIN") }
}

extension SourceKind {
    /// A column type holding a uuid.
    var uuid: String {
        switch self {
        case .postgres: return "uuid"
        case .mariadb: return "char(36)"
        case .sqlite: return "text"
        }
    }

    /// A generated 64-bit primary key.
    var serialKey: String {
        switch self {
        case .postgres: return "bigserial PRIMARY KEY"
        case .mariadb: return "bigint AUTO_INCREMENT PRIMARY KEY"
        case .sqlite: return "INTEGER PRIMARY KEY AUTOINCREMENT"
        }
    }

    /// Whether rows removed by `ON DELETE CASCADE` fire the child table's triggers (not in MySQL/MariaDB).
    var cascadesFireTriggers: Bool { self != .mariadb }
}
