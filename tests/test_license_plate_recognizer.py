"""Vehicle plates: next to a plate cue in any case, written or said (spoken numbers already
normalised, as the engine hands them over); without a cue only "B 1927 TKQ" in capitals."""
from __future__ import annotations

import pytest

from recognizers.license_plate_recognizer import LicensePlateRecognizer
from tests.support import detected


@pytest.fixture(scope="module")
def plate():
    return LicensePlateRecognizer()


PLATES = [
    ("plat AB 4521 KL", ["AB 4521 KL"]),
    ("Perjalanan dgn plat B 6620 KZR sudah kami tandai", ["B 6620 KZR"]),
    ("nopol f1733gh", ["f1733gh"]),
    ("nomor polisi D 12 A", ["D 12 A"]),
    ("license plate B 1234", ["B 1234"]),
    # capitals, a region code, 3-4 digits and 2-3 letters: a plate without a cue
    ("Avanza hitam B 1927 TKQ ya kak", ["B 1927 TKQ"]),
    ("driver an. Tono, DK 4410 ABC", ["DK 4410 ABC"]),
    # said aloud, letters spelt with a word
    ("plat b 2441 s k t betul", ["b 2441 s k t"]),
    ("nomor polisinya be 4321 pe ki er", ["be 4321 pe ki er"]),
    ("nomor polisi kendaraannya d seribu dua ratus tujuh puluh empat u ular n nanas",
     ["d seribu dua ratus tujuh puluh empat u ular n nanas"]),
    # the agent's question, the answer on the next line
    ("agent: boleh info plat kendaraan?\ncustomer: ab 4521 kl", ["ab 4521 kl"]),
]

NOT_PLATES = [
    "blok B 12 A",
    "kirim ke gudang A 123 ya",
    "beli 2 kg ya, total 3 item",
    "promo B 1927 tkq",  # lower-case letters and no cue
    "tower B lantai 12",
    "kode promo HEMAT 2024",
    "jam 10 pagi",
]


@pytest.mark.parametrize("text, expected", PLATES)
def test_plates(plate, text, expected):
    assert detected(plate, text) == expected


@pytest.mark.parametrize("text", NOT_PLATES)
def test_look_alikes_are_not_plates(plate, text):
    assert detected(plate, text) == []


def test_a_spoken_plate_is_masked_through_the_engine(redactor):
    masked = redactor.redact("customer: b satu tiga kali lima z x", context="agent: nomor polisinya pak")
    assert masked.text == "customer: <LICENSE_PLATE>"
