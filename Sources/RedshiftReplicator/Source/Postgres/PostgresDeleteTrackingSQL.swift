/// PostgreSQL delete tracking: `rrr_deleted_keys (id bigserial, source_table, key_value text,
/// deleted_at)`, one shared plpgsql function, and per tracked table an `AFTER DELETE ... FOR EACH
/// ROW` trigger, an `AFTER UPDATE OF <key>` trigger recording the old key when the key changes (a
/// changed key deletes the old one), plus a `BEFORE TRUNCATE` statement trigger that raises.
///
/// The key is read as `to_jsonb(OLD) ->> column`, so one function serves every table and any key
/// type (bigint, text, uuid ...) is stored as text that casts back to the column's type.
struct PostgresDeleteTrackingSQL: DeleteTrackingSQL {
    /// Schema holding the deletions table and the functions; triggers fire under the deleting
    /// session's `search_path`, so every reference is qualified.
    public var schema: String
    let dialect = PostgresDialect()

    /// Name of the row trigger on each tracked table (trigger names are per table in PostgreSQL).
    public static let triggerName = "rrr_track_deletes"
    /// Name of the truncate guard trigger.
    public static let truncateTriggerName = "rrr_refuse_truncate"
    /// Name of the trigger recording the old key when an UPDATE changes the key.
    public static let keyChangeTriggerName = "rrr_track_key_changes"
    static let recordFunction = "rrr_record_deleted_key"
    static let refuseFunction = "rrr_refuse_truncate"

    /// Creates the generator for the deletions table in `schema` (default `public`).
    public init(schema: String = "public") { self.schema = schema }

    /// PostgreSQL refuses `TRUNCATE` of a tracked table (see ``installTrigger(_:)``).
    public var truncateHandling: TruncateHandling { .refused }

    /// The qualified, quoted deletions table.
    public var deletionsTable: String { q(schema) + "." + q(deletionsTableName) }
    var recordFunctionName: String { q(schema) + "." + q(Self.recordFunction) }
    var refuseFunctionName: String { q(schema) + "." + q(Self.refuseFunction) }

    /// The deletions table's index, schema-qualified (its presence means the table is installed).
    var deletionsIndex: String { q(schema) + "." + q(deletionsTableName + "_table_idx") }

    /// The statements of ``installDeletionsTable`` that create the table or its index.
    func createsDeletionsTable(_ statement: String) -> Bool {
        statement.hasPrefix("CREATE TABLE IF NOT EXISTS") || statement.hasPrefix("CREATE INDEX IF NOT EXISTS")
    }

    public var installDeletionsTable: [String] {
        [
            """
            CREATE TABLE IF NOT EXISTS \(deletionsTable) (id bigserial PRIMARY KEY, source_table text NOT NULL, \
            key_value text NOT NULL, deleted_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """,
            "CREATE INDEX IF NOT EXISTS \(q(deletionsTableName + "_table_idx")) ON \(deletionsTable) (source_table, id)",
            // TG_ARGV[0] = key column, TG_ARGV[1] = source table as configured.
            """
            CREATE OR REPLACE FUNCTION \(recordFunctionName)() RETURNS trigger LANGUAGE plpgsql AS $rrr$
            BEGIN
                INSERT INTO \(deletionsTable) (source_table, key_value) VALUES (TG_ARGV[1], to_jsonb(OLD) ->> TG_ARGV[0]);
                RETURN NULL;
            END
            $rrr$
            """,
            """
            CREATE OR REPLACE FUNCTION \(refuseFunctionName)() RETURNS trigger LANGUAGE plpgsql AS $rrr$
            BEGIN
                RAISE EXCEPTION 'rrr: TRUNCATE of % is not supported while rrr tracks its deletes', TG_ARGV[0]
                    USING HINT = 'use DELETE (tracked), or run `rrr triggers remove` first and reload the Redshift table yourself';
            END
            $rrr$
            """,
        ]
    }

    public func installTrigger(_ table: TrackedTable) -> [String] {
        let target = dialect.quoteQualified(table.sourceTable)
        let arguments = dialect.quoteLiteral(table.keyColumn) + ", " + dialect.quoteLiteral(table.sourceTable)
        return removeTrigger(table) + [
            """
            CREATE TRIGGER \(q(Self.triggerName)) AFTER DELETE ON \(target) \
            FOR EACH ROW EXECUTE FUNCTION \(recordFunctionName)(\(arguments))
            """,
            """
            CREATE TRIGGER \(q(Self.keyChangeTriggerName)) AFTER UPDATE OF \(q(table.keyColumn)) ON \(target) \
            FOR EACH ROW WHEN (OLD.\(q(table.keyColumn)) IS DISTINCT FROM NEW.\(q(table.keyColumn))) \
            EXECUTE FUNCTION \(recordFunctionName)(\(arguments))
            """,
            """
            CREATE TRIGGER \(q(Self.truncateTriggerName)) BEFORE TRUNCATE ON \(target) \
            FOR EACH STATEMENT EXECUTE FUNCTION \(refuseFunctionName)(\(dialect.quoteLiteral(table.sourceTable)))
            """,
        ]
    }

    public func removeTrigger(_ table: TrackedTable) -> [String] {
        let target = dialect.quoteQualified(table.sourceTable)
        return [
            "DROP TRIGGER IF EXISTS \(q(Self.triggerName)) ON \(target)",
            "DROP TRIGGER IF EXISTS \(q(Self.truncateTriggerName)) ON \(target)",
            "DROP TRIGGER IF EXISTS \(q(Self.keyChangeTriggerName)) ON \(target)",
        ]
    }

    /// `$1` = source table, `$2` = row limit. Rows: id, key, whether a row with that key exists
    /// again. One statement = one snapshot, so "exists" and the ids read agree.
    func pendingQuery(source: TrackedTable, keyType: String) -> String {
        """
        SELECT d.id, d.key_value, EXISTS (SELECT 1 FROM \(dialect.quoteQualified(source.sourceTable)) s \
        WHERE s.\(q(source.keyColumn)) = CAST(d.key_value AS \(keyType))) \
        FROM \(deletionsTable) d WHERE d.source_table = $1 ORDER BY d.id LIMIT $2
        """
    }

    /// `$1` = ids as a PostgreSQL array literal (`{1,2}`).
    var forgetQuery: String { "DELETE FROM \(deletionsTable) WHERE id = ANY(CAST($1 AS bigint[]))" }

    /// `$1` = quoted table (`to_regclass` form), `$2` = column: the column's type as PostgreSQL
    /// prints it (already quoted where needed), so the recorded text casts back to it.
    static let keyTypeQuery = """
        SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
        WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped
        """

    /// `$1` = quoted table: the triggers rrr installed on it.
    static let installedTriggersQuery = """
        SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass($1) AND NOT tgisinternal \
        AND tgname IN ('rrr_track_deletes', 'rrr_refuse_truncate', 'rrr_track_key_changes') ORDER BY tgname
        """

    private func q(_ name: String) -> String { dialect.quoteIdentifier(name) }
}
