"""Spoken-number normalisation: conversions, things left alone, and exact offset mapping."""
from __future__ import annotations

import random

import pytest

from redactor.spoken import NormalizedText, normalize_spoken, spoken_digits, without_quotes

CARD_CVV = "kartu saya empat lima tiga dua dan cvv satu dua tiga"

CONVERSIONS = [
    # English digit by digit
    ("four five three two zero one five one", "45320151"),
    ("my card is four five three two", "my card is 4532"),
    ("One Two Three", "123"),
    # English compounds
    ("forty five thirty two", "4532"),
    ("forty-five", "45"),
    ("twenty", "20"),
    ("nineteen ninety five", "1995"),
    ("four hundred fifty three", "453"),
    ("four hundred five", "405"),
    ("four hundred and five", "405"),
    ("two hundred", "200"),
    ("one hundred eleven", "111"),
    ("twenty oh five", "2005"),
    # double / triple
    ("double five", "55"),
    ("triple seven", "777"),
    ("double oh seven", "007"),
    ("double five oh", "550"),
    ("dobel lima", "55"),
    ("tripel nol", "000"),
    ("dobel kosong delapan", "008"),
    # separators read out between a number's groups
    ("sembilan dua titik tujuh satu empat", "92.714"),
    ("delapan delapan satu titik nol strip enam dua nol", "881.0-620"),
    ("sektor satu point dua", "sektor 1.2"),
    # "nol tiga kali": the digit, said that many times, inside a number being read out
    ("nol tiga kali dua", "0002"),
    ("satu tiga kali lima", "1115"),
    ("empat lima dua kali", "455"),
    # oh / o next to a number word
    ("oh eight one two", "0812"),
    ("one o one", "101"),
    ("nine oh", "90"),
    # Indonesian digit by digit
    ("empat lima tiga dua nol satu lima satu", "45320151"),
    ("nik saya tiga satu tujuh empat", "nik saya 3174"),
    ("Enam Tujuh Delapan Sembilan", "6789"),
    # belas / puluh / ratus
    ("sepuluh", "10"),
    ("sebelas", "11"),
    ("tiga belas", "13"),
    ("empat puluh lima", "45"),
    ("dua puluh", "20"),
    ("seratus", "100"),
    ("seratus dua puluh tiga", "123"),
    ("dua ratus lima", "205"),
    ("tujuh ratus sebelas", "711"),
    ("empat puluh lima tiga puluh dua", "4532"),
    # kosong next to a number word
    ("kosong delapan satu dua", "0812"),
    ("nomor hp kosong delapan satu tiga", "nomor hp 0813"),
    ("kosong kosong delapan", "008"),
    # id/en mixed in one run
    ("kosong eight satu two", "0812"),
    ("empat five tiga two", "4532"),
    ("forty lima", "45"),
    # times and single small numbers
    ("jam tiga", "jam 3"),
    ("at nine", "at 9"),
    ("see you at nine thirty", "see you at 930"),
    # written digits join adjacent number words
    ("0812 tiga empat", "081234"),
    ("kosong 812 tiga", "0812" + "3"),
    ("empat lima 3 2", "4532"),
    # slash / garis miring between numbers
    ("zero nine slash twenty seven", "09/27"),
    ("nol sembilan garis miring dua tujuh", "09/27"),
    ("berlaku sampai nol sembilan garis  miring dua tujuh", "berlaku sampai 09/27"),
    ("zero nine / twenty seven", "09/27"),
    # chat separators: single hyphens or commas inside a run
    ("empat-lima-tiga-dua", "4532"),
    ("satu, dua, tiga", "123"),
    # context words outside runs stay
    (CARD_CVV, "kartu saya 4532 dan cvv 123"),
    ("rekening bca satu dua tiga, atas nama budi", "rekening bca 123, atas nama budi"),
]


@pytest.mark.parametrize(("source", "expected"), CONVERSIONS)
def test_converts(source: str, expected: str) -> None:
    result = normalize_spoken(source)
    assert result.text == expected
    assert result.changed
    assert result.source == source


