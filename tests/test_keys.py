"""API keys: format, verification, revocation, and only a hash at rest."""
from __future__ import annotations

import hashlib
import re

import pytest

from redactor import keys
from redactor.errors import StorageError
from redactor.keys import create_key, list_keys, parse_key_id, revoke_key, verify_key
from tests.pg import db_url, raw_rows, storage  # noqa: F401 - fixtures

KEY_FORMAT = re.compile(r"rk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")


def test_created_key_has_the_documented_form_and_verifies(storage):
    key = create_key(storage, "ci")
    assert KEY_FORMAT.fullmatch(key)
    assert verify_key(storage, key) is True
    assert create_key(storage) != key


def _wrong_secret(key: str) -> str:
    last = key[-1]
    return key[:-1] + ("A" if last != "A" else "B")


@pytest.mark.parametrize(
    ("name", "presented"),
    [
        ("none", lambda key: None),
        ("empty", lambda key: ""),
        ("wrong secret", _wrong_secret),
        ("secret of another length", lambda key: key + "x"),
        ("key id alone", lambda key: key[3:11]),
        ("without prefix", lambda key: key[3:]),
        ("other prefix", lambda key: "sk" + key[2:]),
        # an id of digits only has no case: then make it uppercase hex by its first character
        ("uppercase key id", lambda key: key[:3] + (
            key[3:11].upper() if not key[3:11].isdigit() else "A" + key[4:11]) + key[11:]),
        ("unknown key id", lambda key: key[:3] + ("0" * 8 if key[3:11] != "0" * 8 else "1" * 8) + key[11:]),
        ("surrounding space", lambda key: f" {key} "),
        ("trailing newline", lambda key: key + "\n"),
        ("bytes", lambda key: key.encode()),
        ("secret alone", lambda key: key[12:]),
    ],
)
def test_verify_rejects(storage, name, presented):
    key = create_key(storage)
    assert verify_key(storage, presented(key)) is False


def test_revoked_key_no_longer_verifies(storage):
    key, other = create_key(storage), create_key(storage)
    assert revoke_key(storage, KEY_FORMAT.fullmatch(key).group(1)) is True
    assert verify_key(storage, key) is False
    assert verify_key(storage, other) is True


@pytest.mark.parametrize("by", ["key id", "full key"])
def test_revoke_by_key_id_or_full_key_once(storage, by):
    key = create_key(storage)
    target = key if by == "full key" else key[3:11]
    assert revoke_key(storage, target) is True
    assert revoke_key(storage, target) is False  # already revoked


@pytest.mark.parametrize("target", ["deadbeef", "DEADBEEF", "dead", "", "rk_deadbeef", "not a key"])
def test_revoke_unknown_or_malformed_is_false(storage, target):
    create_key(storage)
    assert revoke_key(storage, target) is False
    assert storage.count_api_keys() == 1


@pytest.mark.parametrize(
    ("text", "key_id"),
    [
        ("0123abcd", "0123abcd"),
        ("rk_0123abcd_" + "a_-" * 14 + "z", "0123abcd"),
        ("rk_0123abcd_short", None),
        ("0123abcde", None),
        ("", None),
    ],
)
def test_parse_key_id(text, key_id):
    assert parse_key_id(text) == key_id


def test_list_shows_ids_names_and_revocation(storage):
    first = create_key(storage, "ci")
    second = create_key(storage, "dashboard")
    revoke_key(storage, first)
    listed = list_keys(storage)
    assert [(k.key_id, k.name) for k in listed] == [(first[3:11], "ci"), (second[3:11], "dashboard")]
    assert listed[0].revoked_at is not None and listed[1].revoked_at is None
    assert storage.count_api_keys() == 1


def test_only_the_hash_of_the_secret_is_stored(storage, db_url):
    key = create_key(storage, "ci")
    key_id, secret = KEY_FORMAT.fullmatch(key).groups()
    rows = raw_rows(db_url, "SELECT * FROM api_keys")
    stored = " ".join(str(value) for row in rows for value in row)
    assert key not in stored and secret not in stored
    assert raw_rows(db_url, "SELECT key_hash FROM api_keys WHERE key_id = ?", (key_id,)) == [
        (hashlib.sha256(secret.encode()).hexdigest(),)]


def test_a_taken_key_id_is_drawn_again(storage, monkeypatch):
    taken = create_key(storage)[3:11]
    ids = iter([taken, "0badcafe"])
    monkeypatch.setattr(keys.secrets, "token_hex", lambda n: next(ids))
    key = create_key(storage)
    assert key.startswith("rk_0badcafe_") and verify_key(storage, key)


def test_storage_failure_is_not_a_false_answer(storage):
    key = create_key(storage)
    storage.close()
    with pytest.raises(StorageError):
        verify_key(storage, key)
