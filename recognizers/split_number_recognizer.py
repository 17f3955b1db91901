"""Numbers typed or dictated in pieces: "Customer: 4431 9849 / Customer: 1061 7014 …".

Customers send a card or phone number over several chat bubbles, and an exported chat or
transcript glues those bubbles together with speaker labels and timestamps in between. Each
piece alone fits no pattern; together they are a valid card, NIK or mobile number. This
recognizer joins neighbouring pieces across such gaps and reports every piece when the
joined digits pass the entity's own validation.
"""
from __future__ import annotations

import regex as re
from presidio_analyzer import LocalRecognizer, RecognizerResult

from .base import ANALYZER_LANGUAGE, own_result
from .credit_card_recognizer import has_issuer_prefix, luhn_valid
from .id_nik_recognizer import is_valid_nik

SCORE = 0.7
MAX_GAP = 40
MAX_PIECES = 8
# Timestamps and dates in chat exports carry digits that belong to no number.
_CLOCK = re.compile(
    r"\[[^\]\n]{0,40}\]|\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[ap]m)?\b",
    re.IGNORECASE,
)
# Pieces split at spaces, so that a piece-wise number can start or end inside a group of them;
# parts of codes ("TKL-2505-315914") are no pieces.
_PIECE = re.compile(r"(?<![\w])(?<![\w][/\-])\d+(?:[.\-]\d+)*(?![\w])(?![/\-]\w)")
# Between two pieces: blank space, punctuation, the words people say while dictating, and at
# most one speaker label ("Pelanggan:", "Rina (CS):"); "Bank: BRI Account No:" is a form.
_FILLER = (
    r"(?:\s|[,;.\-–—/|]|[\p{So}\p{Sk}\p{Cf}\uFE0F]"  # emoji people add between bubbles
    r"|(?:eh|em|terus|lanjut|lalu|abis itu|habis itu|then|and|next)\b)*"
)
_GAP = re.compile(
    rf"{_FILLER}(?:\p{{L}}[\p{{L}}'’()]*(?:\s\p{{L}}[\p{{L}}'’()]*){{0,2}}\s?:{_FILLER})?",
    re.IGNORECASE,
)
_MOBILE = re.compile(r"(?:0|62)8\d{8,11}")


def entity_of(digits: str) -> str | None:
    """The entity whose validation the joined digits pass, if any."""
    if 13 <= len(digits) <= 19 and has_issuer_prefix(digits) and luhn_valid(digits):
        return "CREDIT_CARD"
    if len(digits) == 16 and is_valid_nik(digits):
        return "ID_NIK"
    if _MOBILE.fullmatch(digits):
        return "PHONE_NUMBER"
    return None


class SplitNumberRecognizer(LocalRecognizer):
    ENTITIES = ["CREDIT_CARD", "ID_NIK", "PHONE_NUMBER"]

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE) -> None:
        super().__init__(supported_entities=self.ENTITIES, supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        cleaned = _CLOCK.sub(lambda m: " " * len(m.group()), text)
        results = []
        for chain in _chains(cleaned):
            results.extend(self._validate(chain, entities))
        return results

    def _validate(self, chain: list[re.Match], entities: list[str]) -> list[RecognizerResult]:
        """The longest run of pieces, from the first piece on, that joins into an entity."""
        found, start = [], 0
        while start < len(chain) - 1:
            for end in range(min(len(chain), start + MAX_PIECES), start + 1, -1):
                pieces = chain[start:end]
                entity_type = entity_of("".join(_digits(p.group()) for p in pieces))
                if entity_type in entities:
                    found.extend(own_result(self, entity_type, p.start(), p.end(), SCORE)
                                 for p in pieces)
                    start = end
                    break
            else:
                start += 1
        return found


def _chains(text: str) -> list[list[re.Match]]:
    """Pieces grouped into chains whose neighbours are joined only by a short gap."""
    chains: list[list[re.Match]] = []
    previous = None
    for piece in _PIECE.finditer(text):
        joined = (
            previous is not None
            and piece.start() - previous.end() <= MAX_GAP
            and _GAP.fullmatch(text, previous.end(), piece.start()) is not None
        )
        if joined:
            chains[-1].append(piece)
        else:
            chains.append([piece])
        previous = piece
    return [chain for chain in chains if len(chain) > 1]


def _digits(piece: str) -> str:
    return "".join(c for c in piece if c.isdigit())