UNCHANGED = [
    # no number words at all (fast path)
    "halo kak, kartu saya ketelan mesin atm",
    "",
    # oh / o / kosong without a number next to them
    "oh okay",
    "oh, i see",
    "o gitu ya",
    "saldo kosong",
    "rekening saya kosong, mbak",
    # quantities: any compound with a scale word stays as words
    "dua ratus lima puluh ribu rupiah",
    "five thousand dollars",
    "lima juta",
    "seribu",
    "sejuta rupiah",
    "two thousand and five",
    "lima ribu dua ratus",
    "tiga ratus ribu lima ratus rupiah",
    "satu juta dua ratus ribu",
    "fifteen hundred dollars",
    "a hundred",
    "satu setengah juta",
    "dua lusin",
    # already digits
    "4532 0151 2345 6789",
    "09/27",
    "Rp 50.000",
    # number words fused into other words
    "satu-satunya",
    "one-off",
    "ke-tiga",
    "dua-dua",
    # whole words only
    "duanya tigaan limas oneself",
    # double/triple/slash/and without numbers
    "double check",
    "triple a",
    "slash and burn",
]


@pytest.mark.parametrize("source", UNCHANGED)
def test_left_unchanged(source: str) -> None:
    result = normalize_spoken(source)
    assert result.text == source
    assert not result.changed


PARTIAL = [
    # the amount stays, the identifier next to it converts
    ("hp kosong delapan satu dua, harganya lima ribu", "hp 0812, harganya lima ribu"),
    ("bayar lima ribu pakai kartu empat lima tiga dua", "bayar lima ribu pakai kartu 4532"),
    ("harganya dua ribu lima ratus, kartu empat lima", "harganya dua ribu lima ratus, kartu 45"),
    ("oh, one more thing", "oh, one more thing"),
    ("nine o'clock", "9 o'clock"),
    ("one hundred and", "100 and"),
    ("satu dan dua", "1 dan 2"),
    # "titik" and "strip" elsewhere are words ("dot" in an email, a full stop)
    ("budi titik santoso", "budi titik santoso"),
    ("nomor dua belas titik", "nomor 12 titik"),
    ("rt nol lima strip rw nol dua", "rt 05 strip rw 02"),
    # "dua kali" on its own is "twice"
    ("saya sudah telepon dua kali", "saya sudah telepon 2 kali"),
    ("sudah tiga kali ya kak", "sudah 3 kali ya kak"),
    # a lone "one" is a pronoun; "five million" is a quantity and stays
    ("one point five million", "one point five million"),
    ("the new one is C4358865", "the new one is C4358865"),
    ("one two three", "123"),
    ("jam tiga. empat orang", "jam 3. 4 orang"),
    # Indonesian speakers say "oh" as a filler; it is a zero only among English number words
    ("nik saya oh tiga enam nol tiga", "nik saya oh 3603"),
    ("nomor bpjs nya oh kosong kosong satu", "nomor bpjs nya oh 001"),
    ("call me on oh eight one two", "call me on 0812"),
    ("Columbus, OH 43004 or five", "Columbus, OH 43004 or 5"),
    # hesitations inside a dictated number keep it one run
    ("hp saya em kosong delapan lima lima", "hp saya em 0855"),
    ("nik satu empat terus satu enam", "nik 1416"),
    ("call me at oh eight nine six uh huh seven", "call me at 08967"),
    ("tiga satu habis itu dua lima", "3125"),
    ("npwp oh six six and then four oh seven", "npwp 066407"),
    ("two and three", "2 and 3"),  # a plain "and" still separates
    # but a filler alone is no number, and words other than fillers still break runs
    ("eh iya kak", "eh iya kak"),
    ("satu kali lalu pulang", "1 kali lalu pulang"),
    ("O one two", "O 12"),
]

PAIRS = [
    # numbers read in pairs: a digit word followed by a multiplier opens the next pair
    ("empat puluh dua delapan puluh lima puluh sembilan", "428059"),
    ("sembilan puluh dua puluh", "9020"),
    ("tiga puluh lima enam puluh enam puluh sembilan", "356069"),
    ("forty five thirty two", "4532"),
    ("lima puluh dua", "52"),
    # numbers read in groups of four, as thousands, inside one dictation
    ("lima ribu empat ratus tujuh puluh sembilan empat ribu empat ratus dua", "54794402"),
    ("seribu dua ratus tiga puluh empat lima ribu enam ratus tujuh puluh delapan", "12345678"),
    ("empat puluh empat delapan puluh empat dua ribu enam ratus delapan puluh satu", "44842681"),
    ("four thousand four hundred two seven thousand one", "44027001"),
]


