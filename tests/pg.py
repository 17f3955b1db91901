"""Database fixtures: every test gets an empty database, on SQLite and on PostgreSQL.

PostgreSQL runs when ``REDACTOR_TEST_POSTGRES`` holds a URL (``.ci/run`` starts a throwaway
server and sets it); each test then gets its own schema, dropped afterwards. Import the
fixtures into a test module: ``from tests.pg import db_url, storage  # noqa: F401``.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from redactor.storage import Storage, open_storage

POSTGRES_ENV = "REDACTOR_TEST_POSTGRES"


def _postgres_unavailable(url: str) -> str | None:
    """Why the PostgreSQL tests cannot run, or None when a server answers at ``url``."""
    if not url:
        return f"no PostgreSQL: {POSTGRES_ENV} is not set (.ci/run starts one and sets it)"
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as error:  # the message may quote the URL's password: not shown
        return f"no PostgreSQL: {POSTGRES_ENV} is set but no server answers ({type(error).__name__})"
    return None


POSTGRES_URL = os.environ.get(POSTGRES_ENV, "")
_UNAVAILABLE = _postgres_unavailable(POSTGRES_URL)
needs_postgres = pytest.mark.skipif(_UNAVAILABLE is not None, reason=_UNAVAILABLE or "")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=needs_postgres),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody else uses: a new SQLite file (its directory not yet created), or a
    new PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "data" / "redactor.db")
    else:
        with fresh_postgres_schema(POSTGRES_URL) as url:
            yield url


@pytest.fixture
def storage(db_url: str) -> Iterator[Storage]:
    opened = open_storage(db_url)
    yield opened
    opened.close()


@contextmanager
def fresh_postgres_schema(base_url: str) -> Iterator[str]:
    """``base_url`` with its search_path set to a new schema, dropped on exit."""
    import psycopg
    from psycopg import sql

    schema = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        try:
            separator = "&" if "?" in base_url else "?"
            yield f"{base_url}{separator}options=-csearch_path%3D{schema}"
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def raw_rows(db_url: str, sql_text: str, params: tuple = ()) -> list[tuple]:
    """Run one statement past the storage API (``?`` placeholders): to see what is really
    stored, or to change it behind the storage's back. Returns the rows, if any."""
    if db_url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db_url, autocommit=True) as conn:
            cursor = conn.execute(sql_text.replace("?", "%s"), params)
            return [tuple(row) for row in cursor] if cursor.description else []
    conn = sqlite3.connect(db_url, isolation_level=None)  # autocommit: writes are kept
    try:
        return conn.execute(sql_text, params).fetchall()
    finally:
        conn.close()
