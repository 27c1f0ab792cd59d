/// The history table's DDL. Idempotent: creates the table when missing and adds any column an
/// older version lacks, so `rrr install` can run again after an upgrade.
enum HistoryMigration {
    static let postgres = """
        CREATE TABLE IF NOT EXISTS rrr_replications (id bigserial PRIMARY KEY);
        ALTER TABLE rrr_replications
            ADD COLUMN IF NOT EXISTS replication_type text NOT NULL DEFAULT 'timed',
            ADD COLUMN IF NOT EXISTS key text NOT NULL DEFAULT '',
            ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'enqueued',
            ADD COLUMN IF NOT EXISTS lower_bound text,
            ADD COLUMN IF NOT EXISTS upper_bound text,
            ADD COLUMN IF NOT EXISTS record_count bigint,
            ADD COLUMN IF NOT EXISTS null_field_count bigint,
            ADD COLUMN IF NOT EXISTS retries integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS last_error text,
            ADD COLUMN IF NOT EXISTS source_table text NOT NULL DEFAULT '',
            ADD COLUMN IF NOT EXISTS target_table text NOT NULL DEFAULT '',
            ADD COLUMN IF NOT EXISTS slices integer NOT NULL DEFAULT 1,
            ADD COLUMN IF NOT EXISTS export_format text NOT NULL DEFAULT 'csv',
            ADD COLUMN IF NOT EXISTS export_duration double precision,
            ADD COLUMN IF NOT EXISTS upload_duration double precision,
            ADD COLUMN IF NOT EXISTS import_duration double precision,
            ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now(),
            ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now(),
            ADD COLUMN IF NOT EXISTS deleted_count bigint;
        CREATE UNIQUE INDEX IF NOT EXISTS rrr_replications_key_idx ON rrr_replications (key);
        CREATE INDEX IF NOT EXISTS rrr_replications_table_idx ON rrr_replications (source_table, target_table, id);
        """
}
