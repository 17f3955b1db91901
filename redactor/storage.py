"""Storage of masked output: chat messages and call transcript segments, call recordings'
metadata, and API keys (hashed).

Two backends with the same schema and behaviour: SQLite (the default; a file path or
``sqlite:///abs/path.db``) and PostgreSQL (``postgresql://...``). Only masked text is ever
given to this module. The API is blocking and thread-safe: the server calls it from worker
threads, one connection serialised by a lock.

Errors are :class:`StorageError` naming the operation and the backend's exception type,
never the values involved, and never a connection string's credentials.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from .crypto_at_rest import Keyring, WrappedKey, is_sealed, open_text, seal_text
from .errors import StorageError

SCHEMA_VERSION = 2  # 2: recordings.status
DEFAULT_DB = "data/redactor.db"  # relative to the current directory
DB_ENV = "REDACTOR_DB"


@contextmanager
def immediate_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A SQLite transaction that takes the write lock up front (BEGIN IMMEDIATE), committed at
    the end and rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


SegmentKind = Literal["chat", "call"]


@dataclass(frozen=True)
class StoredEntity:
    """A masked entity: its type and ``start``/``end`` offsets into the masked text."""

    type: str
    start: int
    end: int

    def as_json(self) -> dict[str, object]:
        """The form stored and sent to clients: ``{"type", "start", "end"}``."""
        return {"type": self.type, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Segment:
    """One chat message or call transcript segment, masked."""

    session_id: str  # chat session id or call id
    kind: SegmentKind
    seq: int  # order within the session, from 0
    speaker: str
    text: str  # masked text only
    entities: tuple[StoredEntity, ...]  # offsets into ``text``
    start_s: float | None = None  # call segments: seconds from the start of the call
    end_s: float | None = None
    failed: bool = False  # detection failed: ``text`` is the whole segment masked
    # Erasure index (redactor.erasure): keyed hashes of the identifiers detected in it.
    subject_keys: tuple[str, ...] = field(default=(), compare=False)


RecordingStatus = Literal["recording", "complete", "interrupted"]


@dataclass(frozen=True)
class Recording:
    """Metadata of a call recording; ``spans`` are the (start, end) seconds masked in it.
    ``status``: "recording" while the call runs (the file is still ``<path>.part``),
    "complete" once closed, "interrupted" when recovered after a crash (its masked spans were
    not known yet, but every byte in the file was already redacted)."""

    call_id: str
    path: str
    sample_rate: int
    channels: int
    duration_s: float
    mode: str
    spans: tuple[tuple[float, float], ...]
    status: RecordingStatus = "complete"


@dataclass(frozen=True)
class ApiKeyInfo:
    """What may be shown about an API key: never its secret or hash."""

    key_id: str
    name: str
    created_at: datetime  # UTC
    revoked_at: datetime | None  # UTC


@dataclass(frozen=True)
class ChatResume:
    """What an instance needs to carry on a chat session that may have lived elsewhere:
    the seq its next message gets, its last messages (masked) as context, and the derived
    cue state (JSON, no text) its last owner left."""

    next_seq: int
    context: tuple[Segment, ...]
    cues: str


class ChatMoved(StorageError):
    """The chat session's lease is held by another instance: this one must not write to it."""


