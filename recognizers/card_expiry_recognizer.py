"""Card expiry date (MM/YY, MM/YYYY, MM-YY, MMYY), only right after an expiry cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer
from .card_cvv_recognizer import CVV_CONTEXT, EXPIRY_CONTEXT

_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:20)?\d{2}"


class CardExpiryRecognizer(ContextPatternRecognizer):
    ENTITY = "CARD_EXPIRY"
    PATTERNS = [
        Pattern("Expiry MM/YY", rf"(?<![\d/.\-]){_MONTH}\s?[/\-.]\s?{_YEAR}(?!\d)(?![/.\-]\d)", 0.2),
        Pattern("Expiry MMYY", rf"(?<![\d/.\-])(?:0[1-9]|1[0-2])(?:20)?\d{{2}}(?!\d)(?![/.\-]\d)", 0.1),
    ]
    CONTEXT = EXPIRY_CONTEXT
    CONTEXT_BEFORE = 30
    CONTEXT_BOOST = 0.7
    COMPETING_CONTEXT = CVV_CONTEXT
