"""The console's pure parts: transcript pieces and their times, free-text scrubbing, the
audit hash, redirects and CSV cells."""
from __future__ import annotations

import pytest

from console.app import _cell, _safe_next
from console.audit import GENESIS, entry_hash, scrub
from console.conversations import pieces
from redactor.storage import Segment, StoredEntity


def segment(text: str, entities=(), start=10.0, end=20.0) -> Segment:
    return Segment("c", "call", 0, "agent", text, tuple(StoredEntity(*e) for e in entities), start, end)


def test_pieces_are_words_and_chips_with_interpolated_times():
    text = "kartu saya <CREDIT_CARD> ya"
    result = pieces(segment(text, [("CREDIT_CARD", 11, 24)]))
    assert [(p.text, p.entity) for p in result] == [("kartu", None), ("saya", None), ("<CREDIT_CARD>", "CREDIT_CARD"), ("ya", None)]
    assert result[0].start_s == 10.0 and result[-1].end_s == 20.0
    assert result[2].start_s == pytest.approx(10 + 10 * 11 / len(text), abs=1e-3)
    assert all(a.end_s <= b.start_s for a, b in zip(result, result[1:]))


def test_a_masked_value_with_spaces_is_one_chip_and_overlaps_are_shown_once():
    text = "no **** **** **** 1234 dan <PERSON>"
    result = pieces(segment(text, [("CREDIT_CARD", 3, 22), ("CREDIT_CARD", 8, 12), ("PERSON", 27, 35)]))
    assert [p.text for p in result if p.entity] == ["**** **** **** 1234", "<PERSON>"]


def test_encrypted_tokens_are_chips_even_without_an_entity_and_chats_have_no_times():
    result = pieces(Segment("c", "chat", 0, "customer", "nik <ID_NIK:enc:QUJDRA> ok", ()))
    assert [(p.entity, p.encrypted) for p in result] == [(None, False), ("ID_NIK", True), (None, False)]
    assert all(p.start_s is None for p in result)


@pytest.mark.parametrize("text, kept", [
    ("ticket QA-1182 dispute", "ticket QA-1182 dispute"),
    ("nik 3174096512880007 asked", "nik [masked] asked"),
    ("call 0812-3456-7890 back", "call [masked] back"),
    ("mail budi.s@example.co.id now", "mail [masked] now"),
])
def test_free_text_keeps_short_numbers_and_masks_long_ones_and_emails(text, kept):
    assert scrub(text) == kept


def test_the_hash_covers_every_field_and_the_previous_hash():
    base = entry_hash(GENESIS, "t", "rina", "view", "call:1", {"a": 1}, "127.0.0.1")
    changed = [entry_hash("1" * 64, "t", "rina", "view", "call:1", {"a": 1}, "127.0.0.1"),
               entry_hash(GENESIS, "t", "rinb", "view", "call:1", {"a": 1}, "127.0.0.1"),
               entry_hash(GENESIS, "t", "rina", "view", "call:1", {"a": 2}, "127.0.0.1"),
               entry_hash(GENESIS, "t", "rina", "view", "call:1", {"a": 1}, "10.0.0.1")]
    assert base not in changed and len(set(changed)) == 4


@pytest.mark.parametrize("target, safe", [
    ("/conversations?page=2", "/conversations?page=2"), ("//evil.example/x", "/"),
    ("https://evil.example/", "/"), ("/\\evil.example", "/"), (None, "/"),
])
def test_login_redirects_stay_on_the_site(target, safe):
    assert _safe_next(target) == safe


def test_csv_cells_never_start_a_formula():
    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and _cell("-1+2") == "'-1+2" and _cell("halo") == "halo"
