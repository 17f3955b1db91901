"""PINs (ATM, m-banking, card): 4-6 digits, only right after their cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import REFERENCE_CUES, ContextPatternRecognizer, digits_regex

PIN_CONTEXT = [
    "pin", "pin atm", "pin kartu", "nomor pin", "kode pin", "m-pin", "mpin", "pin m-banking",
    "pin mbanking", "personal identification number", "pin number", "pin code",
]


class PinRecognizer(ContextPatternRecognizer):
    ENTITY = "PIN"
    PATTERNS = [Pattern("PIN (4-6 digits)", digits_regex(4, 6), 0.1)]
    CONTEXT = PIN_CONTEXT
    CONTEXT_BEFORE = 40
    CONTEXT_BOOST = 0.8
    NEEDS_CONTEXT = True  # every pattern scores below the threshold without its cue
    FIRST_NUMBER_ONLY = True
    # "do not share your otp with anyone. your case number 1484185": that one is a reference.
    COMPETING_CONTEXT = REFERENCE_CUES
