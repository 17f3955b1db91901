"""PERSON spans from spaCy's English NER, minus the mistakes it makes on Indonesian chat."""
from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from .base import ANALYZER_LANGUAGE
from .id_ner_model import ORDINARY_ID_WORDS, shared_model
from .vocabulary import HONORIFICS_EN, HONORIFICS_ID, STOP_WORDS, names_a_place

HONORIFICS = frozenset({*HONORIFICS_ID, *HONORIFICS_EN, "sir", "madam"})
# Words English NER takes for names in Indonesian chat: the cue recognizer's common words
# (chat, address parts, roles, banks) plus currencies, time zones, card brands, form labels.
NOT_NAMES = STOP_WORDS | frozenset(
    "idr usd sgd wib wita wit visa mastercard mandiri domisili perkenalkan format surel nm".split()
)
_WORD = re.compile(r"[^\W\d_][^\W\d_'.-]*")


class PersonNerRecognizer(SpacyRecognizer):
    """Keeps an NER PERSON only if it has a capitalised word that is not a common word and
    our Indonesian model does not read it as a bank, brand or place, and trims the common
    words and honorifics around it ("Pak Budi" -> "Budi")."""

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE, **kwargs) -> None:
        super().__init__(supported_language=supported_language, supported_entities=["PERSON"],
                         **kwargs)
        self.ner_model = shared_model()

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            if text[result.end : result.end + 1].isalnum():
                continue  # glued to more characters: a code such as "INC9490622"
            if self.ner_model and self.ner_model.is_place_or_org(text, result.start, result.end):
                continue  # "SeaBank", "Medan": our model knows Indonesian banks and places
            if names_a_place(text, result.start, result.end):
                continue  # "Bandara Soekarno-Hatta", "RSUP Dr. Sardjito"
            words = list(_WORD.finditer(text, result.start, result.end))
            names = [i for i, word in enumerate(words) if is_name_word(word.group())]
            if names and not _ordinary_capitalised(text, [words[i] for i in names]):
                # Trim what NER glues to a name: "Baik Kak Ulya", "Mursinin Yuniar ya".
                result.start, result.end = words[names[0]].start(), words[names[-1]].end()
                kept.append(result)
        return kept


def _ordinary_capitalised(text: str, names: list) -> bool:
    """English NER takes Capitalised Indonesian words for names: two or more ordinary words
    ("Konferensi Asia Afrika", "Papua New Guinea"), or one opening a sentence ("Genangan air
    di tol ..."). A single ordinary word inside a sentence may be a name ("Putri", "Indah")."""
    return all(name.group().lower() in ORDINARY_ID_WORDS for name in names) and (
        len(names) > 1 or _opens_sentence(text, names[0].start()))


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:\n"


def is_name_word(word: str) -> bool:
    lower = word.lower().rstrip(".")
    return (
        word[0].isupper()
        and not (word.isupper() and len(word) <= 4)  # acronyms: WIB, INC, BCA
        and lower not in NOT_NAMES
        and lower not in HONORIFICS
    )
