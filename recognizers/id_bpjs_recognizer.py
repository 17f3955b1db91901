"""Indonesian BPJS Kesehatan / KIS card number: 13 digits, reported next to a BPJS cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer, digits_regex


class IdBpjsRecognizer(ContextPatternRecognizer):
    ENTITY = "ID_BPJS"
    PATTERNS = [
        # Cards issued so far start with 000: a little likelier to be BPJS on their own.
        Pattern("BPJS (000 prefix)", r"(?<![^\W_])(?<!\d[.\-])0(?:[ .\-]?0){2}(?:[ .\-]?\d){10}(?!\d)(?![.\-]\d)", 0.35),
        Pattern("BPJS (13 digits)", digits_regex(13, 13), 0.25),
    ]
    CONTEXT = [
        "bpjs", "bpjs kesehatan", "bpjs ketenagakerjaan", "kis", "kartu indonesia sehat",
        "jkn", "jkn-kis", "jamsostek", "kartu bpjs", "no bpjs", "nomor bpjs", "peserta",
        "health insurance",
    ]
    CONTEXT_BOOST = 0.55
    COMPETING_CONTEXT = ["nik", "ktp", "kk", "npwp", "rekening", "kartu kredit", "hp", "telp"]
