"""Contact data: phone number and email (written and spoken) recognizers.

Each table holds (text, expected span texts); "detected" means a result scored at or above
the engine's 0.5 threshold.
"""
from __future__ import annotations

import pytest
import regex

from recognizers.email_recognizer import OfflineEmailRecognizer, SpokenEmailRecognizer
from recognizers.phone_recognizer import PhoneRecognizer
from tests.support import detected


@pytest.fixture(scope="module")
def phone():
    return PhoneRecognizer()


@pytest.fixture(scope="module")
def email():
    return OfflineEmailRecognizer()


@pytest.fixture(scope="module")
def spoken_email():
    return SpokenEmailRecognizer()


# --- PHONE_NUMBER ---------------------------------------------------------------------------

PHONE_CASES = [
    # Indonesian mobiles, any separator style
    ("081234567890", ["081234567890"]),
    ("0812 3456 7890", ["0812 3456 7890"]),
    ("0812-3456-7890", ["0812-3456-7890"]),
    ("0812.3456.7890", ["0812.3456.7890"]),
    ("0812-345-678-90", ["0812-345-678-90"]),
    ("0812 3456 78", ["0812 3456 78"]),  # 10 digits
    ("0812 3456 789", ["0812 3456 789"]),  # 11 digits
    ("hp saya 0812 3456 789", ["0812 3456 789"]),
    ("wa 0857 1234 5678 ya kak", ["0857 1234 5678"]),
    # country code 62
    ("+6281234567890", ["+6281234567890"]),
    ("+62 812 3456 7890", ["+62 812 3456 7890"]),
    ("+62-812-3456-7890", ["+62-812-3456-7890"]),
    ("62 812 3456 7890", ["62 812 3456 7890"]),
    ("6281234567890", ["6281234567890"]),
    ("(+62) 812 3456 7890", ["(+62) 812 3456 7890"]),
    ("(+62)81234567890", ["(+62)81234567890"]),
    ("plus 62 812 3456 7890", ["plus 62 812 3456 7890"]),
    # landlines
    ("(021) 5551234", ["(021) 5551234"]),
    ("021-5551234", ["021-5551234"]),
    ("0274 512345", ["0274 512345"]),
    ("telp kantor (021) 5551234", ["(021) 5551234"]),
    ("hubungi 021-5551234 ext 12", ["021-5551234"]),
    ("+62 21 5551234", ["+62 21 5551234"]),
    # international
    ("+65 9123 4567", ["+65 9123 4567"]),
    ("+44 20 7946 0958", ["+44 20 7946 0958"]),
    ("my number is +61 412 345 678", ["+61 412 345 678"]),
    # North American numbers need a cue
    ("call me at (415) 555-0132", ["(415) 555-0132"]),
    ("phone: 415-555-0132", ["415-555-0132"]),
    ("phone +1 415 555 0132", ["+1 415 555 0132"]),
    ("(415) 555-0132", []),
    # two numbers
    ("0812 3456 7890 atau 021-5551234", ["0812 3456 7890", "021-5551234"]),
    # any country's number, straight after a phone cue
    ("hp 6593831274 ok", ["6593831274"]),
    ("phone 659485123 4", ["659485123"]),
    ("hp saya 123 ya", []),
    ("paket dgn resi 004369071585 statusnya gagal kirim", []),  # a waybill, not "00 43…"
    ("hp rusak sejak 20240112 kak", []),  # a date after "hp" is not the first thing said
    # look-alikes: dates with dashes have a landline's digits
    ("Tanggal: 04-03-2027", []),
    ("baru beli 03-05-2026", []),
    ("due 2026-05-03", []),
    # look-alikes: prices
    ("Rp 250.000", []),
    ("harga Rp 1.250.000", []),
    ("total 250000", []),
    # order numbers
    ("order #48213", []),
    ("nomor pesanan #48213", []),
    # times and dates
    ("jam 09.30", []),
    ("pukul 09.30 WIB", []),
    ("invoice 2024-05-12", []),
    # years
    ("tahun 2023", []),
    ("lahir 1990", []),
    ("periode 2023-2024", []),
    # OTP codes
    ("kode OTP 123456", []),
    ("OTP nya 482913 ya", []),
    ("no hp 123456", []),
    # too short / glued into a longer run
    ("0812 345", []),
    ("12-081234567890", []),
    ("081234567890-12", []),
]


@pytest.mark.parametrize("text, expected", PHONE_CASES)
def test_phone(phone, text, expected):
    assert detected(phone, text) == expected


# --- EMAIL_ADDRESS: written -----------------------------------------------------------------

