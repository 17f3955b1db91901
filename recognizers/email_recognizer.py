"""Email addresses, written ("budi@mail.co.id") and spoken ("budi dot santoso at gmail dot com")."""
from __future__ import annotations

import regex
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

    def validate_result(self, pattern_text: str) -> bool | None:
        # A known suffix makes it certain; an unknown one ("gmail.con", a typo) still leaves an
        # address someone can be found by: keep the pattern's score rather than drop it.
        return True if OFFLINE_TLD_EXTRACT(pattern_text).fqdn else None


# The symbols as said ("dot", "titik", "at", "et"), or typed to dodge spam filters
# ("[at]", "(dot)"), with the hesitations people put around them.
_HESITATION = r"(?:\s(?:uh|um|umm|em|emm|eh|ehm|hmm))?"
_DOT = r"(?:dot|titik|dót|\[dot\]|\(dot\)|\{dot\})"
_AT = r"(?:at|et|add|@|\[at\]|\(at\)|\{at\})"
_LOCAL_JOIN = rf"(?:{_DOT}|underscore|garis bawah|strip|dash|minus|hyphen)"
# An "@" typed to dodge spam filters before a domain typed as usual: "hanafi.m [at] ymail.com",
# "budi @ gmail.com" ("ketemu at starbucks.com" is no address).
_TYPED_AT = r"(?:@|\[at\]|\(at\)|\{at\})"
# A local-part piece: a word (typed dots and underscores included: "k.roberts"), digits,
# letters spelt out one by one ("b u d i"), or number words left as words ("dua ribu satu").
_NUMBER_WORD = (
    r"(?:nol|kosong|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas|"
    r"puluh|ratus|ribu|zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|double|triple)"
)
_PIECE = (
    rf"(?:[a-z0-9](?:[a-z0-9._-]{{0,30}}[a-z0-9])?(?:\s{_NUMBER_WORD}){{0,8}}"
    rf"|(?:[a-z]\s){{1,15}}[a-z0-9]+)"
)
_WORD = r"(?:c\so|[a-z0-9]+)"  # "c o" is ".co" spelt out
_TLD = (
    r"(?:com|kom|co|c\so|id|net|org|ac|go|sch|edu|gov|info|biz|io|me|my|sg|uk|us|au|web|or|de|nl|"
    r"fr|jp|cn|in|ph|th|vn|ca|eu|xyz|online|tech|app|dev|ai|ru|it|es|br|kr|hk|tw|nz|ch|se)"
)


class SpokenEmailRecognizer(ContextPatternRecognizer):
    """An ASR transcript spells the symbols: "at"/"et" for @, "dot"/"titik" for the dots.

    Only a run that ends in "<dot> <known top-level domain>" counts, so everyday "at" and
    "titik" do not turn sentences into addresses.
    """

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [
        Pattern(
            "Spoken email",
            rf"(?<![\w]){_PIECE}(?:\s{_LOCAL_JOIN}\s{_PIECE}|\s\d+){{0,4}}{_HESITATION}"
            rf"(?:\s?{_AT}{_HESITATION}\s?{_WORD}(?:\s?{_DOT}\s?{_WORD}){{0,2}}\s?{_DOT}\s?{_TLD}"
            rf"|\s?{_TYPED_AT}\s?{_WORD}(?:\.{_WORD}){{0,2}}\.{_TLD}"
            # "andi.pratama88 at gmail.com": a typed address with "at" for the @; the local part
            # has a dot, underscore or digit ("ketemu at starbucks.com" is no address).
            rf"|(?<=[._\d][a-z0-9]*)\s{_AT}\s{_WORD}(?:\.{_WORD}){{0,2}}\.{_TLD})(?![\w])",
            0.7,
        ),
    ]
    CONTEXT = ["email", "e-mail", "surel", "imel", "emailnya", "mail"]
    CONTEXT_BOOST = 0.2

    def worth_scanning(self, text: str, cues_from: int = 0) -> bool:
        # The pattern tries every word as a local part (0.19 ms a message on the dev set), but
        # every address it finds ends in a dot and a domain: one quick search rules most out.
        return bool(_ENDS_IN_DOMAIN.search(text)) and super().worth_scanning(text, cues_from)


_ENDS_IN_DOMAIN = regex.compile(rf"(?:{_DOT}|\.)\s?{_TLD}(?![\w])", regex.IGNORECASE)
