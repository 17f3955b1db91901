"""Storage: the same behaviour on SQLite and PostgreSQL, and errors that never hold values."""
from __future__ import annotations

import os
import stat
import threading
from datetime import datetime, timezone
from urllib.parse import urlsplit

from dataclasses import replace

import pytest

from redactor.errors import RedactorError, StorageError
from redactor.storage import (
    ApiKeyInfo,
    Recording,
    Segment,
    StoredEntity,
    describe_db,
    open_storage,
)
from tests.pg import (  # noqa: F401 - fixtures
    POSTGRES_URL,
    db_url,
    fresh_postgres_schema,
    needs_postgres,
    raw_rows,
    storage,
)

SECRET_TEXT = "nik saya 3174054509900003"  # stands for raw PII that must never be echoed

# Stored out of order on purpose: reads come back ordered by seq.
SEGMENTS = [
    Segment("call-7", "call", 2, "agent", "terima kasih <PERSON> 🙏", (StoredEntity("PERSON", 13, 21),),
            start_s=4.25, end_s=6.5),
    Segment("call-7", "call", 0, "customer", "<REDACTED>", (StoredEntity("REDACTED", 0, 10),),
            start_s=0.0, end_s=1.75, failed=True),
    Segment("call-7", "call", 1, "agent", "", ()),  # no times, no text, no entities
    Segment("call-7", "call", 3, "customer",
            "مرحبا 你好 e\u0301 <ID_NIK> <PHONE_NUMBER>",
            (StoredEntity("ID_NIK", 12, 20), StoredEntity("PHONE_NUMBER", 21, 35)),
            start_s=7.0, end_s=None),
]


def test_segments_round_trip_in_seq_order(storage):
    for segment in SEGMENTS:
        storage.save_segment(segment)
    assert storage.segments("call-7") == sorted(SEGMENTS, key=lambda s: s.seq)


def test_sessions_do_not_see_each_other(storage):
    storage.save_segment(Segment("chat-a", "chat", 0, "customer", "halo", ()))
    storage.save_segment(Segment("chat-b", "chat", 0, "customer", "hai", ()))
    assert [s.text for s in storage.segments("chat-a")] == ["halo"]
    assert storage.segments("chat-unknown") == []


def test_the_same_seq_may_exist_once_per_kind(storage):
    storage.save_segment(Segment("s1", "chat", 0, "customer", "halo", ()))
    storage.save_segment(Segment("s1", "call", 0, "customer", "halo", ()))
    assert [s.kind for s in storage.segments("s1")] == ["call", "chat"]


@pytest.mark.parametrize(
    "second",
    [
        Segment("s1", "chat", 0, "agent", SECRET_TEXT, ()),  # duplicate seq
        Segment("s1", "email", 1, "agent", SECRET_TEXT, ()),  # type: ignore[arg-type]  # unknown kind
        Segment("s1", "chat", -1, "agent", SECRET_TEXT, ()),  # negative seq
        Segment("s1", "chat", 2, "agent", SECRET_TEXT + "\x00", ()),  # NUL: PostgreSQL cannot store it
    ],
    ids=["duplicate-seq", "unknown-kind", "negative-seq", "nul"],
)
def test_bad_segments_are_refused_without_echoing_them(storage, second):
    storage.save_segment(Segment("s1", "chat", 0, "customer", "halo", ()))
    with pytest.raises(StorageError) as raised:
        storage.save_segment(second)
    message = str(raised.value)
    assert message.startswith("save segment failed")
    assert SECRET_TEXT not in message and "3174" not in message and "agent" not in message
    # nor in a logged traceback: the backend's exception (which may quote values) is not chained
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None or raised.value.__suppress_context__
    assert [s.text for s in storage.segments("s1")] == ["halo"]


def test_storage_error_is_a_redactor_error():
    assert issubclass(StorageError, RedactorError)


RECORDING = Recording("call-7", "/recordings/call-7.wav", 16000, 1, 93.5, "beep",
                      ((1.0, 2.5), (40.25, 42.0)))


@pytest.mark.parametrize(
    "recording",
    [RECORDING, Recording("call-8", "/r/8.wav", 8000, 2, 0.0, "silence", ())],
    ids=["with-spans", "no-spans"],
)
def test_recording_round_trip(storage, recording):
    storage.save_recording(recording)
    assert storage.recording(recording.call_id) == recording
    assert storage.recording("call-unknown") is None


