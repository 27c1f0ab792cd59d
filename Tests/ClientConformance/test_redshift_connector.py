"""AWS's own Python driver (used by dbt-redshift and awswrangler) against the emulator."""
import redshift_connector


def rows(cursor):
    """redshift_connector returns a tuple of lists; compare as plain lists."""
    return [list(row) for row in cursor.fetchall()]


def connect(redshift):
    return redshift_connector.connect(
        host=redshift["host"], port=redshift["port"], user=redshift["user"],
        password=redshift["password"], database=redshift["database"], ssl=False,
    )


def test_connects_and_sees_redshift(redshift):
    # The driver sends client_protocol_version, driver_version and os_version at startup, which
    # PostgreSQL itself would refuse (FATAL 42704).
    with connect(redshift) as connection:
        cursor = connection.cursor()
        cursor.execute("select version()")
        (version,) = cursor.fetchone()
        assert "Redshift" in version
        assert version.startswith("PostgreSQL 8.0.2")


def test_runs_queries_with_parameters_and_transactions(redshift, schema):
    with connect(redshift) as connection:
        cursor = connection.cursor()
        cursor.execute(f'create table "{schema}".t (id integer, name varchar(20), note varchar(100))')
        cursor.execute(f'insert into "{schema}".t values (%s, %s, %s)', (1, "it's", "back\\slash"))
        cursor.executemany(f'insert into "{schema}".t values (%s, %s, %s)', [(2, "two", None), (3, "three", "x")])
        connection.commit()
        cursor.execute(f'select id, name, note from "{schema}".t order by id')
        assert rows(cursor) == [[1, "it's", "back\\slash"], [2, "two", None], [3, "three", "x"]]
        cursor.execute(f'delete from "{schema}".t where id = %s', (3,))
        connection.rollback()
        cursor.execute(f'select count(*) from "{schema}".t')
        assert cursor.fetchone()[0] == 3


def test_metadata_calls(redshift, schema):
    with connect(redshift) as connection:
        cursor = connection.cursor()
        cursor.execute(f'create table "{schema}".meta (id bigint not null, label varchar(30)) sortkey(id)')
        connection.commit()
        cursor.execute("select schema_name from svv_redshift_schemas where schema_name = %s", (schema,))
        assert rows(cursor) == [[schema]]
        cursor.execute(
            "select \"column\", type, sortkey from pg_table_def where schemaname = %s and tablename = 'meta' order by 1",
            (schema,),
        )
        # pg_table_def lists only schemas on the search path.
        assert rows(cursor) == []
        cursor.execute(f"set search_path to \"{schema}\"")
        cursor.execute("select \"column\", sortkey from pg_table_def where tablename = 'meta' order by 1")
        assert rows(cursor) == [["id", 1], ["label", 0]]
