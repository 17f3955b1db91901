"""Card expiry date (MM/YY, MM/YYYY, MM-YY, MMYY), only right after an expiry cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer
from .card_cvv_recognizer import CVV_CONTEXT, EXPIRY_CONTEXT

_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:20)?\d{2}"
_UNITS = "satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|one|two|three|four|five|six|seven|eight|nine"
_SPOKEN_YEAR = (
    rf"(?:dua ribu|two thousand(?: and)?)\s(?:(?:dua|tiga) puluh(?:\s(?:{_UNITS}))?|"
    rf"(?:twenty|thirty)(?:[\s-](?:{_UNITS}))?|\d{{1,2}})"
)
MONTH_NAMES = (
    "januari|january|jan|februari|february|feb|pebruari|peb|maret|march|mar|mrt|april|apr|mei|may|"
    "juni|june|jun|juli|july|jul|agustus|august|agu|aug|agst|agts|agt|ags|september|sept|sep|"
    "oktober|october|okt|oct|november|nopember|nov|nop|desember|december|des|dec"
)


class CardExpiryRecognizer(ContextPatternRecognizer):
    ENTITY = "CARD_EXPIRY"
    PATTERNS = [
        # No "." separator: "10.30" after "berlaku sampai" is a promo's closing time.
        Pattern("Expiry MM/YY", rf"(?<![\d/.\-]){_MONTH}\s?[/\-]\s?{_YEAR}(?!\d)(?![/.\-]\d)", 0.2),
        Pattern("Expiry MMYY", rf"(?<![\d/.\-])(?:0[1-9]|1[0-2])(?:20)?\d{{2}}(?!\d)(?![/.\-]\d)", 0.1),
        # Spoken "tujuh dua puluh sembilan" normalises to "729", "enam dua ribu tiga puluh
        # satu" to "62031": a one-digit month + the year.
        Pattern("Expiry MYY (spoken)", r"(?<![\d/.\-])[1-9](?:20)?\d{2}(?!\d)(?![/.\-]\d)", 0.1),
        Pattern("Expiry month name", rf"(?<![\w])(?:{MONTH_NAMES})\.?\s?(?:[/\-]\s?)?{_YEAR}(?!\d)", 0.2),
        # The normaliser leaves "dua ribu dua puluh enam" as words (an amount, usually).
        Pattern(
            "Expiry month + spoken year",
            rf"(?<![\w])(?:{MONTH_NAMES}|{_MONTH})\s(?:tahun\s|year\s)?{_SPOKEN_YEAR}(?![\w])",
            0.2,
        ),
        # "bulan delapan tahun dua ribu tiga puluh", "bulan 2 tahun 26": month and year named.
        Pattern(
            "Expiry 'bulan M tahun Y'",
            rf"(?<![\w])(?:bulan|month)\s{_MONTH}\s(?:tahun|year)\s(?:{_YEAR}|{_SPOKEN_YEAR})(?![\w])",
            0.2,
        ),
        # "masa berlaku dan cvv?" answered in one breath: "dua belas dua tujuh satu dua tiga"
        # normalises to one run, MMYY then the CVV. Masked whole as the expiry.
        Pattern(
            "Expiry MMYY + CVV (spoken as one run)",
            r"(?<![\d/.\-])(?:0[1-9]|1[0-2])\d{2}\d{2,4}(?!\d)",
            0.1,
        ),
    ]
    CONTEXT = EXPIRY_CONTEXT
    CONTEXT_BEFORE = 50
    CONTEXT_BOOST = 0.7
    NEEDS_CONTEXT = True  # every pattern scores below the threshold without its cue
    COMPETING_CONTEXT = [*CVV_CONTEXT, "jam", "pukul"]
    FIRST_NUMBER_ONLY = True