def test_a_recording_is_registered_when_it_starts_and_completed_once_closed(storage):
    storage.start_recording(RECORDING)
    assert storage.recording(RECORDING.call_id).status == "recording"
    assert storage.unfinished_recordings() == [replace(RECORDING, status="recording")]
    storage.save_recording(RECORDING)  # the same file, closed: its row is updated, not doubled
    assert storage.recording(RECORDING.call_id) == RECORDING
    assert storage.unfinished_recordings() == []
    restreamed = Recording(RECORDING.call_id, "/r/again.wav", 8000, 1, 3.0, "tone", ())
    storage.save_recording(restreamed)  # the same call streamed again after a drop
    assert storage.recording(RECORDING.call_id) == restreamed


def test_next_seq_continues_a_resumed_session(storage):
    assert storage.next_seq("s-resumed", "chat") == 0
    for seq in (0, 1):
        storage.save_segment(Segment("s-resumed", "chat", seq, "customer", "halo", ()))
    assert storage.next_seq("s-resumed", "chat") == 2
    assert storage.next_seq("s-resumed", "call") == 0


def test_api_keys(storage):
    before = datetime.now(timezone.utc)
    storage.add_api_key("aaaa1111", "ci", "hash-a")
    storage.add_api_key("bbbb2222", "", "hash-b")
    assert (storage.api_key_hash("aaaa1111"), storage.count_api_keys()) == ("hash-a", 2)

    assert storage.revoke_api_key("aaaa1111") is True
    assert storage.revoke_api_key("aaaa1111") is False  # already revoked
    assert storage.revoke_api_key("cccc3333") is False  # unknown
    assert storage.api_key_hash("aaaa1111") is None
    assert storage.api_key_hash("cccc3333") is None
    assert storage.count_api_keys() == 1

    revoked, active = storage.list_api_keys()
    assert (revoked.key_id, revoked.name, active.key_id, active.name) == ("aaaa1111", "ci", "bbbb2222", "")
    assert before <= revoked.created_at <= revoked.revoked_at <= datetime.now(timezone.utc)
    assert revoked.created_at.tzinfo is not None and active.revoked_at is None
    assert isinstance(active, ApiKeyInfo) and not hasattr(active, "key_hash")


def test_a_key_id_is_added_once(storage):
    storage.add_api_key("aaaa1111", "ci", "hash-a")
    with pytest.raises(StorageError, match=r"^add API key failed"):
        storage.add_api_key("aaaa1111", "other", "hash-b")
    assert storage.api_key_hash("aaaa1111") == "hash-a"


def test_data_outlives_the_connection(db_url):
    with open_storage(db_url) as first:
        first.save_segment(SEGMENTS[0])
        first.save_recording(RECORDING)
        first.add_api_key("aaaa1111", "ci", "hash-a")
    with open_storage(db_url) as second:  # also: creating the schema again is harmless
        assert second.segments("call-7") == [SEGMENTS[0]]
        assert second.recording("call-7") == RECORDING
        assert second.api_key_hash("aaaa1111") == "hash-a"
    assert raw_rows(db_url, "SELECT version FROM schema_version") == [(2,)]


def test_a_newer_schema_is_refused(db_url):
    open_storage(db_url).close()
    raw_rows(db_url, "UPDATE schema_version SET version = 3")
    with pytest.raises(StorageError, match=r"schema version 3 is not supported"):
        open_storage(db_url)


def test_a_version_1_database_is_migrated_and_keeps_its_recordings(db_url):
    open_storage(db_url).close()
    raw_rows(db_url, "ALTER TABLE recordings DROP COLUMN status")
    raw_rows(db_url, "UPDATE schema_version SET version = 1")
    raw_rows(db_url, "INSERT INTO recordings (call_id, path, sample_rate, channels, duration_s, mode,"
                     " spans, created_at) VALUES ('old', '/r/old.wav', 8000, 1, 2.0, 'silence', '[]',"
                     " '2026-01-01T00:00:00+00:00')")
    with open_storage(db_url) as storage:
        assert storage.recording("old").status == "complete"
    assert raw_rows(db_url, "SELECT version FROM schema_version") == [(2,)]


