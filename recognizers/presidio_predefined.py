"""Presidio's own country recognizers that contact-centre text needs, registered beside ours.

Customers of Indonesian contact centres also quote foreign identifiers: an American SSN or
passport, a Singapore NRIC, an IBAN for a transfer. Presidio ships well-tested recognizers for
them; we register them under our analyzer language. The country-specific ones only run on
English or code-mixed messages (``ENGLISH_ONLY``): their loose shapes (a US driver licence is
almost any short code) would only mislabel Indonesian numbers, which the fail-safe number pass
masks anyway. Language-neutral ones (IBAN, IP, crypto wallets) always run.
"""
from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import (
    AuTfnRecognizer,
    CryptoRecognizer,
    IbanRecognizer,
    IpRecognizer,
    NhsRecognizer,
    SgFinRecognizer,
    UkNinoRecognizer,
    UsItinRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)

from .base import ANALYZER_LANGUAGE, context_regex

ALWAYS: tuple[type[EntityRecognizer], ...] = (IbanRecognizer, IpRecognizer, CryptoRecognizer)
ENGLISH: tuple[type[EntityRecognizer], ...] = (
    UsSsnRecognizer, UsItinRecognizer, UsPassportRecognizer, UsLicenseRecognizer, NhsRecognizer,
    SgFinRecognizer, AuTfnRecognizer, UkNinoRecognizer,
)
# Not MedicalLicenseRecognizer: a DEA number is two letters and seven digits with a checksum
# that one in ten parcel codes passes ("tracking no. JP0924440770"), scored 1.0 without a cue.


def predefined_recognizers() -> list[EntityRecognizer]:
    return [cls(supported_language=ANALYZER_LANGUAGE) for cls in (*ALWAYS, *ENGLISH)]


def english_only_entities() -> frozenset[str]:
    """Entity types found only by the country-specific recognizers above."""
    return frozenset(
        entity for cls in ENGLISH for entity in cls(supported_language=ANALYZER_LANGUAGE).supported_entities
    )


_BARE_NUMBER = re.compile(r"[\d\s.\-]+")
CUE_WINDOW = 60


class BareNumberCheck:
    """A bare number that merely passes a foreign checksum (one in ten or eleven numbers does:
    an order or invoice number passes for an Australian TFN) gets that label only with the
    recognizer's own cue before it ("tfn", "nhs", "ssn"). Without one, the fail-safe number
    pass masks it all the same, or leaves it readable after an allow-cue."""

    def __init__(self, recognizers: list[EntityRecognizer]) -> None:
        self._cues = {r.name: context_regex(r.context) for r in recognizers
                      if isinstance(r, ENGLISH) and r.context}

    def keep(self, result: RecognizerResult, text: str) -> bool:
        cue = self._cues.get((result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY))
        if cue is None or not _BARE_NUMBER.fullmatch(text, result.start, result.end):
            return True
        return cue.search(text, max(0, result.start - CUE_WINDOW), result.start) is not None
