import AsyncSupport
import Logging

/// The emulator's own tables, views and functions in the backing database (schema `rrr_emulator`):
/// Redshift's system tables (`stl_load_errors`, `sys_load_error_detail`, `pg_table_def`,
/// `svv_table_info`, `stv_slices` with the configured slice count), `pg_last_copy_id()` / `pg_last_copy_count()`, the sort/dist keys and
/// encodings PostgreSQL has no place for, and the maintenance log tests read.
final class EmulatorCatalog: Sendable {
    static let schema = "rrr_emulator"
    private let installed = Locked(false)

    /// Creates or refreshes the catalog once per process (idempotent, serialized by an advisory lock
    /// so several emulators may share a database).
    func ensureInstalled(on backend: BackendConnection) async throws {
        if installed.withLock({ $0 }) { return }
        // Re-creating views takes strong locks that sessions using them would block: install only
        // when the database lacks this catalog version (checked again under the lock).
        let check = "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'rrr_emulator' AND c.relname = 'catalog_version_\(Self.version)'"
        if try await backend.rows(check).isEmpty {
            try await backend.query("BEGIN; SELECT pg_advisory_xact_lock(727272);")
            do {
                if try await backend.rows(check).isEmpty {
                    try await backend.query(Self.installSQL + Self.redshiftRulesSQL + " CREATE TABLE rrr_emulator.catalog_version_\(Self.version) ();")
                }
                try await backend.query("COMMIT")
            } catch {
                _ = try? await backend.query("ROLLBACK")
                throw error
            }
        }
        do {
            try await backend.query("BEGIN; SELECT pg_advisory_xact_lock(727272); \(Self.sweepSQL) COMMIT;")
        } catch {
            _ = try? await backend.query("ROLLBACK")
            throw error
        }
        installed.withLock { $0 = true }
    }

    /// Bumped whenever `installSQL` changes, so existing databases get the new definitions.
    static let version = 5

    /// Run at the start of every backend session: the catalog goes last on the search path (so
    /// `pg_table_def` and friends resolve unqualified) and stale per-session state is dropped.
    static func sessionSetupSQL(_ configuration: RedshiftEmulatorConfiguration) -> String {
        appendCatalogToSearchPath(configuration)
            + "; SELECT set_config('rrr_emulator.slice_count', '\(configuration.sliceCount)', false)"
            + "; DELETE FROM rrr_emulator.session_copies WHERE backend_pid = pg_backend_pid();"
    }

    /// `SET`s the search path to the session's with the catalog appended (and, when configured,
    /// Redshift's VARCHAR comparison), then `pg_catalog` named explicitly after it, so that
    /// Redshift's own functions (`version()`) shadow PostgreSQL's.
    static func appendCatalogToSearchPath(_ configuration: RedshiftEmulatorConfiguration) -> String {
        "SELECT set_config('search_path', \(searchPathSuffixSQL(configuration)), false)"
    }

    /// The session's search path with the emulator's schemas and `pg_catalog` appended (an SQL expression).
    static func searchPathSuffixSQL(_ configuration: RedshiftEmulatorConfiguration) -> String {
        let comparison = configuration.varcharIgnoresTrailingBlanks ? ", \(varcharComparisonSchema)" : ""
        return "current_setting('search_path') || ', rrr_emulator\(comparison), pg_catalog'"
    }

    /// Forgets the attributes of relations that no longer exist (a temp table dropped with its
    /// session, a table dropped behind the emulator's back): OIDs are reused, and a new table
    /// must not inherit an old table's keys. Run once per process, under the install lock;
    /// CREATE TABLE also clears its new OID (concurrent sweeps from every session could deadlock).
    static let sweepSQL = """
        DELETE FROM rrr_emulator.column_attributes c WHERE NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = c.relid);
        DELETE FROM rrr_emulator.table_attributes t WHERE NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.relid);
        """