def test_a_closed_storage_raises(storage):
    storage.close()
    storage.close()  # twice is harmless
    with pytest.raises(StorageError, match=r"^read segments failed: storage is closed$"):
        storage.segments("s1")


def test_threads_share_one_storage(storage):
    def save(session: str) -> None:
        for seq in range(25):
            storage.save_segment(Segment(session, "chat", seq, "agent", f"pesan {seq}", ()))

    threads = [threading.Thread(target=save, args=(f"chat-{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n in range(8):
        assert [s.seq for s in storage.segments(f"chat-{n}")] == list(range(25))


# Where the database is: forms of the `db` argument.


def test_sqlite_url_and_plain_path_name_the_same_file(tmp_path):
    path = tmp_path / "nested" / "dirs" / "r.db"
    with open_storage(f"sqlite://{path}") as by_url:  # sqlite:///abs/path
        by_url.add_api_key("aaaa1111", "ci", "hash-a")
    with open_storage(str(path)) as by_path:
        assert by_path.count_api_keys() == 1


def test_sqlite_file_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "r.db"
    open_storage(str(path)).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert raw_rows(str(path), "PRAGMA journal_mode") == [("wal",)]


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("mysql://user:hunter2@db/x", "unsupported database URL scheme 'mysql'"),
        ("sqlite://", "no database path given"),
        ("", "no database path given"),
    ],
)
def test_unusable_db_arguments(db, message):
    with pytest.raises(StorageError) as raised:
        open_storage(db)
    assert str(raised.value) == message


def test_sqlite_path_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError, match=r"^cannot create database file .* \(FileExistsError\)$"):
        open_storage(str(blocker / "r.db"))


@pytest.mark.parametrize(
    ("db", "shown"),
    [
        ("postgresql://app:hunter2@db.internal:5433/redactor?sslmode=require",
         "postgresql://db.internal:5433/redactor"),
        ("postgres://app:p%40ss@db/redactor", "postgresql://db/redactor"),
        ("postgresql://db/redactor?password=hunter2", "postgresql://db/redactor"),
        ("postgresql:///redactor", "postgresql:///redactor"),
        # unencoded "/" in the password: libpq would take its pieces for host and port
        ("postgresql://app:hun/ter2@db/redactor", "postgresql://(unparseable URL)"),
        ("postgresql://app:12/hunter2@db", "postgresql://(unparseable URL)"),
        ("data/redactor.db", "data/redactor.db"),
        ("sqlite:///srv/r.db", "/srv/r.db"),
    ],
)
def test_describe_db_drops_credentials(db, shown):
    assert describe_db(db) == shown


@pytest.mark.parametrize(
    "db",
    [
        "postgresql://app:hunter2@127.0.0.1:1/redactor",  # nothing listens on port 1
        "postgresql://app:hun/ter2@127.0.0.1:1/redactor",
        "postgres://127.0.0.1:1/redactor?password=hunter2&connect_timeout=2",
    ],
)
def test_connection_failure_never_shows_the_password(db):
    with pytest.raises(StorageError) as raised:
        open_storage(db)
    message = str(raised.value)
    assert message.startswith("open database postgresql://")
    assert "hunter2" not in message and "hun" not in message and "app" not in message


@needs_postgres
def test_a_wrong_password_is_not_shown():
    parts = urlsplit(POSTGRES_URL)
    wrong = parts._replace(netloc=f"{parts.username}:hunter2-wrong@{parts.hostname}:{parts.port}").geturl()
    with pytest.raises(StorageError) as raised:
        open_storage(wrong)
    assert str(raised.value) == f"open database {describe_db(wrong)} failed (OperationalError)"
    assert "hunter2" not in str(raised.value)


@needs_postgres
def test_postgres_reconnects_after_losing_its_connection():
    with fresh_postgres_schema(POSTGRES_URL) as url, open_storage(url) as storage:
        storage.save_segment(SEGMENTS[0])
        [(pid,)] = storage._query("read pid", "SELECT pg_backend_pid()")  # noqa: SLF001
        raw_rows(url, "SELECT pg_terminate_backend(?)", (pid,))
        with pytest.raises(StorageError, match=r"^read segments failed \("):
            storage.segments("call-7")  # the statement that finds the connection gone
        assert storage.segments("call-7") == [SEGMENTS[0]]


def test_sqlite_parent_directories_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "redactor.db"
    open_storage(str(path)).close()
    assert path.is_file()
