import Foundation
import Logging
import RedshiftReplicator
import SQLiteClient
import Testing

/// One rrr replication through the Redshift rules rrr must respect, from a SQLite file (no source
/// server needed) into `endpoint`: text that looks like the NULL marker (`N`, `\N`) and holds
/// backslashes and quotes, NULLs in text and number columns, keys that differ only in a trailing
/// blank, a tracked delete of a key made to break out of a quoted literal, and a target table
/// configured in capitals (Redshift stores it in lower case). Two runs: a load, then an update and
/// a delete merged in.
enum ReplicationContract {
    static func run(on endpoint: RedshiftEndpoint) async throws {
        let logger = Logger(label: "rrr.contract")
        let name = endpoint.table("replication")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name + ".db").path
        let source = try await SQLiteDatabase.open(path: path, mode: .readWriteCreate, logger: logger)
        _ = try await source.enableWriteAheadLog(logger: logger) // as rrr's README recommends for SQLite sources
        let injection = #"x\') OR 1=1 --"#
        try await source.execute("CREATE TABLE \(name) (code TEXT PRIMARY KEY, note TEXT, amount INTEGER, updated_at TEXT NOT NULL)", logger: logger)
        try await source.execute("""
            INSERT INTO \(name) VALUES ('a', 'N', 1, '2024-05-01 09:00:00'), ('a ', '\\N', NULL, '2024-05-01 09:00:00'), \
            ('\(injection.replacingOccurrences(of: "'", with: "''"))', 'it''s', 2, '2024-05-01 09:00:00'), \
            ('tail\\', NULL, NULL, '2024-05-01 09:00:00'), ('b', 'a\\b', 3, '2024-05-01 10:00:00')
            """, logger: logger)
        // The second run re-reads from 09:55 (10:00 less the 5-minute lookback): its stage holds 'a'
        // and 'b', not 'a ', which a key match ignoring trailing blanks would delete.
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try await endpoint.cleaningUp(tables: ["\(endpoint.schema).\(name)"],
                                          statements: ["DELETE FROM \(endpoint.schema).rrr_load_ledger WHERE source_table = '\(name)'"]) {
                try await replicate(name, source: source, path: path, on: endpoint)
            }
        } catch {
            await source.close()
            throw error
        }
        await source.close()
    }

    private static func replicate(_ name: String, source: SQLiteDatabase, path: String, on endpoint: RedshiftEndpoint) async throws {
        let logger = Logger(label: "rrr.contract")
        let injection = #"x\') OR 1=1 --"#
        let created = try await endpoint.psql("CREATE TABLE \(endpoint.schema).\(name) (code VARCHAR(40), note VARCHAR(40), amount INTEGER, updated_at TIMESTAMP)")
        try #require(created.status == 0 && !created.stderr.contains("ERROR"), "\(created.stderr)")

        var overrides = TableSettingsOverrides()
        overrides.enableDeleteTracking = true
        var settings = TableSettings()
        settings.localPath = NSTemporaryDirectory()
        var redshift = ReplicatorConfiguration.Redshift(host: endpoint.host, port: endpoint.port, database: endpoint.database,
                                                        user: endpoint.user, password: Secret(endpoint.password), schema: endpoint.schema)
        if let mode = endpoint.sslMode {
            redshift.sslMode = try #require(RedshiftSSLMode(rawValue: mode), "RRR_CONTRACT_REDSHIFT_SSLMODE: \(mode) is not one of \(RedshiftSSLMode.allCases.map(\.rawValue))")
        }
        let configuration = ReplicatorConfiguration(
            source: try DatabaseURL(parsing: "sqlite://" + path), redshift: redshift,
            storage: .init(bucket: endpoint.bucket, prefix: endpoint.keyPrefix + "rrr", region: endpoint.region, endpoint: endpoint.s3Endpoint,
                           accessKeyID: endpoint.uploadCredentials.accessKeyID, secretAccessKey: Secret(endpoint.uploadCredentials.secretAccessKey),
                           sessionToken: endpoint.uploadCredentials.sessionToken.map(Secret.init), iamRole: endpoint.iamRole),
            settings: settings,
            tables: [TableConfiguration(name: name, strategy: .timed, targetTable: name.uppercased(), overrides: overrides)])
        let replicator = Replicator(configuration: configuration)
        try await replicator.install(logger: logger)
        let triggers = try await replicator.triggers(install: true, logger: logger)
        try #require(triggers.allSatisfy { $0.installed }, "\(triggers)")

        let first = try await replicator.replicate(tables: [name], logger: logger)
        #expect(first.map(\.status) == [.imported], "\(endpoint.name): \(first)")
        #expect(try await rows(name, endpoint) == [
            "a #|\\N|<null>", "a#|N|1", "b#|a\\b|3", "tail\\#|<null>|<null>", "\(injection)#|it's|2",
        ].sorted(), "\(endpoint.name): NULL marker, backslashes, quotes and trailing blanks arrive as they are")

        try await source.execute("UPDATE \(name) SET note = 'changed', updated_at = '2024-05-01 11:00:00' WHERE code = 'a'", logger: logger)
        try await source.execute("DELETE FROM \(name) WHERE code = '\(injection.replacingOccurrences(of: "'", with: "''"))'", logger: logger)
        let second = try await replicator.replicate(tables: [name], logger: logger)
        #expect(second.map(\.status) == [.imported], "\(endpoint.name): \(second)")
        #expect(second.first?.record?.deletedCount == 1, "\(endpoint.name): \(second)")
        #expect(try await rows(name, endpoint) == [
            "a #|\\N|<null>", "a#|changed|1", "b#|a\\b|3", "tail\\#|<null>|<null>",
        ].sorted(), "\(endpoint.name): 'a' merged without touching 'a ', the tracked delete removed one row only")
    }

    /// The table's rows as `code#|note|amount` (the `#` shows a trailing blank), sorted here.
    private static func rows(_ name: String, _ endpoint: RedshiftEndpoint) async throws -> [String] {
        let result = try await endpoint.psql("""
            SELECT code || '#', COALESCE(note, '<null>'), COALESCE(CAST(amount AS VARCHAR), '<null>') FROM \(endpoint.schema).\(name)
            """)
        #expect(!result.stderr.contains("ERROR"), "\(result.stderr)")
        return result.lines.sorted()
    }
}
