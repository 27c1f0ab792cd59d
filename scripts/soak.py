#!/usr/bin/env python3
"""The soak of scripts/soak (run that, not this): rrr replicates 20 tables of the three strategies
from PostgreSQL and MariaDB while a writer changes them, its runs are killed at random, S3 answers
through a fault proxy, the emulator injects COPY and COMMIT faults and rrr's export sessions are
terminated; then everything stops, the faults go off, clean runs follow and the source and the
warehouse must be equal row for row. Prints the figures; exits 1 on any mismatch.

Standard library only (boto3 for listing S3, from the stack's venv). The stack (PostgreSQL, MariaDB,
moto) is up and its env sourced; the emulator is started here, with faults and then without.
"""
import hashlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
E = os.environ
SECONDS = int(E.get("SOAK_SECONDS", "900"))
SEED = int(E.get("SOAK_SEED") or time.time_ns() % 1_000_000)
WORK = Path(E.get("SOAK_DIR", ROOT / ".run" / "soak"))
BIN = Path(E["SOAK_BIN"])
STACK = Path(E["RRR_STACK_DIR"])
EMULATOR_PORT = int(E["RRR_STACK_PORT_BASE"]) + 3
PYTHON = E["RRR_TEST_PYTHON"]
PG = dict(host="127.0.0.1", port=E["RRR_TEST_POSTGRES_PORT"], user=E["RRR_TEST_POSTGRES_USER"], password=E["RRR_TEST_POSTGRES_PASSWORD"])
MY = dict(host="127.0.0.1", port=E["RRR_TEST_MYSQL_PORT"], user=E["RRR_TEST_MYSQL_USER"], password=E["RRR_TEST_MYSQL_PASSWORD"])
DB = "rrr_soak"                 # the source database on both servers
WAREHOUSE_DB = E["RRR_TEST_REDSHIFT_DATABASE"] if "RRR_TEST_REDSHIFT_DATABASE" in E else "rrr_warehouse"
SCHEMA = "soak"                 # the Redshift schema of the targets and the ledger
# Fault rates: S3 requests (proxy), COPYs and COMMITs (emulator), mid-export session kills.
S3_RATES = dict(error=0.03, slowdown=0.03, drop=0.02, stall=0.02)
EMULATOR_RATES = {"--fault-copy-rate": 0.04, "--fault-copy-drop-rate": 0.02,
                  "--fault-commit-drop-rate": 0.02, "--fault-serializable-rate": 0.04}
RUN_CAP = 240                   # a run not killed on purpose that takes longer is killed and counted as overrun
rng = random.Random(SEED)
stop_chaos = threading.Event()
lock = threading.Lock()


def log(message):
    print(time.strftime("%H:%M:%S ") + message, flush=True)


# ---------------------------------------------------------------- the tables
# (name, database, strategy, delete tracking, stage): 10 per database, every strategy, tracking on some.
LAYOUT = [("timed", True, "stream"), ("timed", True, "disk"), ("timed", False, "stream"), ("timed", False, "disk"),
          ("identity", True, "stream"), ("identity", False, "disk"), ("identity", False, "stream"),
          ("full", False, "stream"), ("full", False, "disk"), ("full", False, "stream")]
TABLES = [dict(name=f"{db}_{strategy}_{i}", db=db, strategy=strategy, tracked=tracked, stage=stage,
               format=["gzip", "zstd", "csv"][i % 3])
          for db in ("pg", "my") for i, (strategy, tracked, stage) in enumerate(LAYOUT)]
INITIAL_ROWS = 2000             # full tables get ten times as many, so that their exports last long enough to be terminated
NOTES = ["plain", "comma, and \"quotes\"", "new\nline", "back\\slash", "tab\there", "pipe|and;semi",
         "unicode é € 😀", "trailing blank ", "", None, "it's", "\\N literally"]


def pg_columns(strategy):
    key = "id bigserial PRIMARY KEY" if strategy == "identity" else "id bigint PRIMARY KEY"
    return (f"{key}, updated_at timestamptz NOT NULL DEFAULT now(), v integer, s varchar(64), "
            "amount numeric(12,2) NOT NULL DEFAULT 0, note varchar(200)")


