"""Dates of birth: any date shape right after a birth cue (the agent's question included);
other dates stay readable. Recognizer tables on text as the engine hands it over (spoken numbers
already normalised), then spoken answers through the engine."""
from __future__ import annotations

import pytest

from recognizers.date_of_birth_recognizer import DateOfBirthRecognizer
from tests.support import detected


@pytest.fixture(scope="module")
def dob():
    return DateOfBirthRecognizer()


DATES_OF_BIRTH = [
    ("tanggal lahir 12-03-1988", ["12-03-1988"]),
    ("tgl lahir: 14/02/1990", ["14/02/1990"]),
    ("lahir 9-9-1984", ["9-9-1984"]),
    ("TTL Bandung, 17.05.93", ["17.05.93"]),
    ("date of birth 1988-03-12", ["1988-03-12"]),
    ("dob: 1985/08/17", ["1985/08/17"]),
    ("lahir 17 agts 1985", ["17 agts 1985"]),  # the month as people shorten it in chat
    ("tgl lahir 3 mrt 90", ["3 mrt 90"]),
    ("lahir 5 jan 97", ["5 jan 97"]),
    ("DOB: 21 Nov 1985", ["21 Nov 1985"]),
    ("born on June 14, 1990", ["June 14, 1990"]),
    ("my birthday is 2nd of February 1979", ["2nd of February 1979"]),
    ("date of birth fourteenth of june 1990", ["fourteenth of june 1990"]),
    ("tanggal lahirnya 3 oktober dua ribu sepuluh", ["3 oktober dua ribu sepuluh"]),
    ("lahir 120886", ["120886"]),
    # the agent's question, the answer on the next line
    ("agent: Untuk verifikasi, mohon tanggal lahir Bapak.\ncustomer: 12-03-1988", ["12-03-1988"]),
    ("agent: nama lengkap + tgl lahir?\ncustomer: Novita Anggraini 17-5-1993", ["17-5-1993"]),
    ("agent: Mohon PIN, tgl lahir, & nama ibu kandung.\ncustomer: 4931 eh kebalik, 4391\n"
     "customer: 22-10-1985", ["22-10-1985"]),  # the same speaker's other answers between
    # what is left when the day ran into the digits before it
    ("tanggal lahir 197931 desember 79", ["desember 79"]),
    # a correction is a birth date too
    ("tgl lahir 6 Nov 1992, eh salah, 26 Nov 1992", ["6 Nov 1992", "26 Nov 1992"]),
]

OTHER_DATES = [
    "paket dikirim tanggal 12-03-2024 ya kak",
    "transaksi 21 Nov 2025 jam 10.00",
    "jatuh tempo 05/01/2026",
    "kartu berlaku sampai 09/27",
    "lahir di Bandung, pindah ke Jakarta tahun 2010",  # a year alone is no date
    "saya lahir tahun 90an",
    "lahir di bandung pindah ke jakarta tahun dua ribu sepuluh",
]


@pytest.mark.parametrize("text, expected", DATES_OF_BIRTH)
def test_dates_after_a_birth_cue(dob, text, expected):
    assert detected(dob, text) == expected


@pytest.mark.parametrize("text", OTHER_DATES)
def test_other_dates_stay_readable(dob, text):
    assert detected(dob, text) == []


@pytest.mark.parametrize("question, answer", [
    ("agent: boleh tanggal lahir pemilik nomor", "customer: sembilan belas januari dua ribu satu"),
    ("agent: untuk verifikasi tanggal lahirnya", "customer: dua puluh tiga mei sembilan belas delapan puluh enam"),
    ("agent: and your date of birth", "customer: fourteenth of june nineteen ninety"),
    ("agent: nama lengkap dan tanggal lahir", "customer: satu dua nol delapan delapan enam"),
    ("agent: tanggal lahir ibu",
     "customer: seribu sembilan ratus tujuh puluh dua tanggal delapan februari"),  # the year first
])
def test_spoken_dates_of_birth_are_masked(redactor, question, answer):
    assert redactor.redact(answer, context=question).text == "customer: <DATE_OF_BIRTH>"
