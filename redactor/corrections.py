"""Self-corrections: "NIK 3174… eh salah, yang benar 3174…".

The corrected value usually comes far from the cue that named it ("NIK", "rekening"), so the
recognizers, which look for cues near the value, miss it. When a value follows a correction
phrase and an identifier was detected shortly before, the value is taken to be another one
of the same type.
"""
from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult


#: How far back the corrected identifier may stand, in characters.
LOOKBACK = 200
SCORE = 0.7
IDENTIFIER_TYPES = frozenset(
    {"CREDIT_CARD", "ID_NIK", "ID_KK", "ID_NPWP", "ID_BPJS", "ID_PASSPORT", "PHONE_NUMBER",
     "BANK_ACCOUNT", "CARD_CVV", "CARD_EXPIRY"}
)
_CORRECTION = re.compile(
    r"(?<![\w])(?:salah(?:\s+ketik)?|ralat|typo|sori|sorry|oops|wrong(?:\s+one)?|maksudnya|"
    r"yang\s+(?:benar|bener|betul)|should\s+be|i\s+mean|correction|koreksi)(?![\w])"
    r"(?:[\s,.:!-]+(?:ketik|kak|min|sis|gan|pak|bu|ya|yang\s+(?:benar|bener|betul)|maksudnya|"
    r"should\s+be|it'?s|it\s+is|is|jadi|harusnya|seharusnya)(?![\w]))*[\s,.:!-]*",
    re.IGNORECASE,
)
# The corrected value: digits (one or two letters may lead, as in passports), 6+ digits long.
_VALUE = re.compile(r"(?:[a-z]{1,2}\s?)?\d(?:[ .\-]?\d){5,18}(?![\w])", re.IGNORECASE)


def corrected_values(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Results for values given as corrections of an identifier detected just before."""
    found = []
    for cue in _CORRECTION.finditer(text):
        value = _VALUE.match(text, cue.end())
        if value is None or any(r.start < value.end() and value.start() < r.end for r in results):
            continue
        earlier = [r for r in results if r.entity_type in IDENTIFIER_TYPES
                   and cue.start() - LOOKBACK <= r.end <= cue.start()]
        if earlier:
            nearest = max(earlier, key=lambda r: r.end)
            found.append(RecognizerResult(nearest.entity_type, value.start(), value.end(), SCORE))
    return found
