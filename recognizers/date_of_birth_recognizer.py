"""Dates of birth: any date written or said right after a birth cue.

A date of birth is personal data, and contact centres ask for it to verify callers ("untuk
verifikasi, mohon tanggal lahir Bapak"), which makes it a verification secret as well. Any date
shape counts once a birth cue stands before it, the agent's question included: "12-03-1988",
"9-9-1984", "21 Nov 1985", "lahir 5 jan 97", "dua belas maret sembilan belas lima puluh delapan"
(normalised to "12 maret 1958"), "fourteenth of june nineteen ninety" and day-month-year run
together when read digit by digit ("satu dua nol delapan delapan enam" -> "120886"). Without a
cue a date is a transaction's, a delivery's, an appointment's: left readable.
"""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer
from .card_expiry_recognizer import MONTH_NAMES

BIRTH_CONTEXT = [
    "lahir", "lahirnya", "tgl lahir", "tanggal lahir", "tgl lhr", "ttl", "tempat tanggal lahir",
    "kelahiran", "date of birth", "birth date", "birthdate", "dob", "d.o.b", "born", "birthday",
    "ulang tahun", "ultah",
]
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)?\d{2}"
_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_ORDINAL_DAY = (
    rf"(?:(?:twenty|thirty)[\s-]?(?:{_UNITS})|{_UNITS}|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
_NUMBER_WORD = (
    r"(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas|puluh|"
    r"ratus|seratus|ribu|seribu|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|thousand|hundred|and|oh)"
)
# A year as digits or as the number words the normaliser leaves ("dua ribu sepuluh").
_SPOKEN_OR_WRITTEN_YEAR = rf"(?:{_YEAR}(?!\d)|{_NUMBER_WORD}(?:[\s-]{_NUMBER_WORD}){{0,6}})"



class DateOfBirthRecognizer(ContextPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = [
        # "12-03-1988", "14/02/1990", "9-9-1984", "12.03.88", "1988-03-12", "1985/08/17"
        Pattern("Date D-M-Y",
                rf"(?<![\d/.\-]){_DAY}\s?[/\-.]\s?{_MONTH_NUMBER}\s?[/\-.]\s?{_YEAR}(?![\d/.\-])", 0.1),
        Pattern("Date Y-M-D",
                rf"(?<![\d/.\-])(?:19|20)\d{{2}}\s?[/\-.]\s?{_MONTH_NUMBER}\s?[/\-.]\s?{_DAY}(?![\d/.\-])", 0.1),
        # "21 Nov 1985", "5 jan 97", "fourteenth of june 1990", "3 oktober dua ribu sepuluh"
        Pattern("Date D month Y",
                rf"(?<![\w])(?:{_DAY}(?:st|nd|rd|th)?|{_ORDINAL_DAY})\s(?:of\s)?(?:{MONTH_NAMES})\.?,?"
                rf"\s{_SPOKEN_OR_WRITTEN_YEAR}(?![\w])", 0.1),
        # "desember 79": what is left when the day ran into the digits before it
        Pattern("Date month Y", rf"(?<![\w])(?:{MONTH_NAMES})\.?,?\s{_SPOKEN_OR_WRITTEN_YEAR}(?![\w])", 0.1),
        # "tanggal 8 februari" (the year said first, or not at all)
        Pattern("Date D month",
                rf"(?<![\w])(?:{_DAY}(?:st|nd|rd|th)?|{_ORDINAL_DAY})\s(?:of\s)?(?:{MONTH_NAMES})(?![\w])", 0.1),
        # the year first, in the words the normaliser leaves: "seribu sembilan ratus tujuh puluh
        # dua tanggal delapan februari" (a year alone is no date)
        Pattern("Year in words, then day and month",
                rf"(?<![\w])(?:seribu\s+sembilan\s+ratus|dua\s+ribu)(?:\s{_NUMBER_WORD}){{0,4}}"
                rf",?\s(?:tanggal\s|tgl\s)?{_DAY}\s(?:{MONTH_NAMES})(?![\w])",
                0.1),
        # "June 14, 1990", "march 3rd 1988"
        Pattern("Date month D Y",
                rf"(?<![\w])(?:{MONTH_NAMES})\.?\s{_DAY}(?:st|nd|rd|th)?,?\s{_YEAR}(?![\w])", 0.1),
        # Read digit by digit: "120886", "21101989", "21 10 89"
        Pattern("Date DDMMYY(YY) run together",
                r"(?<![\d/.\-])(?:0[1-9]|[12]\d|3[01])\s?(?:0[1-9]|1[0-2])\s?(?:19|20)?\d{2}(?![\d/.\-])", 0.1),
    ]
    CONTEXT = BIRTH_CONTEXT
    CONTEXT_BEFORE = 60  # "nama lengkap dan tanggal lahir? / Lestari Handayani, 14/02/1990"
    CONTEXT_BOOST = 0.8
    FIRST_NUMBER_ONLY = False  # "6 Nov 1992, eh salah, 26 Nov 1992": the correction too
    NEEDS_CONTEXT = True
