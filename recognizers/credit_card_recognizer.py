"""Payment card numbers (PAN): 13-19 digits in any grouping, Luhn-valid, known issuer prefix."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer, digits_regex, only_digits

CARD_CONTEXT = [
    "kartu", "kartu kredit", "kartu debit", "card", "credit card", "debit card", "cc",
    "nomor kartu", "no kartu", "card number", "visa", "mastercard", "master card", "amex",
    "american express", "jcb", "unionpay", "gpn",
]


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def has_issuer_prefix(digits: str) -> bool:
    """Major networks: Visa 4, Mastercard 51-55 / 2221-2720, Amex 34/37, JCB 35, Diners 30/36/38,
    Discover/UnionPay/GPN 6."""
    first, two, four = digits[0], int(digits[:2]), int(digits[:4])
    return (
        first in "46"
        or 51 <= two <= 55
        or 2221 <= four <= 2720
        or two in (30, 34, 35, 36, 37, 38)
    )


class CreditCardRecognizer(ContextPatternRecognizer):
    ENTITY = "CREDIT_CARD"
    PATTERNS = [Pattern("Card number (13-19 digits, any grouping)", digits_regex(13, 19), 0.8)]
    CONTEXT = CARD_CONTEXT
    CONTEXT_BOOST = 0.2
    # One in ten NIKs, accounts, phone or order numbers passes Luhn and starts like a card (35
    # is both JCB and Jawa Timur): their own cue, with no card cue nearer, outweighs the shape.
    COMPETING_CONTEXT = [
        "nik", "ktp", "kk", "kartu keluarga", "npwp", "bpjs", "kis", "rekening", "rek",
        "account", "hp", "telp", "wa", "phone", "pesanan", "order", "resi", "invoice", "tiket",
        "ticket", "booking", "transaksi", "referensi", "reference",
    ]
    COMPETING_PENALTY = 0.35

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = only_digits(pattern_text)
        # None keeps the graded score (True would force 1.0 even for a Luhn-valid NIK).
        return None if has_issuer_prefix(digits) and luhn_valid(digits) else False
