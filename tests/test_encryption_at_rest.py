"""Encryption at rest end to end: a real server with a storage key, over real sockets, stores
no readable transcript text and no playable audio; the console and the CLI decrypt on read;
rotation keeps everything readable; a wrong or missing key is a clear error without PII."""
from __future__ import annotations

import json
import logging
import math
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

import server
from audio.pipeline import recover_interrupted_recordings
from audio.recording import RecordingSeal, RedactedRecording, read_wav, recover_partial
from console.app import Settings as ConsoleSettings, create_app
from redactor import cli
from redactor.crypto_at_rest import KEY_ENV, KEY_FILE_ENV, Keyring, StorageKeyError, generate_key_entry
from redactor.errors import StorageError
from redactor.storage import Recording, open_storage
from tests.console_data import cheap_hasher
from tests.live import SENT_PII, receive_until, start_server
from tests.speech import read_wav as read_wav_file, words_heard
from tests.test_console_app import logged_in
from tests.test_server_call import assert_redacted_exactly, completed_recording, flagged_spans, stream_call

FIRST_KEY = generate_key_entry("2026-12")
CARD = "4532 0151 1283 0366"
CHAT = f"paketnya belum sampai sejak kemarin, kartu saya {CARD} tolong dicek"
# The masked text's own words. Entity types, offsets, speakers and times stay in clear: the
# console filters on them, and they hold no value.
READABLE = ("paketnya", "belum", "sampai", "kemarin", "tolong")
SERVER = Path(sys.executable).with_name("redactor-server")


def transcript_words(messages: list[dict]) -> set[str]:
    """The words of the call's masked finals of 4 bytes or more, placeholders left out (entity
    types are metadata). A shorter word ("LA", "[10]") is bound to occur by chance in kilobytes
    of ciphertext, or in a timestamp."""
    return {w for m in messages if m["type"] == "final"
            for w in re.findall(r"\w+", re.sub(r"<[A-Z_]+>", " ", m["text"]))
            if len(w.encode()) >= 4}


def entropy_bits_per_byte(data: bytes) -> float:
    counts = Counter(data)
    return -sum(n / len(data) * math.log2(n / len(data)) for n in counts.values())