class Storage(ABC):
    """The storage API; :func:`open_storage` picks the backend. Usable as a context manager."""

    #: Encryption at rest: with a keyring, segment text is sealed under each conversation's
    #: data key (:meth:`data_key`), which also seals its recording.
    keyring: Keyring | None = None

    @abstractmethod
    def save_segment(self, segment: Segment) -> None:
        """Store a segment; a second one with the same session, kind and seq is an error."""

    @abstractmethod
    def save_recording(self, recording: Recording) -> None:
        """Store a recording's metadata, replacing the row of the same path (the one
        :meth:`start_recording` made)."""

    def start_recording(self, recording: Recording) -> None:
        """Register a recording as it starts (status "recording"): a crash then leaves a row
        that names the call of an orphaned ``.part`` file, whose name never holds the call id."""
        self.save_recording(replace(recording, status="recording"))

    @abstractmethod
    def unfinished_recordings(self) -> list[Recording]:
        """Recordings still marked "recording": what a crash left behind."""

    @abstractmethod
    def segments(self, session_id: str) -> list[Segment]:
        """The segments of a session, ordered by seq."""

    @abstractmethod
    def next_seq(self, session_id: str, kind: str) -> int:
        """The seq a new segment of this session gets: a session resumed on a new connection
        (a chat widget reconnecting, a call re-streamed) continues, never overwrites."""

    # Chat sessions across instances: a lease row says which instance writes a session; the
    # segments table holds its seq and masked context; message ids are stored once each.

    @abstractmethod
    def claim_chat(self, session_id: str, owner: str, lease_s: float, context: int) -> ChatResume | None:
        """Take the session's lease for ``lease_s`` seconds (free, expired or already
        ``owner``'s) and return how to resume it (its last ``context`` segments); None when
        another instance holds it."""

    @abstractmethod
    def renew_chats(self, owner: str, lease_s: float) -> int:
        """Extend every lease ``owner`` holds; returns how many."""

    @abstractmethod
    def release_chat(self, session_id: str, owner: str, cues: str) -> None:
        """Give the lease up, leaving the cue state for whoever resumes the session."""

    @abstractmethod
    def save_chat_message(self, segment: Segment, owner: str, message_id: str | None, cues: str) -> None:
        """Store a chat segment, its client message id (once per session: a second is an
        error) and the session's cue state, all or nothing; :class:`ChatMoved` when
        ``owner`` no longer holds the session's lease."""

    @abstractmethod
    def chat_reply(self, session_id: str, message_id: str) -> Segment | None:
        """The stored segment of a client message id, or None when it was never stored."""

    @abstractmethod
    def recording(self, call_id: str) -> Recording | None:
        """The latest recording of a call, or None."""

    @abstractmethod
    def data_key(self, session_id: str, create: bool = False) -> bytes:
        """The conversation's data key, unwrapped (StorageError without a keyring)."""

    @abstractmethod
    def forget_data_key(self, session_id: str) -> bool:
        """Crypto-shredding: delete a conversation's data key (see the implementation)."""

    @abstractmethod
    def rotate_keys(self) -> int:
        """Re-wrap every data key under the active master key; returns how many."""

    @abstractmethod
    def add_api_key(self, key_id: str, name: str, key_hash: str) -> None:
        """Store a new key's hash; an existing key_id is an error."""

    @abstractmethod
    def api_key_hash(self, key_id: str) -> str | None:
        """The stored hash of an active key; None when the key is unknown or revoked."""

    @abstractmethod
    def list_api_keys(self) -> list[ApiKeyInfo]:
        """Every key, revoked ones included, oldest first."""

    @abstractmethod
    def revoke_api_key(self, key_id: str) -> bool:
        """Revoke a key; False when it is unknown or already revoked."""

    @abstractmethod
    def count_api_keys(self) -> int:
        """How many keys are active."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; later calls raise StorageError."""

    def __enter__(self) -> Storage:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_storage(db: str, keyring: Keyring | None = None) -> Storage:
    """Open (creating the schema if needed) ``postgresql://...``, ``postgres://...``,
    ``sqlite:///abs/path.db`` or a plain file path (its parent directories are created).
    With a ``keyring``, segment text is stored sealed (see :mod:`redactor.crypto_at_rest`)."""
    storage: _SqlStorage = PostgresStorage(db) if _is_postgres(db) else SqliteStorage(_sqlite_path(db))
    storage.keyring = keyring
    return storage


def default_db(environ: Mapping[str, str] = os.environ) -> str:
    """The database named by ``REDACTOR_DB``, else ``data/redactor.db``."""
    return environ.get(DB_ENV) or DEFAULT_DB


def describe_db(db: str) -> str:
    """``db`` as it may be logged or shown: PostgreSQL URLs lose their credentials and options."""
    if not _is_postgres(db):
        return str(_sqlite_path(db))
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(db)
    except Exception:  # noqa: BLE001 - whatever the reason, the URL must not be echoed
        return "postgresql://(unparseable URL)"
    host, port, dbname = (str(parts.get(name, "")) for name in ("host", "port", "dbname"))
    # A password holding '/' unencoded shifts its pieces into host, port or dbname: then
    # an '@' or a port that is not a number shows up, and nothing of the URL is shown.
    if "@" in host + port + dbname or not re.fullmatch(r"[0-9,]*", port):
        return "postgresql://(unparseable URL)"
    return f"postgresql://{host}{':' + port if port else ''}/{dbname}"


