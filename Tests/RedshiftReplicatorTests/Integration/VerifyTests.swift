import Foundation
import Testing
@testable import RedshiftReplicator

/// `rrr verify` end to end for every source kind: a replicated table of every kind of column is
/// made to differ (a row deleted in Redshift, a value changed there, an extra row there, a row
/// deleted in the source without tracking, a row the source has that Redshift lacks); verify
/// finds exactly those keys, `--repair` makes the tables equal, a second verify is clean.
@Suite("rrr verify per source kind", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct VerifyTests {
    /// Source DDL for the columns compared (one of each normalisation).
    static func sourceTable(_ name: String, _ kind: SourceKind) -> String {
        switch kind {
        case .postgres:
            return "CREATE TABLE \(name) (id bigint PRIMARY KEY, name text, amount numeric(10,2), flag boolean, day date, updated_at timestamp NOT NULL, score double precision, data bytea, code char(4))"
        case .mariadb:
            return "CREATE TABLE \(name) (id bigint PRIMARY KEY, name varchar(64), amount decimal(10,2), flag tinyint(1), day date, updated_at datetime(6) NOT NULL, score double, data varbinary(16), code char(4))"
        case .sqlite:
            return "CREATE TABLE \(name) (id INTEGER PRIMARY KEY, name TEXT, amount NUMERIC, flag INTEGER, day TEXT, updated_at TEXT NOT NULL, score REAL, data BLOB, code TEXT)"
        }
    }

    static func row(_ id: Int, _ kind: SourceKind) -> String {
        let flag = kind == .postgres ? (id % 2 == 0 ? "true" : "false") : (id % 2 == 0 ? "1" : "0")
        let bytes = String(format: "%04x", id % 65_536)
        let data = switch kind {
        case .postgres: "decode('\(bytes)', 'hex')"
        case .mariadb, .sqlite: "X'\(bytes)'"
        }
        let name = id % 7 == 0 ? "NULL" : "'n\(id) it''s | \\\\N'"
        return "\(id), \(name), \(Double(id) / 4), \(flag), '2024-01-\(String(format: "%02d", id % 28 + 1))', "
            + "'2024-01-01 10:00:00.\(String(format: "%06d", id))', \(Double(id) / 3), \(data), 'c\(id % 10)'"
    }

    @Test(arguments: SourceKind.allCases)
    func verifyFindsExactlyTheDifferingKeysAndRepairMakesThemEqual(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("verified")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute(Self.sourceTable(name, kind))
        let columns = "(id, name, amount, flag, day, updated_at, score, data, code)"
        try await source.insert(name, columns, 1...3_000) { Self.row($0, kind) }
        try await redshift.execute("""
            CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), amount DECIMAL(10,2), flag BOOLEAN, day DATE, \
            updated_at TIMESTAMP, score DOUBLE PRECISION, data VARBYTE(16), code CHAR(4))
            """)
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.replicate(logger: TestStack.logger).map(\.status) == [.imported])

        let clean = try await replicator.verify(options: VerifyOptions(smallestRange: 1), logger: TestStack.logger)
        #expect(clean.map(\.status) == [.equal], "\(clean)")
        #expect(clean.first?.sourceRows == 3_000 && clean.first?.redshiftRows == 3_000)

        try await redshift.execute("""
            DELETE FROM \(name) WHERE id = 100;
            UPDATE \(name) SET amount = 1.01 WHERE id = 700;
            UPDATE \(name) SET updated_at = '2024-01-01 10:00:00.000001' WHERE id = 701;
            INSERT INTO \(name) (id, name, updated_at) VALUES (5000, 'ghost', '2024-01-01 00:00:00')
            """)
        try await source.execute("DELETE FROM \(name) WHERE id = 1500")  // no delete tracking: predates it
        try await source.insert(name, columns, 2_999...2_999) { _ in Self.row(3_001, kind) }  // never replicated
        let expected: [RangeDifference] = [
            .init(range: KeyRange(lower: 100, upper: 101), sourceRows: 1, redshiftRows: 0),
            .init(range: KeyRange(lower: 700, upper: 701), sourceRows: 1, redshiftRows: 1),
            .init(range: KeyRange(lower: 701, upper: 702), sourceRows: 1, redshiftRows: 1),
            .init(range: KeyRange(lower: 1500, upper: 1501), sourceRows: 0, redshiftRows: 1),
            .init(range: KeyRange(lower: 3001, upper: 3002), sourceRows: 1, redshiftRows: 0),
            .init(range: KeyRange(lower: 5000, upper: 5001), sourceRows: 0, redshiftRows: 1),
        ]
        let found = try await replicator.verify(options: VerifyOptions(smallestRange: 1), logger: TestStack.logger)
        #expect(found.first?.status == .differs)
        #expect(found.first?.differences == expected, "\(found)")

        let repaired = try await replicator.verify(options: VerifyOptions(repair: true, smallestRange: 1), logger: TestStack.logger)
        #expect(repaired.first?.status == .repaired, "\(repaired)")
        #expect(repaired.first?.repairedRows == 4, "rows 100, 700, 701, 3001 exist in the source; 1500 and 5000 do not: \(repaired)")
        #expect(repaired.first?.remaining == [])

        let again = try await replicator.verify(options: VerifyOptions(smallestRange: 1), logger: TestStack.logger)
        #expect(again.map(\.status) == [.equal], "\(again)")
        let ids = try await redshift.rows("SELECT CAST(id AS VARCHAR) FROM \(name) WHERE id IN (100, 700, 701, 1500, 3001, 5000) ORDER BY \(name).id")
        #expect(ids.map { $0[0] } == ["100", "700", "701", "3001"])
        #expect(try await redshift.rows("SELECT CAST(amount AS VARCHAR) FROM \(name) WHERE id = 700").first?.first == "175.00")
        #expect(try await redshift.count(name) == 3_000)
    }

    @Test
    func coarseRangesAreReportedAndRepairedWholeAndACompositeKeyIsRefused() async throws {
        let kind = SourceKind.postgres
        let name = TestStack.uniqueName("verified"), pair = TestStack.uniqueName("pairs")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute(Self.sourceTable(name, kind) + "; CREATE TABLE \(pair) (a bigint, b bigint, updated_at timestamp NOT NULL DEFAULT now(), PRIMARY KEY (a, b))")
        try await source.insert(name, "(id, name, amount, flag, day, updated_at, score, data, code)", 1...2_000) { Self.row($0, kind) }
        try await redshift.execute("""
            CREATE TABLE \(name) (id BIGINT, name VARCHAR(64), amount DECIMAL(10,2), flag BOOLEAN, day DATE, \
            updated_at TIMESTAMP, score DOUBLE PRECISION, data VARBYTE(16), code CHAR(4));
            CREATE TABLE \(pair) (a BIGINT, b BIGINT, updated_at TIMESTAMP)
            """)
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .timed), TableConfiguration(name: pair, strategy: .timed)], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        _ = try await replicator.replicate(logger: TestStack.logger)
        try await redshift.execute("UPDATE \(name) SET name = 'x' WHERE id IN (10, 20)")

        let found = try await replicator.verify(tables: .named([name, pair]), options: VerifyOptions(smallestRange: 100), logger: TestStack.logger)
        #expect(found.first?.differences.map(\.range) == [KeyRange(lower: 1, upper: 64)], "2000 keys / 32 = 63 keys a bucket: \(found)")
        #expect(found.last?.status == .failed)
        #expect(found.last?.failure?.message.contains("one integer key column") == true, "\(found)")
        let repaired = try await replicator.verify(tables: .named([name]), options: VerifyOptions(repair: true, smallestRange: 100), logger: TestStack.logger)
        #expect(repaired.first?.status == .repaired && repaired.first?.repairedRows == 63, "\(repaired)")
        #expect(try await redshift.rows("SELECT name FROM \(name) WHERE id = 10").first?.first == "n10 it's | \\\\N", "PostgreSQL kept both backslashes of the literal")
    }

    @Test
    func theCommandReportsJSONAndExitsNonZeroWhileDifferencesRemain() async throws {
        let (name, config, source, redshift) = try await CLIProcess.installedUsersTable("verify_cli")
        closeAfterTest { await source.close(); await redshift.close() }
        defer { try? FileManager.default.removeItem(atPath: config) }
        #expect(try await CLIProcess.run(["replicate", name, "--config", config]).status == 0)
        let equal = try await CLIProcess.run(["verify", "--config", config])
        #expect(equal.status == 0 && equal.stdout == "\(name): equal (25 rows)\n", "\(equal.stdout + equal.stderr)")

        try await redshift.execute("DELETE FROM \(name) WHERE id = 5")
        let differs = try await CLIProcess.run(["verify", name, "--json", "--smallest-range", "1", "--config", config])
        #expect(differs.status == 1, "\(differs.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(differs.stdout.utf8)) as? [[String: Any]]
        #expect(json?.first?["status"] as? String == "differs")
        let ranges = json?.first?["differences"] as? [[String: Any]]
        #expect(ranges?.count == 1 && ranges?.first?["lower"] as? Int == 5 && ranges?.first?["upper"] as? Int == 6
                && ranges?.first?["sourceRows"] as? Int == 1 && ranges?.first?["redshiftRows"] as? Int == 0, "\(differs.stdout)")
        #expect(json?.first?.keys.contains("error") == true && json?.first?["rrrVersion"] is String)

        let repaired = try await CLIProcess.run(["verify", name, "--repair", "--smallest-range", "1", "--config", config])
        #expect(repaired.status == 0 && repaired.stdout.contains("\(name): repaired 1 range(s), 1 row(s) loaded again: [5]"), "\(repaired.stdout + repaired.stderr)")
        #expect(try await CLIProcess.run(["verify", name, "--config", config]).status == 0)
        #expect(try await redshift.count(name) == 25)
    }
}
