"""Envelope encryption at rest (redactor.crypto_at_rest): keys, wrapping, rotation, sealing."""
import base64

import pytest

from redactor.crypto_at_rest import (
    KEY_ENV, KEY_FILE_ENV, Keyring, StorageKeyError, WrappedKey, generate_key_entry, is_sealed,
    open_text, seal_text)
from redactor.errors import StorageError
from redactor.storage import Segment, open_storage
from tests.pg import db_url  # noqa: F401

TEXT = "agent: nomor kartu <CREDIT_CARD> atas nama <PERSON>, dikirim ke alamat <ADDRESS>"


def test_sealed_text_holds_no_readable_words_and_opens_with_its_data_key():
    keyring = Keyring.parse(generate_key_entry("k1"))
    data_key, _ = keyring.new_data_key("chat-1")
    stored = seal_text(data_key, TEXT, "chat-1\x00chat\x000")
    assert is_sealed(stored)
    for word in ("nomor", "kartu", "CREDIT_CARD", "alamat"):
        assert word not in stored
    assert open_text(data_key, stored, "chat-1\x00chat\x000") == TEXT


@pytest.mark.parametrize("context", ["chat-1\x00chat\x001", "chat-2\x00chat\x000"])
def test_a_sealed_value_moved_to_another_row_does_not_open(context):
    data_key = Keyring.parse(generate_key_entry("k1")).new_data_key("chat-1")[0]
    stored = seal_text(data_key, TEXT, "chat-1\x00chat\x000")
    with pytest.raises(StorageKeyError):
        open_text(data_key, stored, context)


def test_a_tampered_value_does_not_open():
    data_key = Keyring.parse(generate_key_entry("k1")).new_data_key("c")[0]
    stored = seal_text(data_key, TEXT, "c")
    blob = bytearray(base64.b64decode(stored.split(":", 1)[1]))
    blob[-1] ^= 1
    with pytest.raises(StorageKeyError):
        open_text(data_key, "aes256gcm:" + base64.b64encode(bytes(blob)).decode(), "c")


def test_rotation_rewraps_the_data_key_under_the_new_key_and_keeps_data_readable():
    old_entry, new_entry = generate_key_entry("2026-01"), generate_key_entry("2026-06")
    old = Keyring.parse(old_entry)
    data_key, wrapped = old.new_data_key("call-7")
    stored = seal_text(data_key, TEXT, "call-7")
    rotated = Keyring.parse(f"{new_entry}\n{old_entry}")  # new key first: it is active
    rewrapped = rotated.rewrap(wrapped, "call-7")
    assert rewrapped.key_id == "2026-06" and rewrapped.wrapped != wrapped.wrapped
    only_new = Keyring.parse(new_entry)  # the old key can now be retired
    assert open_text(only_new.unwrap(rewrapped, "call-7"), stored, "call-7") == TEXT
    with pytest.raises(StorageKeyError, match="2026-01"):
        only_new.unwrap(wrapped, "call-7")


def test_a_wrapped_key_is_bound_to_its_conversation():
    keyring = Keyring.parse(generate_key_entry("k1"))
    _, wrapped = keyring.new_data_key("call-1")
    with pytest.raises(StorageKeyError):
        keyring.unwrap(wrapped, "call-2")
    with pytest.raises(StorageKeyError):
        keyring.unwrap(WrappedKey("k1", "bm90IGEga2V5"), "call-1")


@pytest.mark.parametrize("text, message", [
    ("", "no storage key"),
    ("k1:" + base64.b64encode(b"short").decode(), "32 bytes"),
    ("k1:not base64!", "32 bytes"),
    (base64.b64encode(b"x" * 32).decode(), "key_id:base64"),
    ("bad id:" + base64.b64encode(b"x" * 32).decode(), "key_id:base64"),
])
def test_malformed_keys_are_refused_without_echoing_key_material(text, message):
    with pytest.raises(StorageKeyError, match=message) as raised:
        Keyring.parse(text)
    material = text.rpartition(":")[2]
    assert not material or material not in str(raised.value)


def test_duplicate_key_ids_are_refused():
    entry = generate_key_entry("k1")
    with pytest.raises(StorageKeyError, match="unique"):
        Keyring.parse(f"{entry},{entry}")


def test_keys_come_from_the_variable_or_the_key_file(tmp_path):
    assert Keyring.from_environ({}) is None
    entry = generate_key_entry("env")
    assert Keyring.from_environ({KEY_ENV: entry}).active_id == "env"
    key_file = tmp_path / "storage.keys"
    key_file.write_text(f"# newest first\n{generate_key_entry('new')}\n{generate_key_entry('old')}\n")
    keyring = Keyring.from_environ({KEY_FILE_ENV: str(key_file)})
    assert keyring.active_id == "new" and keyring.key_ids == ("new", "old")
    with pytest.raises(StorageKeyError, match="cannot read"):
        Keyring.from_environ({KEY_FILE_ENV: str(tmp_path / "missing")})



def test_storage_seals_segment_text_and_reads_it_back_after_rotation(db_url):
    old_entry, new_entry = generate_key_entry("old"), generate_key_entry("new")
    with open_storage(db_url, Keyring.parse(old_entry)) as storage:
        storage.save_segment(Segment("chat-9", "chat", 0, "customer", TEXT, ()))
        stored = storage._query("read raw", "SELECT text FROM segments WHERE session_id = ?", ("chat-9",))
        assert is_sealed(stored[0][0]) and "kartu" not in stored[0][0]
    with open_storage(db_url, Keyring.parse(f"{new_entry}\n{old_entry}")) as storage:
        assert storage.rotate_keys() == 1
    with open_storage(db_url, Keyring.parse(new_entry)) as storage:  # the old key retired
        assert storage.segments("chat-9")[0].text == TEXT
    with open_storage(db_url) as storage, pytest.raises(StorageError, match="encrypted"):
        storage.segments("chat-9")


def test_the_sqlite_file_holds_no_readable_transcript_text(tmp_path):
    db = tmp_path / "r.db"
    with open_storage(str(db), Keyring.parse(generate_key_entry("k1"))) as storage:
        storage.save_segment(Segment("chat-9", "chat", 0, "customer", TEXT, ()))
    on_disk = b"".join(path.read_bytes() for path in tmp_path.iterdir())
    assert b"nomor kartu" not in on_disk and b"alamat" not in on_disk


def test_cli_generates_a_key_and_rotates_data_keys(tmp_path, monkeypatch, capsys):
    from redactor.cli import main

    assert main(["storage", "generate-key", "2026-12"]) == 0
    new_entry = capsys.readouterr().out.strip()
    assert Keyring.parse(new_entry).active_id == "2026-12"
    old_entry, db = generate_key_entry("old"), str(tmp_path / "r.db")
    with open_storage(db, Keyring.parse(old_entry)) as storage:
        storage.save_segment(Segment("call-1", "call", 0, "agent", TEXT, ()))
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    monkeypatch.delenv(KEY_ENV, raising=False)
    assert main(["storage", "rotate-key", "--db", db]) == 1
    monkeypatch.setenv(KEY_ENV, f"{new_entry},{old_entry}")
    assert main(["storage", "rotate-key", "--db", db]) == 0
    assert "re-wrapped 1 data key(s) under storage key 2026-12" in capsys.readouterr().out
    with open_storage(db, Keyring.parse(new_entry)) as storage:
        assert storage.segments("call-1")[0].text == TEXT
