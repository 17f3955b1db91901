"""Self-corrections: "NIK 3174… eh salah, yang benar 3174…".

The corrected value usually comes far from the cue that named it ("NIK", "rekening"), so the
recognizers, which look for cues near the value, miss it. When a value follows a correction
phrase and an identifier was detected shortly before, the value is taken to be another one
of the same type.
"""
from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult

from recognizers.base import only_digits


#: How far back the corrected identifier may stand, in characters.
LOOKBACK = 200
SCORE = 0.7
IDENTIFIER_TYPES = frozenset(
    {"CREDIT_CARD", "ID_NIK", "ID_KK", "ID_NPWP", "ID_BPJS", "ID_PASSPORT", "PHONE_NUMBER",
     "BANK_ACCOUNT", "CARD_CVV", "CARD_EXPIRY", "PIN", "OTP"}
)
#: Identifiers are 6+ digits long; a secret's correction is as short as the secret
#: ("pin 6819 ralat 6839", "cvv 123 eh salah 132").
MIN_DIGITS = 6
SECRET_TYPES = frozenset({"PIN", "OTP", "CARD_CVV"})
_CORRECTION = re.compile(
    r"(?<![\w])(?:salah(?:\s+ketik)?|ralat|typo|sori|sorry|oops|wrong(?:\s+one)?|maksudnya|"
    r"yang\s+(?:benar|bener|betul)|should\s+be|i\s+mean|correction|koreksi)(?![\w])"
    r"(?:[\s,.:!-]+(?:ketik|kak|min|sis|gan|pak|bu|ya|yang\s+(?:benar|bener|betul)|maksudnya|"
    r"should\s+be|it'?s|it\s+is|is|jadi|harusnya|seharusnya)(?![\w]))*[\s,.:!-]*",
    re.IGNORECASE,
)
_APOLOGY = re.compile(r"(?:sorry|sori|oops)[\s,.:!-]*", re.IGNORECASE)
# The corrected value: digits (one or two letters may lead, as in passports), 3+ digits long.
_VALUE = re.compile(r"(?:[a-z]{1,2}\s?)?\d(?:[ .\-]?\d){2,18}(?![\w])", re.IGNORECASE)


def corrected_values(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Results for values given as corrections of an identifier detected just before."""
    found = []
    for cue in _CORRECTION.finditer(text):
        value = _VALUE.match(text, cue.end())
        if value is None or any(r.start < value.end() and value.start() < r.end for r in results):
            continue
        # A secret is corrected on its own line, with words that say so: a bare "sorry"
        # before the next number is a hesitation as often.
        apology = _APOLOGY.fullmatch(cue.group()) is not None
        earlier = [r for r in results if r.entity_type in IDENTIFIER_TYPES
                   and cue.start() - LOOKBACK <= r.end <= cue.start()
                   and not (r.entity_type in SECRET_TYPES and (apology or "\n" in text[r.end:cue.start()]))]
        if not earlier:
            continue
        nearest = max(earlier, key=lambda r: r.end)
        secret = nearest.entity_type in SECRET_TYPES
        needed = min(len(only_digits(text[nearest.start:nearest.end])), MIN_DIGITS) if secret else MIN_DIGITS
        if len(only_digits(value.group())) >= needed:
            found.append(RecognizerResult(nearest.entity_type, value.start(), value.end(), SCORE))
    return found