    /// Read, like everything the emulator sends, by a session with Redshift's literal rules
    /// (`standard_conforming_strings` off): a backslash in a literal must be doubled.
    static let installSQL = """
        CREATE SCHEMA IF NOT EXISTS rrr_emulator;
        CREATE SEQUENCE IF NOT EXISTS rrr_emulator.query_id_seq;
        DROP TABLE IF EXISTS rrr_emulator.session_copy CASCADE;
        CREATE TABLE IF NOT EXISTS rrr_emulator.session_copies (
            backend_pid integer NOT NULL, copy_id integer NOT NULL, copy_count bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS rrr_emulator.stl_load_errors (
            userid integer NOT NULL DEFAULT 100, slice integer NOT NULL DEFAULT 0, tbl integer,
            starttime timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'), session integer,
            query integer NOT NULL, filename character(256), line_number bigint, colname character(127),
            type character(10), col_length character(10), position integer,
            raw_line character(1024), raw_field_value character(1024), err_code integer,
            err_reason character(100), is_partial integer NOT NULL DEFAULT 0, start_offset bigint NOT NULL DEFAULT 0,
            table_name text);
        DROP VIEW IF EXISTS rrr_emulator.sys_load_error_detail;
        CREATE VIEW rrr_emulator.sys_load_error_detail AS
            SELECT userid AS user_id, query::bigint AS query_id, session::bigint AS transaction_id, session AS session_id,
                   current_database()::character(64) AS database_name, tbl AS table_id, starttime AS start_time,
                   filename AS file_name, line_number, colname AS column_name, type AS column_type,
                   col_length AS column_length, position, err_code AS error_code, err_reason::character(512) AS error_message
            FROM rrr_emulator.stl_load_errors;
        CREATE TABLE IF NOT EXISTS rrr_emulator.table_attributes (
            relid oid PRIMARY KEY, diststyle text NOT NULL DEFAULT 'AUTO(EVEN)',
            sortkey_style text NOT NULL DEFAULT 'none', sorted_rows bigint NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS rrr_emulator.column_attributes (
            relid oid NOT NULL, attnum smallint NOT NULL, encoding text NOT NULL DEFAULT 'none',
            distkey boolean NOT NULL DEFAULT false, sortkey integer NOT NULL DEFAULT 0,
            PRIMARY KEY (relid, attnum));
        CREATE TABLE IF NOT EXISTS rrr_emulator.maintenance_log (
            id bigserial PRIMARY KEY, ran_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            command text NOT NULL, variant text NOT NULL, table_name text, to_percent integer,
            boost boolean NOT NULL DEFAULT false, backend_sql text NOT NULL);
        CREATE OR REPLACE FUNCTION rrr_emulator.pg_last_copy_id() RETURNS integer LANGUAGE sql STABLE AS
            $$ SELECT COALESCE((SELECT copy_id FROM rrr_emulator.session_copies WHERE backend_pid = pg_backend_pid()
                                ORDER BY copy_id DESC LIMIT 1), -1) $$;
        CREATE OR REPLACE FUNCTION rrr_emulator.pg_last_copy_count() RETURNS bigint LANGUAGE sql STABLE AS
            $$ SELECT COALESCE((SELECT copy_count FROM rrr_emulator.session_copies WHERE backend_pid = pg_backend_pid()
                                ORDER BY copy_id DESC LIMIT 1), 0) $$;
        CREATE OR REPLACE FUNCTION rrr_emulator.exact_row_count(relation regclass) RETURNS bigint LANGUAGE plpgsql STABLE AS
            $$ DECLARE result bigint; BEGIN EXECUTE format('SELECT count(*) FROM %s', relation) INTO result; RETURN result; END $$;
        CREATE OR REPLACE VIEW rrr_emulator.pg_table_def AS
            SELECT n.nspname AS schemaname, c.relname AS tablename, a.attname AS "column",
                   format_type(a.atttypid, a.atttypmod) AS type, COALESCE(ca.encoding, 'none') AS encoding,
                   COALESCE(ca.distkey, false) AS distkey, COALESCE(ca.sortkey, 0) AS sortkey, a.attnotnull AS notnull
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN rrr_emulator.column_attributes ca ON ca.relid = c.oid AND ca.attnum = a.attnum
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND pg_table_is_visible(c.oid)
              AND n.nspname NOT IN ('rrr_emulator', 'information_schema', 'pg_catalog', 'pg_toast')
            ORDER BY n.nspname, c.relname, a.attnum;
        CREATE OR REPLACE VIEW rrr_emulator.svv_table_info AS
            SELECT database, schema, table_id, "table", encoded, diststyle, sortkey1, max_varchar, sortkey1_enc,
                   sortkey_num, size, pct_used, empty, unsorted, stats_off, tbl_rows, skew_sortkey1, skew_rows,
                   tbl_rows AS estimated_visible_rows, risk_event, vacuum_sort_benefit
            FROM (
                SELECT current_database()::text AS database, n.nspname::text AS schema, c.oid::integer AS table_id,
                       c.relname::text AS "table",
                       CASE WHEN EXISTS (SELECT 1 FROM rrr_emulator.column_attributes e WHERE e.relid = c.oid AND e.encoding <> 'none')
                            THEN 'Y' ELSE 'N' END::text AS encoded,
                       COALESCE(ta.diststyle, 'AUTO(EVEN)') AS diststyle,
                       CASE WHEN ta.sortkey_style = 'interleaved' THEN 'INTERLEAVED'
                            ELSE (SELECT a.attname::text FROM rrr_emulator.column_attributes k
                                  JOIN pg_attribute a ON a.attrelid = k.relid AND a.attnum = k.attnum
                                  WHERE k.relid = c.oid AND k.sortkey = 1) END AS sortkey1,
                       (SELECT max(a.atttypmod - 4) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.atttypid = 1043)::integer AS max_varchar,
                       (SELECT k.encoding FROM rrr_emulator.column_attributes k WHERE k.relid = c.oid AND abs(k.sortkey) = 1) AS sortkey1_enc,
                       (SELECT count(*) FROM rrr_emulator.column_attributes k WHERE k.relid = c.oid AND k.sortkey <> 0)::integer AS sortkey_num,
                       (pg_total_relation_size(c.oid) / 1048576)::bigint AS size, 0::numeric(10,4) AS pct_used,
                       0::numeric(10,4) AS empty, rrr_emulator.exact_row_count(c.oid) AS tbl_rows,
                       ta.sorted_rows, ta.sortkey_style,
                       CASE WHEN s.n_live_tup IS NULL THEN 0
                            ELSE LEAST(100, round(100.0 * s.n_mod_since_analyze / GREATEST(s.n_live_tup, 1), 2)) END::numeric(5,2) AS stats_off,
                       NULL::numeric(19,2) AS skew_sortkey1, NULL::numeric(19,2) AS skew_rows,
                       NULL::text AS risk_event, NULL::numeric(12,2) AS vacuum_sort_benefit
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN rrr_emulator.table_attributes ta ON ta.relid = c.oid
                LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('rrr_emulator', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\\\_%'
            ) t
            CROSS JOIN LATERAL (SELECT CASE WHEN t.sortkey_num = 0 THEN NULL
                    ELSE round(100.0 * GREATEST(t.tbl_rows - t.sorted_rows, 0) / GREATEST(t.tbl_rows, 1), 2) END::numeric(5,2) AS unsorted) u
            WHERE t.tbl_rows > 0;
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                           WHERE n.nspname = 'rrr_emulator' AND t.typname = 'super') THEN
                CREATE DOMAIN rrr_emulator.super AS jsonb;
            END IF;
        END $$;
        CREATE OR REPLACE FUNCTION rrr_emulator.json_parse(text) RETURNS rrr_emulator.super LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT CAST(CAST($1 AS jsonb) AS rrr_emulator.super) $$;
        CREATE OR REPLACE FUNCTION rrr_emulator.json_serialize(rrr_emulator.super) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT CAST(CAST($1 AS jsonb) AS text) $$;
        CREATE OR REPLACE FUNCTION rrr_emulator.version() RETURNS text LANGUAGE sql IMMUTABLE AS
            $$ SELECT 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.0' $$;
        CREATE OR REPLACE VIEW rrr_emulator.stv_slices AS
            SELECT CAST(s / 2 AS integer) AS node, CAST(s AS integer) AS slice, CAST(s % 2 AS integer) AS localslice,
                   CAST('D' AS character(1)) AS type
            FROM generate_series(0, COALESCE(CAST(NULLIF(current_setting('rrr_emulator.slice_count', true), '') AS integer), 2) - 1) s;
        CREATE OR REPLACE VIEW rrr_emulator.svv_redshift_schemas AS
            SELECT CAST(current_database() AS varchar(128)) AS database_name, CAST(n.nspname AS varchar(128)) AS schema_name,
                   CAST(n.nspowner AS integer) AS schema_owner, CAST('local' AS varchar(32)) AS schema_type,
                   CAST(array_to_string(n.nspacl, ',') AS varchar(128)) AS schema_acl,
                   CAST(NULL AS varchar(128)) AS source_database, CAST(NULL AS varchar(128)) AS schema_option
            FROM pg_namespace n
            WHERE n.nspname NOT IN ('rrr_emulator', 'rrr_emulator_varchar', 'pg_toast') AND left(n.nspname, 8) <> 'pg_temp_' AND left(n.nspname, 14) <> 'pg_toast_temp_';
        """
}
