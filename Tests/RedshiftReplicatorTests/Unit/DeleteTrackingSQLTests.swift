import MySQLClient
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
        let keyChange = statements.first { $0.contains("AFTER UPDATE") }
        #expect(keyChange == #"CREATE TRIGGER "rrr_track_key_changes" AFTER UPDATE OF "Uu""id" ON "crm"."User""s" FOR EACH ROW "#
                + #"WHEN (OLD."Uu""id" IS DISTINCT FROM NEW."Uu""id") EXECUTE FUNCTION "app data"."rrr_record_deleted_key"('Uu"id', 'crm.User"s')"#,
                "\(keyChange ?? "")")
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
            #"DROP TRIGGER IF EXISTS "rrr_track_key_changes" ON "crm"."User""s""#,
        ])
    }

    @Test func pendingQueryCastsTheRecordedKeyBackToTheKeyType() {
        let query = sql.pendingQuery(source: table, keyType: "uuid")
        #expect(query.contains(#"WHERE s."Uu""id" = CAST(d.key_value AS uuid)"#))
        #expect(query.contains("WHERE d.source_table = $1 ORDER BY d.id LIMIT $2"))
    }

    @Test func redshiftDeletesAreBatchedWithBoundKeys() {
        let keys = (1...2_500).map(String.init) + [#"x\') OR 1=1 --"#]
        let sql = RedshiftDeleteSQL(keyColumn: "id", exact: false)
        let statements = sql.deletes(from: #""public"."t""#, keys: keys)
        #expect(statements.count == 3)
        #expect(statements[0].sql.hasPrefix(#"DELETE FROM "public"."t" WHERE "id" IN ($1, $2, "#))
        #expect(statements[0].values.count == 1_000 && statements[0].sql.hasSuffix("$1000)"))
        #expect(statements[2].sql.hasSuffix("$500, $501)") && statements[2].values.count == 501)
        #expect(statements[2].values.suffix(2) == ["2500", #"x\') OR 1=1 --"#], "keys travel as values, never in the SQL text")
        #expect(!statements.contains { $0.sql.contains("OR 1=1") })
        #expect(sql.deletes(from: "t", keys: []).isEmpty)
    }

    @Test func varcharKeysAreDeletedExactlyDespiteTrailingBlanks() throws {
        // Redshift ignores trailing blanks comparing VARCHARs: 'a' = 'a ' (r_Character_types).
        let target = WarehouseTable(schema: "public", name: "t", columns: [
            WarehouseColumn(name: "code", dataType: "character varying"), WarehouseColumn(name: "n", dataType: "bigint"),
        ])
        let exact = try RedshiftDeleteSQL(key: "Code", in: target, table: "t")
        #expect(exact.keyColumn == "code" && exact.exact, "the key is found as Redshift stores it")
        let statement = try #require(exact.deletes(from: "t", keys: ["a", "a "]).first)
        #expect(statement.sql == #"DELETE FROM t WHERE "code" IN ($1, $2) AND ("code" || '|') IN ($3, $4)"#)
        #expect(statement.values == ["a", "a ", "a|", "a |"])
        #expect(try RedshiftDeleteSQL(key: "n", in: target, table: "t").exact == false)
        #expect(throws: WarehouseError.self) { try RedshiftDeleteSQL(key: "missing", in: target, table: "t") }
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
        let users = try config.tables(["users"])[0], logs = try config.tables(["logs"])[0]
        #expect(config.settings(for: users).enableDeleteTracking)
        #expect(!config.settings(for: logs).enableDeleteTracking)
        #expect(config.settings(for: logs).analyzeAfterLoad && !config.settings(for: users).analyzeAfterLoad)
        #expect(config.settings(for: users).vacuumAfterLoad == .deleteOnly)
    }
}

@Suite("Delete tracking SQL for MySQL and SQLite")
struct SnapshotDeleteTrackingSQLTests {
    let mysql = MySQLDeleteTrackingSQL(), sqlite = SQLiteDeleteTrackingSQL()
    let table = TrackedTable(name: "users", sourceTable: "it's`t\"", keyColumn: "k`e\"y")

    @Test func mysqlTriggerInsertsOldKeyWithQuotedNamesAndIsReplacedOnInstall() {
        #expect(mysql.installTrigger(table) == [
            "DROP TRIGGER IF EXISTS `rrr_track_deletes_it's``t\"`",
            "DROP TRIGGER IF EXISTS `rrr_track_key_changes_it's``t\"`",
            "CREATE TRIGGER `rrr_track_deletes_it's``t\"` AFTER DELETE ON `it's``t\"` FOR EACH ROW "
                + "INSERT INTO `rrr_deleted_keys` (source_table, key_value) VALUES ('it''s`t\"', OLD.`k``e\"y`)",
            "CREATE TRIGGER `rrr_track_key_changes_it's``t\"` AFTER UPDATE ON `it's``t\"` FOR EACH ROW "
                + "INSERT INTO `rrr_deleted_keys` (source_table, key_value) SELECT 'it''s`t\"', OLD.`k``e\"y` FROM DUAL WHERE NOT (OLD.`k``e\"y` <=> NEW.`k``e\"y`)",
        ])
        #expect(mysql.removeTrigger(table) == ["DROP TRIGGER IF EXISTS `rrr_track_deletes_it's``t\"`", "DROP TRIGGER IF EXISTS `rrr_track_key_changes_it's``t\"`"])
        let ddl = mysql.installDeletionsTable.joined()
        #expect(ddl.hasPrefix("CREATE TABLE IF NOT EXISTS `rrr_deleted_keys` (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY"))
        #expect(ddl.contains("key_value text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL") && ddl.hasSuffix("ENGINE=InnoDB"))
        #expect(mysql.truncateHandling == .unrecorded && mysql.notes.count == 2 && mysql.notes[1].contains("ON DELETE CASCADE"))
    }

    @Test func mysqlTriggerNamesStayWithin64CharactersAndDistinct() {
        let long = String(repeating: "é", count: 60)
        let first = mysql.triggerName(TrackedTable(name: "a", sourceTable: long + "1", keyColumn: "id"))
        let second = mysql.triggerName(TrackedTable(name: "b", sourceTable: long + "2", keyColumn: "id"))
        #expect(first.unicodeScalars.count == 64 && second.unicodeScalars.count == 64 && first != second)
        #expect(first == mysql.triggerName(TrackedTable(name: "c", sourceTable: long + "1", keyColumn: "x")), "deterministic")
        #expect(mysql.triggerName(TrackedTable(name: "u", sourceTable: "users", keyColumn: "id")) == "rrr_track_deletes_users")
    }

    @Test func mysqlComparesRecordedKeysByTheColumnsTypeAndExactly() throws {
        let key = TrackedTable(name: "t", sourceTable: "t", keyColumn: "id")
        #expect(try mysql.keyMatch(key, column: ["bigint", "bigint(20) unsigned", nil, nil, "20", "0"]) == "s.`id` = CAST(d.key_value AS UNSIGNED)")
        #expect(try mysql.keyMatch(key, column: ["int", "int(11)", nil, nil, "10", "0"]) == "s.`id` = CAST(d.key_value AS SIGNED)")
        #expect(try mysql.keyMatch(key, column: ["decimal", "decimal(12,2)", nil, nil, "12", "2"]) == "s.`id` = CAST(d.key_value AS DECIMAL(12, 2))")
        #expect(try mysql.keyMatch(key, column: ["varchar", "varchar(16)", "utf8mb4", "utf8mb4_general_ci", nil, nil])
                == "s.`id` = CONVERT(d.key_value USING utf8mb4) COLLATE utf8mb4_general_ci AND CAST(s.`id` AS BINARY) = CAST(CONVERT(d.key_value USING utf8mb4) AS BINARY)")
        #expect(try mysql.keyMatch(key, column: ["datetime", "datetime", nil, nil, nil, nil]) == "s.`id` = d.key_value")
        #expect(throws: DeleteTrackingError.self) { try mysql.keyMatch(key, column: ["varbinary", "varbinary(16)", nil, nil, nil, nil]) }
        #expect(throws: DeleteTrackingError.self) { try mysql.keyMatch(key, column: ["char", "char(1)", "utf8mb4", "x) OR (1", nil, nil]) }
    }

    @Test func pendingAndForgetQueriesQuoteTheTableAndBatchTheIDs() {
        let (query, values) = mysql.pendingQuery(table, keyMatch: "s.`k` = d.key_value", limit: 11).rendered(for: MySQLDialect())
        #expect(query == "SELECT d.id, d.key_value, EXISTS (SELECT 1 FROM `it's``t\"` s WHERE s.`k` = d.key_value) "
                + "FROM `rrr_deleted_keys` d WHERE d.source_table = ? ORDER BY d.id LIMIT 11")
        #expect(values == [#"it's`t""#], "the table name is bound, not pasted")
        let forget = sqlite.forgetStatements(ids: Array(1...2_500)).map { $0.rendered(for: SQLiteDialect()).sql }
        #expect(forget.count == 3 && forget[0].hasPrefix(#"DELETE FROM "rrr_deleted_keys" WHERE id IN (1, 2, "#))
        #expect(forget[0].components(separatedBy: ", ").count == 1_000 && forget[2].hasSuffix("2500)"))
        #expect(mysql.forgetStatements(ids: []).isEmpty)
    }

    @Test func sqliteTriggerIsOneStatementWithABodyAndQuotedNames() throws {
        #expect(sqlite.installTrigger(table) == [
            #"DROP TRIGGER IF EXISTS "rrr_track_deletes_it's`t""""#,
            #"DROP TRIGGER IF EXISTS "rrr_track_key_changes_it's`t""""#,
            #"CREATE TRIGGER "rrr_track_deletes_it's`t""" AFTER DELETE ON "it's`t""" FOR EACH ROW BEGIN "#
                + #"INSERT INTO "rrr_deleted_keys" (source_table, key_value) VALUES ('it''s`t"', OLD."k`e""y"); END"#,
            #"CREATE TRIGGER "rrr_track_key_changes_it's`t""" AFTER UPDATE OF "k`e""y" ON "it's`t""" FOR EACH ROW "#
                + #"WHEN OLD."k`e""y" IS NOT NEW."k`e""y" BEGIN "#
                + #"INSERT INTO "rrr_deleted_keys" (source_table, key_value) VALUES ('it''s`t"', OLD."k`e""y"); END"#,
        ])
        #expect(sqlite.installDeletionsTable.first?.contains("id INTEGER PRIMARY KEY AUTOINCREMENT") == true)
        #expect(sqlite.installDeletionsTable.last == #"CREATE INDEX IF NOT EXISTS "rrr_deleted_keys_table_idx" ON "rrr_deleted_keys" (source_table, id)"#)
        #expect(try sqlite.keyMatch(table, column: []) == #"s."k`e""y" = d.key_value AND s."k`e""y" = d.key_value COLLATE BINARY"#)
        #expect(sqlite.truncateHandling == .notApplicable && sqlite.notes == [TruncateHandling.notApplicable.note])
    }

    @Test func mysqlPrivilegeRefusalsNameTheTableAndThePrivilege() {
        let denied = MySQLError(.queryFailed, "TRIGGER command denied to user 'u'@'h' for table `db`.`t`", errorNumber: 1142)
        let explained = MySQLSource.explainTriggerFailure(denied, table: table, database: "db")
        #expect((explained as? DeleteTrackingError)?.code == .missingPrivilege)
        #expect("\(explained)".contains("table users") && "\(explained)".contains("GRANT TRIGGER ON `db`.`it's``t\"`"))
        let binlog = MySQLSource.explainTriggerFailure(MySQLError(.queryFailed, "You do not have the SUPER privilege", errorNumber: 1419), table: table, database: "db")
        #expect("\(binlog)".contains("log_bin_trust_function_creators"))
        let other = MySQLSource.explainTriggerFailure(MySQLError(.queryFailed, "gone", errorNumber: 2013), table: table, database: "db")
        #expect((other as? MySQLError)?.errorNumber == 2013, "other failures pass unchanged")
    }

    @Test func pendingRowsSplitIntoDeletedAndRecreatedKeys() {
        let rows: [[String?]] = [["1", "a", "0"], ["2", "b", "1"], ["3", "c", "t"], ["4", "d", "f"], ["5", "e", "0"]]
        let pending = PendingDeletes(rows: rows, limit: 4)
        #expect(pending.ids == [1, 2, 3, 4] && pending.keys == ["a", "d"] && pending.recreatedKeys == ["b", "c"])
        #expect(pending.truncated && pending.maxID == 4)
        #expect(!PendingDeletes(rows: Array(rows.prefix(2)), limit: 4).truncated)
    }

    @Test func triggerScriptPrintsNotesAsCommentsThenStatements() {
        let script = TriggerScript(notes: ["first", "second"], statements: ["CREATE A", "CREATE B"])
        #expect(script.text == "-- first\n-- second\n\nCREATE A;\n\nCREATE B;\n\n")
    }
}
