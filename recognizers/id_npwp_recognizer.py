"""Indonesian NPWP (tax number): 15 digits `99.999.999.9-999.999`, or the 16-digit NIK form."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer, digits_regex


class IdNpwpRecognizer(ContextPatternRecognizer):
    """The dotted 15-digit layout is distinctive on its own; plain digits need a cue.

    Since 2024 a person's NPWP is their 16-digit NIK, so 16 digits next to "npwp" count too.
    """

    ENTITY = "ID_NPWP"
    PATTERNS = [
        Pattern(
            "NPWP (formatted)",
            r"(?<![\d.])\d{2}\.\d{3}\.\d{3}\.\d[\-.]\d{3}\.\d{3}(?![\d])(?!\.\d)",
            0.85,
        ),
        Pattern("NPWP (15 digits)", digits_regex(15, 15), 0.3),
        Pattern("NPWP (16 digits)", digits_regex(16, 16), 0.2),
    ]
    CONTEXT = [
        "npwp", "nomor pokok wajib pajak", "wajib pajak", "no pajak", "nomor pajak",
        "tax id", "tax number", "taxpayer", "tin",
    ]
    CONTEXT_BOOST = 0.55
    COMPETING_CONTEXT = ["nik", "ktp", "kk", "kartu keluarga", "bpjs"]