@pytest.mark.parametrize(("source", "expected"), PAIRS)
def test_pairs(source: str, expected: str) -> None:
    assert normalize_spoken(source).text == expected


CODE_ASKED = [
    # a code asked for, then a number read as an amount: it is the code's digits
    ("pin atm saya dua ribu dua puluh empat", "pin atm saya 2024"),
    ("my pin is two thousand twenty four", "my pin is 2024"),
    ("kode otp nya berapa bu?\ncustomer: tujuh ribu delapan ratus sembilan puluh satu",
     "kode otp nya berapa bu?\ncustomer: 7891"),
    ("kata sandi saya, eh, empat ribu tiga ratus", "kata sandi saya, eh, 4300"),
    ("pin saya seribu sembilan ratus sembilan puluh", "pin saya 1990"),
    ("the code they sent me is four thousand three hundred and twelve", "the code they sent me is 4312"),
    # money stays money, and so does an amount with no code asked for
    ("harga kartu pin nya dua ribu rupiah", "harga kartu pin nya dua ribu rupiah"),
    ("harganya seribu lima ratus", "harganya seribu lima ratus"),
    ("saya transfer dua ribu dua puluh empat", "saya transfer dua ribu dua puluh empat"),
    ("pin saya ganti, bulan depan bayar lima ribu lima ratus", "pin saya ganti, bulan depan bayar lima ribu lima ratus"),
]


@pytest.mark.parametrize(("source", "expected"), CODE_ASKED)
def test_an_amount_right_after_a_code_was_asked_for_is_its_digits(source: str, expected: str) -> None:
    assert normalize_spoken(source).text == expected


@pytest.mark.parametrize(("source", "expected"), PARTIAL)
def test_partial_conversions(source: str, expected: str) -> None:
    assert normalize_spoken(source).text == expected


# (source, a substring of the normalised text, exactly the source text it must map back to)
OFFSETS = [
    (CARD_CVV, "4532", "empat lima tiga dua"),
    (CARD_CVV, "123", "satu dua tiga"),
    (CARD_CVV, "cvv", "cvv"),
    (CARD_CVV, "saya 4532", "saya empat lima tiga dua"),
    (CARD_CVV, "53", "lima tiga"),
    ("nomor empat puluh lima tiga", "4", "empat puluh lima"),
    ("nomor empat puluh lima tiga", "45", "empat puluh lima"),
    ("nomor empat puluh lima tiga", "53", "empat puluh lima tiga"),
    ("call forty five thirty two now", "4532", "forty five thirty two"),
    ("cvv double five oh", "550", "double five oh"),
    ("cvv double five oh", "0", "oh"),
    ("hp 0812 tiga empat ya", "081234", "0812 tiga empat"),
    ("hp 0812 tiga empat ya", "12", "12"),  # written digits map char by char
    ("exp zero nine slash twenty seven", "/", "slash"),
    ("exp zero nine slash twenty seven", "09/27", "zero nine slash twenty seven"),
    ("exp nol sembilan garis miring dua tujuh", "/2", "garis miring dua"),
    ("NIK Saya Tiga Satu Tujuh", "317", "Tiga Satu Tujuh"),
    ("kosong-delapan, satu dua", "0812", "kosong-delapan, satu dua"),
    ("ünïcödé ☃ satu dua 🙂 tiga", "🙂 3", "🙂 tiga"),
    ("İstanbul satu dua", "12", "satu dua"),  # lowercasing "İ" changes length
]


@pytest.mark.parametrize(("source", "needle", "expected"), OFFSETS)
def test_offsets_map_to_exact_source_words(source: str, needle: str, expected: str) -> None:
    result = normalize_spoken(source)
    start = result.text.index(needle)
    s, e = result.to_source(start, start + len(needle))
    assert source[s:e] == expected


