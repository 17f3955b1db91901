"""Retention and erasure by data subject, over the real database (SQLite; PostgreSQL when
REDACTOR_TEST_POSTGRES is set), the real chat server and the console: after an erasure every
table and file is searched; a purge removes what expired and keeps what is fresh; both are
audited with counts; receipts verify and fail when tampered."""
from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import server
from console.app import Settings as ConsoleSettings, create_app
from console.audit import AuditLog
from console.db import Database
from console.governance import run_erasure, run_purge
from redactor import Redactor, RedactorConfig
from redactor.chat import ChatSession
from redactor.cli import main as cli
from redactor.erasure import (ErasureRequest, SubjectIndex, normalise_email, normalise_phone,
                              verify_receipt)
from redactor.storage import Recording, Segment, open_storage
from tests.live import DATA_PLACES, SENT_PII, receive_until, start_server
from tests.pg import db_url, raw_rows  # noqa: F401
from tests.test_console_app import cheap_hashes, csrf_of, logged_in  # noqa: F401

ERASURE_KEY = "erasure-test-key-0123456789"
ENV = {"REDACTOR_ERASURE_KEY": ERASURE_KEY}
PHONE = "0812 7781 2290"  # the subject's, as typed in chat
NIK = "3174091203850004"
EMAIL = "Rahayu.Wulandari77@mail.co.id"
OTHER_PHONE = "0857 1100 2456"  # another customer's: must survive
SENT_PII.update({PHONE, NIK, EMAIL, OTHER_PHONE, "081277812290", "6281277812290"})


@pytest.mark.parametrize("spelling", ["0812 7781 2290", "+62 812-7781-2290", "6281277812290",
                                      "812 7781 2290", "0062 812 7781 2290", "(0812) 77812290"])
def test_every_spelling_of_a_phone_number_normalises_alike(spelling):
    assert normalise_phone(spelling) == "081277812290"


def test_email_normalises_case_and_spaces():
    assert normalise_email(" Rahayu.Wulandari77@MAIL.co.id ") == normalise_email(EMAIL)


def test_index_holds_keyed_hashes_never_values():
    index = SubjectIndex(ERASURE_KEY.encode())
    tokens = index.entity_tokens("PHONE_NUMBER", "+62 812 7781 2290")
    assert index.query_tokens("phone", PHONE) <= tokens
    assert all(token.startswith("ix:") and "7781" not in token for token in tokens)
    assert index.entity_tokens("OTP", "123456") == set()  # secrets are never indexed
    assert SubjectIndex(b"another-key-0123456789").query_tokens("phone", PHONE).isdisjoint(tokens)


def _chat(redactor: Redactor, session_id: str, texts: list[str]) -> list[Segment]:
    session = ChatSession(session_id, redactor, holdback_s=0.0)
    segments = []
    for n, text in enumerate(texts):
        segments += session.accept("customer", text, float(n))
    return segments + session.flush()


