import Foundation
import PostgresNIO
import RedshiftEmulator
import Testing

extension ConformanceSuites {
@Suite("Redshift transactions, maintenance and DDL")
struct TransactionConformanceTests {
    @Test func truncateInsideBeginCommitsTheTransaction() async throws {
        try await EmulatorHarness.with { emulator in
            let kept = TestServices.uniqueName("kept"), emptied = TestServices.uniqueName("emptied")
            let result = try await emulator.psql(
                "CREATE TABLE \(kept) (id int); CREATE TABLE \(emptied) (id int); INSERT INTO \(emptied) VALUES (1)",
                "BEGIN; INSERT INTO \(kept) VALUES (1); TRUNCATE \(emptied); INSERT INTO \(kept) VALUES (2); ROLLBACK",
                "SELECT count(*) FROM \(kept)", "SELECT count(*) FROM \(emptied)")
            // The insert before TRUNCATE was committed by it; the one after ran outside any block.
            #expect(result.lines == ["2", "0"], "\(result.stderr)")
        }
    }

    @Test func vacuumInsideBeginIsRefusedEveryVariantRunsOutside() async throws {
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("vac")
            let refused = try await emulator.psql("CREATE TABLE \(table) (id int) COMPOUND SORTKEY (id)",
                                            "BEGIN; VACUUM \(table)", "SELECT 1", "ROLLBACK")
            #expect(refused.stderr.contains("ERROR:  VACUUM cannot run inside a transaction block"))
            #expect(refused.stderr.contains("current transaction is aborted"))
            let variants = ["VACUUM \(table)", "VACUUM FULL \(table)", "VACUUM SORT ONLY \(table)", "VACUUM DELETE ONLY \(table)",
                            "VACUUM REINDEX \(table)", "VACUUM RECLUSTER \(table)", "VACUUM FULL \(table) TO 75 PERCENT", "VACUUM \(table) BOOST"]
            let ran = try await emulator.psql("INSERT INTO \(table) VALUES (3), (1)", "SELECT unsorted FROM svv_table_info WHERE \"table\" = '\(table)'")
            #expect(ran.lines == ["100.00"], "\(ran.stderr)")
            for variant in variants {
                let result = try await emulator.psql(variant)
                #expect(result.status == 0 && result.stderr.isEmpty, "\(variant): \(result.stderr)")
            }
            let log = try await Warehouse.query("""
                SELECT variant, coalesce(to_percent::text, '-'), boost::text FROM rrr_emulator.maintenance_log
                WHERE table_name = '\(table)' ORDER BY id
                """)
            #expect(log.map { $0.compactMap { $0 }.joined(separator: "/") } == [
                "FULL/-/false", "FULL/-/false", "SORT ONLY/-/false", "DELETE ONLY/-/false", "REINDEX/-/false", "RECLUSTER/-/false",
                "FULL/75/false", "FULL/-/true",
            ])
            #expect(try await emulator.psql("SELECT unsorted FROM svv_table_info WHERE \"table\" = '\(table)'").lines == ["0.00"])
        }
    }

    @Test func alterTableAppendMovesRowsOnlyOutsideTransactions() async throws {
        try await EmulatorHarness.with { emulator in
            let target = TestServices.uniqueName("target"), source = TestServices.uniqueName("source")
            let result = try await emulator.psql(
                "CREATE TABLE \(target) (id int, name varchar(5)); CREATE TABLE \(source) (LIKE \(target)); INSERT INTO \(source) VALUES (1, 'a'), (2, 'b')",
                "BEGIN; ALTER TABLE \(target) APPEND FROM \(source)", "ROLLBACK",
                "ALTER TABLE \(target) APPEND FROM \(source)",
                "SELECT count(*) FROM \(target)", "SELECT count(*) FROM \(source)")
            #expect(result.stderr.contains("ALTER TABLE APPEND cannot run inside a transaction block"))
            #expect(result.lines == ["2", "0"], "\(result.stderr)")
        }
    }

    @Test func mergeRemoveDuplicatesAndOrdinaryMerge() async throws {
        try await EmulatorHarness.with { emulator in
            let target = TestServices.uniqueName("mt"), stage = TestServices.uniqueName("ms")
            let result = try await emulator.psql(
                "CREATE TABLE \(target) (id int, name varchar(5)); INSERT INTO \(target) VALUES (1, 'old'), (1, 'dup'), (2, 'keep')",
                "CREATE TEMP TABLE \(stage) (LIKE \(target)); INSERT INTO \(stage) VALUES (1, 'new'), (3, 'add')",
                "MERGE INTO \(target) USING \(stage) ON \(target).id = \(stage).id REMOVE DUPLICATES",
                "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM \(target)",
                "MERGE INTO \(target) USING \(stage) s ON \(target).id = s.id WHEN MATCHED THEN UPDATE SET name = s.name || '!' WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name)",
                "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM \(target)")
            #expect(result.lines == ["1:new,2:keep,3:add", "1:new!,2:keep,3:add!"], "\(result.stderr)")
        }
    }

    @Test func redshiftDDLIsStrippedAndKeysAreReported() async throws {
        try await EmulatorHarness.with { emulator in
            let compound = TestServices.uniqueName("compound"), interleaved = TestServices.uniqueName("inter"), copy = TestServices.uniqueName("likecopy")
            let result = try await emulator.psql(
                "CREATE TABLE \(compound) (id bigint IDENTITY(1,1) ENCODE az64, name varchar(max) ENCODE lzo, day date NOT NULL) DISTSTYLE KEY DISTKEY (id) COMPOUND SORTKEY (day, id)",
                "CREATE TABLE \(interleaved) (a int, b int, c int) DISTSTYLE EVEN INTERLEAVED SORTKEY (a, b)",
                "CREATE TEMP TABLE \(copy) (LIKE \(compound))",
                "SELECT \"column\", type, encoding, distkey, sortkey, notnull FROM pg_table_def WHERE tablename = '\(compound)'",
                "SELECT \"column\", sortkey FROM pg_table_def WHERE tablename = '\(interleaved)' AND sortkey <> 0",
                "SELECT \"column\", sortkey, notnull FROM pg_table_def WHERE tablename = '\(copy)' AND sortkey <> 0",
                "INSERT INTO \(compound) (name, day) VALUES ('x', '2024-01-01')",
                "SELECT \"table\", diststyle, sortkey1, sortkey_num, tbl_rows FROM svv_table_info WHERE \"table\" = '\(compound)'",
                "SELECT count(*) FROM svv_table_info WHERE \"table\" = '\(interleaved)'")
            #expect(result.lines == [
                "id|bigint|az64|t|2|t", "name|character varying(65535)|lzo|f|0|f", "day|date|none|f|1|t",
                "a|-1", "b|2",
                "id|2|t", "day|1|t",
                "\(compound)|KEY(id)|day|2|1",
                "0",
            ], "\(result.stderr)")
        }
    }
}
}
