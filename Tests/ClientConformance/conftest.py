"""Shared fixtures: the local stack's Redshift emulator, PostgreSQL and S3 server (scripts/stack env)."""
import os
import uuid

import psycopg2
import pytest


def _require(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not set: start the stack (scripts/stack up) and source its env file")
        pytest.skip(f"{name} is not set (scripts/stack up, then source its env file)")
    return value


@pytest.fixture(scope="session")
def redshift() -> dict:
    """Connection settings of the emulator, as a Redshift user would have them."""
    return {
        "host": _require("RRR_TEST_REDSHIFT_HOST"),
        "port": int(_require("RRR_TEST_REDSHIFT_PORT")),
        "user": _require("RRR_TEST_REDSHIFT_USER"),
        "password": _require("RRR_TEST_REDSHIFT_PASSWORD"),
        "database": _require("RRR_TEST_REDSHIFT_DATABASE"),
    }


@pytest.fixture(scope="session")
def s3() -> dict:
    return {
        "endpoint": _require("RRR_TEST_S3_ENDPOINT"),
        "region": _require("RRR_TEST_S3_REGION"),
        "bucket": _require("RRR_TEST_S3_BUCKET"),
        "access_key_id": _require("RRR_TEST_S3_ACCESS_KEY_ID"),
        "secret_access_key": _require("RRR_TEST_S3_SECRET_ACCESS_KEY"),
    }


@pytest.fixture(scope="session")
def source_postgres_url() -> str:
    return _require("RRR_TEST_POSTGRES_URL")


@pytest.fixture()
def schema(redshift):
    """A fresh schema in the emulator, dropped afterwards (through the emulator, as a user would)."""
    name = "conf_" + uuid.uuid4().hex[:10]
    connection = psycopg2.connect(**redshift)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
        connection.close()


@pytest.fixture()
def redshift_cursor(redshift):
    """A psycopg2 cursor on the emulator (autocommit), for checking what a tool loaded."""
    connection = psycopg2.connect(**redshift)
    connection.autocommit = True
    with connection.cursor() as cursor:
        yield cursor
    connection.close()
