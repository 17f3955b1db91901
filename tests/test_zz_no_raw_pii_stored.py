"""Runs last (files are collected in name order): every database and data directory the
server tests wrote is scanned for the raw PII strings those tests sent."""
from __future__ import annotations

import pytest

from tests.live import DATA_PLACES, SENT_PII


def test_no_raw_pii_in_any_database_or_data_directory():
    if not DATA_PLACES:
        pytest.skip("no server test ran in this session: run the whole suite")
    assert SENT_PII, "server tests ran but recorded no PII to look for"
    files = [path for place in DATA_PLACES for path in place.rglob("*") if path.is_file()]
    assert any(path.suffix == ".db" for path in files) and any(path.suffix == ".wav" for path in files)
    needles = {pii: pii.encode() for pii in SENT_PII}
    found = [(str(path), pii) for path in files for pii, raw in needles.items() if raw in path.read_bytes()]
    assert found == []
