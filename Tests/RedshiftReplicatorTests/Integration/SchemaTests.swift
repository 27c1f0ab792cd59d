import Foundation
import Testing
@testable import RedshiftReplicator

/// `rrr schema`: the generated Redshift tables are created in the emulator and loaded by
/// `rrr replicate` with the source's values, for each source kind; `--diff` adds what a target lacks.
@Suite("Schema: generated Redshift tables load", .enabled(if: TestStack.enabled), .serialized, .timeLimit(.minutes(10)), .closesResources)
struct SchemaTests {
    /// One source kind's table with a broad set of column types, a row of values and a row of
    /// NULLs, and what each Redshift column must then read as text (SQL expression -> value).
    struct Fixture {
        var create: String
        var insert: String
        var expected: [(expression: String, value: String)]
    }

    static let json = #"{"a": [1, 2], "b": "x"}"#
    /// Five 4-byte characters: exactly the 20 bytes a `varchar(5)` of characters needs in Redshift.
    static let emoji = "😀😀😀😀😀"
    static func sameInstant(_ column: String) -> String {
        "CASE WHEN \(column) = CAST('2024-05-01 10:34:56.5+00' AS TIMESTAMPTZ) THEN 'same instant' ELSE CAST(\(column) AS VARCHAR) END"
    }