EMAIL_CASES = [
    ("budi.santoso@gmail.com", ["budi.santoso@gmail.com"]),
    ("email saya rina.sari@yahoo.co.id ya", ["rina.sari@yahoo.co.id"]),
    ("kirim ke cs@mail.bank.co.id", ["cs@mail.bank.co.id"]),
    ("john_doe+tag@sub.example.org", ["john_doe+tag@sub.example.org"]),
    ("Budi.Santoso@Gmail.COM", ["Budi.Santoso@Gmail.COM"]),
    ("admin@ui.ac.id, andi@kemenkeu.go.id", ["admin@ui.ac.id", "andi@kemenkeu.go.id"]),
    # a typo in the suffix still leaves an address someone can be reached at
    ("email hendra.ramadhan1991@gmail.con sori typo", ["hendra.ramadhan1991@gmail.con"]),
    # not addresses
    ("budi@gmail", []),
    ("budi@localhost", []),
    ("follow kami di @bankbca", []),
    ("budi at gmail", []),
]


@pytest.mark.parametrize("text, expected", EMAIL_CASES)
def test_email(email, text, expected):
    assert detected(email, text) == expected


def test_email_without_network(no_network):
    """The domain check reads the bundled suffix list: nothing is downloaded."""
    text = "email: budi.santoso@kantor.co.id"
    assert detected(OfflineEmailRecognizer(), text) == ["budi.santoso@kantor.co.id"]
    assert no_network == []


# --- EMAIL_ADDRESS: spoken ------------------------------------------------------------------

SPOKEN_EMAIL_CASES = [
    ("budi dot santoso at gmail dot com", ["budi dot santoso at gmail dot com"]),
    ("rina titik sari et yahoo titik co titik id", ["rina titik sari et yahoo titik co titik id"]),
    ("email saya budi at gmail dot com ya", ["budi at gmail dot com"]),
    ("budi underscore santoso at gmail dot com", ["budi underscore santoso at gmail dot com"]),
    ("andi 99 at yahoo dot com", ["andi 99 at yahoo dot com"]),
    # letters spelt out, number words left as words, other top-level domains
    ("caller: b u d i titik eddy at hotmail dot com ya", ["b u d i titik eddy at hotmail dot com"]),
    ("emailnya grace titik dua ribu satu at yahoo dot com", ["grace titik dua ribu satu at yahoo dot com"]),
    ("email william dot 1999 at gmx dot de", ["william dot 1999 at gmx dot de"]),
    # ".com" as Indonesian speakers say it, and as ASR writes it down
    ("anggraeni at jimel dot kom", ["anggraeni at jimel dot kom"]),
    ("budi titik santoso et gmail titik kom ya", ["budi titik santoso et gmail titik kom"]),
    # typed dots in a spoken address, hesitations, ".co" spelt out, dodges of spam filters
    ("Ok, it's k.roberts at gmail dot com right", ["k.roberts at gmail dot com"]),
    ("emailnya aditya dot maulana et emm outlook dot com", ["aditya dot maulana et emm outlook dot com"]),
    ("padmi zero at yahoo dot c o dot id", ["padmi zero at yahoo dot c o dot id"]),
    ("jaiman.xx[at]gmail[dot]com Agen", ["jaiman.xx[at]gmail[dot]com"]),
    ("email galihhasibuan (at) outlook (dot) com ok", ["galihhasibuan (at) outlook (dot) com"]),
    ("email hanafi.m [at] ymail.com", ["hanafi.m [at] ymail.com"]),  # a dodged "@", a typed domain
    ("email sy hanafi.m @ ymail.co.id", ["hanafi.m @ ymail.co.id"]),
    # "at" typed for the @ before a typed domain: the local part has a dot, underscore or digit
    ("email nya andi.pratama88 at gmail.com", ["andi.pratama88 at gmail.com"]),
    ("kirim ke siti_aminah at yahoo.co.id ya", ["siti_aminah at yahoo.co.id"]),
    ("ketemu at starbucks.com ya", []),
    ("meet me at the cafe dot com", []),
    ("cs at mail dot bank dot co dot id", ["cs at mail dot bank dot co dot id"]),
    # everyday "at" and "titik"
    ("saya di kantor at nine", []),
    ("meet at the office dot", []),
    ("see you at the mall dot com", []),
    ("saya di kantor at jakarta titik", []),
    ("budi at gmail", []),
    ("ketemu at lobby titik kumpul", []),
]


@pytest.mark.parametrize("text, expected", SPOKEN_EMAIL_CASES)
def test_spoken_email(spoken_email, text, expected):
    assert detected(spoken_email, text) == expected


@pytest.mark.parametrize("text", [
    *(text for text, expected in SPOKEN_EMAIL_CASES if expected),
    # symbols glued to their words, as ASR sometimes writes them
    "rina at yahoodotcodotid", "budiat gmail dot com", "andi99atgmaildotcom",
])
def test_spoken_email_quick_check_keeps_every_address_the_pattern_finds(spoken_email, text):
    [pattern] = spoken_email.patterns
    assert regex.search(pattern.regex, text, regex.IGNORECASE)
    assert spoken_email.worth_scanning(text)


@pytest.mark.parametrize("text", ["saya di kantor at nine", "budi at gmail", "halo kak, paket saya"])
def test_spoken_email_quick_check_skips_text_without_a_domain(spoken_email, text):
    assert not spoken_email.worth_scanning(text)
