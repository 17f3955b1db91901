"""Indonesian vehicle registration plates (TNKB): region letters, 1-4 digits, up to 3 letters.

A plate identifies its owner through the registration record, so it is personal data under
UU PDP and GDPR; insurers, leasing firms and ride-hailing support ask for it. Written as
"B 1927 TKQ", "AB 4521 KL", "F1733GH"; said as "b dua empat empat satu s k t", "be empat
tiga dua satu pe ki er", "d seribu dua ratus tujuh puluh empat u ular n nanas" (letters spelt
with a word that starts with them). Next to a plate cue any of these is a plate; without one,
only a written plate in capitals with a known region code, three or four digits and two or
three letters ("B 1927 TKQ"), whose shape nothing else in contact-centre talk has.
"""
from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer

#: Region codes (Korlantas), one or two letters.
_REGIONS = (
    "AA|AB|AD|AE|AG|BA|BB|BD|BE|BG|BH|BK|BL|BM|BN|BP|DA|DB|DC|DD|DE|DG|DH|DK|DL|DM|DN|DR|DS|DT|"
    "DW|EA|EB|ED|KB|KH|KT|KU|PA|PB|PG|A|B|D|E|F|G|H|K|L|M|N|P|R|S|T|W|Z"
)
#: Letters as they are said aloud.
_SAID_LETTER = (
    r"(?:[a-z]|be|ce|de|ef|ge|ha|je|ka|el|em|en|pe|ki|er|es|te|ve|we|eks|ye|zet|"
    r"bee|dee|gee|jay|kay|ell|pee|cue|ess|tee|vee|zed)"
)
_NUMBER_WORD = (
    r"(?:\d+|nol|kosong|satu|se|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|"
    r"sebelas|belas|puluh|ratus|seratus|ribu|seribu|kali|one|two|three|four|five|six|seven|"
    r"eight|nine|zero|oh|double|triple)"
)
#: Cheap first look for the one plate found without a cue.
_CAPITALS_PLATE = re.compile(r"\b[A-Z]{1,2} ?\d{3,4} ?[A-Z]{2,3}\b")
# A letter, then perhaps the word that spells it out: "u ular", "n nanas", "x ray".
_SPELT_LETTER = rf"(?:(?P<l>[a-z])(?:\s(?P=l)[a-z]{{2,9}})?|{_SAID_LETTER})"


class LicensePlateRecognizer(ContextPatternRecognizer):
    ENTITY = "LICENSE_PLATE"
    PATTERNS = [
        # "B 1927 TKQ": distinctive enough without a cue.
        Pattern("Plate (written, capitals)",
                rf"(?<![\w-])(?-i:{_REGIONS})\s?\d{{3,4}}\s?(?-i:[A-Z]{{2,3}})(?![\w-])", 0.55),
        # "plat ab 4521 kl", "nopol B 12 A": needs the cue.
        Pattern("Plate (written)",
                rf"(?<![\w-])(?:{_REGIONS})\s?\d{{1,4}}(?:\s?[a-z]{{1,3}})?(?![\w-])", 0.1),
        # "b 2441 s k t", "d seribu dua ratus tujuh puluh empat u ular n nanas"
        Pattern("Plate (spoken)",
                rf"(?<![\w-])(?:{_REGIONS}|{_SAID_LETTER})(?:\s{_NUMBER_WORD}){{1,8}}"
                rf"(?:\s{_SPELT_LETTER}){{1,3}}(?![\w-])", 0.1),
    ]
    CONTEXT = [
        "plat", "platnya", "plat nomor", "plat nomer", "pelat", "nopol", "no pol", "nomor polisi",
        "nomer polisi", "no polisi", "nomor kendaraan", "no kendaraan", "tnkb",
        "license plate", "licence plate", "plate number", "plate", "registration number",
    ]
    CONTEXT_BEFORE = 60  # "Perjalanan dengan Avanza hitam plat B 1927 TKQ"
    CONTEXT_BOOST = 0.75

    def worth_scanning(self, text: str, cues_from: int = 0) -> bool:
        """Only text with a plate cue or something shaped like a plate in capitals."""
        return bool(self._context_pattern.search(text, cues_from) or _CAPITALS_PLATE.search(text, cues_from))
