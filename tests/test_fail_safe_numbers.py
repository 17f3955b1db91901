"""Fail-safe numbers: checksums and structure choose the label, never whether a number is masked."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from redactor import Redactor, RedactorConfig
from redactor.config import DEFAULT_ALLOW_CUES
from redactor.numbers import only_fillers


@pytest.mark.parametrize("text, masked", [
    # checksum- or structure-invalid, typed by their cue
    ("my card is 4532 0151 1283 0367", "my card is <CREDIT_CARD>"),
    ("kartu 4532015112830367 ya kak", "kartu <CREDIT_CARD> ya kak"),
    ("nomor kartu saya empat lima tiga dua nol satu lima satu satu dua delapan tiga nol tiga enam "
     "tujuh", "nomor kartu saya <CREDIT_CARD>"),
    ("nik saya 3171019901900003", "nik saya <ID_NIK>"),
    ("no ktp 1234567890123456", "no ktp <ID_NIK>"),
    ("no hp saya 0812 3456 78", "no hp saya <PHONE_NUMBER>"),
    ("you can call me back on three nine eight six nine seven four two seven four",
     "you can call me back on <PHONE_NUMBER>"),
    ("no VA BCA 12208088922290362", "no VA BCA <BANK_ACCOUNT>"),
    # no cue: 8+ digits are masked all the same
    ("my number is two one two five five five zero one nine eight", "my number is <NUMBER>"),
    ("yang tadi 98765432 ya", "yang tadi <NUMBER> ya"),
    ("tanggal lahir saya 3171019901900003", "tanggal lahir saya <NUMBER>"),  # too long for a date
    ("tanggal lahir 12 03 1990", "tanggal lahir <DATE_OF_BIRTH>"),  # a date, but a birth date
    ("ini 1234-5678-9012", "ini <NUMBER>"),
    # 4+ digits right after an identifier cue
    ("kartu saya 4532", "kartu saya <CREDIT_CARD>"),
    ("nik 3171 0199", "nik <ID_NIK>"),
    ("nomor pelanggan saya 88231", "nomor pelanggan saya <NUMBER>"),
    # fillers, self-corrections and the other speaker's backchannels inside one number
    ("kartu 4532 0151 bentar ya 1283 0366", "kartu <CREDIT_CARD> bentar ya <CREDIT_CARD>"),
    ("Customer: 5505 Agent: iya kak Customer: 9425 4842 4466",
     "Customer: <CREDIT_CARD> Agent: iya kak Customer: <CREDIT_CARD>"),
    ("nik saya 3171 0199 eh salah 3171 0199 0190 0003", "nik saya <ID_NIK> eh salah <ID_NIK>"),
    # a count of digits between the cue and the number does not take the cue's place
    ("sy udh kasih pin 6 digit 447120 ke orang itu", "sy udh kasih pin 6 digit <PIN> ke orang itu"),
    ("yg dtg malah kode 6 digit 330917", "yg dtg malah kode 6 digit <NUMBER>"),
    # the letter O typed for a zero
    ("nik sy 32O1 1548 0796 0002", "nik sy <ID_NIK>"),
    ("no hp O812 3456 7890", "no hp <PHONE_NUMBER>"),
    # and I or l for a one between digits
    ("nomer hp 08l2 3456 7890", "nomer hp <PHONE_NUMBER>"),
    ("rek bca sy 52I0 3344 55", "rek bca sy <BANK_ACCOUNT>"),
    # a letter typed by mistake inside a group stops nothing: the groups after it are masked
    ("no hp 0812 34r6 7890", "no hp <PHONE_NUMBER>"),
    ("nomor kartu 4532 0151 12a3 0366", "nomor kartu <CREDIT_CARD>"),
    ("no hp 0812 345l 7890", "no hp <PHONE_NUMBER>"),  # at a group's edge, between two groups
    ("kartu 4532 w151 1283 0366", "kartu <CREDIT_CARD>"),
    # and so do two, anywhere in a group of a longer number
    ("kartu 4532 0151 1283 O3G6", "kartu <CREDIT_CARD>"),
    ("kartu 4532 O1S1 1283 0366", "kartu <CREDIT_CARD>"),
    ("no rek 1234 S67B 90", "no rek <BANK_ACCOUNT>"),
    ("nik 3174 0512 0888 OOO2", "nik <ID_NIK>"),
    # a key slipped in a number typed in one run, in groups of three, or at a group's edge
    ("nik nya 310122283r598455 ya", "nik nya <ID_NIK> ya"),
    ("hp 0830w265572", "hp <PHONE_NUMBER>"),
    ("nik sy 35q 899 913 303 614 8", "nik sy <ID_NIK>"),
    ("hp 08e 747 756 19", "hp <PHONE_NUMBER>"),
    ("kartu kredit saya 4392952l-3608.5855", "kartu kredit saya <CREDIT_CARD>"),
    ("account no 6069-3`37-62 ya", "account no <BANK_ACCOUNT> ya"),
    ("kartu kredit saya 4165-3407-7711-787l kak", "kartu kredit saya <CREDIT_CARD> kak"),  # no litres
    ("kartu kredit saya t5553450.5279.6384", "kartu kredit saya <CREDIT_CARD>"),
    # a key slipped before a number too long for a code's digits
    ("nomor hp p85990559287", "nomor hp <PHONE_NUMBER>"),
    ("paspor saya M469889032", "paspor saya <ID_PASSPORT>"),  # a code's letter: up to 9 digits
    ("kartu saya a4532015112830366", "kartu saya <CREDIT_CARD>"),
    ("no rek b1234567890 ya", "no rek <BANK_ACCOUNT> ya"),
    # an allow-cue inside a question for an identifier, answered on the next line
    ("agent: boleh nomor paspor yg dipakai saat booking kak?\ncustomer: 4829137",
     "agent: boleh nomor paspor yg dipakai saat booking kak?\ncustomer: <ID_PASSPORT>"),
    # a passport's letters typed or spelled before its digits are part of it
    ("agent: boleh nomor paspor yg dipakai saat booking kak?\ncustomer: C 4829137",
     "agent: boleh nomor paspor yg dipakai saat booking kak?\ncustomer: <ID_PASSPORT>"),
    ("agent: and passport number\ncustomer: b as in bravo two two nine oh one seven six",
     "agent: and passport number\ncustomer: <ID_PASSPORT>"),
    # and a phone number's "plus" said aloud
    ("its plus six two eight one one nine two double five three one eight", "its <PHONE_NUMBER>"),
    # and any other code's letters, typed in capitals or said one by one; not a word or cue
    ("customer: member ACR 2219 4487 01 nginep 2-5 mei", "customer: member <NUMBER> nginep 2-5 mei"),
    ("agent: boleh nomor keanggotaannya pak\ncustomer: g a satu satu empat delapan delapan",
     "agent: boleh nomor keanggotaannya pak\ncustomer: <NUMBER>"),
    ("customer: CIF 1023884719", "customer: CIF <NUMBER>"),
    ("nomor member saya NO 88231 ya", "nomor member saya NO <NUMBER> ya"),
    # RM before a number is a medical record ("rekam medis"), not ringgit
    ("customer: no RM 00-41-72-93", "customer: no RM <NUMBER>"),
    # a piece of a number masked in an earlier turn, read back; other numbers stay readable
    ("customer: kartu saya 4532 0151 1283 0366\nagent: baik, yang berakhiran 0366 ya pak, transaksi 2500",
     "customer: kartu saya <CREDIT_CARD>\nagent: baik, yang berakhiran <NUMBER> ya pak, transaksi 2500"),
])
def test_identifier_like_numbers_are_masked_whatever_their_checksum(redactor, text, masked):
    assert redactor.redact(text).text == masked


@pytest.mark.parametrize("text", [
    "harganya Rp 150.000 ya kak",
    "total 1.500.000",
    "refund sebesar 2500000 sudah kami proses",
    "seratus lima puluh ribu rupiah",
    "five thousand dollars",
    "tanggal 12/03/2024 jam 10:30",
    "can the technician come 11/19/2025 8:15",
    "besok pukul 10.30",
    "diskon 50% untuk 2 buah",
    "paket 25GB harga 150000",
    "resi JNE 1234567890123 ya",
    "no order 20241126001",
    "tiket nomor tiga puluh lima nol lima baik kak",
    "your reference case number nine one three zero six one five",
    "kode booking 88123401",
    "kode booking B123456789 ya",  # a reference's letter, read as a slip or not
    "resi JP1234567890",
    "invoice INV/20241126/MPL",
    "go to the bank",
    "saya beli 3 unit tahun 2024",
    "tanggal transaksi 12 03 2024",
    "saya sudah telepon kemarin soal order ID 9159 4785",  # the reference's own allow-cue
    "ROOM 101 lantai 2OO5",
    "kodenya 6 digit ya kak",
    "here is your reference: ticket #82577",
    "the promo code gives five thousand off",  # an amount after a code that was not asked for
    "harga kartu pin nya dua ribu rupiah",
    "pesan galon 2 x 150l ya",  # a unit after the digits, not a one
    "cetak ukuran 2x3 100 lembar",
    "beli 500ml 250ml 1000 2000ml",  # units after the digits
    "total 100.000 200.000 50rb",
    "harga 1500 2000 3pcs",
    "paket 2x 50k 100k 150k 200k",
    "harga 100.000 50k 200.000",  # thousands between two prices
])
def test_benign_numbers_stay_readable(redactor, text):
    assert redactor.redact(text).text == text


def test_allow_cues_come_from_the_policy():
    text = "no antrian 12345678"
    assert Redactor().redact(text).text == "no antrian <NUMBER>"
    custom = Redactor(RedactorConfig.from_dict({"allow_cues": ["antrian"]}))
    assert custom.redact(text).text == text


@pytest.mark.parametrize("text, expected", [
    ("iya kak", True), ("bentar ya", True), ("mhm", True), ("ok lanjut", True),
    ("sorry, hold on", True), ("terima kasih", False), ("oke 123", False),
])
def test_only_fillers(text, expected):
    assert only_fillers(text) is expected


ISSUE_EXAMPLES = [
    "customer: empat sembilan delapan kosong agent: iya lanjut customer: satu lima satu satu dua delapan",
    "Customer: 5505 Agent: iya kak Customer: 9425 4842 4466",
    "customer: empat lima tiga dua agent: mhm customer: nol satu lima satu",
    "kartu saya empat lima tiga dua bentar ya nol satu lima satu gimana ya satu dua delapan tiga",
    "my card is four five three two sorry zero one five one hold on one two eight three",
    "my card is for five three to zero one five one one two ate three zero three six six",
    "nomor hp saya kosong lapan satu dua tiga empat lima enam tujuh lapan",
    "kode OTP nya 858761",
    "no VA BCA 12208088922290362",
    "my card is 4532 0151 1283 0367",
    "kartu 4532015112830367 ya kak",
    "nomor kartu saya empat lima tiga dua nol satu lima satu satu dua delapan tiga nol tiga enam tujuh",
    "nik saya 3171019901900003",
    "no ktp 1234567890123456",
    "my number is two one two five five five zero one nine eight",
    "you can call me back on three nine eight six nine seven four two seven four",
    "pin atm saya 123456",
    "password saya Rahasia123!",
    "my ssn is 123-45-6789",
    "please use IBAN DE89 3704 0044 0532 0130 00",
]
_LEFT = re.compile(
    r"\d|Rahasia|\b(?:nol|kosong|satu|dua|tiga|empat|lima|enam|tujuh|delapan|lapan|sembilan|"
    r"zero|one|two|three|four|five|six|seven|eight|nine|for|to|ate)\b")


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_every_example_of_the_issue_is_masked(redactor, text):
    masked = redactor.redact(text).text
    assert not _LEFT.search(masked), masked


def test_the_example_policy_lists_the_default_allow_cues():
    example = Path(__file__).resolve().parents[1] / "examples" / "policy.toml"
    assert RedactorConfig.from_file(example).allow_cues == DEFAULT_ALLOW_CUES


@pytest.mark.parametrize("data", [{}, {"entities": {"EMPLOYEE_NAME": {"deny_list": ["Andi"]}}}])
def test_a_policy_that_does_not_list_allow_cues_keeps_the_defaults(data):
    assert RedactorConfig.from_dict(data).allow_cues == DEFAULT_ALLOW_CUES


@pytest.mark.parametrize("text", [
    "tahun 2019 dan 2020 saya sudah bayar",  # typed: "dan" between two numbers joins nothing
    "kamar 1204 and 1206 please",
])
def test_a_word_between_typed_numbers_keeps_them_apart(redactor, text):
    assert redactor.redact(text).text == text
