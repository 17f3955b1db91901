"""Phone numbers: Indonesian mobile and landline forms, NANP, and any "+country" number."""
from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from .base import DIGIT_SEPARATOR, ContextPatternRecognizer

_SEP = rf"{DIGIT_SEPARATOR}?"
_END = r"(?!\d)(?!\s?[.\-]\s?\d)"
_START = r"(?<![^\W_])(?<!\d[.\-])(?<!\+)"
# DD-MM-YYYY and YYYY-MM-DD dates have the digits of a landline.
_DATE = re.compile(r"\d{2}([-/.])\d{2}\1(?:19|20)\d{2}|(?:19|20)\d{2}([-/.])\d{2}\2\d{2}")
# "+62", "62", "(+62)", spoken "plus 62", or the trunk prefix 0.
_ID_PREFIX = rf"(?:\(?(?:\+|plus\s?)62\)?|62|0){_SEP}"


class PhoneRecognizer(ContextPatternRecognizer):
    """Indonesian mobiles (08xx, 10-13 digits with the 0) are unmistakable; landlines and
    foreign numbers are graded lower and rise with a cue such as "telp" or "hp"."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern(
            "Indonesian mobile",
            rf"{_START}{_ID_PREFIX}\(?8\)?{_SEP}\d(?:{_SEP}\d){{7,10}}{_END}",
            0.85,
        ),
        Pattern(
            "Indonesian landline, area code in brackets",
            rf"{_START}\(0\d{{1,3}}\){_SEP}\d(?:{_SEP}\d){{4,7}}{_END}",
            0.6,
        ),
        Pattern(
            "Indonesian landline, area code set apart",
            rf"{_START}(?:\(?(?:\+|plus\s?)62\)?{_SEP}\(?[2-79]\d{{1,2}}\)?|0[2-79]\d{{1,2}})"
            rf"{DIGIT_SEPARATOR}\d(?:{_SEP}\d){{4,7}}{_END}",
            0.5,
        ),
        # Any 0-led 9-11 digits fits this, reference numbers read out on a call too:
        # it needs a phone cue.
        Pattern(
            "Indonesian landline, unseparated",
            rf"{_START}(?:(?:\+|plus\s?)?62[2-79]|0[2-79])\d{{7,9}}{_END}",
            0.4,
        ),
        Pattern(
            "International (+country code)",
            rf"(?<![\w+])(?:\+|plus\s?|00)(?!62)[1-9]\d{{0,2}}{_SEP}\(?\d{{1,4}}\)?(?:{_SEP}\d){{5,12}}{_END}",
            0.7,
        ),
        # Whatever the country, 9-13 digits said straight after "hp"/"phone" are one
        # ("hp enam lima sembilan …" is a Singapore mobile read without its plus).
        Pattern(
            "Any number right after a phone cue",
            r"(?<=(?:hp|phone|telp|telepon|wa|whatsapp|handphone|ponsel|mobile|cell)"
            r"(?:[ \t]+(?:saya|sy|aku|nya|is|my|number|nomor|no|baru|lama|new|old|so|tuh|ya))*"
            r"[ \t]*[:.=-]?[ \t]*)\+?\d{9,13}(?!\d)",
            0.6,
        ),
        Pattern(
            "North American",
            rf"{_START}(?:(?:\+?1|001){_SEP})?\(?[2-9]\d{{2}}\)?{_SEP}\d{{3}}[ .\-]\d{{4}}"
            rf"(?:\s?(?:x|ext\.?)\s?\d{{1,5}})?{_END}",
            0.45,
        ),
    ]
    CONTEXT = [
        "telp", "tlp", "telepon", "telpon", "tel", "hp", "handphone", "ponsel", "nomor", "nomer",
        "no", "wa", "whatsapp", "sms", "hubungi", "kontak", "call", "phone", "mobile", "cell",
        "contact", "number", "reach me", "fax",
    ]
    CONTEXT_BOOST = 0.3
    # Reference numbers read out like phone numbers.
    COMPETING_CONTEXT = [
        "tiket", "ticket", "order", "pesanan", "resi", "invoice", "case", "kasus", "booking",
        "referensi", "reference", "ref", "transaksi", "transaction", "kode", "code", "id",
    ]
    # Indonesian mobiles (0.85) survive it; a foreign or landline shape after "resi" does not.
    COMPETING_PENALTY = 0.25

    def invalidate_result(self, pattern_text: str) -> bool:
        return bool(_DATE.fullmatch(pattern_text))