def _is_postgres(db: str) -> bool:
    return db.lower().startswith(("postgresql://", "postgres://"))


def _sqlite_path(db: str) -> Path:
    if db.lower().startswith("sqlite://"):
        db = db[len("sqlite://"):]
    elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", db):
        raise StorageError(f"unsupported database URL scheme {db.split('://')[0]!r}")
    if not db:
        raise StorageError("no database path given")
    return Path(db).expanduser()


# Column types differ by backend; names, constraints and behaviour do not.
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS segments (
        id {serial} PRIMARY KEY,
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('chat', 'call')),
        seq INTEGER NOT NULL CHECK (seq >= 0),
        speaker TEXT NOT NULL,
        start_s {float},
        end_s {float},
        text TEXT NOT NULL,
        entities TEXT NOT NULL,
        failed {bool} NOT NULL,
        created_at {time} NOT NULL,
        UNIQUE (session_id, kind, seq))""",
    """CREATE TABLE IF NOT EXISTS recordings (
        id {serial} PRIMARY KEY,
        call_id TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        sample_rate INTEGER NOT NULL,
        channels INTEGER NOT NULL,
        duration_s {float} NOT NULL,
        mode TEXT NOT NULL,
        spans TEXT NOT NULL,
        created_at {time} NOT NULL,
        status TEXT NOT NULL DEFAULT 'complete')""",
    """CREATE TABLE IF NOT EXISTS api_keys (
        key_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        created_at {time} NOT NULL,
        revoked_at {time})""",
    # Which instance writes a chat session, until when (epoch seconds), and the cue state
    # (JSON, derived, no text) it leaves for the next one. Expired: any instance may claim it.
    """CREATE TABLE IF NOT EXISTS chat_leases (
        session_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires {float} NOT NULL,
        cues TEXT NOT NULL)""",
    # Client message ids, each stored once per session: a resent message is answered from here.
    """CREATE TABLE IF NOT EXISTS chat_message_ids (
        session_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (session_id, message_id))""",
    # Encryption at rest: each conversation's data key, wrapped by a master key.
    """CREATE TABLE IF NOT EXISTS data_keys (
        session_id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        wrapped TEXT NOT NULL,
        created_at {time} NOT NULL)""",
    # Erasure by data subject (redactor.erasure): keyed hashes, never values.
    """CREATE TABLE IF NOT EXISTS erasure_index (
        token TEXT NOT NULL,
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (token, session_id, kind))""",
    "CREATE INDEX IF NOT EXISTS erasure_index_session ON erasure_index (session_id, kind)",
    "CREATE INDEX IF NOT EXISTS segments_created ON segments (kind, created_at)",
)

_SEGMENT_COLUMNS = "session_id, kind, seq, speaker, text, entities, start_s, end_s, failed"
_RECORDING_COLUMNS = "call_id, path, sample_rate, channels, duration_s, mode, spans, status"
# Each step takes the schema from the version before it to its own.
_MIGRATIONS = {2: ("ALTER TABLE recordings ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'",)}


class _SqlStorage(Storage):
    """The queries, shared by both backends. SQL is written with ``?`` placeholders."""

    _types: Mapping[str, str]
    _errors: tuple[type[Exception], ...]

    def __init__(self, description: str) -> None:
        self._description = description
        self._data_keys: dict[str, bytes] = {}  # unwrapped, by conversation; bounded below
        self._lock = threading.Lock()
        self._closed = False
        with self._translated(f"open database {description}"):
            self._conn: Any = self._connect()
        try:
            self._create_schema()
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._description}>"

    # Backend hooks.

    @abstractmethod
    def _connect(self) -> Any: ...

    @abstractmethod
    def _transaction(self) -> Any:
        """A context manager holding a write transaction (and, on PostgreSQL, a lock)."""

    @abstractmethod
    def _begin(self) -> Any:
        """A context manager holding a write transaction, committed at its end."""

    def _sql(self, sql: str) -> str:
        return sql

    def _encode_time(self, moment: datetime) -> Any:
        return moment

    def _decode_time(self, value: Any) -> datetime:
        return value.astimezone(timezone.utc)

    def _reconnect_if_lost(self) -> None:
        """Called before each statement: PostgreSQL replaces a connection the server dropped."""

    # Segments and recordings.

    def save_segment(self, segment: Segment) -> None:
        self._run("save segment", *self._segment_insert(segment))
        self._index_subject_keys(segment)

    def _segment_insert(self, segment: Segment) -> tuple[str, tuple]:
        entities = [e.as_json() for e in segment.entities]
        text = segment.text
        if self.keyring is not None:
            text = seal_text(self.data_key(segment.session_id, create=True), text, _row_context(segment))
        return (f"INSERT INTO segments ({_SEGMENT_COLUMNS}, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (segment.session_id, segment.kind, segment.seq, segment.speaker, text,
                 json.dumps(entities), segment.start_s, segment.end_s, segment.failed, self._now()))

    # Chat sessions across instances.

    def claim_chat(self, session_id: str, owner: str, lease_s: float, context: int) -> ChatResume | None:
        now = time.time()
        # One statement: of two instances claiming at once, one inserts or updates, the
        # other changes nothing.
        claimed = self._run(
            "claim chat session",
            "INSERT INTO chat_leases (session_id, owner, expires, cues) VALUES (?, ?, ?, '{}')"
            " ON CONFLICT (session_id) DO UPDATE SET owner = excluded.owner, expires = excluded.expires"
            " WHERE chat_leases.expires < ? OR chat_leases.owner = excluded.owner",
            (session_id, owner, now + lease_s, now),
        )
        if claimed != 1:
            return None
        cues = self._query("read chat cues", "SELECT cues FROM chat_leases WHERE session_id = ?", (session_id,))
        rows = self._query(
            "read chat context",
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE session_id = ? AND kind = 'chat'"
            " ORDER BY seq DESC LIMIT ?",
            (session_id, context),
        ) if context else []
        last = self.next_seq(session_id, "chat")
        recent = tuple(self._opened(_segment_from_row(row)) for row in reversed(rows))
        return ChatResume(last, recent, cues[0][0] if cues else "{}")

    def renew_chats(self, owner: str, lease_s: float) -> int:
        return self._run("renew chat sessions", "UPDATE chat_leases SET expires = ? WHERE owner = ? AND expires > 0",
                         (time.time() + lease_s, owner))

    def release_chat(self, session_id: str, owner: str, cues: str) -> None:
        self._run("release chat session",
                  "UPDATE chat_leases SET expires = 0, cues = ? WHERE session_id = ? AND owner = ?",
                  (cues, session_id, owner))

    def save_chat_message(self, segment: Segment, owner: str, message_id: str | None, cues: str) -> None:
        # The lease row first: it fences a writer whose lease another instance took (and,
        # on PostgreSQL, locks the row until the segment is in).
        statements = [self._segment_insert(segment)]
        if message_id is not None:
            statements.append(("INSERT INTO chat_message_ids (session_id, message_id, seq) VALUES (?, ?, ?)",
                               (segment.session_id, message_id, segment.seq)))
        fence = ("UPDATE chat_leases SET cues = ? WHERE session_id = ? AND owner = ?",
                 (cues, segment.session_id, owner))
        if not self._run_together("save chat message", fence, statements):
            raise ChatMoved("save chat message refused: the session is held by another instance")
        self._index_subject_keys(segment)

    def chat_reply(self, session_id: str, message_id: str) -> Segment | None:
        rows = self._query(
            "read chat reply",
            f"SELECT {', '.join('s.' + c for c in _SEGMENT_COLUMNS.split(', '))} FROM chat_message_ids m"
            " JOIN segments s ON s.session_id = m.session_id AND s.kind = 'chat' AND s.seq = m.seq"
            " WHERE m.session_id = ? AND m.message_id = ?",
            (session_id, message_id),
        )
        return self._opened(_segment_from_row(rows[0])) if rows else None

    def segments(self, session_id: str) -> list[Segment]:
        rows = self._query(
            "read segments",
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE session_id = ? ORDER BY seq, kind",
            (session_id,),
        )
        return [self._opened(_segment_from_row(row)) for row in rows]

    def _opened(self, segment: Segment) -> Segment:
        if not is_sealed(segment.text):
            return segment
        if self.keyring is None:
            raise StorageError("stored text is encrypted: configure the storage key to read it")
        return replace(segment, text=open_text(self.data_key(segment.session_id), segment.text,
                                               _row_context(segment)))

    def data_key(self, session_id: str, create: bool = False) -> bytes:
        """The conversation's data key, unwrapped; ``create``: make it if it has none."""
        if self.keyring is None:
            raise StorageError("no storage key configured")
        if session_id in self._data_keys:
            return self._data_keys[session_id]
        rows = self._query("read data key", "SELECT key_id, wrapped FROM data_keys WHERE session_id = ?",
                           (session_id,))
        if not rows and create:
            _, wrapped = self.keyring.new_data_key(session_id)
            # Another instance may create it at the same moment: the first row wins.
            self._run("save data key", "INSERT INTO data_keys (session_id, key_id, wrapped, created_at)"
                      " VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING",
                      (session_id, wrapped.key_id, wrapped.wrapped, self._now()))
            rows = self._query("read data key", "SELECT key_id, wrapped FROM data_keys WHERE session_id = ?",
                               (session_id,))
        if not rows:
            raise StorageError("no data key for this conversation")
        if len(self._data_keys) >= _DATA_KEY_CACHE:
            self._data_keys.pop(next(iter(self._data_keys)))
        key = self._data_keys[session_id] = self.keyring.unwrap(WrappedKey(*rows[0]), session_id)
        return key

    def forget_data_key(self, session_id: str) -> bool:
        """Crypto-shredding: delete a conversation's data key. Its sealed text and recording
        can then never be read again, copies and backups included. False if it had none."""
        self._data_keys.pop(session_id, None)
        return self._run("delete data key", "DELETE FROM data_keys WHERE session_id = ?", (session_id,)) > 0

    def rotate_keys(self) -> int:
        """Re-wrap every data key not under the active master key; returns how many."""
        if self.keyring is None:
            raise StorageError("no storage key configured")
        rows = self._query("read data keys", "SELECT session_id, key_id, wrapped FROM data_keys WHERE key_id <> ?",
                           (self.keyring.active_id,))
        for session_id, key_id, wrapped in rows:
            new = self.keyring.rewrap(WrappedKey(key_id, wrapped), session_id)
            self._run("rotate data key", "UPDATE data_keys SET key_id = ?, wrapped = ? WHERE session_id = ?",
                      (new.key_id, new.wrapped, session_id))
        return len(rows)

    def next_seq(self, session_id: str, kind: str) -> int:
        rows = self._query(
            "read next sequence number",
            "SELECT MAX(seq) FROM segments WHERE session_id = ? AND kind = ?",
            (session_id, kind),
        )
        return 0 if rows[0][0] is None else int(rows[0][0]) + 1

    def save_recording(self, recording: Recording) -> None:
        spans = json.dumps([[start, end] for start, end in recording.spans])
        values = (recording.call_id, recording.sample_rate, recording.channels,
                  recording.duration_s, recording.mode, spans, recording.status)
        updated = self._run(
            "save recording",
            "UPDATE recordings SET call_id = ?, sample_rate = ?, channels = ?, duration_s = ?,"
            " mode = ?, spans = ?, status = ? WHERE path = ?",
            (*values, recording.path),
        )
        if updated == 0:
            self._run(
                "save recording",
                f"INSERT INTO recordings ({_RECORDING_COLUMNS}, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (recording.call_id, recording.path, *values[1:], self._now()),
            )

    def unfinished_recordings(self) -> list[Recording]:
        rows = self._query(
            "read unfinished recordings",
            f"SELECT {_RECORDING_COLUMNS} FROM recordings WHERE status = 'recording' ORDER BY id",
        )
        return [_recording_from_row(row) for row in rows]

    def recording(self, call_id: str) -> Recording | None:
        rows = self._query(
            "read recording",
            f"SELECT {_RECORDING_COLUMNS} FROM recordings WHERE call_id = ? ORDER BY id DESC LIMIT 1",
            (call_id,),
        )
        return _recording_from_row(rows[0]) if rows else None

    # Retention and erasure (redactor.retention, redactor.erasure).

    def _index_subject_keys(self, segment: Segment) -> None:
        for token in segment.subject_keys:
            self._run("index segment", "INSERT INTO erasure_index (token, session_id, kind) VALUES (?, ?, ?)"
                      " ON CONFLICT DO NOTHING", (token, segment.session_id, segment.kind))

    def subject_conversations(self, tokens: Collection[str]) -> list[tuple[str, str]]:
        """(session_id, kind) of the conversations indexed under any of ``tokens``."""
        if not tokens:
            return []
        marks = ", ".join("?" * len(tokens))
        return self._query("search erasure index", "SELECT DISTINCT session_id, kind FROM erasure_index"
                           f" WHERE token IN ({marks})", tuple(tokens))

    def conversations_with_ids(self, session_ids: Collection[str]) -> list[tuple[str, str]]:
        """(session_id, kind) of the stored conversations (segments or recordings) with these ids."""
        if not session_ids:
            return []
        marks, ids = ", ".join("?" * len(session_ids)), tuple(session_ids)
        rows = self._query("find conversations", f"SELECT DISTINCT session_id, kind FROM segments"
                           f" WHERE session_id IN ({marks})", ids)
        rows += self._query("find conversations", f"SELECT DISTINCT call_id, 'call' FROM recordings"
                            f" WHERE call_id IN ({marks})", ids)
        return sorted(set(rows))

    def conversations_containing(self, needles: Collection[str]) -> list[tuple[str, str]]:
        """(session_id, kind) of the conversations whose (opened) text contains any of
        ``needles``: read in Python, as sealed text cannot be searched in SQL."""
        found = set()
        for session_id, in self._query("list conversations", "SELECT DISTINCT session_id FROM segments"):
            for segment in self.segments(session_id):
                if any(needle in segment.text for needle in needles):
                    found.add((session_id, segment.kind))
        return sorted(found)

    def expired_conversations(self, kind: str, before: datetime) -> list[str]:
        """Ids of the conversations of ``kind`` whose last segment is older than ``before``."""
        rows = self._query("find expired conversations", "SELECT session_id FROM segments WHERE kind = ?"
                           " GROUP BY session_id HAVING MAX(created_at) < ?", (kind, self._encode_time(before)))
        return [row[0] for row in rows]

    def expired_recordings(self, before: datetime) -> list[str]:
        """Paths of the recordings (of finished or interrupted calls) started before ``before``."""
        rows = self._query("find expired recordings", "SELECT path FROM recordings WHERE created_at < ?"
                           " AND status <> 'recording'", (self._encode_time(before),))
        return [row[0] for row in rows]

    def delete_recording_row(self, path: str) -> int:
        return self._run("delete recording", "DELETE FROM recordings WHERE path = ?", (path,))

    def erase_conversation(self, session_id: str, kind: str, recordings: bool = True
                           ) -> tuple[dict[str, int], list[str]]:
        """Delete a conversation's segments, index entries, recordings' rows (a call) and,
        once no conversation of its id is left, its data key (its ciphertext is then
        unreadable anywhere, backups included). Returns the counts and the recording paths,
        whose files the caller deletes."""
        paths = []
        if kind == "call" and recordings:
            paths = [row[0] for row in self._query("read recordings", "SELECT path FROM recordings"
                                                   " WHERE call_id = ?", (session_id,))]
        counts = {
            "segments": self._run("erase segments", "DELETE FROM segments WHERE session_id = ? AND kind = ?",
                                  (session_id, kind)),
            "index_entries": self._run("erase index entries", "DELETE FROM erasure_index"
                                       " WHERE session_id = ? AND kind = ?", (session_id, kind)),
            "recordings": sum(self.delete_recording_row(path) for path in paths),
            "data_keys": 0,
        }
        if kind == "chat":  # the session's state across instances: message ids, lease and cues
            counts["message_ids"] = self._run("erase message ids", "DELETE FROM chat_message_ids"
                                              " WHERE session_id = ?", (session_id,))
            self._run("erase chat lease", "DELETE FROM chat_leases WHERE session_id = ?", (session_id,))
        if not self._query("read segments", "SELECT 1 FROM segments WHERE session_id = ? LIMIT 1", (session_id,)):
            self._data_keys.pop(session_id, None)
            counts["data_keys"] = self._run("erase data key", "DELETE FROM data_keys WHERE session_id = ?",
                                            (session_id,))
        return counts, paths

    # API keys.

    def add_api_key(self, key_id: str, name: str, key_hash: str) -> None:
        self._run(
            "add API key",
            "INSERT INTO api_keys (key_id, name, key_hash, created_at) VALUES (?, ?, ?, ?)",
            (key_id, name, key_hash, self._now()),
        )

    def api_key_hash(self, key_id: str) -> str | None:
        rows = self._query(
            "read API key",
            "SELECT key_hash FROM api_keys WHERE key_id = ? AND revoked_at IS NULL",
            (key_id,),
        )
        return rows[0][0] if rows else None

    def list_api_keys(self) -> list[ApiKeyInfo]:
        rows = self._query(
            "list API keys",
            "SELECT key_id, name, created_at, revoked_at FROM api_keys ORDER BY created_at, key_id",
        )
        return [
            ApiKeyInfo(key_id, name, self._decode_time(created),
                       None if revoked is None else self._decode_time(revoked))
            for key_id, name, created, revoked in rows
        ]

    def revoke_api_key(self, key_id: str) -> bool:
        changed = self._run(
            "revoke API key",
            "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
            (self._now(), key_id),
        )
        return changed == 1

    def count_api_keys(self) -> int:
        rows = self._query(
            "count API keys", "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL")
        return int(rows[0][0])

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    # Plumbing.

    def _now(self) -> Any:
        return self._encode_time(datetime.now(timezone.utc))

    def _run(self, operation: str, sql: str, params: Sequence[object] = ()) -> int:
        """Execute one statement; returns the number of rows it changed."""
        return self._execute(operation, sql, params)[0]

    def _query(self, operation: str, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._execute(operation, sql, params)[1]

    def _execute(
        self, operation: str, sql: str, params: Sequence[object]
    ) -> tuple[int, list[tuple]]:
        _refuse_nul(operation, params)
        with self._lock, self._translated(operation):
            if self._closed:
                raise StorageError(f"{operation} failed: storage is closed")
            self._reconnect_if_lost()
            cursor = self._conn.execute(self._sql(sql), params)
            rows = cursor.fetchall() if cursor.description else []
            return cursor.rowcount, [tuple(row) for row in rows]

    def _run_together(self, operation: str, guard: tuple[str, Sequence[object]],
                      statements: Sequence[tuple[str, Sequence[object]]]) -> bool:
        """In one transaction: ``guard``, then, if it changed a row, ``statements``. Returns
        whether they ran; any failure rolls all of them back."""
        for _, params in (guard, *statements):
            _refuse_nul(operation, params)
        with self._lock, self._translated(operation):
            if self._closed:
                raise StorageError(f"{operation} failed: storage is closed")
            self._reconnect_if_lost()
            with self._begin():
                if self._conn.execute(self._sql(guard[0]), guard[1]).rowcount != 1:
                    return False
                for sql, params in statements:
                    self._conn.execute(self._sql(sql), params)
            return True

    @contextmanager
    def _translated(self, operation: str) -> Iterator[None]:
        try:
            yield
        except self._errors as exc:
            # `from None`: the backend's own message may quote the values (the row that
            # clashed, the text it could not store), and a logged traceback shows causes.
            raise StorageError(_failure(operation, exc)) from None

    def _create_schema(self) -> None:
        with self._lock, self._translated("create schema"), self._transaction():
            for statement in _SCHEMA:
                self._conn.execute(statement.format_map(self._types))
            versions = [row[0] for row in self._conn.execute("SELECT version FROM schema_version")]
            if not versions:
                self._conn.execute(self._sql("INSERT INTO schema_version (version) VALUES (?)"),
                                   (SCHEMA_VERSION,))
            elif max(versions) < SCHEMA_VERSION:
                for version in range(max(versions) + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[version]:
                        self._conn.execute(statement)
                self._conn.execute(self._sql("UPDATE schema_version SET version = ?"), (SCHEMA_VERSION,))
            elif max(versions) != SCHEMA_VERSION:
                raise StorageError(
                    f"database schema version {max(versions)} is not supported"
                    f" (this redactor uses version {SCHEMA_VERSION})")


class SqliteStorage(_SqlStorage):
    _types = {"serial": "INTEGER", "float": "REAL", "bool": "INTEGER", "time": "TEXT"}
    _errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self._path = path
        super().__init__(str(path))

    def _connect(self) -> sqlite3.Connection:
        if str(self._path) != ":memory:":
            _create_private_file(self._path)
        # isolation_level=None: each statement commits by itself, like psycopg's autocommit.
        conn = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        # WAL lets `redactor keys` read while the server writes; the busy timeout makes a
        # second process wait for the write lock instead of failing at once.
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _transaction(self) -> Any:
        return immediate_transaction(self._conn)

    def _begin(self) -> Any:
        return immediate_transaction(self._conn)

    # SQLite has no time type: ISO-8601 UTC text, which also sorts in time order.
    def _encode_time(self, moment: datetime) -> str:
        return moment.isoformat(timespec="microseconds")

    def _decode_time(self, value: Any) -> datetime:
        return datetime.fromisoformat(value).astimezone(timezone.utc)


class PostgresStorage(_SqlStorage):
    _types = {
        "serial": "BIGINT GENERATED ALWAYS AS IDENTITY",
        "float": "DOUBLE PRECISION",
        "bool": "BOOLEAN",
        "time": "TIMESTAMPTZ",
    }
    # Any number unique to this schema: serialises schema creation across processes.
    _SCHEMA_LOCK = 0x7265_6461_6374  # "redact"

    def __init__(self, url: str) -> None:
        import psycopg  # only PostgreSQL users need it loaded

        self._psycopg = psycopg
        self._errors = (psycopg.Error,)
        self._url = url
        super().__init__(describe_db(url))

    def _connect(self) -> Any:
        return self._psycopg.connect(self._url, autocommit=True)

    def _begin(self) -> Any:
        return self._conn.transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._conn.transaction():
            # Two processes creating the tables at once would clash on the catalog.
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._SCHEMA_LOCK,))
            yield

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _reconnect_if_lost(self) -> None:
        # A server restart closes the connection: the statement that noticed failed,
        # the next one gets a new connection instead of failing forever.
        if self._conn.closed:
            self._conn = self._connect()