def data_bytes(place: Path) -> dict[Path, bytes]:
    """Every file under ``place`` (the database with its WAL, the recordings), as bytes."""
    return {path: path.read_bytes() for path in place.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def sealed(tmp_path_factory, live_server, speech_model, korean_call):
    """A second real server, with a storage key, sharing the session server's policy; one chat
    and one call are sent through it."""
    SENT_PII.add(CARD)
    data = tmp_path_factory.mktemp("sealed-data")
    settings = server.Settings(port=0, db=str(data / "redactor.db"), data_dir=data, holdback_s=0.3,
                               storage_keyring=Keyring.parse(FIRST_KEY))
    live = start_server(settings, live_server.app.redactor, speech_model)
    with live.connect("/v1/chat") as ws:
        ws.send(json.dumps({"type": "message", "session": "sealed-chat", "speaker": "customer", "text": CHAT}))
        ws.send(json.dumps({"type": "end", "session": "sealed-chat"}))
        replies = receive_until(ws, "ended")
    speech, _ = korean_call
    messages = stream_call(live, "sealed-call", speech.pcm, encoding="pcm_s16le", speakers=["customer"])
    completed_recording(live, "sealed-call")
    yield live, data, replies, messages
    live.close()


def test_the_database_and_files_hold_no_readable_text_and_no_playable_audio(sealed, korean_call):
    live, data, replies, messages = sealed
    masked = next(r["text"] for r in replies if r["type"] == "redacted")
    assert "<CREDIT_CARD>" in masked and "paketnya" in masked  # the client got readable masked text
    heard = transcript_words(messages)
    assert heard, "the call produced no transcript to look for"

    files = data_bytes(data)
    for path, content in files.items():
        for word in (*READABLE, *heard):
            assert word.encode() not in content, f"{word!r} readable in {path.name}"
    with sqlite3.connect(f"file:{data / 'redactor.db'}?mode=ro", uri=True) as db:
        texts = [text for (text,) in db.execute("SELECT text FROM segments")]
    assert texts and all(text.startswith("aes256gcm:") for text in texts)

    recordings = [path for path in files if path.parent.name == "recordings"]
    assert [path.name.endswith(".wav.enc") for path in recordings] == [True]
    sealed_audio = files[recordings[0]]
    assert b"RIFF" not in sealed_audio and b"WAVE" not in sealed_audio
    assert entropy_bits_per_byte(sealed_audio) > 7.95  # PCM speech is far lower; ciphertext is ~8


def test_the_server_reads_back_what_it_sealed(sealed, korean_call, tmp_path):
    live, _, replies, messages = sealed
    finals = [m for m in messages if m["type"] == "final"]
    stored = live.app.storage.segments("sealed-call")
    assert [s.text for s in stored] == [f["text"] for f in finals]
    assert [s.text for s in live.app.storage.segments("sealed-chat")] == [
        r["text"] for r in replies if r["type"] == "redacted"]
    recording = live.app.storage.recording("sealed-call")
    wav = tmp_path / "call.wav"
    wav.write_bytes(read_wav(Path(recording.path), live.app.storage.data_key("sealed-call"), "sealed-call"))
    speech, _ = korean_call
    assert_redacted_exactly(wav, speech.samples.reshape(-1, 1), flagged_spans(finals), 8000)


@pytest.fixture
def console_of(sealed, monkeypatch):
    monkeypatch.setattr("console.auth._HASHER", cheap_hasher())
    live, data, _, _ = sealed

    def client(keyring: Keyring | None) -> TestClient:
        app = create_app(ConsoleSettings(live.app.settings.db, data, storage_keyring=keyring))
        client = TestClient(app)
        client.app_state = app.state.console
        return client

    return client


def test_the_console_shows_decrypted_text_searches_it_and_plays_decrypted_audio(sealed, console_of):
    live = sealed[0]
    with console_of(Keyring.parse(FIRST_KEY)) as console:
        logged_in(console, "rina", {"reviewer"})
        page = console.get("/conversation", params={"kind": "chat", "id": "sealed-chat"})
        assert page.status_code == 200 and "paketnya" in page.text and "aes256gcm" not in page.text
        found = console.get("/conversations", params={"q": "Paketnya belum"})
        assert "sealed-chat" in found.text and "sealed-call" not in found.text
        audio = console.get("/conversation/audio", params={"id": "sealed-call"})
        assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
        recording = live.app.storage.recording("sealed-call")
        assert audio.content == read_wav(Path(recording.path), live.app.storage.data_key("sealed-call"),
                                         "sealed-call")
        wave_picture = console.get("/conversation/waveform.svg", params={"id": "sealed-call"})
        assert wave_picture.status_code == 200 and "<svg" in wave_picture.text
    # The console wrote nothing decrypted back (the words searched for are in the audit log, by design).
    unsearched = [word for word in READABLE if word not in ("paketnya", "belum")]
    for path, content in data_bytes(sealed[1]).items():
        assert not any(word.encode() in content for word in unsearched), path.name


def test_the_console_without_the_key_says_so_and_shows_nothing(sealed, console_of):
    with console_of(None) as console:
        logged_in(console, "budi", {"reviewer"})
        page = console.get("/conversation", params={"kind": "chat", "id": "sealed-chat"})
        assert page.status_code == 503 and "storage key" in page.text
        assert "paketnya" not in page.text and "aes256gcm" not in page.text
        audio = console.get("/conversation/audio", params={"id": "sealed-call"})
        assert audio.status_code == 503 and b"RIFF" not in audio.content


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_rotation_keeps_text_and_recordings_readable_under_the_new_key_alone(sealed, tmp_path, monkeypatch, capsys):
    live = sealed[0]
    db = live.app.settings.db
    copy = tmp_path / "rotated.db"  # rotate a copy: the live server keeps its own key
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    new_key = generate_key_entry("2027-06")
    monkeypatch.setenv(KEY_ENV, f"{new_key}\n{FIRST_KEY}")
    code, out, _ = run_cli(["storage", "rotate-key", "--db", str(copy)], capsys)
    assert code == 0 and "re-wrapped 2 data key(s) under storage key 2027-06" in out
    monkeypatch.setenv(KEY_ENV, new_key)  # the old key is retired
    code, out, _ = run_cli(["storage", "show", "sealed-chat", "--db", str(copy)], capsys)
    assert code == 0 and [json.loads(line)["text"] for line in out.splitlines()] == [
        s.text for s in live.app.storage.segments("sealed-chat")]
    wav = tmp_path / "out.wav"
    code, out, _ = run_cli(["storage", "export-recording", "sealed-call", str(wav), "--db", str(copy)], capsys)
    assert code == 0 and wav.read_bytes()[:4] == b"RIFF"
    recording = live.app.storage.recording("sealed-call")
    assert read_wav_file(wav)[0].shape[0] == round(recording.duration_s * 8000)
    monkeypatch.setenv(KEY_ENV, FIRST_KEY)  # the old key alone no longer opens the rotated copy
    code, _, err = run_cli(["storage", "show", "sealed-chat", "--db", str(copy)], capsys)
    assert code == 2 and "2027-06" in err and "not configured" in err


def test_a_wrong_or_missing_key_is_a_clear_error_without_pii(sealed, monkeypatch, capsys, korean_call):
    live, _, replies, messages = sealed
    db = live.app.settings.db
    heard = transcript_words(messages)
    errors = []
    with open_storage(db) as keyless:
        with pytest.raises(StorageError, match="configure the storage key") as missing:
            keyless.segments("sealed-chat")
        errors.append(str(missing.value))
    same_id_other_key = Keyring.parse(generate_key_entry("2026-12"))
    with open_storage(db, same_id_other_key) as wrong:
        with pytest.raises(StorageKeyError, match="does not open") as mismatch:
            wrong.segments("sealed-call")
        errors.append(str(mismatch.value))
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    code, _, err = run_cli(["storage", "export-recording", "sealed-call", "/dev/null", "--db", db], capsys)
    assert code == 1 and "encrypted at rest" in err
    errors.append(err)
    for message in errors:
        assert not words_heard(message, heard) and not any(w in message for w in READABLE)
        assert FIRST_KEY.split(":")[1] not in message and CARD not in message


def test_deleting_a_data_key_shreds_the_conversation(tmp_path):
    keyring = Keyring.parse(FIRST_KEY)
    with open_storage(str(tmp_path / "r.db"), keyring) as storage:
        from redactor.storage import Segment

        storage.save_segment(Segment("gone", "chat", 0, "customer", "alamat saya <ADDRESS>", ()))
        assert storage.forget_data_key("gone") and not storage.forget_data_key("gone")
        with pytest.raises(StorageError, match="no data key"):
            storage.segments("gone")


# Sealed recordings, without a server.

def test_a_crash_leaves_a_sealed_part_that_recovers_without_the_key(tmp_path):
    samples = (np.random.default_rng(7).normal(0, 3000, 24000)).astype(np.int16)
    seal = RecordingSeal(Keyring.parse(FIRST_KEY).new_data_key("c-1")[0], "c-1")
    recording = RedactedRecording(tmp_path / "r.wav.enc", 8000, 1, seal=seal)
    recording.append(samples)
    recording.commit(1.0)
    recording.commit(2.0)
    partial = recording.partial_path
    os.truncate(partial, partial.stat().st_size - 7)  # the kill cut the last chunk
    with open_storage(str(tmp_path / "r.db")) as storage:  # no keyring: recovery needs none
        storage.start_recording(Recording("c-1", str(recording.path), 8000, 1, 0.0, "silence", ()))
        [recovered] = recover_interrupted_recordings(storage, tmp_path)
    assert recovered.status == "interrupted" and recovered.duration_s == pytest.approx(1.0)
    assert not partial.exists()
    wav = tmp_path / "recovered.wav"
    wav.write_bytes(read_wav(recording.path, seal.data_key, "c-1"))  # the whole chunks, readable
    assert np.array_equal(read_wav_file(wav)[0][:, 0], samples[:8000])


def test_a_sealed_recording_opens_only_with_its_key_and_conversation(tmp_path):
    keyring = Keyring.parse(FIRST_KEY)
    samples = (np.random.default_rng(7).normal(0, 3000, 16000)).astype(np.int16)
    data_key = keyring.new_data_key("c-1")[0]
    recording = RedactedRecording(tmp_path / "r.wav.enc", 8000, 1, seal=RecordingSeal(data_key, "c-1"))
    recording.append(samples)
    recording.redact(0.5, 1.0)
    info = recording.close()
    wav = tmp_path / "plain.wav"
    wav.write_bytes(read_wav(info.path, data_key, "c-1"))
    assert_redacted_exactly(wav, samples.reshape(-1, 1), [(0.5, 1.0)], 8000)
    with pytest.raises(StorageKeyError):
        read_wav(info.path, data_key, "c-2")  # moved to another call
    with pytest.raises(StorageKeyError):
        read_wav(info.path, keyring.new_data_key("c-1")[0], "c-1")
    with pytest.raises(StorageKeyError, match="storage key"):
        read_wav(info.path)
    tampered = bytearray(info.path.read_bytes())
    tampered[100] ^= 1
    info.path.write_bytes(bytes(tampered))
    with pytest.raises(StorageKeyError):
        read_wav(info.path, data_key, "c-1")


def test_recover_partial_of_a_plain_wav_is_unchanged(tmp_path):
    recording = RedactedRecording(tmp_path / "p.wav", 8000, 1)
    recording.append(np.zeros(8000, dtype=np.int16))
    recording.commit(1.0)
    assert recover_partial(recording.partial_path).duration_s == pytest.approx(1.0)


# Start-up.

def test_the_server_warns_once_without_a_key_and_not_with_one(tmp_path, caplog):
    for name, keyring in (("plain", None), ("sealed", Keyring.parse(FIRST_KEY))):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger=server.logger.name):
            settings = server.Settings(db=str(tmp_path / name / "r.db"), data_dir=tmp_path / name,
                                       storage_keyring=keyring)
            server.open_instance_storage(settings).close()
        warnings = [r.getMessage() for r in caplog.records if "no storage key" in r.getMessage()]
        assert len(warnings) == (1 if keyring is None else 0)
        if keyring is not None:
            assert any("encryption at rest on: storage key 2026-12" in r.getMessage() for r in caplog.records)
        assert all(FIRST_KEY.split(":")[1] not in r.getMessage() for r in caplog.records)


def test_a_bad_key_file_stops_the_server_with_a_clear_message(tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text("2026-12:not-a-key-c2VjcmV0\n")
    done = subprocess.run([str(SERVER), "--port", "0", "--db", str(tmp_path / "r.db"), "--data-dir",
                           str(tmp_path), "--storage-key-file", str(key_file)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "storage key 2026-12: not base64 of 32 bytes" in done.stderr and "c2VjcmV0" not in done.stderr
