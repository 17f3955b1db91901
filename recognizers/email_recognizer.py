"""Email addresses, written ("budi@mail.co.id") and spoken ("budi dot santoso at gmail dot com")."""
from __future__ import annotations

import tldextract
from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from .base import ANALYZER_LANGUAGE, ContextPatternRecognizer

# tldextract's default extractor downloads the public suffix list on first use and stalls
# without internet. This one only reads the snapshot bundled with the package.
OFFLINE_TLD_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer, validating the domain against the bundled suffix list."""

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE, **kwargs) -> None:
        super().__init__(supported_language=supported_language, **kwargs)

    def validate_result(self, pattern_text: str) -> bool:
        return OFFLINE_TLD_EXTRACT(pattern_text).fqdn != ""


_DOT = r"(?:dot|titik|dót)"
_LOCAL_JOIN = rf"(?:{_DOT}|underscore|garis bawah|strip|dash|minus|hyphen)"
_WORD = r"[a-z0-9]+"
_TLD = r"(?:com|co|id|net|org|ac|go|sch|edu|gov|info|biz|io|me|my|sg|uk|us|au|web|or)"


class SpokenEmailRecognizer(ContextPatternRecognizer):
    """An ASR transcript spells the symbols: "at"/"et" for @, "dot"/"titik" for the dots.

    Only a run that ends in "<dot> <known top-level domain>" counts, so everyday "at" and
    "titik" do not turn sentences into addresses.
    """

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [
        Pattern(
            "Spoken email",
            rf"(?<![\w]){_WORD}(?:\s{_LOCAL_JOIN}\s{_WORD}|\s\d+){{0,4}}\s(?:at|et|add|@)\s"
            rf"{_WORD}(?:\s{_DOT}\s{_WORD}){{0,2}}\s{_DOT}\s{_TLD}(?![\w])",
            0.7,
        ),
    ]
    CONTEXT = ["email", "e-mail", "surel", "imel", "emailnya", "mail"]
    CONTEXT_BOOST = 0.2
