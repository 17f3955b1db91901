"""ASR noise: homophones, colloquial digits, fillers inside numbers, self-corrections, spelling."""
from __future__ import annotations

import re

import pytest

from redactor.spoken import normalize_spoken

DIGIT_WORDS = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|for|fore|to|too|ate|won|nol|"
    r"kosong|satu|dua|tiga|empat|lima|enam|tujuh|tuju|delapan|lapan|sembilan|smbilan)\b"
)


@pytest.mark.parametrize("text, expected", [
    ("four five for six", "4546"),
    ("won two three four", "1234"),
    ("nine ate seven six five four three to one", "987654321"),
    ("five five oh too one", "55021"),
    ("delapan lapan tuju smbilan kosong", "88790"),
    ("kosong delapan satu dua", "0812"),
    # not next to a dictation: words
    ("go to the bank", "go to the bank"),
    ("for two people", "for 2 people"),
    ("from 5 to 6", "from 5 to 6"),
    ("i ate too much", "i ate too much"),
    ("we won the match", "we won the match"),
    # "double" before a homophone: a digit inside a dictation only
    ("five double ate two zero two four", "5882024"),
    ("card is double for five six", "card is 4456"),
    ("book a double for two people", "book a double for 2 people"),
    ("i want a double to share", "i want a double to share"),
])
def test_homophones_and_colloquial_digits(text, expected):
    assert normalize_spoken(text).text == expected


@pytest.mark.parametrize("text", [
    # homophones
    "my card is four five three to zero one five one one two ate three zero three six six",
    "my pin is won two three four",
    "call me on too oh six five five five for three two one",
    # colloquial
    "nomor hp saya kosong lapan satu tiga tuju tuju smbilan dua satu satu lapan",
    # multi-word fillers inside a number
    "kartu saya empat lima tiga dua bentar ya nol satu lima satu gimana ya satu dua delapan tiga",
    "my card number is four five three two hold on zero one five one let me check one two eight three",
    "nomor rekening saya satu dua tiga empat tunggu sebentar lima enam tujuh delapan sorry sembilan nol",
    # self-corrections: both attempts
    "nik saya tiga satu tujuh satu eh salah tiga satu tujuh empat nol lima dua nol",
    "my number is five five five one two eh i mean five five five one three four four",
    "no hp kosong delapan satu dua tiga bukan kosong delapan satu tiga tiga empat lima enam",
    # a digit ASR heard as a short word, inside the dictation
    "customer: my phone number is zero eight six one nine the two zero eight seven nine four",
    "customer: nomor hp saya kosong delapan enam lima delapan sembilan empat tiga nol ada delapan lima",
    "customer: nomor kartunya dua empat nah tujuh enam lima empat empat tiga tiga nol sembilan sembilan",
    # and a digit a hesitation or such a word cut off at the edge of the dictation
    "customer: nomor hp saya kosong eh delapan lima enam satu dua tiga empat lima enam tujuh",
    "customer: my phone number is zero ate um eight five one two three four five six seven",
    "customer: my card number is four five three two zero one five one one two eight three zero three the six",
])
def test_noisy_spoken_numbers_are_masked(redactor, text):
    masked = redactor.redact(text).text
    assert not DIGIT_WORDS.search(masked), masked


@pytest.mark.parametrize("text, expected", [
    ("nama saya kadek, eja k a d e k", "nama saya <PERSON>, eja <PERSON>"),
    ("email saya r i n i garis bawah suryono at gmail dot com", "email saya <EMAIL_ADDRESS>"),
    ("my name is spelled j o h n", "my name is spelled <PERSON>"),
    ("nama: d e w i ya kak", "nama: <PERSON> ya kak"),
    ("nama saya de e we i", "nama saya <PERSON>"),  # Indonesian letter names, as ASR writes them
    ("my name is spelled je o ha en", "my name is spelled <PERSON>"),
    # each letter with a word that starts with it
    ("bisa dieja kak? f fanta r rumah a apel n nanas s sapi", "bisa dieja kak? <PERSON>"),
    ("wibowo pakai w ya pak? iya w whiskey i india b bravo o oscar w whiskey o oscar",
     "<PERSON> pakai w ya pak? iya <PERSON>"),
    ("saya mau es teh ya, te ka es", "saya mau es teh ya, te ka es"),  # no name or email cue
    ("saya pilih opsi a b c", "saya pilih opsi a b c"),  # no name or email cue
    # a long name spelled in part, too far from its cue: the start of the name said before it
    ("his name is mister pattinasarany its a long one p a t t i",
     "his name is mister <PERSON> its a long one <PERSON>"),
    ("kode promonya tksg, te ka es", "kode promonya tksg, te ka es"),  # three letters: no part
])
def test_spelled_letters_after_a_name_or_email_cue(redactor, text, expected):
    assert redactor.redact(text).text == expected


def test_a_self_correction_between_two_attempts_stays_readable(redactor):
    masked = redactor.redact("customer: pin atm saya enam delapan satu sembilan ralat enam delapan tiga sembilan").text
    assert " ralat " in masked and not DIGIT_WORDS.search(masked), masked
