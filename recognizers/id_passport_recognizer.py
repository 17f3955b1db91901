"""Passport numbers (Indonesian: one or two letters + 6-7 digits), reported next to a cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer


class IdPassportRecognizer(ContextPatternRecognizer):
    ENTITY = "ID_PASSPORT"
    PATTERNS = [
        # "B1234567", "X 123456", "NSU559708", and letters the ASR keeps apart: "a b 1234567".
        Pattern(
            "Passport (letters + digits)",
            r"(?<![^\W\d_])(?<!['’])(?:[a-z]{1,3}|[a-z](?:\s[a-z]){1,2})\s?\d{6,8}(?![\w])",
            0.25,
        ),
        # Other countries' layouts: letters after the digits too ("K3943490A", "LH0AVTDR8"),
        # or digits only ("746111355").
        Pattern(
            "Passport (mixed letters and digits)",
            r"(?<![\w'’])(?=[a-z0-9]*[a-z])(?=[a-z]*\d)[a-z0-9]{6,10}(?![\w])",
            0.05,
        ),
        Pattern("Passport (digits only)", r"(?<![\w'’])\d{7,9}(?![\w])", 0.05),
    ]
    CONTEXT = [
        "paspor", "passport", "no paspor", "nomor paspor", "passport number", "passport no",
        "pasport",
    ]
    # The cue is often in the agent's question and the number in the answer after it, with a
    # speaker label and the name in between; the first number after the cue is the passport.
    CONTEXT_BEFORE = 120
    CONTEXT_BOOST = 0.6
    NEEDS_CONTEXT = True  # every pattern scores below the threshold without its cue
    FIRST_NUMBER_ONLY = True
    COMPETING_CONTEXT = [
        "rp", "idr", "usd", "harga", "biaya", "bayar", "cost", "costs", "price", "fee", "tiket",
        "ticket", "booking", "order", "ref", "hp", "phone", "telp", "wa", "nik", "ktp",
    ]
