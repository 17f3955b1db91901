"""The console's own tables, in the database the server writes (SQLite or PostgreSQL).

The server's tables (``segments``, ``recordings``, ``api_keys``) are only read here, with
plain SQL on the schema of :mod:`redactor.storage`; the console's tables all start with
``console_``. Statements are written with ``?`` placeholders. One connection, serialised by
a lock: the web app calls it from Starlette's worker threads.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from redactor.errors import StorageError
from redactor.storage import _is_postgres, _sqlite_path, describe_db, immediate_transaction, open_storage

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS console_users (
        id {serial} PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        totp_secret TEXT NOT NULL,
        totp_last_step BIGINT NOT NULL DEFAULT 0,
        roles TEXT NOT NULL,
        can_decrypt {bool} NOT NULL,
        disabled {bool} NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until {time},
        created_at {time} NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS console_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('mfa', 'full')),
        csrf TEXT NOT NULL,
        created_at {time} NOT NULL,
        seen_at {time} NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS console_audit (
        id {serial} PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL,
        client TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS console_scorecards (
        id {serial} PRIMARY KEY,
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        agent TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        answers TEXT NOT NULL,
        score {float} NOT NULL,
        comment TEXT NOT NULL,
        created_at {time} NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS console_scorecards_session ON console_scorecards (session_id, kind)",
    # One row per conversation, kept up to date from `segments` (see conversations.py).
    """CREATE TABLE IF NOT EXISTS console_conversations (
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        first_at {time} NOT NULL,
        last_at {time} NOT NULL,
        segments INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        duration_s {float},
        speakers TEXT NOT NULL,
        entity_types TEXT NOT NULL,
        max_id BIGINT NOT NULL,
        PRIMARY KEY (session_id, kind))""",
    "CREATE INDEX IF NOT EXISTS console_conversations_last ON console_conversations (last_at)",
    """CREATE TABLE IF NOT EXISTS console_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL)""",
    # Access-anomaly alerts (alerts.py): one row per (user, hour, kind), so none is raised twice;
    # its webhook delivery is tracked here so that retries survive a restart.
    """CREATE TABLE IF NOT EXISTS console_alerts (
        id {serial} PRIMARY KEY,
        actor TEXT NOT NULL,
        hour TEXT NOT NULL,
        kind TEXT NOT NULL,
        count INTEGER NOT NULL,
        threshold {float} NOT NULL,
        usual {float} NOT NULL,
        baseline TEXT NOT NULL,
        raised_at {time} NOT NULL,
        acknowledged_by TEXT,
        acknowledged_at {time},
        delivery TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at {time},
        last_status TEXT NOT NULL DEFAULT '',
        UNIQUE (actor, hour, kind))""",
    "CREATE INDEX IF NOT EXISTS console_alerts_delivery ON console_alerts (delivery, next_attempt_at)",
    # Agent-compliance flags per conversation (compliance.py): types and segment numbers, never values.
    """CREATE TABLE IF NOT EXISTS console_compliance (
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        seq INTEGER NOT NULL,
        speaker TEXT NOT NULL,
        flag TEXT NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (session_id, kind, seq, flag, detail))""",
    # Which conversations the flags were computed for, up to which segment id (as console_conversations).
    """CREATE TABLE IF NOT EXISTS console_compliance_state (
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        max_id BIGINT NOT NULL,
        at {time} NOT NULL,
        flags INTEGER NOT NULL,
        PRIMARY KEY (session_id, kind))""",
    "CREATE INDEX IF NOT EXISTS console_compliance_state_at ON console_compliance_state (at)",
)

# SQLite only: a full-text index of the masked text (PostgreSQL scans with ILIKE fast enough).
_SQLITE_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS console_text USING fts5(text, session_id UNINDEXED, kind UNINDEXED)",
)

_TYPES = {
    "sqlite": {"serial": "INTEGER", "float": "REAL", "bool": "INTEGER", "time": "TEXT"},
    "postgresql": {"serial": "BIGINT GENERATED ALWAYS AS IDENTITY", "float": "DOUBLE PRECISION",
                   "bool": "BOOLEAN", "time": "TIMESTAMPTZ"},
}
_SCHEMA_LOCK = 0x636F_6E73_6F6C  # "consol": serialises schema creation across processes


class Database:
    """A connection to the shared database; creates the server's and the console's tables."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.description = describe_db(url)
        self.postgres = _is_postgres(url)
        self._lock = threading.RLock()
        # The server's schema first (creates it on an empty database, checks its version).
        open_storage(url).close()
        try:
            self._conn = self._connect()
        except Exception as exc:  # noqa: BLE001 - the message may hold the URL
            raise StorageError(f"open database {self.description} failed ({type(exc).__name__})") from None
        with self.transaction():
            for statement in _SCHEMA + (() if self.postgres else _SQLITE_SCHEMA):
                self.run(statement.format_map(_TYPES["postgresql" if self.postgres else "sqlite"]))

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg

            return psycopg.connect(self.url, autocommit=True)
        conn = sqlite3.connect(_sqlite_path(self.url), check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # as the server's connection: durable in WAL mode
        return conn

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._execute(sql, params)[1]

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        """Execute one statement; the number of rows it changed."""
        return self._execute(sql, params)[0]

    def _execute(self, sql: str, params: Sequence[object]) -> tuple[int, list[tuple]]:
        with self._lock:
            try:
                if self.postgres and self._conn.closed:
                    self._conn = self._connect()
                cursor = self._conn.execute(sql.replace("?", "%s") if self.postgres else sql, params)
                rows = cursor.fetchall() if cursor.description else []
            except (sqlite3.Error, *self._pg_errors()) as exc:
                # Never the backend's message: it may quote the values.
                code = getattr(exc, "sqlstate", None) or getattr(exc, "sqlite_errorname", None)
                raise StorageError(f"console query failed ({type(exc).__name__}{f', {code}' if code else ''})") from None
            return cursor.rowcount, [tuple(row) for row in rows]

    def _pg_errors(self) -> tuple[type[Exception], ...]:
        if not self.postgres:
            return ()
        import psycopg

        return (psycopg.Error,)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction holding the database's write lock (SQLite) or an advisory
        lock (PostgreSQL): the audit chain is appended by one writer at a time."""
        with self._lock:
            if self.postgres:
                with self._conn.transaction():
                    self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                    yield
                return
            with immediate_transaction(self._conn):
                yield

    def time(self, moment: datetime) -> Any:
        """A UTC moment as this backend stores it (ISO text on SQLite, as the server does)."""
        moment = moment.astimezone(timezone.utc)
        return moment if self.postgres else moment.isoformat(timespec="microseconds")

    def read_time(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            return value.astimezone(timezone.utc)
        return datetime.fromisoformat(value).astimezone(timezone.utc)

    def now(self) -> Any:
        return self.time(datetime.now(timezone.utc))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
