"""Indonesian KK (Kartu Keluarga, family card) number: 16 digits, told from a NIK by context."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer, digits_regex, only_digits
from .id_nik_recognizer import KK_CONTEXT, is_valid_region


class IdKkRecognizer(ContextPatternRecognizer):
    """KK: region code (6) + issue date (6) + serial (4); only reported next to a KK cue."""

    ENTITY = "ID_KK"
    PATTERNS = [Pattern("KK (16 digits, any grouping)", digits_regex(16, 16), 0.3)]
    CONTEXT = KK_CONTEXT
    CONTEXT_BOOST = 0.6
    COMPETING_CONTEXT = ["nik", "ktp", "e-ktp", "nomor induk kependudukan", "npwp"]

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = only_digits(pattern_text)
        return None if len(digits) == 16 and is_valid_region(digits) else False
