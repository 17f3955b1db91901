"""Passport numbers (Indonesian: one or two letters + 6-7 digits), reported next to a cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer


class IdPassportRecognizer(ContextPatternRecognizer):
    ENTITY = "ID_PASSPORT"
    PATTERNS = [
        # "B1234567", "X 123456", and spoken letters kept apart by the ASR: "a b 1234567".
        Pattern(
            "Passport (letters + digits)",
            r"(?<![^\W\d_])(?<!['’])(?:[a-z]\s?){1,2}\d{6,8}(?!\d)",
            0.25,
        ),
    ]
    CONTEXT = [
        "paspor", "passport", "no paspor", "nomor paspor", "passport number", "passport no",
        "pasport",
    ]
    CONTEXT_BEFORE = 40
    CONTEXT_BOOST = 0.6