def my_columns(strategy):
    key = "id BIGINT AUTO_INCREMENT PRIMARY KEY" if strategy == "identity" else "id BIGINT PRIMARY KEY"
    return (f"{key}, updated_at DATETIME(6) NOT NULL DEFAULT NOW(6), v INT, s VARCHAR(64), "
            "amount DECIMAL(12,2) NOT NULL DEFAULT 0, note VARCHAR(200)")


def literal(value):
    """A SQL literal both databases read alike (MariaDB in NO_BACKSLASH_ESCAPES, see `mysql`)."""
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


# ---------------------------------------------------------------- database clients
def psql(sql, database=DB, check=True):
    env = dict(E, PGPASSWORD=PG["password"], PGTZ="UTC", PGAPPNAME="soak-check")
    result = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", PG["host"], "-p", PG["port"],
                             "-U", PG["user"], "-d", database], input=sql, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"psql: {result.stderr.strip()}")
    return result.stdout


def mysql_command(database=DB):
    return ["mariadb", "--no-defaults", "-h", MY["host"], "-P", MY["port"], "-u", MY["user"],
            "--default-character-set=utf8mb4", "-N", "-B", "--init-command=SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')",
            *([database] if database else [])]


def mysql(sql, database=DB, check=True):
    result = subprocess.run(mysql_command(database), input=sql, capture_output=True, text=True, env=dict(E, MYSQL_PWD=MY["password"]))
    if check and result.returncode != 0:
        raise RuntimeError(f"mariadb: {result.stderr.strip()}")
    return result.stdout


def redshift(sql):
    """Through the emulator, as a Redshift client would."""
    env = dict(E, PGPASSWORD=E["RRR_TEST_POSTGRES_PASSWORD"], PGSSLMODE="disable")
    result = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(EMULATOR_PORT),
                             "-U", PG["user"], "-d", WAREHOUSE_DB, "-c", sql], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"redshift: {result.stderr.strip()}")
    return result.stdout