def _everything(db_url: str, data_dir: Path, skip: tuple[str, ...] = ()) -> str:  # noqa: F811
    """Every row of every table but ``skip``, and every file name, as one text to search; but
    the signed receipts, which name the conversations erased (ids, counts: no values)."""
    if db_url.startswith("postgresql://"):
        tables = [row[0] for row in raw_rows(db_url, "SELECT table_name FROM information_schema.tables"
                                                     " WHERE table_schema = current_schema()")]
    else:
        tables = [row[0] for row in raw_rows(db_url, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    text = [f"{table}: {raw_rows(db_url, f'SELECT * FROM {table} WHERE name NOT LIKE ?', ('erasure_receipt:%',))}"
            if table == "console_settings" else f"{table}: {raw_rows(db_url, f'SELECT * FROM {table}')}"
            for table in tables if table not in skip]
    text += [str(path) for path in data_dir.rglob("*")]
    return "\n".join(text)


@pytest.fixture
def indexed(redactor, monkeypatch):
    """The shared engine, keeping an erasure index for this test."""
    monkeypatch.setattr(redactor, "subject_index", SubjectIndex(ERASURE_KEY.encode()))
    return redactor


def _seed(db_url: str, data: Path, redactor: Redactor) -> Path:  # noqa: F811
    """Two chats and a call of the subject (phone, NIK, e-mail), with a recording and a
    recovered .part; one chat of another customer."""
    DATA_PLACES.append(data)
    recordings = data / "recordings"
    recordings.mkdir(parents=True)
    wav = recordings / "a1b2c3.wav"
    wav.write_bytes(b"RIFF....WAVE")
    Path(str(wav) + ".part").write_bytes(b"RIFF")
    with open_storage(db_url) as storage:
        for segment in (_chat(redactor, "chat-sub-1", [f"nomor hp saya {PHONE} ya kak"])
                        + _chat(redactor, "chat-sub-2", [f"NIK saya {NIK}", f"email saya {EMAIL}"])
                        + _chat(redactor, "chat-other", [f"nomor saya {OTHER_PHONE}"])):
            storage.save_segment(segment)
        call = _chat(redactor, "call-sub-9", [f"bisa hubungi saya di {PHONE}"])
        for segment in call:
            storage.save_segment(Segment(segment.session_id, "call", segment.seq, "customer", segment.text,
                                         segment.entities, 0.0, 2.0, subject_keys=segment.subject_keys))
        storage.save_recording(Recording("call-sub-9", str(wav), 8000, 1, 2.0, "silence", ((0.5, 1.5),)))
    return wav


@pytest.mark.parametrize("by, value, erased", [
    ("phone", "+62 812-7781-2290", {"chat-sub-1", "call-sub-9"}),
    ("nik", "3174 0912 0385 0004", {"chat-sub-2"}),
    ("email", "rahayu.wulandari77@MAIL.CO.ID", {"chat-sub-2"}),
    ("call", "call-sub-9", {"call-sub-9"}),
])
def test_erasure_removes_the_subject_from_every_table_and_file(db_url, tmp_path, indexed, by, value, erased):  # noqa: F811
    data = tmp_path / "data"
    wav = _seed(db_url, data, indexed)
    receipt = run_erasure(db_url, RedactorConfig(), ErasureRequest(by, value), "admin-test", ENV)
    assert {c["id"] for c in receipt["conversations"]} == erased
    everything = _everything(db_url, data)
    for session_id in erased:
        assert session_id not in everything
    assert "chat-other" in everything  # another customer's conversation stays
    if "call-sub-9" in erased:
        assert not wav.exists() and not Path(str(wav) + ".part").exists()
        assert receipt["removed"]["recordings"] == 1 and receipt["removed"]["files"] == 2
    assert verify_receipt(ERASURE_KEY.encode(), receipt)
    if by != "call":  # a subject's value is never in the receipt, only its keyed pseudonym
        assert value not in json.dumps(receipt) and receipt["request"]["subject"].startswith("ix:")
    db = Database(db_url)
    try:
        entry = AuditLog(db).entries(limit=1)[0]
        assert (entry.actor, entry.action, entry.detail["conversations"]) == ("admin-test", "erasure", len(erased))
        assert AuditLog(db).verify().ok
    finally:
        db.close()


def test_the_hash_policy_finds_a_subject_without_an_index(db_url, tmp_path, redactor, monkeypatch):  # noqa: F811
    environ = {"REDACTOR_HASH_KEY": "hash-key-for-tests-0123", **ENV}
    config = RedactorConfig.from_dict({"entities": {"PHONE_NUMBER": {"operator": "hash"}}})
    hashing = Redactor(config, environ=environ)
    assert hashing.subject_index is not None  # the key is set: "auto" keeps an index
    monkeypatch.setattr(hashing, "subject_index", None)  # as if none had been kept
    with open_storage(db_url) as storage:
        for segment in _chat(hashing, "chat-hashed", [f"hp saya 62{PHONE[1:]}"]):
            storage.save_segment(segment)
        assert "<PHONE_NUMBER:" in storage.segments("chat-hashed")[0].text
    receipt = run_erasure(db_url, config, ErasureRequest("phone", "0812-7781-2290"), "admin", environ)
    assert [c["id"] for c in receipt["conversations"]] == ["chat-hashed"]
    assert "chat-hashed" not in _everything(db_url, tmp_path / "none")


def test_a_tampered_receipt_fails_verification(db_url, tmp_path, indexed, capsys):  # noqa: F811
    _seed(db_url, tmp_path / "data", indexed)
    path = tmp_path / "receipt.json"
    os.environ.update(ENV)
    try:
        assert cli(["erase", "--db", db_url, "--phone", "0812-7781-2290", "--receipt", str(path)]) == 0
        assert cli(["erase", "--verify-receipt", str(path)]) == 0
        receipt = json.loads(path.read_text())
        receipt["removed"]["segments"] -= 1
        path.write_text(json.dumps(receipt))
        assert cli(["erase", "--verify-receipt", str(path)]) == 1
    finally:
        for name in ENV:
            os.environ.pop(name)
    assert "INVALID" in capsys.readouterr().out


def test_erasure_without_the_key_deletes_nothing(db_url, tmp_path, indexed):  # noqa: F811
    _seed(db_url, tmp_path / "data", indexed)
    with pytest.raises(Exception, match="REDACTOR_ERASURE_KEY"):
        run_erasure(db_url, RedactorConfig(), ErasureRequest("phone", PHONE), "admin", {})
    assert "chat-sub-1" in _everything(db_url, tmp_path / "data")


def _age(db_url: str, table: str, column: str, value: str, days: float) -> None:  # noqa: F811
    moment = datetime.now(timezone.utc) - timedelta(days=days)
    stamp = moment if db_url.startswith("postgresql://") else moment.isoformat(timespec="microseconds")
    raw_rows(db_url, f"UPDATE {table} SET created_at = ? WHERE {column} = ?", (stamp, value))


def test_purge_deletes_what_expired_keeps_what_is_fresh_and_is_audited(db_url, tmp_path, indexed):  # noqa: F811
    data = tmp_path / "data"
    old_wav = _seed(db_url, data, indexed)
    fresh_wav = data / "recordings" / "fresh.wav"
    fresh_wav.write_bytes(b"RIFF")
    stray = data / "recordings" / "orphan.wav.part"
    stray.write_bytes(b"RIFF")
    os.utime(stray, (time.time() - 40 * 86400,) * 2)
    with open_storage(db_url) as storage:
        storage.save_recording(Recording("call-fresh", str(fresh_wav), 8000, 1, 1.0, "silence", ()))
    for session_id in ("chat-sub-1", "call-sub-9"):
        _age(db_url, "segments", "session_id", session_id, 40)
    _age(db_url, "recordings", "call_id", "call-sub-9", 40)
    config = RedactorConfig.from_dict({"retention": {"chat_transcript_days": 30, "call_transcript_days": 30,
                                                     "call_recording_days": 30, "audit_log_days": 365}})
    counts = run_purge(db_url, config, data / "recordings", actor="cli:test")
    assert counts["chat"]["conversations"] == 1 and counts["call"]["conversations"] == 1
    assert counts["recordings"] == 1 and counts["recording_files"] == 2 and counts["orphan_part_files"] == 1
    everything = _everything(db_url, data)
    assert "chat-sub-1" not in everything and "'call-sub-9'" not in everything
    assert not old_wav.exists() and not stray.exists() and fresh_wav.exists()
    assert "chat-sub-2" in everything and "chat-other" in everything and "call-fresh" in everything
    db = Database(db_url)
    try:
        entry = AuditLog(db).entries(limit=1)[0]
        assert (entry.action, entry.detail["chat"]["segments"], entry.detail["recordings"]) == ("retention_purge", 1, 1)
    finally:
        db.close()
    assert run_purge(db_url, config, data / "recordings", actor="cli:test")["chat"]["conversations"] == 0


def test_audit_log_retention_keeps_the_chain_verifiable(db_url, tmp_path):  # noqa: F811
    db = Database(db_url)
    try:
        log = AuditLog(db)
        for n in range(3):
            log.append("admin", "settings_change", f"item-{n}")
        raw_rows(db_url, "UPDATE console_audit SET at = ? WHERE target IN ('item-0', 'item-1')",
                 ((datetime.now(timezone.utc) - timedelta(days=800)).isoformat(timespec="microseconds"),))
        # The old `at` no longer matches their hashes: rehash is not needed, they are removed.
        config = RedactorConfig.from_dict({"retention": {"audit_log_days": 730}})
        assert run_purge(db_url, config, None, actor="cli:test")["audit_entries"] == 2
        assert [e.target for e in log.entries()] == ["storage", "item-2"]
        assert log.verify().ok
        raw_rows(db_url, "DELETE FROM console_audit WHERE target = 'item-2'")
        assert not log.verify().ok  # removing any other entry still breaks it
    finally:
        db.close()


def test_policy_file_retention_is_checked():
    with pytest.raises(Exception, match="positive"):
        RedactorConfig.from_dict({"retention": {"chat_transcript_days": 0}})
    with pytest.raises(Exception, match="unknown retention"):
        RedactorConfig.from_dict({"retention": {"chat_days": 3}})
    assert RedactorConfig.from_dict({"erasure_index": True}).erasure_index == "on"


# --- the real server and the console -------------------------------------------------------

def test_the_live_server_indexes_chats_purges_in_the_background_and_erase_finds_them(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTOR_ERASURE_KEY", ERASURE_KEY)
    data = tmp_path / "server-data"
    DATA_PLACES.append(data)
    db = str(data / "redactor.db")
    config = RedactorConfig.from_dict({"retention": {"chat_transcript_days": 30}})
    settings = server.Settings(port=0, db=db, data_dir=data, holdback_s=0.2, purge_interval_s=3600)
    live = start_server(settings, Redactor(config), None)
    try:
        with live.connect("/v1/chat") as ws:
            for session_id, text in (("srv-subject", f"nomor saya {PHONE}"), ("srv-old", "halo kak, ada promo?"),
                                     ("srv-other", f"hp saya {OTHER_PHONE}")):
                ws.send(json.dumps({"type": "message", "session": session_id, "speaker": "customer", "text": text}))
                ws.send(json.dumps({"type": "end", "session": session_id}))
                receive_until(ws, "ended")
        assert raw_rows(db, "SELECT COUNT(*) FROM erasure_index WHERE session_id = 'srv-subject'")[0][0] >= 1
        _age(db, "segments", "session_id", "srv-old", 31)
        counts = live.app.purge_expired()  # what the background task runs, hourly
        assert counts is not None and counts["chat"]["conversations"] == 1
        assert "srv-old" not in _everything(db, data)
    finally:
        live.stop()
        live.app.close()
    assert cli(["erase", "--db", db, "--phone", "+6281277812290"]) == 0
    everything = _everything(db, data)
    assert "srv-subject" not in everything and "srv-other" in everything


def test_console_admin_erases_and_sets_retention_a_reviewer_is_refused(db_url, tmp_path, indexed, monkeypatch):  # noqa: F811
    monkeypatch.setenv("REDACTOR_ERASURE_KEY", ERASURE_KEY)
    data = tmp_path / "data"
    _seed(db_url, data, indexed)
    app = create_app(ConsoleSettings(db_url, data))
    with TestClient(app) as client:
        client.app_state = app.state.console
        # the conversation's compliance flags are computed (by the background task, which may
        # have got there first, or now): they must go with it
        client.app_state.compliance.refresh()
        assert raw_rows(db_url, "SELECT COUNT(*) FROM console_compliance_state WHERE session_id = ?",
                        ("chat-sub-1",))[0][0] == 1
        logged_in(client, "rina", {"reviewer"})
        refused = client.post("/admin/erase", data={"by": "phone", "value": PHONE, "csrf": csrf_of(client)})
        assert refused.status_code == 403
        assert "chat-sub-1" in _everything(db_url, data)
        client.post("/logout", data={"csrf": csrf_of(client)})
        logged_in(client, "ayu", {"admin"})
        page = client.post("/admin/erase", data={"by": "phone", "value": "+62 812 7781 2290",
                                                 "csrf": csrf_of(client, "/admin/erase")})
        assert page.status_code == 200 and "chat-sub-1" in page.text and "signature" in page.text
        saved = client.post("/admin/settings", data={"section": "retention", "chat_transcript_days": "30",
                                                     "csrf": csrf_of(client, "/admin/settings")})
        assert saved.status_code == 200 and 'value="30.0"' in saved.text
    assert "chat-sub-1" not in _everything(db_url, data, skip=("console_audit",))  # the audit log names it
    db = Database(db_url)
    try:
        actions = [(e.actor, e.action) for e in AuditLog(db).entries()]
        assert ("ayu", "erasure") in actions and ("rina", "denied") in actions
    finally:
        db.close()


def test_a_number_spoken_on_a_call_is_indexed_as_its_digits(indexed):
    from redactor.transcript import CallTranscript, Word

    spoken = "nomor hp saya nol delapan satu dua tujuh tujuh delapan satu dua dua sembilan nol".split()
    transcript = CallTranscript("call-spoken", indexed, ["agent", "customer"])
    final = transcript.final(1, [Word(w, n * 0.4, n * 0.4 + 0.3) for n, w in enumerate(spoken)])
    assert "<PHONE_NUMBER>" in final.segment.text
    assert indexed.subject_index.query_tokens("phone", "+62 812 7781 2290") <= set(final.segment.subject_keys)


def test_batch_outputs_carry_the_index_into_the_database():
    from batch.worker import segment_from_json, segment_json

    segment = Segment("chat-batch", "chat", 0, "customer", "hp <PHONE_NUMBER>", (), subject_keys=("ix:ab",))
    assert segment_from_json(json.loads(json.dumps(segment_json(segment)))).subject_keys == ("ix:ab",)
    assert "subject_keys" not in segment_json(Segment("c", "chat", 0, "agent", "halo", ()))


def test_anonymising_keeps_the_masked_transcript_unlinked(db_url, tmp_path):  # noqa: F811
    environ = {"REDACTOR_HASH_KEY": "hash-key-for-tests-0123", **ENV}
    config = RedactorConfig.from_dict({"entities": {"PHONE_NUMBER": {"operator": "hash"}}})
    hashing = Redactor(config, environ=environ)
    with open_storage(db_url) as storage:
        for segment in _chat(hashing, "chat-anon", [f"hp saya {PHONE} ya kak", "terima kasih kak"]):
            storage.save_segment(segment)
    receipt = run_erasure(db_url, config, ErasureRequest("phone", PHONE), "admin", environ, anonymise=True)
    assert receipt["request"]["action"] == "anonymise" and verify_receipt(ERASURE_KEY.encode(), receipt)
    everything = _everything(db_url, tmp_path / "none")
    assert "chat-anon" not in everything and "<PHONE_NUMBER:" not in everything
    (new_id,) = {row[0] for row in raw_rows(db_url, "SELECT session_id FROM segments")}
    with open_storage(db_url) as storage:
        kept = storage.segments(new_id)
    assert new_id.startswith("anon-") and [s.text for s in kept] == ["hp saya <PHONE_NUMBER> ya kak", "terima kasih kak"]
    assert [(e.type, kept[0].text[e.start:e.end]) for e in kept[0].entities] == [("PHONE_NUMBER", "<PHONE_NUMBER>")]
    assert raw_rows(db_url, "SELECT COUNT(*) FROM erasure_index")[0][0] == 0
