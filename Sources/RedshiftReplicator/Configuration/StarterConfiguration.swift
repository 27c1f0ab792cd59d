extension ReplicatorConfiguration {
    /// The commented starter `rrr.yml` that `rrr init` writes.
    public static let starterYAML = #"""
    # rrr.yml: what rrr replicates from your database into Redshift.
    # Values may use ${VAR} or ${VAR:-default}; settings left out fall back to the environment
    # variables named beside them. Secrets belong in the environment, not in this file.

    source:
      # PostgreSQL URL of the database to replicate (env RRR_SOURCE_URL or DATABASE_URL).
      url: ${DATABASE_URL}
      # Or as fields, beside or instead of the URL (a password here needs no percent-encoding):
      # type: postgres | mysql | sqlite, host, port, database, user, password, sslmode, sslrootcert

    redshift:
      host: ${RRR_REDSHIFT_HOST}            # env RRR_REDSHIFT_HOST
      port: 5439                            # env RRR_REDSHIFT_PORT
      database: ${RRR_REDSHIFT_DATABASE}    # env RRR_REDSHIFT_DATABASE
      user: ${RRR_REDSHIFT_USER}            # env RRR_REDSHIFT_USER
      # password: env RRR_REDSHIFT_PASSWORD
      # password_secret: prod/redshift/loader   # or the password from AWS Secrets Manager
      # auth: iam                           # or temporary IAM credentials (GetClusterCredentials)
      # cluster_identifier: analytics       #   provisioned (default: from the host name)
      # workgroup: etl                      #   or Serverless (default: from the host name)
      # sslmode: verify-full                # default: verify-full, prefer for localhost
      # ssl_root_cert: /etc/rrr/amazon-trust-ca-bundle.crt
      # statement_timeout: 3600            # seconds a statement (COPY, merge) may run; then the run fails
      # keepalive_idle: 60                  # TCP keepalive: probes after 60 s idle, every 10 s (keepalive_interval),
      # keepalive_count: 6                  #   a dead connection is given up after 6 lost probes
      schema: public                        # where the target tables and rrr_load_ledger live

    s3:
      bucket: ${RRR_REPLICATION_BUCKET}     # env RRR_REPLICATION_BUCKET
      prefix: rrr                           # env RRR_REPLICATION_PREFIX
      region: us-east-1                     # env RRR_REPLICATION_REGION, then AWS_REGION
      # endpoint: http://127.0.0.1:9000     # an S3-compatible store (MinIO, moto)

    aws:
      # Credentials come from the AWS SDKs' chain: the instance, task or pod role, web identity,
      # ~/.aws profiles, AWS_ACCESS_KEY_ID... (or the gem's RRR_AWS_ACCESS_KEY_ID). No keys here.
      # profile: rrr                        # a ~/.aws profile (default: AWS_PROFILE, else default)
      # iam_role: arn:aws:iam::123456789012:role/redshift-copy   # COPY assumes this role (preferred)

    settings:                 # defaults for every table; each table may override any of them
      # slices: 4             # files per round of an export (default: read from the cluster's stv_slices)
      max_file_size: 256 MB   # no compressed file grows past this: an export adds rounds of `slices` files
      stage: stream           # stream: files go to S3 as they are written (no disk) | disk: via local_path
      local_path: /tmp        # with stage: disk, where files wait for the upload (always removed)
      format: zstd            # csv | gzip | zstd (Redshift COPY reads all three from S3)
      # history_cap: 100      # keep only the newest N records per table (>= 2)
      max_copy_errors: 0      # COPY MAXERROR: the load fails at this many rejected rows (0 or 1: at the first)
      invalid_values: fail    # a value its Redshift column cannot hold (too long, infinity, NaN): fail | null | truncate
      max_retries: 5          # resumes before a replication is canceled and started fresh
      copy_options: "TIMEFORMAT 'auto'"
      delete_s3_files_after_import: true
      # max_lag: 2 hours      # `rrr status` exits 1 when the data in Redshift is older than this
      # enable_delete_tracking: false   # record hard deletes by trigger and delete them in Redshift too
      # analyze_after_load: false       # ANALYZE the table after each load
      # vacuum_after_load: delete-only  # VACUUM after each load: auto | full | sort-only | delete-only | reindex | recluster

    # serve:                  # `rrr serve`: replicate on a schedule (read once: changes need a restart)
    #   every: 15 minutes     # between the starts of a table's runs (a table's own `every:` overrides it)
    #   jitter: 10%           # each start later by a random part of this (of the period, or a duration: 30s)
    #   shutdown_grace: 5 minutes   # after SIGTERM, how long running tables may finish before they stop (and resume later)
    # metrics:                # `rrr serve`'s /metrics (Prometheus) and /healthz
    #   host: 127.0.0.1       # 0.0.0.0 in a container
    #   port: 9464            # --metrics-port overrides it

    tables:
      # users:                        # timed: merge rows changed since the last run
      #   strategy: timed
      #   replication_field: updated_at   # default for timed
      #   lookback: 5 minutes             # re-read this window below the last upper bound (late commits)
      # events:                       # identity: append new ids
      #   strategy: identity
      #   replication_field: id           # default for identity
      #   lookback: 1000                  # ids
      # tags:                         # renamed in Redshift
      #   strategy: timed
      #   target_table: custom_tags
      #   replication_field: created_at
      # tags_users:                   # full: replaced atomically every run
      #   strategy: full
      #   key_columns: [tag_id, user_id]
      # orders:                       # any setting above, overridden for one table
      #   strategy: timed
      #   source_table: sales.orders      # the source's name, when it differs
      #   slices: 8
      #   max_retries: 10
      #   max_lag: 30 minutes
      #   enable_delete_tracking: true
      #   every: 5 minutes                # `rrr serve`: this table more often
    """#
}

extension ReplicatorConfiguration {
    /// The source kinds `rrr init --source` writes a template for.
    public enum StarterSource: String, Sendable, CaseIterable {
        case postgres, mysql, mariadb, sqlite
    }

    /// The starter `rrr.yml` for a source kind: ``starterYAML`` with that kind's `source:` section
    /// (the URL and every field, TLS included, with the client's own environment variables).
    public static func starterYAML(source: StarterSource) -> String {
        let section: String
        switch source {
        case .postgres:
            section = """
            source:
              # PostgreSQL URL of the database to replicate (env RRR_SOURCE_URL or DATABASE_URL).
              url: ${DATABASE_URL}
              # Or as fields, beside or instead of the URL (a password here needs no percent-encoding):
              # type: postgres
              # host: db.example.com
              # port: 5432
              # database: app
              # user: rrr
              # password: ${DB_PASSWORD}       # or leave it out: libpq reads PGPASSWORD, then ~/.pgpass
              # sslmode: verify-full           # disable | prefer | require | verify-ca | verify-full (libpq; env PGSSLMODE)
              # sslrootcert: /etc/ssl/certs/rds-global-bundle.pem
              # parameters:                    # any other libpq keyword
              #   application_name: rrr
            """
        case .mysql, .mariadb:
            section = """
            source:
              # MySQL or MariaDB: the URL (env RRR_SOURCE_URL or DATABASE_URL) or the fields below.
              # url: \(source.rawValue)://rrr@db.example.com:3306/app?ssl-mode=VERIFY_IDENTITY
              type: \(source.rawValue)
              host: db.example.com
              port: 3306
              database: app
              user: rrr
              # password: ${DB_PASSWORD}       # or leave it out: libmariadb reads MYSQL_PWD
              sslmode: verify-full             # disable | require | verify-ca | verify-full (also DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY)
              # sslrootcert: /etc/ssl/certs/rds-global-bundle.pem   # the CA (ssl-ca)
              # parameters:                    # other URL options: socket, ssl-cert, ssl-key, connect-timeout, net-write-timeout
              #   connect-timeout: "10"
            """
        case .sqlite:
            section = """
            source:
              # A SQLite file (WAL mode lets the app write while rrr reads).
              type: sqlite
              database: /var/lib/app/app.db
              # url: sqlite:///var/lib/app/app.db   # the same as a URL
            """
        }
        guard let start = starterYAML.range(of: "source:\n"), let end = starterYAML.range(of: "\nredshift:") else { return starterYAML }
        return String(starterYAML[..<start.lowerBound]) + section + "\n" + String(starterYAML[end.lowerBound...])
    }
}
