"""Two identifiers read out without a pause arrive as one 20+ digit string."""
from __future__ import annotations

import pytest

from recognizers.run_on_number_recognizer import RunOnNumberRecognizer

PHONE = "0851887426227"
CARD = "4532015112830366"
NIK = "3174054509900003"


def detected(text: str) -> list[tuple[str, str]]:
    recognizer = RunOnNumberRecognizer()
    return [(r.entity_type, text[r.start : r.end])
            for r in recognizer.analyze(text, recognizer.supported_entities)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"hp saya {PHONE}{PHONE} ya", [("PHONE_NUMBER", PHONE * 2)]),
        (f"kartu {CARD}0927123", [("CREDIT_CARD", CARD + "0927123")]),
        (f"nik {NIK}{NIK}", [("ID_NIK", NIK * 2)]),
        (f"62{PHONE[1:]}1234567", [("PHONE_NUMBER", "62" + PHONE[1:] + "1234567")]),
        (f"nik {NIK}0 alamat", [("ID_NIK", NIK + "0")]),
        # up to 16 digits: the single-entity recognizers handle those
        (PHONE, []),
        (CARD, []),
        (NIK, []),
        # no identifier at the start: an order or reference number read out
        ("order 12345678901234567890123", []),
        ("ref 00000000000000000000", []),
        # grouped digits are typed numbers, not a run-on reading
        (f"{PHONE} {PHONE}", []),
    ],
)
def test_run_on_numbers(text, expected):
    assert detected(text) == expected


def test_only_requested_entities_are_reported():
    recognizer = RunOnNumberRecognizer()
    assert recognizer.analyze(f"{PHONE}{PHONE}", ["CREDIT_CARD"]) == []
