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

    /// MySQL/MariaDB: the same columns; `created_at`/`updated_at` are TIMESTAMP(6) (stored in UTC).
    static let mysql = """
        CREATE TABLE IF NOT EXISTS rrr_replications (
            id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
            replication_type VARCHAR(16) NOT NULL DEFAULT 'timed',
            `key` VARCHAR(255) NOT NULL DEFAULT '',
            state VARCHAR(16) NOT NULL DEFAULT 'enqueued',
            lower_bound TEXT, upper_bound TEXT, record_count BIGINT, null_field_count BIGINT,
            retries INT NOT NULL DEFAULT 0, last_error TEXT,
            source_table VARCHAR(255) NOT NULL DEFAULT '', target_table VARCHAR(255) NOT NULL DEFAULT '',
            slices INT NOT NULL DEFAULT 1, export_format VARCHAR(8) NOT NULL DEFAULT 'csv',
            export_duration DOUBLE, upload_duration DOUBLE, import_duration DOUBLE, deleted_count BIGINT,
            created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
            updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
            UNIQUE KEY rrr_replications_key_idx (`key`),
            KEY rrr_replications_table_idx (source_table, target_table, id)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """

    /// SQLite: the same columns; times as UTC text `YYYY-MM-DD HH:MM:SS.SSS`.
    static let sqlite = [
        """
        CREATE TABLE IF NOT EXISTS rrr_replications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            replication_type TEXT NOT NULL DEFAULT 'timed', "key" TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'enqueued', lower_bound TEXT, upper_bound TEXT,
            record_count INTEGER, null_field_count INTEGER, retries INTEGER NOT NULL DEFAULT 0, last_error TEXT,
            source_table TEXT NOT NULL DEFAULT '', target_table TEXT NOT NULL DEFAULT '',
            slices INTEGER NOT NULL DEFAULT 1, export_format TEXT NOT NULL DEFAULT 'csv',
            export_duration REAL, upload_duration REAL, import_duration REAL, deleted_count INTEGER,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')))
        """,
        #"CREATE UNIQUE INDEX IF NOT EXISTS rrr_replications_key_idx ON rrr_replications ("key")"#,
        "CREATE INDEX IF NOT EXISTS rrr_replications_table_idx ON rrr_replications (source_table, target_table, id)",
    ]
}
