"""Runs last (files are collected in name order): every database and data directory the
server tests wrote is scanned for the raw PII those tests sent."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.live import DATA_PLACES, SENT_PII, SENT_WORDS
from tests.speech import words_heard


def database_text(path: Path) -> str:
    """Every value of every table of a SQLite database, as text."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(str(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"'))


# Keyed hashes and signatures (the erasure index, receipts, leases) are random hex, and the
# microseconds of a stored time are random digits: a short registered digit run ("45320", a
# card's first piece) turns up inside one by chance ("2026-12-06T23:43:59.453205+00:00").
_RANDOM_DIGITS = re.compile(rb"[0-9a-f]{32,}|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\.\d+")


def without_random_digits(content: bytes) -> bytes:
    return _RANDOM_DIGITS.sub(b" ", content)


def test_no_raw_pii_in_any_database_or_data_directory():
    if not DATA_PLACES:
        pytest.skip("no server test ran in this session: run the whole suite")
    assert SENT_PII and SENT_WORDS, "server tests ran but recorded no PII to look for"
    files = [path for place in DATA_PLACES for path in place.rglob("*") if path.is_file()]
    databases = [path for path in files if path.suffix == ".db"]
    assert databases and any(path.suffix == ".wav" for path in files)
    contents = {path: without_random_digits(path.read_bytes()) for path in files}
    found = [(str(path), pii) for path in files for pii in SENT_PII if pii.encode() in contents[path]]
    found += [(str(path), word) for path in databases for word in words_heard(database_text(path), SENT_WORDS)]
    assert found == []