# ---------------------------------------------------------------- services started here
class Emulator:
    def __init__(self):
        self.process = None
        self.log = open(WORK / "emulator.log", "a")

    def start(self, faults):
        key, secret = (STACK / "s3-keys").read_text().split()
        flags = [f"{flag}={rate}" for flag, rate in EMULATOR_RATES.items()] + [f"--fault-seed={SEED}"] if faults else []
        env = dict(E, RRR_EMULATOR_PASSWORD=PG["password"],
                   RRR_EMULATOR_POSTGRES_URL=f"postgres://{PG['user']}:{PG['password']}@127.0.0.1:{PG['port']}/{WAREHOUSE_DB}",
                   RRR_EMULATOR_IAM_ACCESS_KEY_ID=key, RRR_EMULATOR_IAM_SECRET_ACCESS_KEY=secret,
                   RRR_EMULATOR_VARCHAR_IGNORES_TRAILING_BLANKS="1", RRR_EMULATOR_SLICES="4")
        self.log.write(f"=== soak: emulator {'with faults ' + ' '.join(flags) if faults else 'without faults'}\n")
        self.log.flush()
        self.process = subprocess.Popen([str(BIN / "redshift-emulator"), "--listen", f"127.0.0.1:{EMULATOR_PORT}", "--user", PG["user"],
                                         "--s3-endpoint", E["RRR_TEST_S3_ENDPOINT"], "--s3-region", "us-east-1", *flags],
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                redshift("SELECT 1")
                return
            except RuntimeError:
                time.sleep(0.1)
        raise RuntimeError("the emulator did not come up (see emulator.log)")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class FaultProxy:
    def __init__(self):
        self.log_path = WORK / "s3-proxy.log"
        args = [PYTHON, str(ROOT / "scripts" / "s3-fault-proxy.py"), E["RRR_TEST_S3_ENDPOINT"], f"--seed={SEED}",
                "--stall-seconds=1:6"] + [f"--{kind}-rate={rate}" for kind, rate in S3_RATES.items()]
        self.process = subprocess.Popen(args, stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        for _ in range(100):
            found = re.search(r"ready (\d+)", self.log_path.read_text())
            if found:
                self.url = f"http://127.0.0.1:{found.group(1)}"
                return
            time.sleep(0.1)
        raise RuntimeError("the S3 fault proxy did not come up (see s3-proxy.log)")

    def faults_off(self):
        self.process.send_signal(signal.SIGUSR1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


# ---------------------------------------------------------------- setup
def initial_rows(table):
    return INITIAL_ROWS * (10 if table["strategy"] == "full" else 1)


def create_sources():
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", database="postgres")
    psql(f"CREATE DATABASE {DB}", database="postgres")
    mysql(f"DROP DATABASE IF EXISTS {DB}; CREATE DATABASE {DB} CHARACTER SET utf8mb4;", database=None)
    for table in TABLES:
        count = initial_rows(table)
        rows = [f"({i}, {rng.randint(0, 1000)}, {literal(f's{i}')}, {rng.randint(0, 99999) / 100:.2f}, {literal(rng.choice(NOTES))})"
                for i in range(1, count + 1)]
        insert = f"INSERT INTO {table['name']} (id, v, s, amount, note) VALUES {', '.join(rows)}"
        if table["db"] == "pg":
            psql(f"CREATE TABLE {table['name']} ({pg_columns(table['strategy'])}); {insert};"
                 + (f"SELECT setval(pg_get_serial_sequence('{table['name']}', 'id'), {count});" if table["strategy"] == "identity" else ""))
        else:
            mysql(f"CREATE TABLE {table['name']} ({my_columns(table['strategy'])}) ENGINE=InnoDB; {insert};")


def write_configs(s3_url):
    files = WORK / "files"
    for db, url in (("pg", "postgres://${SOAK_PG_USER}:${SOAK_PG_PASSWORD}@127.0.0.1:${SOAK_PG_PORT}/" + DB),
                    ("my", "mysql://${SOAK_MY_USER}:${SOAK_MY_PASSWORD}@127.0.0.1:${SOAK_MY_PORT}/" + DB)):
        (files / db).mkdir(parents=True, exist_ok=True)
        lines = [f"source:\n  url: {url}",
                 "redshift:\n  host: 127.0.0.1\n  port: ${SOAK_REDSHIFT_PORT}\n  database: " + WAREHOUSE_DB
                 + "\n  user: ${SOAK_PG_USER}\n  password: ${SOAK_PG_PASSWORD}\n  schema: " + SCHEMA + "\n  sslmode: disable",
                 f"s3:\n  bucket: {E['RRR_TEST_S3_BUCKET']}\n  prefix: soak/{db}\n  region: us-east-1\n  endpoint: {s3_url}",
                 f"settings:\n  slices: 2\n  local_path: {files / db}",
                 "tables:"]
        for table in (t for t in TABLES if t["db"] == db):
            options = [f"strategy: {table['strategy']}", f"stage: {table['stage']}", f"format: {table['format']}"]
            if table["strategy"] == "identity":
                options.append("lookback: 5000")
            if table["tracked"]:
                options.append("enable_delete_tracking: true")
            lines.append(f"  {table['name']}: {{ {', '.join(options)} }}")
        (WORK / f"{db}.yml").write_text("\n".join(lines) + "\n")


def rrr_env():
    return dict(E, SOAK_PG_USER=PG["user"], SOAK_PG_PASSWORD=PG["password"], SOAK_PG_PORT=PG["port"],
                SOAK_MY_USER=MY["user"], SOAK_MY_PASSWORD=MY["password"], SOAK_MY_PORT=MY["port"],
                SOAK_REDSHIFT_PORT=str(EMULATOR_PORT),
                AWS_ACCESS_KEY_ID=E["RRR_TEST_S3_ACCESS_KEY_ID"], AWS_SECRET_ACCESS_KEY=E["RRR_TEST_S3_SECRET_ACCESS_KEY"],
                AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")


def rrr(*args, db, check=True):
    result = subprocess.run([str(BIN / "rrr"), *args, "--config", str(WORK / f"{db}.yml")], env=rrr_env(),
                            capture_output=True, text=True)
    with open(WORK / f"rrr-{db}.log", "a") as out:
        out.write(f"=== {' '.join(args)} -> {result.returncode}\n{result.stdout}{result.stderr}")
    if check and result.returncode != 0:
        raise RuntimeError(f"rrr {' '.join(args)} ({db}) exited {result.returncode}: {result.stderr.strip()[-2000:]}")
    return result


def set_up_warehouse():
    redshift(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    redshift(f"CREATE SCHEMA {SCHEMA}")
    for db in ("pg", "my"):
        rrr("schema", "--apply", db=db)
        rrr("install", db=db)
        rrr("triggers", "install", db=db)


# ---------------------------------------------------------------- the writer
class Writer(threading.Thread):
    """One client session (psql or mariadb reading SQL from a pipe) running transactions on its
    database's tables: inserts, updates, deletes where they are tracked (or replaced), key changes
    on tracked timed tables; one transaction in eight stays open 1-5 seconds. Each transaction ends
    before the next starts, as in an application."""

    def __init__(self, db, number, next_ids):
        super().__init__(daemon=True)
        self.db, self.random = db, random.Random(SEED * 100 + number + (50 if db == "my" else 0))
        self.tables = [t for t in TABLES if t["db"] == db]
        self.next_ids = next_ids
        self.stop = threading.Event()
        self.transactions = self.long_transactions = 0
        out = open(WORK / f"writer-{db}-{number}.log", "w")
        if db == "pg":
            env = dict(E, PGPASSWORD=PG["password"], PGAPPNAME="soak-writer")
            command = ["psql", "-X", "-q", "-At", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", DB]
        else:  # as root over the socket, so that the session killer tells the writer from rrr
            env = dict(E)
            command = ["mariadb", "--no-defaults", "--force", "--unbuffered", "-N", "-B", "-S", str(STACK / "mariadb" / "mysqld.sock"), "-u", "root",
                       "--default-character-set=utf8mb4", "--init-command=SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')", DB]
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out, text=True)

    def send(self, sql):
        """Sends a transaction and waits until the client ran it (it then prints the marker)."""
        marker = f"soak-done-{self.transactions}"
        self.process.stdin.write(f"{sql}\nSELECT '{marker}';\n")
        self.process.stdin.flush()
        while (line := self.process.stdout.readline()) and line.strip() != marker:
            pass

    def new_id(self, table):
        with lock:
            self.next_ids[table["name"]] += 1
            return self.next_ids[table["name"]]

    def some_id(self, table):
        with lock:
            return self.random.randint(1, self.next_ids[table["name"]])

    def statement(self, table):
        name, strategy, r = table["name"], table["strategy"], self.random
        now = "now()" if self.db == "pg" else "NOW(6)"
        row = lambda: f"{r.randint(0, 1000)}, {literal('w' + str(r.randint(0, 10**6)))}, {r.randint(0, 99999) / 100:.2f}, {literal(r.choice(NOTES))}"
        deletes = table["tracked"] or strategy == "full"
        roll = r.random()
        if strategy == "identity" and (not deletes or roll < 0.8):
            return f"INSERT INTO {name} (v, s, amount, note) VALUES ({row()}), ({row()});"
        if roll < 0.4:
            return f"INSERT INTO {name} (id, updated_at, v, s, amount, note) VALUES ({self.new_id(table)}, {now}, {row()});"
        if roll < 0.8 or not deletes:
            low = self.some_id(table)
            return (f"UPDATE {name} SET v = {r.randint(0, 1000)}, note = {literal(r.choice(NOTES))}, updated_at = {now} "
                    f"WHERE id BETWEEN {low} AND {low + r.randint(0, 5)};")
        if roll < 0.85 and table["tracked"] and strategy == "timed":  # a key change: a delete of the old key
            return f"UPDATE {name} SET id = {self.new_id(table)}, updated_at = {now} WHERE id = {self.some_id(table)};"
        low = self.some_id(table)
        return f"DELETE FROM {name} WHERE id BETWEEN {low} AND {low + r.randint(0, 3)};"

    def run(self):
        while not self.stop.is_set():
            long = self.random.random() < 0.125
            statements = [self.statement(self.random.choice(self.tables)) for _ in range(self.random.randint(1, 6))]
            if long:
                pause = f"{self.random.uniform(1, 5):.2f}"
                statements.insert(1, f"SELECT pg_sleep({pause});" if self.db == "pg" else f"DO SLEEP({pause});")
                self.long_transactions += 1
            self.send("BEGIN;\n" + "\n".join(statements) + "\nCOMMIT;")
            self.transactions += 1
            time.sleep(self.random.uniform(0.05, 0.4))

    def finish(self):
        self.stop.set()
        self.join()
        self.process.stdin.close()
        self.process.wait(30)


# ---------------------------------------------------------------- rrr runs, killed at random
runs = []
running = set()  # rrr processes of the runners, killed if the soak itself is stopped


class Runner(threading.Thread):
    def __init__(self, db):
        super().__init__(daemon=True)
        self.db, self.random = db, random.Random(SEED + (7 if db == "my" else 3))

    def run(self):
        while not stop_chaos.is_set():
            runs.append(run_rrr(self.db, self.random))
            time.sleep(self.random.uniform(0.2, 1.5))


def run_rrr(db, r, chaos=True):
    """One `rrr replicate --all --jobs 2`: left alone (a third of the runs), else SIGKILL (seven in
    ten) or SIGTERM at a random moment. The run's peak RSS comes from wait4."""
    out = open(WORK / f"rrr-{db}.log", "a")
    signal_to_send, at = None, RUN_CAP
    if chaos and r.random() > 1 / 3:
        signal_to_send = signal.SIGKILL if r.random() < 0.7 else signal.SIGTERM
        at = r.uniform(0.3, 12)
    started = time.monotonic()
    out.write(f"=== {time.strftime('%H:%M:%S')} replicate --all --jobs 2 ({'until ' + signal_to_send.name + f' at {at:.1f}s' if signal_to_send else 'left alone'})\n")
    out.flush()
    process = subprocess.Popen([str(BIN / "rrr"), "replicate", "--all", "--jobs", "2", "--config", str(WORK / f"{db}.yml")],
                               env=rrr_env(), stdout=out, stderr=subprocess.STDOUT)
    running.add(process)
    sent, overran, hung_after_term = None, False, False
    status = rusage = None
    while True:
        pid, raw, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            status, rusage = raw, usage
            break
        elapsed = time.monotonic() - started
        if sent is None and elapsed >= at:
            sent = signal_to_send or signal.SIGKILL
            overran = signal_to_send is None
            process.send_signal(sent)
            term_sent_at = time.monotonic()
        elif sent == signal.SIGTERM and time.monotonic() - term_sent_at > 30:
            hung_after_term = True
            sent = signal.SIGKILL
            process.send_signal(signal.SIGKILL)
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    running.discard(process)
    record = dict(db=db, seconds=round(time.monotonic() - started, 2), signal=sent.name if sent else None,
                  exit=process.returncode, max_rss_kb=rusage.ru_maxrss, overran=overran, hung_after_term=hung_after_term)
    out.write(f"=== exit {process.returncode} after {record['seconds']} s, max RSS {rusage.ru_maxrss} KB\n")
    out.close()
    return record


# ---------------------------------------------------------------- source sessions terminated mid-export
terminations = {"pg": 0, "my": 0}


def session_killer(r):
    while not stop_chaos.wait(r.uniform(0.3, 1.5)):
        try:
            if r.random() < 0.5:
                # rrr's export sessions (application_name `rrr export`), reading or holding their snapshot.
                killed = psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DB}' "
                              "AND application_name = 'rrr export' AND state IN ('active', 'idle in transaction')", check=False)
                terminations["pg"] += killed.count("t")
            else:
                # rrr's sessions holding a snapshot (an export), not the history's statements.
                ids = mysql(f"SELECT p.id FROM information_schema.processlist p JOIN information_schema.innodb_trx t "
                            f"ON t.trx_mysql_thread_id = p.id WHERE p.user = '{MY['user']}' AND p.db = '{DB}' "
                            "AND (p.info IS NULL OR (p.info LIKE 'SELECT%' AND p.info NOT LIKE '%rrr_replications%' "
                            "AND p.info NOT LIKE '%rrr_deleted_keys%')) AND p.id <> CONNECTION_ID()", check=False).split()
                for session in ids:
                    try:
                        mysql(f"KILL {session}")
                        terminations["my"] += 1
                    except RuntimeError:
                        pass  # it ended meanwhile
        except RuntimeError:
            pass


# ---------------------------------------------------------------- the checks
def row_digests(table, side):
    """id -> [md5 of the row's normalised text], one entry per row found (duplicates show)."""
    name = table["name"]
    if side == "source" and table["db"] == "my":
        text = mysql(f"SELECT id, MD5(CONCAT_WS('|', id, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f'), COALESCE(v, '<NULL>'), "
                     f"COALESCE(s, '<NULL>'), amount, COALESCE(note, '<NULL>'))) FROM {name}")
    else:
        database, relation = (DB, name) if side == "source" else (WAREHOUSE_DB, f"{SCHEMA}.{name}")
        text = psql(f"SELECT id, md5(concat_ws('|', id, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US'), COALESCE(v::text, '<NULL>'), "
                    f"COALESCE(s, '<NULL>'), amount::text, COALESCE(note, '<NULL>'))) FROM {relation}", database=database)
    digests = {}
    for line in text.splitlines():
        key, digest = line.split("\t") if "\t" in line else line.split("|")
        digests.setdefault(int(key), []).append(digest)
    return digests


def compare(table):
    source, warehouse = row_digests(table, "source"), row_digests(table, "warehouse")
    duplicates = sum(len(v) - 1 for v in warehouse.values() if len(v) > 1)
    missing = [k for k in source if k not in warehouse]
    extra = [k for k in warehouse if k not in source]
    different = [k for k in source if k in warehouse and sorted(set(warehouse[k])) != source[k]]
    return dict(table=table["name"], rows=sum(len(v) for v in source.values()), duplicates=duplicates,
                missing=len(missing), extra=len(extra), different=len(different),
                examples=dict(missing=missing[:5], extra=extra[:5], different=different[:5]))


def leftover_files():
    return sorted(str(p.relative_to(WORK)) for p in (WORK / "files").rglob("*") if p.is_file())


def leftover_objects():
    script = (
        "import boto3, os, json\n"
        "s3 = boto3.client('s3', endpoint_url=os.environ['RRR_TEST_S3_ENDPOINT'], region_name='us-east-1',\n"
        "    aws_access_key_id=os.environ['RRR_TEST_S3_ACCESS_KEY_ID'], aws_secret_access_key=os.environ['RRR_TEST_S3_SECRET_ACCESS_KEY'])\n"
        "keys = [o['Key'] for page in s3.get_paginator('list_objects_v2').paginate(Bucket=os.environ['RRR_TEST_S3_BUCKET'], Prefix='soak/') for o in page.get('Contents', [])]\n"
        "uploads = [u['Key'] for u in s3.list_multipart_uploads(Bucket=os.environ['RRR_TEST_S3_BUCKET'], Prefix='soak/').get('Uploads', [])]\n"
        "print(json.dumps({'objects': keys, 'uploads': uploads}))\n")
    return json.loads(subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=True).stdout)


def clear_s3():
    script = (
        "import boto3, os\n"
        "s3 = boto3.client('s3', endpoint_url=os.environ['RRR_TEST_S3_ENDPOINT'], region_name='us-east-1',\n"
        "    aws_access_key_id=os.environ['RRR_TEST_S3_ACCESS_KEY_ID'], aws_secret_access_key=os.environ['RRR_TEST_S3_SECRET_ACCESS_KEY'])\n"
        "b = os.environ['RRR_TEST_S3_BUCKET']\n"
        "for page in s3.get_paginator('list_objects_v2').paginate(Bucket=b, Prefix='soak/'):\n"
        "    for o in page.get('Contents', []): s3.delete_object(Bucket=b, Key=o['Key'])\n"
        "for u in s3.list_multipart_uploads(Bucket=b, Prefix='soak/').get('Uploads', []): s3.abort_multipart_upload(Bucket=b, Key=u['Key'], UploadId=u['UploadId'])\n")
    subprocess.run([PYTHON, "-c", script], check=True)


def rss_trend(db):
    """Peak RSS (MB) of the early and late thirds of the runs that ended on their own, and their ratio."""
    peaks = [r["max_rss_kb"] / 1024 for r in runs if r["db"] == db and r["signal"] is None and r["exit"] in (0, 1, 3)]
    if len(peaks) < 6:
        return dict(runs=len(peaks), early=None, late=None, ratio=None)
    third = len(peaks) // 3
    early, late = statistics.median(peaks[:third]), statistics.median(peaks[-third:])
    return dict(runs=len(peaks), early=round(early, 1), late=round(late, 1), ratio=round(late / early, 2))


def count_lines(path, pattern):
    return len(re.findall(pattern, path.read_text(errors="replace"), re.MULTILINE)) if path.exists() else 0


# ---------------------------------------------------------------- main
def main():
    WORK.mkdir(parents=True, exist_ok=True)
    for old in list(WORK.glob("*.log")) + list(WORK.glob("*.yml")):
        old.unlink()
    subprocess.run(["rm", "-rf", str(WORK / "files")], check=True)
    log(f"soak: {SECONDS} s of chaos, seed {SEED}, binaries {BIN}, work in {WORK}")
    emulator, proxy, writers = Emulator(), FaultProxy(), []
    failures = []
    try:
        emulator.start(faults=False)
        clear_s3()
        create_sources()
        write_configs(proxy.url)
        set_up_warehouse()
        log(f"20 tables ({INITIAL_ROWS} rows each, full ones {initial_rows(TABLES[-1])}) on PostgreSQL and MariaDB; S3 through {proxy.url}; emulator faults on")
        emulator.stop()
        emulator.start(faults=True)

        next_ids = {t["name"]: initial_rows(t) for t in TABLES}
        writers = [Writer(db, n, next_ids) for db in ("pg", "my") for n in range(3)]
        for writer in writers:
            writer.start()
        runners = [Runner("pg"), Runner("my")]
        for runner in runners:
            runner.start()
        killer = threading.Thread(target=session_killer, args=(random.Random(SEED + 11),), daemon=True)
        killer.start()
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            time.sleep(min(30, max(0, deadline - time.monotonic())))
            log(f"{len(runs)} runs so far ({sum(r['signal'] == 'SIGKILL' for r in runs)} SIGKILL, "
                f"{sum(r['signal'] == 'SIGTERM' for r in runs)} SIGTERM), {sum(w.transactions for w in writers)} writer transactions")
        stop_chaos.set()
        for runner in runners:
            runner.join()
        killer.join()
        for writer in writers:
            writer.finish()
        log("chaos over: writer stopped, faults off")
        proxy.faults_off()
        emulator.stop()
        emulator.start(faults=False)

        clean = {}
        for db in ("pg", "my"):
            exits = []
            for _ in range(4):
                exits.append(rrr("replicate", "--all", "--jobs", "2", db=db, check=False).returncode)
                if exits[-1] == 0 and len(exits) >= 2 and exits[-2] == 0:
                    break
            clean[db] = exits
            if exits[-1] != 0:
                failures.append(f"{db}: the clean runs did not succeed (exit codes {exits}; see rrr-{db}.log)")
            elif any(code != 0 for code in exits):
                failures.append(f"{db}: a clean run failed before one succeeded (exit codes {exits}; see rrr-{db}.log)")

        comparisons = [compare(t) for t in TABLES]
        for c in comparisons:
            if c["duplicates"] or c["missing"] or c["extra"] or c["different"]:
                failures.append(f"{c['table']}: {c['missing']} missing, {c['extra']} extra, {c['different']} different, "
                                f"{c['duplicates']} duplicate rows in Redshift (ids {c['examples']})")
        files, s3 = leftover_files(), leftover_objects()
        if files:
            failures.append(f"{len(files)} files left in local_path: {files[:5]}")
        if s3["objects"] or s3["uploads"]:
            failures.append(f"S3 under soak/: {len(s3['objects'])} objects, {len(s3['uploads'])} incomplete uploads left: "
                            f"{(s3['objects'] + s3['uploads'])[:5]}")
        rss = {db: rss_trend(db) for db in ("pg", "my")}
        for db, trend in rss.items():
            if trend["ratio"] and trend["ratio"] > 1.5 and trend["late"] - trend["early"] > 20:
                failures.append(f"{db}: rrr's peak RSS grew from {trend['early']} MB (early runs) to {trend['late']} MB (late runs)")
        overran = [r for r in runs if r["overran"]]
        if overran:
            failures.append(f"{len(overran)} runs left alone did not end within {RUN_CAP} s (a hang; see rrr-*.log)")
        hung = [r for r in runs if r["hung_after_term"]]
        if hung:
            failures.append(f"{len(hung)} runs did not stop within 30 s of SIGTERM")

        proxy.stop()
        figures = dict(
            seed=SEED, seconds=SECONDS, runs=len(runs),
            runs_by_end=dict(left_alone_finished=sum(r["signal"] is None for r in runs),
                             SIGKILL=sum(r["signal"] == "SIGKILL" and not r["overran"] for r in runs),
                             SIGTERM=sum(r["signal"] == "SIGTERM" for r in runs),
                             overran_killed=sum(r["overran"] for r in runs)),
            exit_codes={str(k): sum(r["exit"] == k for r in runs) for k in sorted({r["exit"] for r in runs})},
            writer=dict(transactions=sum(w.transactions for w in writers), long_transactions=sum(w.long_transactions for w in writers)),
            faults=dict(
                s3={kind: count_lines(proxy.log_path, rf"fault {kind} ") for kind in S3_RATES},
                emulator={kind: count_lines(WORK / "emulator.log", rf"fault injection: {kind}\b")
                          for kind in ("copy-failure", "copy-drop", "commit-drop", "serializable-violation")},
                source_sessions_terminated=terminations),
            clean_runs=clean,
            rows_compared=sum(c["rows"] for c in comparisons),
            tables_equal=sum(not (c["duplicates"] or c["missing"] or c["extra"] or c["different"]) for c in comparisons),
            tables=len(comparisons), leftover_local_files=len(files), leftover_s3_objects=len(s3["objects"]) + len(s3["uploads"]),
            rss_mb=rss, failures=failures)
        (WORK / "figures.json").write_text(json.dumps(dict(figures, runs_detail=runs), indent=2))
        print_figures(figures)
    finally:
        stop_chaos.set()
        for process in list(running):
            process.kill()
        for writer in writers:
            if writer.process.poll() is None:
                writer.process.kill()
        emulator.stop()
        proxy.stop()
    return 1 if failures else 0


def print_figures(f):
    print(f"""
soak figures (seed {f['seed']}, {f['seconds']} s of chaos)
  rrr runs            {f['runs']}: {f['runs_by_end']['left_alone_finished']} left alone, {f['runs_by_end']['SIGKILL']} SIGKILL, {f['runs_by_end']['SIGTERM']} SIGTERM, {f['runs_by_end']['overran_killed']} overran {RUN_CAP} s
  exit codes          {', '.join(f'{k}: {v}' for k, v in f['exit_codes'].items())}
  writer              {f['writer']['transactions']} transactions, {f['writer']['long_transactions']} held open 1-5 s
  S3 faults           {', '.join(f'{k} {v}' for k, v in f['faults']['s3'].items())}
  emulator faults     {', '.join(f'{k} {v}' for k, v in f['faults']['emulator'].items())}
  sessions terminated PostgreSQL {f['faults']['source_sessions_terminated']['pg']}, MariaDB {f['faults']['source_sessions_terminated']['my']} (mid-export)
  clean runs          {', '.join(f'{db} exits {codes}' for db, codes in f['clean_runs'].items())}
  rows compared       {f['rows_compared']} (per-row md5, both sides)
  tables equal        {f['tables_equal']} of {f['tables']}
  leftovers           {f['leftover_local_files']} local files, {f['leftover_s3_objects']} S3 objects
  peak RSS (MB)       {'; '.join(f"{db} early {t['early']} late {t['late']} ({t['runs']} runs)" for db, t in f['rss_mb'].items())}
  result              {'FAILED' if f['failures'] else 'ok'}""")
    for failure in f["failures"]:
        print(f"  - {failure}")


if __name__ == "__main__":
    sys.exit(main())
