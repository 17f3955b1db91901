"""Indonesian BPJS Kesehatan / KIS card number: 13 digits, reported next to a BPJS cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import DIGIT_SEPARATOR, ContextPatternRecognizer, digits_regex


class IdBpjsRecognizer(ContextPatternRecognizer):
    ENTITY = "ID_BPJS"
    PATTERNS = [
        # Cards issued so far start with 000, which few other 13-digit numbers do: enough on
        # its own, even when the cue is misspelt ("no bjps sy 0006 1939 7453 3").
        Pattern(
            "BPJS (000 prefix)",
            rf"(?<![^\W_])(?<!\d[.\-])0(?:{DIGIT_SEPARATOR}?0){{2}}(?:{DIGIT_SEPARATOR}?\d){{10}}"
            r"(?!\d)(?!\s?[.\-]\s?\d)",
            0.5,
        ),
        Pattern("BPJS (13 digits)", digits_regex(13, 13), 0.25),
    ]
    CONTEXT = [
        "bpjs", "bpjs kesehatan", "bpjs ketenagakerjaan", "kis", "kartu indonesia sehat",
        "jkn", "jkn-kis", "jamsostek", "kartu bpjs", "no bpjs", "nomor bpjs", "peserta",
        "health insurance",
    ]
    CONTEXT_BOOST = 0.55
    COMPETING_CONTEXT = ["nik", "ktp", "kk", "npwp", "rekening", "kartu kredit", "hp", "telp"]
