"""dlt loads nested JSON and multi-line text into the emulator through S3 (jsonl files, COPY ... JSON 'auto')."""
import json

import dlt
import pytest

ROWS = [
    {
        "id": 1,
        "title": "first line\nsecond line\n\tindented, \"quoted\", back\\slash",
        "attributes": {"color": "red", "size": {"w": 10, "h": 20}},
        "tags": ["a", "b"],
        "payload": {"raw": [1, 2.5, {"x": None}], "ok": True},
        "amount": 12.5,
    },
    {
        "id": 2,
        "title": "Zoë — ünïcødé ✓",
        "attributes": {"color": "blue", "size": {"w": 1, "h": 2}},
        "tags": [],
        "payload": {"raw": [], "ok": False},
        "amount": None,
    },
    {
        "id": 3,
        "title": "",
        "attributes": {"color": None, "size": {"w": 0, "h": 0}},
        "tags": ["c"],
        "payload": {"text": "line1\nline2"},
        "amount": -0.25,
    },
]


@pytest.fixture()
def dlt_environment(redshift, s3, tmp_path, monkeypatch, schema):
    credentials = (
        f"postgresql://{redshift['user']}:{redshift['password']}@{redshift['host']}:{redshift['port']}/{redshift['database']}"
        "?sslmode=disable&connect_timeout=15"
    )
    settings = {
        "DESTINATION__REDSHIFT__CREDENTIALS": credentials,
        "DESTINATION__FILESYSTEM__BUCKET_URL": f"s3://{s3['bucket']}/dlt-{schema}",
        "DESTINATION__FILESYSTEM__CREDENTIALS__AWS_ACCESS_KEY_ID": s3["access_key_id"],
        "DESTINATION__FILESYSTEM__CREDENTIALS__AWS_SECRET_ACCESS_KEY": s3["secret_access_key"],
        "DESTINATION__FILESYSTEM__CREDENTIALS__ENDPOINT_URL": s3["endpoint"],
        "DESTINATION__FILESYSTEM__CREDENTIALS__REGION_NAME": s3["region"],
        "RUNTIME__LOG_LEVEL": "WARNING",
        "RUNTIME__DLTHUB_TELEMETRY": "false",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return tmp_path


def test_nested_json_and_multiline_text(dlt_environment, schema, redshift_cursor):
    pipeline = dlt.pipeline(
        pipeline_name="rrr_conformance", destination="redshift", staging="filesystem",
        dataset_name=schema, pipelines_dir=str(dlt_environment),
    )
    info = pipeline.run(
        ROWS, table_name="items", loader_file_format="jsonl",
        columns={"payload": {"data_type": "json"}}, primary_key="id",
    )
    assert not info.has_failed_jobs, info

    redshift_cursor.execute(
        f'select id, title, attributes__color, attributes__size__w, attributes__size__h, amount '
        f'from "{schema}".items order by id'
    )
    loaded = [(id, title, color, w, h, None if amount is None else float(amount))
              for id, title, color, w, h, amount in redshift_cursor.fetchall()]
    assert loaded == [
        (row["id"], row["title"], row["attributes"]["color"], row["attributes"]["size"]["w"],
         row["attributes"]["size"]["h"], row["amount"])
        for row in ROWS
    ]

    # Nested JSON kept whole in a SUPER column.
    redshift_cursor.execute(f'select id, json_serialize(payload) from "{schema}".items order by id')
    assert [(i, json.loads(p)) for i, p in redshift_cursor.fetchall()] == [(row["id"], row["payload"]) for row in ROWS]

    # Lists become a child table linked to the parent row.
    redshift_cursor.execute(
        f'select p.id, c.value from "{schema}".items__tags c join "{schema}".items p on p._dlt_id = c._dlt_parent_id '
        f'order by p.id, c._dlt_list_idx'
    )
    assert redshift_cursor.fetchall() == [(row["id"], tag) for row in ROWS for tag in row["tags"]]

    # A second load merges nothing twice (append by default): the row count doubles exactly.
    info = pipeline.run(ROWS, table_name="items", loader_file_format="jsonl", columns={"payload": {"data_type": "json"}})
    assert not info.has_failed_jobs, info
    redshift_cursor.execute(f'select count(*) from "{schema}".items')
    assert redshift_cursor.fetchone()[0] == 2 * len(ROWS)
