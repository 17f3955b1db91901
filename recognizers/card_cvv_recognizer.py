"""Card security code (CVV/CVC/CID): 3-4 digits, only right after a security-code cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import TIMESTAMP, ContextPatternRecognizer

EXPIRY_CONTEXT = [
    "exp", "exp date", "expiry", "expiry date", "expires", "expired", "expiration", "valid thru",
    "valid through", "valid until", "good thru", "berlaku", "berlaku sampai", "berlaku hingga",
    "masa berlaku", "kadaluarsa", "kadaluwarsa", "kedaluwarsa", "tgl exp", "tanggal exp",
]
CVV_CONTEXT = [
    "cvv", "cvc", "cvv2", "cvc2", "cid", "csc", "c v v", "c v c", "kode keamanan",
    "security code", "kode cvv", "kode cvc", "3 digit", "tiga digit", "angka di belakang",
    "belakang kartu", "back of the card", "card verification", "on the back", "di belakang",
    "kode belakang",
]


class CardCvvRecognizer(ContextPatternRecognizer):
    ENTITY = "CARD_CVV"
    PATTERNS = [Pattern("CVV (3-4 digits)", r"(?<![\d/.\-])\d{3,4}(?!\d)(?![/.\-]\d)", 0.1)]
    CONTEXT = CVV_CONTEXT
    CONTEXT_BEFORE = 60  # "CVV kartu 4532 0151 1283 0366 adalah 123": only short numbers block
    CONTEXT_BOOST = 0.8
    NEEDS_CONTEXT = True  # every pattern scores below the threshold without its cue
    COMPETING_CONTEXT = EXPIRY_CONTEXT
    FIRST_NUMBER_ONLY = True
    # "expiry and CVV? 09/28, 145": the expiry given first does not hide the CVV.
    SKIPPABLE_NUMBERS = (
        rf"{TIMESTAMP}|(?<!\d)(?:0?[1-9]|1[0-2])\s?[/\-]\s?(?:20)?\d{{2}}(?!\d)"
        r"|(?<!\d)(?:0[1-9]|1[0-2])\d{2}(?!\d)"
    )