    func fixture(_ kind: SourceKind, _ name: String) -> Fixture {
        let common: [(expression: String, value: String)] = [
            ("CAST(amount AS VARCHAR)", kind == .sqlite ? "12.34" : "1234567890123456789012345678.0123456789"),
            ("CAST(ratio AS VARCHAR)", "0.5"), ("CASE WHEN flag THEN 't' ELSE 'f' END", "t"),
            ("name", Self.emoji), ("CAST(OCTET_LENGTH(name) AS VARCHAR)", "20"), ("body", "multi\nline"),
            ("TO_HEX(data)", "00ff10"), ("CAST(born AS VARCHAR)", "2024-02-29"), ("CAST(at AS VARCHAR)", "2024-05-01 12:34:56.123456"),
        ]
        switch kind {
        case .postgres:
            return Fixture(create: """
                CREATE TYPE \(name)_mood AS ENUM ('ok', 'très-bien');
                CREATE TABLE \(name) (id bigint PRIMARY KEY, small smallint, amount numeric(38,10), ratio double precision, flag boolean NOT NULL,
                  name varchar(5), code char(3), body text, uid uuid, doc jsonb, data bytea, born date, at timestamp(6), atz timestamptz,
                  clock time, mood \(name)_mood, tags integer[], updated_at timestamp NOT NULL)
                """, insert: """
                INSERT INTO \(name) VALUES (1, -7, 1234567890123456789012345678.0123456789, 0.5, true, '\(Self.emoji)', 'ab', E'multi\\nline',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\(Self.json)', '\\x00ff10', '2024-02-29', '2024-05-01 12:34:56.123456',
                  '2024-05-01 12:34:56.5+02', '13:14:15', 'très-bien', '{1,2}', '2024-05-01 00:00:01');
                INSERT INTO \(name) (id, flag, updated_at) VALUES (2, false, '2024-05-01 00:00:02')
                """, expected: common + [
                    ("CAST(small AS VARCHAR)", "-7"), ("code", "ab "), ("uid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                    (Self.sameInstant("atz"), "same instant"), ("CAST(clock AS VARCHAR)", "13:14:15"),
                    ("mood", "très-bien"), ("tags", "{1,2}"),
                ])
        case .mariadb:
            return Fixture(create: """
                CREATE TABLE \(name) (id bigint PRIMARY KEY, small smallint unsigned, big bigint unsigned, amount decimal(38,10), ratio double,
                  flag tinyint(1) NOT NULL, name varchar(5), code char(3), body text, doc json, data varbinary(16), born date, at datetime(6),
                  ts timestamp(6) NULL, mood enum('ok','très-bien'), bits bit(5), yr year, updated_at datetime NOT NULL) CHARACTER SET utf8mb4
                """, insert: """
                SET time_zone = '+00:00';
                INSERT INTO \(name) VALUES (1, 65535, 18446744073709551615, 1234567890123456789012345678.0123456789, 0.5, 1, '\(Self.emoji)',
                  'ab', 'multi\\nline', '\(Self.json)', x'00ff10', '2024-02-29', '2024-05-01 12:34:56.123456', '2024-05-01 10:34:56.5',
                  'très-bien', b'10101', 2024, '2024-05-01 00:00:01');
                INSERT INTO \(name) (id, flag, updated_at) VALUES (2, 0, '2024-05-01 00:00:02')
                """, expected: common + [
                    ("CAST(small AS VARCHAR)", "65535"), ("CAST(big AS VARCHAR)", "18446744073709551615"), ("code", "ab"),
                    (Self.sameInstant("ts"), "same instant"), ("mood", "très-bien"), ("CAST(bits AS VARCHAR)", "21"),
                    ("CAST(yr AS VARCHAR)", "2024"),
                ])
        case .sqlite:
            return Fixture(create: """
                CREATE TABLE \(name) (id INTEGER PRIMARY KEY, flag BOOLEAN, amount DECIMAL(12,2), ratio REAL, name VARCHAR(5), body TEXT,
                  doc JSON, data BLOB, born DATE, at DATETIME, uid UUID, updated_at DATETIME NOT NULL)
                """, insert: """
                INSERT INTO \(name) VALUES (1, 1, 12.34, 0.5, '\(Self.emoji)', 'multi' || char(10) || 'line', '\(Self.json)', x'00ff10',
                  '2024-02-29', '2024-05-01 12:34:56.123456', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-05-01 00:00:01');
                INSERT INTO \(name) (id, flag, updated_at) VALUES (2, 0, '2024-05-01 00:00:02')
                """, expected: common + [("uid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")])
        }
    }

    @Test(arguments: SourceKind.allCases)
    func appliedTablesLoadTheSourceValues(kind: SourceKind) async throws {
        let name = TestStack.uniqueName("schema")
        let source = try await TestSource.open(kind), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        let fixture = fixture(kind, name)
        try await source.execute(fixture.create)
        try await source.execute(fixture.insert)
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)], source: source.url))
        try await replicator.install(logger: TestStack.logger)

        let printed = try await replicator.schema(tables: .named([name]), logger: TestStack.logger)
        #expect(printed.map(\.status) == [.missing], "\(printed)")
        #expect(printed.first?.statements.first?.contains("SORTKEY (\"updated_at\")") == true)
        #expect(try await redshift.rows("SELECT 1 FROM information_schema.tables WHERE table_name = '\(name)'").isEmpty, "printing creates nothing")

        let applied = try await replicator.schema(tables: .named([name]), options: SchemaOptions(apply: true), logger: TestStack.logger)
        #expect(applied.map(\.status) == [.created], "\(applied)")
        #expect(try await redshift.rows("SELECT \"column\" FROM pg_table_def WHERE tablename = '\(name)' AND distkey").map { $0[0] } == ["id"])
        #expect(try await redshift.rows("SELECT \"column\" FROM pg_table_def WHERE tablename = '\(name)' AND sortkey = 1").map { $0[0] } == ["updated_at"])
        let again = try await replicator.schema(tables: .named([name]), options: SchemaOptions(apply: true), logger: TestStack.logger)
        #expect(again.map(\.status) == [.exists], "an existing table is left alone")

        let outcomes = try await replicator.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(outcomes.map(\.status) == [.imported], "\(outcomes)")
        #expect(try await redshift.count(name) == 2)
        for (expression, value) in fixture.expected {
            let read = try await redshift.rows("SELECT \(expression) FROM \(name) WHERE id = 1").first?.first ?? nil
            #expect(read == value, "\(kind) \(expression)")
        }
        // json/jsonb and SQLite JSON load into SUPER; MariaDB's JSON is LONGTEXT (a VARCHAR).
        let document = try await redshift.rows("SELECT \(kind == .mariadb ? "doc" : "JSON_SERIALIZE(doc)") FROM \(name) WHERE id = 1").first?.first ?? nil
        #expect(try Self.parsed(document) == Self.parsed(Self.json), "\(String(describing: document))")
        let nulls = try await redshift.rows("SELECT CAST(COUNT(*) AS VARCHAR) FROM \(name) WHERE id = 2 AND name IS NULL AND doc IS NULL AND data IS NULL AND at IS NULL AND NOT flag")
        #expect(nulls.first?.first == "1", "the row of NULLs loads as NULLs")
    }

    static func parsed(_ text: String?) throws -> NSDictionary? {
        guard let text else { return nil }
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
    }

    @Test func diffAddsTheMissingColumnsResetBackfillsAndExtraOnesAreReported() async throws {
        let name = TestStack.uniqueName("schema_diff")
        let source = try await TestSource.open(.postgres), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, note text, updated_at timestamp NOT NULL);
            INSERT INTO \(name) VALUES (1, 'a', '2024-05-01 00:00:01'), (2, 'b', '2024-05-01 00:00:02')
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, updated_at TIMESTAMP)")
        let replicator = Replicator(configuration: try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)], source: source.url))
        try await replicator.install(logger: TestStack.logger)
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])

        let diff = try #require(try await replicator.schema(tables: .named([name]), options: SchemaOptions(diff: true), logger: TestStack.logger).first)
        #expect(diff.status == .differs)
        #expect(diff.missingColumns == ["note"] && diff.extraColumns.isEmpty)
        #expect(diff.statements == ["ALTER TABLE \"public\".\"\(name)\" ADD COLUMN \"note\" VARCHAR(65535)"])
        let applied = try await replicator.schema(tables: .named([name]), options: SchemaOptions(diff: true, apply: true), logger: TestStack.logger)
        #expect(applied.map(\.status) == [.altered])
        #expect(try await redshift.rows("SELECT note FROM \(name) ORDER BY id").map { $0[0] } == [nil, nil], "added: NULL until the reset")

        _ = try await replicator.reset(table: name, logger: TestStack.logger)
        #expect(try await replicator.replicate(tables: .named([name]), logger: TestStack.logger).map(\.status) == [.imported])
        #expect(try await redshift.rows("SELECT note FROM \(name) ORDER BY id").map { $0[0] } == ["a", "b"], "the reset backfilled the new column")

        try await redshift.execute("ALTER TABLE \(name) ADD COLUMN legacy INTEGER")
        let after = try await replicator.schema(tables: .named([name]), options: SchemaOptions(diff: true, apply: true), logger: TestStack.logger)
        #expect(after.map(\.status) == [.upToDate] && after.first?.extraColumns == ["legacy"], "\(after)")
        #expect(try await redshift.rows("SELECT column_name FROM information_schema.columns WHERE table_name = '\(name)' ORDER BY ordinal_position").map { $0[0] }
                == ["id", "updated_at", "note", "legacy"], "legacy is never dropped")
    }

    @Test func aTypeWithoutMappingFailsThatTableNamingTheColumn() async throws {
        let name = TestStack.uniqueName("schema_money"), other = TestStack.uniqueName("schema_ok")
        let source = try await TestSource.open(.postgres)
        closeAfterTest { await source.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, amount money); CREATE TABLE \(other) (id bigint PRIMARY KEY)")
        let replicator = Replicator(configuration: try TestStack.configuration(
            tables: [TableConfiguration(name: name, strategy: .full), TableConfiguration(name: other, strategy: .full)], source: source.url))
        let outcomes = try await replicator.schema(logger: TestStack.logger)
        #expect(outcomes.map(\.status) == [.failed, .missing], "one table failing never stops the others")
        #expect(outcomes.first?.failure?.message.contains("table \(name): column `amount` has the source type `money`") == true, "\(outcomes)")
    }

    @Test func theCommandPrintsRunnableSQLAndJSONWithExitCodes() async throws {
        let source = try await TestSource.open(.sqlite), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        let name = TestStack.uniqueName("schema_cli")
        try await source.execute("CREATE TABLE \(name) (id INTEGER PRIMARY KEY, Title VARCHAR(20) NOT NULL, updated_at DATETIME NOT NULL)")
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: timed\n", sourceURL: source.configURL)

        let diff = try await CLIProcess.run(["schema", "--diff", "--config", config])
        #expect(diff.status == 1, "--diff exits 1 while a table is missing: \(diff.stderr)")
        #expect(diff.stdout.hasPrefix("-- \(name): Redshift table public.\(name) does not exist"), "\(diff.stdout)")
        #expect(diff.stdout.contains("\"title\" VARCHAR(65535) NOT NULL,\n") && diff.stdout.contains("SORTKEY (\"updated_at\");"), "\(diff.stdout)")

        let applied = try await CLIProcess.run(["schema", name, "--diff", "--apply", "--json", "--config", config])
        #expect(applied.status == 0, "\(applied.stderr)")
        let objects = try JSONSerialization.jsonObject(with: Data(applied.stdout.utf8)) as? [[String: Any]]
        #expect(objects?.first?["status"] as? String == "created" && objects?.first?["backfill"] is NSNull, "\(applied.stdout)")
        #expect(try await redshift.rows("SELECT column_name FROM information_schema.columns WHERE table_name = '\(name)' ORDER BY ordinal_position").map { $0[0] }
                == ["id", "title", "updated_at"])
        let clean = try await CLIProcess.run(["schema", "--diff", "--config", config])
        #expect(clean.status == 0 && clean.stdout == "-- \(name): Redshift table public.\(name) has every source column\n", "\(clean.stdout)")
    }
}
