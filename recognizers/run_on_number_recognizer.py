"""Run-on numbers: two identifiers read out with no pause between them.

On a call, "kosong delapan lima … dua tujuh" said twice, a card number followed straight
by its expiry and CVV, or a NIK with a digit said twice, reaches us as one unbroken string of
17+ digits. No single-entity pattern fits it, so each would let it through. When such a string starts with something that
is unmistakably an identifier (a mobile number, a valid card, a valid NIK), mask all of it.
"""
from __future__ import annotations

import regex as re
from presidio_analyzer import LocalRecognizer, RecognizerResult

from .base import ANALYZER_LANGUAGE, own_result
from .credit_card_recognizer import has_issuer_prefix, luhn_valid
from .id_nik_recognizer import is_valid_nik

_RUN = re.compile(r"(?<!\d)\d{17,}(?!\d)")
_MOBILE = re.compile(r"(?:0|62)8\d{8,11}")
SCORE = 0.6


def leading_identifier(digits: str) -> str | None:
    """The entity type of an identifier that ``digits`` starts with, if any."""
    if _MOBILE.match(digits):
        return "PHONE_NUMBER"
    for length in range(19, 12, -1):
        card = digits[:length]
        if has_issuer_prefix(card) and luhn_valid(card):
            return "CREDIT_CARD"
    return "ID_NIK" if is_valid_nik(digits[:16]) else None


class RunOnNumberRecognizer(LocalRecognizer):
    ENTITIES = ["PHONE_NUMBER", "CREDIT_CARD", "ID_NIK"]

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE) -> None:
        super().__init__(supported_entities=self.ENTITIES, supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for match in _RUN.finditer(text):
            entity_type = leading_identifier(match.group())
            if entity_type in entities:
                results.append(own_result(self, entity_type, match.start(), match.end(), SCORE))
        return results