def test_empty_span_maps_to_a_position() -> None:
    result = normalize_spoken("saya empat lima")
    assert result.text == "saya 45"
    assert result.to_source(0, 0) == (0, 0)
    assert result.to_source(5, 5) == (5, 5)  # start of "empat"
    assert result.to_source(6, 6) == (11, 11)  # the "5" comes from "lima"
    assert result.to_source(7, 7) == (15, 15)  # end of text
    assert normalize_spoken("").to_source(0, 0) == (0, 0)


def test_unchanged_text_maps_identity() -> None:
    result = normalize_spoken("no numbers here")
    assert result == NormalizedText("no numbers here", "no numbers here", False)
    assert result.to_source(3, 10) == (3, 10)


def test_out_of_range_spans_are_clamped_not_raised() -> None:
    result = normalize_spoken("satu dua")
    assert result.to_source(-5, 100) == (0, len("satu dua"))
    assert result.to_source(5, 1) == (8, 8)


SPOKEN_DIGITS = [
    ("4532 0151", "45320151"),
    ("empat lima tiga dua", "4532"),
    ("double five oh", "550"),
    ("kosong delapan satu dua", "0812"),
    ("forty five thirty two", "4532"),
    ("0812 tiga empat", "081234"),
    ("4532-0151-2345", "453201512345"),
    ("lima ribu", ""),
    ("oh okay", ""),
    ("", ""),
]


@pytest.mark.parametrize(("span", "expected"), SPOKEN_DIGITS)
def test_spoken_digits(span: str, expected: str) -> None:
    assert spoken_digits(span) == expected


_VOCAB = (
    "satu dua tiga empat lima enam tujuh delapan sembilan nol kosong puluh belas ratus seratus "
    "sepuluh sebelas ribu juta dobel tripel garis miring one two three nine zero oh o ten "
    "twelve forty ninety hundred thousand million double triple slash and dan saya kartu cvv "
    "0812 4532 7 / - , . ' İ ß ﬁ Ω ☃ 🙂 \u0301 \u200b \t \n"
).split(" ")


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 25)):
        if rng.random() < 0.1:
            parts.append("".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(1, 4))))
        else:
            parts.append(rng.choice(_VOCAB))
    separators = [" ", "  ", "", "-", ", ", "\n"]
    return "".join(part + rng.choice(separators) for part in parts)


def test_random_inputs_never_break_the_map() -> None:
    rng = random.Random(20240611)
    for _ in range(1500):
        source = _random_text(rng)
        result = normalize_spoken(source)
        assert result.source == source
        assert result.changed == (result.text != source)
        size = len(result.text)
        for _ in range(8):
            start = rng.randint(0, size)
            end = rng.randint(start, size)
            s, e = result.to_source(start, end)
            assert 0 <= s <= e <= len(source)
            if start == end:
                assert s == e
        # Every character that is not produced from a number word is copied 1:1.
        for i, char in enumerate(result.text):
            s, e = result.to_source(i, i + 1)
            assert e > s
            if not (char.isdigit() or char == "/"):
                assert source[s:e] == char


@pytest.mark.parametrize("source, expected", [
    ("chat sama 'Fajar' katanya", "chat sama  Fajar  katanya"),
    ('salah ketik: "Sumiyati" harusnya “Sumiati”.', "salah ketik:  Sumiyati  harusnya  Sumiati ."),
    ("Jum'at ini, it's fine, Ma’ruf", "Jum'at ini, it's fine, Ma’ruf"),  # apostrophes stay
])
def test_quotation_marks_around_words_are_read_as_spaces(source: str, expected: str) -> None:
    assert without_quotes(source) == expected


@pytest.mark.parametrize("text, expected", [
    ("td saya chat sama 'Fajar' katanya diproses, sekarang 'Melati' bilang tiket saya ga ada",
     "td saya chat sama '<PERSON>' katanya diproses, sekarang '<PERSON>' bilang tiket saya ga ada"),
    ("nama ibu saya salah ketik: \"Sumiyati\" harusnya \"Sumiati\"",
     "nama ibu saya salah ketik: \"<PERSON>\" harusnya \"<PERSON>\""),
])
def test_a_quoted_name_is_still_a_name(redactor, text: str, expected: str) -> None:
    assert redactor.redact(text).text == expected
