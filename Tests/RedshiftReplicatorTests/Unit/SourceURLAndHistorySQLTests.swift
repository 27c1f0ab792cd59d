import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("Source URLs and the shared history SQL")
struct SourceURLAndHistorySQLTests {
    @Test func sqliteURLFormsNameTheFile() throws {
        #expect(try DatabaseURL(parsing: "sqlite:///var/app/db.sqlite3").database == "/var/app/db.sqlite3")
        #expect(try DatabaseURL(parsing: "sqlite:data/app.db").database == "data/app.db")
        let bare = try DatabaseURL(parsing: "/srv/app/production.sqlite")
        #expect(bare.scheme == "sqlite" && bare.database == "/srv/app/production.sqlite")
        #expect(bare.description == "sqlite:///srv/app/production.sqlite")
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "sqlite://host/app.db") }
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "/srv/app/notes.txt") }
    }

    @Test func mysqlURLKeepsThePasswordOutOfItsDescription() throws {
        let url = try DatabaseURL(parsing: "mariadb://app:p%40ss@127.0.0.1:3307/shop?ssl-mode=REQUIRED")
        #expect(!url.description.contains("p@ss") && !url.description.contains("p%40ss"))
        #expect(url.mysqlConnectionString == "mysql://app:p%40ss@127.0.0.1:3307/shop?ssl-mode=REQUIRED")
        let source = try MySQLSource(url: url)
        #expect(source.configuration.password == "p@ss" && source.configuration.database == "shop")
        #expect(!"\(source.configuration)".contains("p@ss"))
    }

    @Test func secretQueryParametersAreRedacted() throws {
        let url = try DatabaseURL(parsing: "postgres://app@db.internal/app?password=hunter2&sslpassword=keypass&sslmode=verify-full")
        #expect(url.parameters["password"] == "hunter2")
        #expect(!url.description.contains("hunter2") && !url.description.contains("keypass"))
        #expect(url.description == "postgres://app@db.internal/app?password=********&sslmode=verify-full&sslpassword=********")
    }

    @Test func historySQLQuotesNamesAndValuesPerDialect() {
        var record = ReplicationRecord(replicationType: .timed, key: "k'1", sourceTable: "users", targetTable: "users",
                                       slices: 2, exportFormat: .gzip)
        record.id = 7
        record.lastError = "it's \\ broken"
        let mysql = HistorySQL(MySQLHistoryDialect())
        let (update, values) = mysql.update(record).rendered(for: MySQLDialect())
        #expect(update.contains("`key` = ?"), "key is reserved in MySQL, its value bound: \(update)")
        #expect(!update.contains("k'1") && !update.contains("broken"), "no value in the statement text")
        #expect(values.contains("k'1") && values.contains(#"it's \ broken"#))
        #expect(update.hasSuffix("`updated_at` = CURRENT_TIMESTAMP(6) WHERE `id` = 7"))
        var postgres = HistorySQL(PostgresHistoryDialect())
        postgres.warehouse = "rs.example.com:5439/dev/public"
        let (select, selectValues) = postgres.highWaterMark(source: "app.users", target: "users").rendered(for: PostgresDialect())
        #expect(select.contains(#""source_table" = $1 AND "target_table" = $2 AND "warehouse" IN ($3, '')"#))
        #expect(selectValues == ["app.users", "users", "rs.example.com:5439/dev/public"], "each query is limited to its warehouse")
        var sqlite = HistorySQL(SQLiteHistoryDialect())
        sqlite.warehouse = "localhost:5439/dev/public"
        let (insert, insertValues) = sqlite.insert(record).rendered(for: SQLiteDialect())
        #expect(insert.contains(#"("replication_type", "key", "state""#) && insert.contains("VALUES (?1, ?2, ?3"))
        #expect(insert.contains(#""warehouse") VALUES"#) && insertValues.last == "localhost:5439/dev/public", "a new record carries its warehouse")
        #expect(insertValues.count == HistorySQL.writable.count + 1)
        #expect(sqlite.capThreshold(source: "users", target: "users", keep: 1).rendered(for: SQLiteDialect()).sql.hasSuffix("LIMIT 1 OFFSET 1"), "keeps at least two records")
    }

    @Test func historyUpgradeAddsOnlyMissingColumns() {
        let migration = HistoryMigration(MySQLHistoryDialect())
        let all = Set(HistoryMigration.columns.map(\.name))
        #expect(migration.upgrade(existing: all).isEmpty, "a current table is never altered")
        let old = all.subtracting(["deleted_count", "nulled_value_count"])
        #expect(migration.upgrade(existing: old) == [
            "ALTER TABLE `rrr_replications` ADD COLUMN `deleted_count` BIGINT",
            "ALTER TABLE `rrr_replications` ADD COLUMN `nulled_value_count` BIGINT",
        ])
        let create = HistoryMigration(PostgresHistoryDialect()).createTable
        #expect(create.count == 3 && create[0].contains(#""key" text NOT NULL DEFAULT ''"#))
        #expect(HistoryMigration(MySQLHistoryDialect()).createTable[0].contains("UNIQUE KEY `rrr_replications_key_idx` (`key`)"))
        #expect(HistorySQL.writable.allSatisfy(all.contains), "every written column is created")
    }

    @Test func identityLookbackIsIntegerArithmetic() throws {
        #expect(try Lookback.lowerID(previousUpper: "50", ids: 100, table: "t") == "-50")
        #expect(throws: SourceError.self) { try Lookback.lowerID(previousUpper: "abc", ids: 1, table: "t") }
    }
}
