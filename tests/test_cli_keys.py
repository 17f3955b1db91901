"""`redactor keys create|list|revoke`, end to end."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from redactor import cli
from redactor.keys import verify_key
from redactor.storage import open_storage
from tests.pg import db_url  # noqa: F401 - fixture

KEY_LINE = re.compile(r"rk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}\n")


@pytest.fixture(autouse=True)
def no_engine(monkeypatch):
    """`keys` must never build the NLP engine (slow); fail loudly if it tries."""
    def refuse(*args, **kwargs):
        raise AssertionError("the keys command loaded the NLP engine")

    monkeypatch.setattr(cli, "Redactor", refuse)
    monkeypatch.delenv("REDACTOR_DB", raising=False)


def keys(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(["keys", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_create_prints_only_the_key(capsys, db_url):
    status, out, err = keys(capsys, "create", "--name", "ci", "--db", db_url)
    assert status == 0 and KEY_LINE.fullmatch(out)
    assert out.strip() not in err
    with open_storage(db_url) as storage:
        assert verify_key(storage, out.strip())


def test_list_shows_ids_names_and_dates_never_hashes(capsys, db_url):
    created = [keys(capsys, "create", "--name", name, "--db", db_url)[1].strip() for name in ("ci", "")]
    keys(capsys, "revoke", created[0][3:11], "--db", db_url)
    status, out, _ = keys(capsys, "list", "--db", db_url)
    header, first, second = out.splitlines()
    assert status == 0 and header.split() == ["KEY_ID", "NAME", "CREATED", "REVOKED"]
    assert re.fullmatch(rf"{created[0][3:11]}  ci    \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ  \d{{4}}-.*Z", first)
    assert re.fullmatch(rf"{created[1][3:11]}  -     \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ  -", second)
    with open_storage(db_url) as storage:
        hashes = [storage.api_key_hash(key[3:11]) for key in created]
    assert hashes[1] and hashes[1] not in out and all(key[12:] not in out for key in created)


def test_list_of_no_keys_is_the_header(capsys, db_url):
    assert keys(capsys, "list", "--db", db_url) == (0, "KEY_ID  NAME  CREATED  REVOKED\n", "")


@pytest.mark.parametrize("by", ["key id", "full key"])
def test_revoke_then_revoke_again(capsys, db_url, by):
    key = keys(capsys, "create", "--db", db_url)[1].strip()
    key_id = key[3:11]
    target = key if by == "full key" else key_id
    assert keys(capsys, "revoke", target, "--db", db_url) == (0, f"revoked {key_id}\n", "")
    status, out, err = keys(capsys, "revoke", target, "--db", db_url)
    assert (status, out, err) == (1, "", f"redactor: no active API key with id {key_id}\n")
    with open_storage(db_url) as storage:
        assert not verify_key(storage, key)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("deadbeef", "redactor: no active API key with id deadbeef\n"),
        ("rk_deadbeef_secret-that-is-malformed", "redactor: not a key id (8 hex characters) or an API key\n"),
        ("nope", "redactor: not a key id (8 hex characters) or an API key\n"),
    ],
)
def test_revoke_unknown_exits_1_without_echoing_secrets(capsys, db_url, target, message):
    assert keys(capsys, "revoke", target, "--db", db_url) == (1, "", message)


def test_db_defaults_to_env_then_data_dir(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    keys(capsys, "create")
    assert (tmp_path / "data" / "redactor.db").is_file()
    monkeypatch.setenv("REDACTOR_DB", str(tmp_path / "from-env.db"))
    keys(capsys, "create")
    with open_storage(str(tmp_path / "from-env.db")) as storage:
        assert storage.count_api_keys() == 1
    with open_storage(str(tmp_path / "data" / "redactor.db")) as storage:
        assert storage.count_api_keys() == 1


@pytest.mark.parametrize(
    "db",
    [
        "postgresql://app:hunter2@127.0.0.1:1/redactor",  # nothing listens on port 1
        "mysql://app:hunter2@db/redactor",
    ],
)
def test_storage_errors_exit_2_without_the_password(capsys, db):
    status, out, err = keys(capsys, "list", "--db", db)
    assert (status, out) == (2, "") and err.startswith("redactor: ")
    assert "hunter2" not in err


def test_storage_error_on_an_unusable_path(capsys, tmp_path):
    (tmp_path / "file").write_text("")
    status, _, err = keys(capsys, "create", "--db", str(tmp_path / "file" / "r.db"))
    assert status == 2 and err.startswith("redactor: cannot create database file")


@pytest.mark.parametrize("args", [["keys"], ["keys", "rotate"], ["keys", "revoke"]])
def test_usage_errors(capsys, args):
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    assert exited.value.code == 2


def test_installed_command_prints_one_key_line(tmp_path):
    db = tmp_path / "keys.db"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "redactor"), "keys", "create", "--db", str(db)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={k: v for k, v in os.environ.items() if k != "REDACTOR_DB"},
    )
    assert done.returncode == 0, done.stderr
    assert KEY_LINE.fullmatch(done.stdout)
    with open_storage(str(db)) as storage:
        assert verify_key(storage, done.stdout.strip())
