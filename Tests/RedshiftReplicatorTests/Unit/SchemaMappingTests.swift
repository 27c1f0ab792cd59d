import Testing
@testable import RedshiftReplicator

/// `rrr schema`'s type mapping per source (pure) and the DDL it generates.
@Suite("Schema: type mapping per source and the generated DDL")
struct SchemaMappingTests {
    func column(_ type: String, nullable: Bool = true, enumBytes: Int? = nil) -> SourceColumnDefinition {
        SourceColumnDefinition(name: "c", declaredType: type, isNullable: nullable, enumLabelBytes: enumBytes)
    }

    @Test(arguments: [
        ("smallint", "SMALLINT"), ("integer", "INTEGER"), ("bigint", "BIGINT"), ("real", "REAL"),
        ("double precision", "DOUBLE PRECISION"), ("numeric(12,2)", "DECIMAL(12,2)"), ("numeric(38,10)", "DECIMAL(38,10)"),
        ("numeric", "DECIMAL(38,9)"), ("numeric(7)", "DECIMAL(7,0)"), ("boolean", "BOOLEAN"),
        ("character varying(20)", "VARCHAR(80)"), ("character varying", "VARCHAR(65535)"), ("character varying(20000)", "VARCHAR(65535)"),
        ("character(3)", "VARCHAR(12)"), ("text", "VARCHAR(65535)"), ("uuid", "VARCHAR(36)"), ("json", "SUPER"), ("jsonb", "SUPER"),
        ("bytea", "VARBYTE(1024000)"), ("date", "DATE"), ("timestamp without time zone", "TIMESTAMP"),
        ("timestamp(3) without time zone", "TIMESTAMP"), ("timestamp with time zone", "TIMESTAMPTZ"),
        ("time without time zone", "TIME"), ("time(6) with time zone", "TIMETZ"), ("integer[]", "VARCHAR(65535)"),
        ("character varying(5)[]", "VARCHAR(65535)"), ("inet", "VARCHAR(43)"), ("bit(3)", "VARCHAR(3)"), ("interval", "VARCHAR(128)"),
    ])
    func postgresTypes(declared: String, redshift: String) {
        #expect(PostgresTypeMapping.redshiftType(column(declared)).map { "\($0)" } == redshift)
    }

    @Test func postgresEnumsAreVarcharsOfTheLongestLabelInBytesAndUnknownTypesHaveNoMapping() {
        #expect(PostgresTypeMapping.redshiftType(column("mood", enumBytes: 9)) == .varchar(bytes: 9))
        #expect(PostgresTypeMapping.redshiftType(column("money")) == nil)
        #expect(PostgresTypeMapping.redshiftType(column("point")) == nil)
        #expect(PostgresTypeMapping.redshiftType(column("numeric(50,2)")) == nil, "more digits than DECIMAL's 38")
    }

    @Test(arguments: [
        ("tinyint(1)", "BOOLEAN"), ("tinyint(4)", "SMALLINT"), ("tinyint(3) unsigned", "SMALLINT"), ("smallint(5) unsigned", "INTEGER"),
        ("mediumint(9)", "INTEGER"), ("int(11)", "INTEGER"), ("int(10) unsigned", "BIGINT"), ("bigint(20)", "BIGINT"),
        ("bigint(20) unsigned", "DECIMAL(20,0)"), ("decimal(38,10)", "DECIMAL(38,10)"), ("decimal(10,0)", "DECIMAL(10,0)"),
        ("float", "REAL"), ("double", "DOUBLE PRECISION"), ("bit(1)", "BOOLEAN"), ("bit(12)", "BIGINT"), ("bit(64)", "DECIMAL(20,0)"),
        ("char(2)", "VARCHAR(8)"), ("varchar(255)", "VARCHAR(1020)"), ("varchar(20000)", "VARCHAR(65535)"), ("tinytext", "VARCHAR(1020)"),
        ("text", "VARCHAR(65535)"), ("longtext", "VARCHAR(65535)"), ("json", "SUPER"), ("binary(16)", "VARBYTE(16)"),
        ("varbinary(300)", "VARBYTE(300)"), ("blob", "VARBYTE(65535)"), ("longblob", "VARBYTE(1024000)"), ("date", "DATE"),
        ("datetime", "TIMESTAMP"), ("datetime(6)", "TIMESTAMP"), ("timestamp", "TIMESTAMPTZ"), ("time", "VARCHAR(17)"), ("year(4)", "SMALLINT"),
        ("enum('s','medium','ü-größe')", "VARCHAR(10)"), ("set('a','bc')", "VARCHAR(4)"),
    ])
    func mysqlTypes(declared: String, redshift: String) {
        #expect(MySQLTypeMapping.redshiftType(column(declared)).map { "\($0)" } == redshift)
    }

    @Test func mysqlEnumLabelsKeepDoubledQuotesAndCommas() {
        #expect(MySQLTypeMapping.labels("enum('it''s','a,b','')") == ["it's", "a,b", ""])
        #expect(MySQLTypeMapping.redshiftType(column("decimal(65,2)")) == nil)
        #expect(MySQLTypeMapping.redshiftType(column("geometry")) == nil)
    }

