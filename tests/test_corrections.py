"""A value given as a correction inherits the type of the identifier it corrects."""
from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from redactor.corrections import corrected_values


def corrections(text: str, first: tuple[str, str]) -> list[tuple[str, str]]:
    entity_type, value = first
    start = text.index(value)
    earlier = [RecognizerResult(entity_type, start, start + len(value), 0.9)]
    return [(r.entity_type, text[r.start : r.end]) for r in corrected_values(text, earlier)]


@pytest.mark.parametrize(
    "text, first, expected",
    [
        ("paspor B1234567 bentar salah ketik yang bener x 8216671 ok",
         ("ID_PASSPORT", "B1234567"), [("ID_PASSPORT", "x 8216671")]),
        ("rek 1234567890 eh salah kak, yang benar 3193387258 a.n. Maida",
         ("BANK_ACCOUNT", "1234567890"), [("BANK_ACCOUNT", "3193387258")]),
        ("NIK 3174054509900003 ENTAR SALAH KETIK, YANG BENER 3174054509900004",
         ("ID_NIK", "3174054509900003"), [("ID_NIK", "3174054509900004")]),
        ("my number is 0812 3456 7890, sorry wrong one, it's 0812 9876 5432",
         ("PHONE_NUMBER", "0812 3456 7890"), [("PHONE_NUMBER", "0812 9876 5432")]),
        # a secret's correction is as short as the secret
        ("pin atm saya 6819 ralat 6839", ("PIN", "6819"), [("PIN", "6839")]),
        ("cvv nya 123 eh salah 132", ("CARD_CVV", "123"), [("CARD_CVV", "132")]),
        ("kode otp 5521 eh salah 12 ya", ("OTP", "5521"), []),
        # a correction of something that is no identifier
        ("harga Rp 50.000 eh salah, 60.000 maksudnya", ("PERSON", "harga"), []),
        # the value is too short to be an identifier
        ("rek 1234567890 eh salah, 12 ya", ("BANK_ACCOUNT", "1234567890"), []),
        # the identifier is too far back to be the one corrected
        ("rek 1234567890 " + "lalu saya cerita panjang " * 10 + "salah, 3193387258",
         ("BANK_ACCOUNT", "1234567890"), []),
        # "salah" inside another word is no correction
        ("rek 1234567890 kesalahan 3193387258", ("BANK_ACCOUNT", "1234567890"), []),
    ],
)
def test_corrected_values(text, first, expected):
    assert corrections(text, first) == expected


def test_corrections_through_the_engine(redactor):
    text = "paspor B1234567 bentar salah ketik yang bener x delapan dua satu enam enam tujuh satu ok"
    result = redactor.redact(text)
    assert result.text == "paspor <ID_PASSPORT> bentar salah ketik yang bener <ID_PASSPORT> ok"
