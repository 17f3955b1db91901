"""Presidio's own country recognizers that contact-centre text needs, registered beside ours.

Customers of Indonesian contact centres also quote foreign identifiers: an American SSN or
passport, a Singapore NRIC, an IBAN for a transfer. Presidio ships well-tested recognizers for
them; we register them under our analyzer language. The country-specific ones only run on
English or code-mixed messages (``ENGLISH_ONLY``): their loose shapes (a US driver licence is
almost any short code) would only mislabel Indonesian numbers, which the fail-safe number pass
masks anyway. Language-neutral ones (IBAN, IP, crypto wallets) always run.
"""
from __future__ import annotations

from presidio_analyzer import EntityRecognizer
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

from .base import ANALYZER_LANGUAGE

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