    @Test(arguments: [
        ("INTEGER", "BIGINT"), ("BIGINT", "BIGINT"), ("tinyint", "BIGINT"), ("VARCHAR(10)", "VARCHAR(65535)"), ("TEXT", "VARCHAR(65535)"),
        ("CLOB", "VARCHAR(65535)"), ("BLOB", "VARBYTE(1024000)"), ("", "VARCHAR(65535)"), ("REAL", "DOUBLE PRECISION"),
        ("FLOAT", "DOUBLE PRECISION"), ("DOUBLE PRECISION", "DOUBLE PRECISION"), ("BOOLEAN", "BOOLEAN"), ("DATETIME", "TIMESTAMP"),
        ("TIMESTAMP", "TIMESTAMP"), ("DATE", "DATE"), ("TIME", "TIME"), ("DECIMAL(12,2)", "DECIMAL(12,2)"), ("NUMERIC", "DECIMAL(38,9)"),
        ("JSON", "SUPER"), ("UUID", "VARCHAR(36)"),
    ])
    func sqliteTypesFollowTheAffinityRules(declared: String, redshift: String) {
        #expect(SQLiteTypeMapping.redshiftType(column(declared)).map { "\($0)" } == redshift)
    }

    @Test func sqliteNamesWithoutAMappingAreRefused() {
        #expect(SQLiteTypeMapping.redshiftType(column("MONEY")) == nil)
        #expect(SQLiteTypeMapping.redshiftType(column("POINT")) == .bigint, "contains INT: INTEGER affinity, as SQLite reads it")
    }

    func definition(_ table: TableConfiguration, keys: [String], primary: [String]? = nil, columns: [SourceColumnDefinition]) throws -> RedshiftTableDefinition {
        try RedshiftTableDefinition.make(table: table, schema: "Analytics", columns: columns, primaryKey: primary ?? keys, keyColumns: keys,
                                         map: PostgresTypeMapping.redshiftType)
    }

    @Test func createTableFoldsQuotesKeepsTheKeyAndPlacesSortAndDistKeys() throws {
        let table = TableConfiguration(name: "Users", strategy: .timed, targetTable: "App\"Users")
        let sql = try definition(table, keys: ["ID"], columns: [
            SourceColumnDefinition(name: "ID", declaredType: "bigint", isNullable: false),
            SourceColumnDefinition(name: "Name", declaredType: "character varying(10)", isNullable: true),
            SourceColumnDefinition(name: "updated_at", declaredType: "timestamp with time zone", isNullable: false),
        ]).createStatement
        #expect(sql == """
            CREATE TABLE "analytics"."app""users" (
                "id" BIGINT NOT NULL,
                "name" VARCHAR(40),
                "updated_at" TIMESTAMPTZ NOT NULL,
                PRIMARY KEY ("id")
            )
            DISTKEY ("id")
            SORTKEY ("updated_at")
            """)
    }

    @Test func compositeKeysDistributeAutomaticallyAndFullTablesHaveNoSortKey() throws {
        let columns = [SourceColumnDefinition(name: "tag_id", declaredType: "integer", isNullable: true),
                       SourceColumnDefinition(name: "user_id", declaredType: "integer", isNullable: true),
                       SourceColumnDefinition(name: "doc", declaredType: "jsonb", isNullable: true)]
        let full = try definition(TableConfiguration(name: "tags_users", strategy: .full), keys: ["tag_id", "user_id"], primary: [], columns: columns)
        #expect(full.createStatement.hasSuffix(")\nDISTSTYLE AUTO"), "\(full.createStatement)")
        #expect(full.columns.map(\.notNull) == [true, true, false], "key columns never load NULL")
        // A SUPER column can be neither key: no sort key on it, no DISTKEY.
        let bySuper = try definition(TableConfiguration(name: "t", strategy: .timed, replicationField: "doc"), keys: ["doc"], columns: columns)
        #expect(bySuper.sortKey == nil && bySuper.distributionKey == nil)
    }

    @Test func errorsNameTheTableAndTheColumn() throws {
        let table = TableConfiguration(name: "payments", strategy: .identity)
        let error = #expect(throws: SchemaError.self) {
            try definition(table, keys: ["id"], columns: [SourceColumnDefinition(name: "id", declaredType: "bigint", isNullable: false),
                                                         SourceColumnDefinition(name: "amount", declaredType: "money", isNullable: true)])
        }
        #expect(error?.description.contains("table payments: column `amount` has the source type `money`") == true, "\(String(describing: error))")
        let clash = #expect(throws: SchemaError.self) {
            try definition(table, keys: ["id"], columns: [SourceColumnDefinition(name: "id", declaredType: "bigint", isNullable: false),
                                                         SourceColumnDefinition(name: "Id", declaredType: "bigint", isNullable: false)])
        }
        #expect(clash?.description.contains("`id` and `Id` are both `id`") == true)
        let noField = #expect(throws: SchemaError.self) {
            try definition(TableConfiguration(name: "t", strategy: .timed), keys: ["id"], columns: [SourceColumnDefinition(name: "id", declaredType: "bigint", isNullable: false)])
        }
        #expect(noField?.description.contains("the replication field `updated_at` is not a column") == true)
    }

    @Test func addedColumnsAreNullableOnePerStatement() throws {
        let table = TableConfiguration(name: "t", strategy: .identity)
        let definition = try definition(table, keys: ["id"], columns: [
            SourceColumnDefinition(name: "id", declaredType: "bigint", isNullable: false),
            SourceColumnDefinition(name: "Note", declaredType: "text", isNullable: false)])
        #expect(definition.addColumnStatement(definition.columns[1], toSchema: "public", table: "t") == #"ALTER TABLE "public"."t" ADD COLUMN "note" VARCHAR(65535)"#)
    }
}
