"""sling replicates a PostgreSQL table into the emulator through S3 (its Redshift connection: gzip CSV + COPY)."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2

SLING = Path(sys.executable).parent.parent / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
    "site-packages" / "sling_linux_amd64" / "bin" / "sling-linux-amd64"

ROWS = [
    (1, "plain", "2024-05-01 10:00:00", 1.5, True),
    (2, "multi\nline\ntext with \"quotes\", commas", "2024-05-02 11:30:15.25", None, False),
    (3, "back\\slash and ünïcødé ✓", None, -2.25, None),
    (4, "   padded   ", "2024-05-04 00:00:00", 0.0, True),
]


def test_postgres_table_into_redshift(redshift, s3, source_postgres_url, schema, redshift_cursor, tmp_path):
    table = "sling_" + uuid.uuid4().hex[:8]
    source = psycopg2.connect(source_postgres_url)
    source.autocommit = True
    with source.cursor() as cursor:
        cursor.execute(f"create table public.{table} (id integer primary key, body text, happened_at timestamp, "
                       f"amount numeric(12,2), flag boolean)")
        cursor.executemany(f"insert into public.{table} values (%s, %s, %s, %s, %s)", ROWS)
    try:
        environment = {
            **os.environ,
            "HOME": str(tmp_path),
            "SLING_HOME_DIR": str(tmp_path / ".sling"),
            "SLING_DISABLE_TELEMETRY": "true",
            "SOURCE_PG": source_postgres_url + "?sslmode=disable",
            "TARGET_RS": (f"redshift://{redshift['user']}:{redshift['password']}@{redshift['host']}:{redshift['port']}"
                          f"/{redshift['database']}?sslmode=disable"),
        }
        # sling reads a Redshift connection's S3 staging settings from its env.yaml.
        (tmp_path / ".sling").mkdir()
        (tmp_path / ".sling" / "env.yaml").write_text(f"""
connections:
  TARGET_RS:
    type: redshift
    host: {redshift['host']}
    port: {redshift['port']}
    user: {redshift['user']}
    password: "{redshift['password']}"
    database: {redshift['database']}
    sslmode: disable
    aws_bucket: {s3['bucket']}
    aws_access_key_id: {s3['access_key_id']}
    aws_secret_access_key: "{s3['secret_access_key']}"
    aws_region: {s3['region']}
    aws_endpoint: {s3['endpoint']}
""")
        del environment["TARGET_RS"]
        result = subprocess.run(
            [str(SLING), "run", "--src-conn", "SOURCE_PG", "--src-stream", f"public.{table}",
             "--tgt-conn", "TARGET_RS", "--tgt-object", f"{schema}.{table}", "--mode", "full-refresh"],
            capture_output=True, text=True, timeout=600, env=environment,
        )
        assert result.returncode == 0, f"sling failed:\n{result.stdout}\n{result.stderr}"
    finally:
        with source.cursor() as cursor:
            cursor.execute(f"drop table public.{table}")
        source.close()

    redshift_cursor.execute(
        f"select id, body, to_char(happened_at, 'YYYY-MM-DD HH24:MI:SS.US'), amount, flag from \"{schema}\".{table} order by id"
    )
    loaded = redshift_cursor.fetchall()
    assert [row[0] for row in loaded] == [1, 2, 3, 4]
    assert [row[1] for row in loaded] == [row[1] for row in ROWS]
    assert [row[2] for row in loaded] == [
        "2024-05-01 10:00:00.000000", "2024-05-02 11:30:15.250000", None, "2024-05-04 00:00:00.000000"]
    assert [None if row[3] is None else float(row[3]) for row in loaded] == [1.5, None, -2.25, 0.0]
    assert [row[4] for row in loaded] == [True, False, None, True]
