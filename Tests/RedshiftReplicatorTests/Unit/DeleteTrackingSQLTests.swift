import Testing
@testable import RedshiftReplicator

@Suite("Delete tracking SQL")
struct DeleteTrackingSQLTests {
    let sql = PostgresDeleteTrackingSQL(schema: "app data")
    let table = TrackedTable(name: "users", sourceTable: "crm.User\"s", keyColumn: "Uu\"id")

    @Test func triggerIsAfterDeleteForEachRowWithQuotedNamesAndLiteralArguments() {
        let statements = sql.installTrigger(table)
        let create = statements.first { $0.contains("AFTER DELETE") }
        #expect(create?.contains(#"AFTER DELETE ON "crm"."User""s" FOR EACH ROW EXECUTE FUNCTION "app data"."rrr_record_deleted_key"('Uu"id', 'crm.User"s')"#) == true, "\(create ?? "")")
        #expect(statements.first?.hasPrefix("DROP TRIGGER IF EXISTS \"rrr_track_deletes\"") == true, "re-install replaces")
        let truncate = statements.first { $0.contains("TRUNCATE") }
        #expect(truncate?.contains(#"BEFORE TRUNCATE ON "crm"."User""s" FOR EACH STATEMENT"#) == true)
    }

    @Test func deletionsTableAndFunctionAreQualifiedAndIdempotent() {
        let all = sql.installDeletionsTable.joined(separator: "\n")
        #expect(all.contains(#"CREATE TABLE IF NOT EXISTS "app data"."rrr_deleted_keys" (id bigserial PRIMARY KEY"#))
        #expect(all.contains(#"INSERT INTO "app data"."rrr_deleted_keys" (source_table, key_value) VALUES (TG_ARGV[1], to_jsonb(OLD) ->> TG_ARGV[0])"#))
        #expect(all.contains("CREATE OR REPLACE FUNCTION"))
        #expect(all.contains("RAISE EXCEPTION 'rrr: TRUNCATE of % is not supported"))
    }

    @Test func removalDropsBothTriggers() {
        #expect(sql.removeTrigger(table) == [
            #"DROP TRIGGER IF EXISTS "rrr_track_deletes" ON "crm"."User""s""#,
            #"DROP TRIGGER IF EXISTS "rrr_refuse_truncate" ON "crm"."User""s""#,
        ])
    }

    @Test func pendingQueryCastsTheRecordedKeyBackToTheKeyType() {
        let query = sql.pendingQuery(source: table, keyType: "uuid")
        #expect(query.contains(#"WHERE s."Uu""id" = CAST(d.key_value AS uuid)"#))
        #expect(query.contains("WHERE d.source_table = $1 ORDER BY d.id LIMIT $2"))
    }

    @Test func redshiftDeletesAreBatchedWithQuotedLiterals() {
        let keys = (1...2_500).map(String.init) + ["o'neil"]
        let statements = RedshiftDeleteSQL().deletes(from: #""public"."t""#, keyColumn: "id", keys: keys)
        #expect(statements.count == 3)
        #expect(statements[0].hasPrefix(#"DELETE FROM "public"."t" WHERE "id" IN ('1', '2', "#))
        #expect(statements[0].components(separatedBy: ", ").count == 1_000)
        #expect(statements[2].hasSuffix("'2500', 'o''neil')"))
        #expect(RedshiftDeleteSQL().deletes(from: "t", keyColumn: "id", keys: []).isEmpty)
    }

    @Test func perTableFalseWinsOverGlobalTrue() throws {
        let config = try ReplicatorConfiguration.parse(yaml: """
            source: {url: "postgres://u@127.0.0.1/db"}
            redshift: {host: h, database: d, user: u}
            s3: {bucket: b}
            settings: {enable_delete_tracking: true, vacuum_after_load: delete-only}
            tables:
              users: {strategy: timed}
              logs: {strategy: identity, enable_delete_tracking: false, analyze_after_load: true}
            """, environment: [:])
        let users = try config.tables(named: ["users"])[0], logs = try config.tables(named: ["logs"])[0]
        #expect(config.settings(for: users).enableDeleteTracking)
        #expect(!config.settings(for: logs).enableDeleteTracking)
        #expect(config.settings(for: logs).analyzeAfterLoad && !config.settings(for: users).analyzeAfterLoad)
        #expect(config.settings(for: users).vacuumAfterLoad == .deleteOnly)
    }
}