def _segment_from_row(row: Sequence[Any]) -> Segment:
    session_id, kind, seq, speaker, text, entities, start_s, end_s, failed = row
    return Segment(
        session_id=session_id, kind=kind, seq=seq, speaker=speaker, text=text,
        entities=tuple(StoredEntity(e["type"], e["start"], e["end"]) for e in json.loads(entities)),
        start_s=start_s, end_s=end_s, failed=bool(failed),
    )


_DATA_KEY_CACHE = 4096


def _row_context(segment: Segment) -> str:
    """What a sealed text is bound to: moved to another row, it no longer opens."""
    return f"segment\x00{segment.session_id}\x00{segment.kind}\x00{segment.seq}"


def _recording_from_row(row: Sequence[Any]) -> Recording:
    call_id, path, sample_rate, channels, duration_s, mode, spans, status = row
    return Recording(
        call_id=call_id, path=path, sample_rate=sample_rate, channels=channels,
        duration_s=duration_s, mode=mode,
        spans=tuple((float(start), float(end)) for start, end in json.loads(spans)), status=status,
    )


def _refuse_nul(operation: str, params: Sequence[object]) -> None:
    # PostgreSQL cannot store NUL in text and SQLite can: refuse it on both, alike.
    if any(isinstance(value, str) and "\x00" in value for value in params):
        raise StorageError(f"{operation} failed: a value contains a NUL character")


def _failure(operation: str, exc: Exception) -> str:
    """Operation, exception type and error code: none of them can hold a stored value."""
    code = getattr(exc, "sqlstate", None) or getattr(exc, "sqlite_errorname", None)
    return f"{operation} failed ({type(exc).__name__}{f', {code}' if code else ''})"


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives its -wal and -shm
    files the same mode): it holds transcripts and key hashes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise StorageError(f"cannot create database file {path} ({type(exc).__name__})") from None
