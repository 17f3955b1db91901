"""PERSON spans from our Indonesian/English NER model (``id_ner_model.py``).

It finds names without a cue, in lowercase ASR output and in code-mixed chat, beside the cue
recognizer and English spaCy. The spans are trimmed of forms of address and chat words the
model sometimes takes in ("pak Budi" -> "Budi").
"""
from __future__ import annotations

import itertools

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .base import ANALYZER_LANGUAGE
from .id_ner_model import ORDINARY_ID_WORDS, IdNerModel, is_chat_word, shared_model
from .vocabulary import (
    CAPITALISED_NAME_EXCEPTIONS,
    CHAT_WORDS_ID,
    HESITATIONS,
    HONORIFICS_EN,
    HONORIFICS_ID,
    SPACY_STOP_WORDS,
    STOP_WORDS,
    names_a_grandparent,
    names_a_place,
)
from .spelled_recognizer import SPELLING_CUES

SCORE = 0.8
_HONORIFICS = frozenset(HONORIFICS_ID) | frozenset(HONORIFICS_EN)
_NOT_NAMES = STOP_WORDS | _HONORIFICS
# Function words and Indonesian chat words; not English chat words, which end surnames ("Umar
# Said", "Dominggus Nope").
_TRAILING_NOT_NAMES = (SPACY_STOP_WORDS | frozenset(CHAT_WORDS_ID) | HESITATIONS) - CAPITALISED_NAME_EXCEPTIONS
_WORD = re.compile(r"\p{L}[\p{L}\p{M}'’.\-]*")
# Spelling cues and verbs end a name ("jaya spelled j a y a", "pattinasarany its a long one").
_NAME_ENDS = frozenset(SPELLING_CUES) | frozenset(
    "is its it's was are am were adalah ialah merupakan".split())
# Words that lead into a name without being part of it: "Pak Budi", "eja k a d e k", "ee Siti",
# "its natalia".
_LEADING_NOT_NAMES = _HONORIFICS | _NAME_ENDS | HESITATIONS
# Letters as they are read aloud (Indonesian, English). Read before a number they are a code's
# prefix, not a person: "resinya je en e 7153120142" is a JNE tracking number.
SPOKEN_LETTERS = frozenset(
    "a be ce de e ef ge ha i je ka el em en o pe ki er es te u ve we eks ye zet "
    "bee see dee ee gee aitch jay kay ell pee cue ar ess tee vee ex zed zee".split()
)
_CODE_REST = re.compile(  # more letters read aloud, then the number
    r"(?:[ \t]+(?:" + "|".join(sorted(SPOKEN_LETTERS)) + r")\b)*[ \t]*\d", re.IGNORECASE)


class IdNerRecognizer(LocalRecognizer):
    """The model's PERSON spans, trimmed of forms of address, spelling cues and chat words
    around them."""

    ENTITY = "PERSON"

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE, name: str | None = None,
                 model: IdNerModel | None = None) -> None:
        self.model = model
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language,
                         name=name)

    def load(self) -> None:
        if self.model is None:
            self.model = shared_model()

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        if self.model is None or (entities and self.ENTITY not in entities):
            return []
        results = []
        # Context before the text's own part was read when it was new (see ConversationArtifacts).
        own_from = getattr(nlp_artifacts, "own_from", 0)
        for start, end, label in self.model.entities(text, own_from, people_only=True):
            if label != self.ENTITY:
                continue
            words = list(_WORD.finditer(text, start, end))
            while words and is_chat_word(words[0].group(), _LEADING_NOT_NAMES):
                words.pop(0)
            words = list(itertools.takewhile(lambda word: _lower(word) not in _NAME_ENDS, words))
            # and never ends in a chat word ("Nabire brp", "jorok bgt", "Cipto Mangunkusumo tp")
            while words and is_chat_word(words[-1].group(), _TRAILING_NOT_NAMES):
                words.pop()
            while len(words) > 1 and _case_ends_name(words[0].group(), words[-1].group()):
                words.pop()
            if not words:
                continue
            start, end = _whole_words(text, words[0].start(), words[-1].end())
            if names_a_place(text, start, end) or names_a_grandparent(text, start, end):
                continue  # "Bandara Soekarno-Hatta", "RSUP Dr. Sardjito", "mbah putri"
            # A span of chat words only is the model's mistake ("kak barusan"); one name word
            # among them is a name ("Dana Pratama").
            if any(not is_chat_word(word.group(), _NOT_NAMES) for word in words) and not _reads_a_code(
                    text, words):
                results.append(self._result(start, end))
        return results

    def _result(self, start: int, end: int) -> RecognizerResult:
        explanation = AnalysisExplanation(recognizer=self.name, original_score=SCORE,
                                          textual_explanation="Indonesian/English NER model")
        return RecognizerResult(self.ENTITY, start, end, SCORE, analysis_explanation=explanation,
                                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})


# The model's tokenizer splits at hyphens and apostrophes; a name goes on across them.
_JOINED_TAIL = re.compile(r"(?:[\-'’]\p{L}+)+")
_JOINED_HEAD = re.compile(r"(?:\p{L}+[\-'’])+$")


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` widened to whole hyphenated words: "Lee Seung-hoon", "Al-Attas"."""
    tail = _JOINED_TAIL.match(text, end)
    head = _JOINED_HEAD.search(text, max(0, start - 40), start)
    return (head.start() if head else start), (tail.end() if tail else end)


def _case_ends_name(first: str, last: str) -> bool:
    """A writer who capitalises a name and not the ordinary word after it ends the name there:
    "si Rafa alergi susu"."""
    return first[0].isupper() and last.islower() and last in ORDINARY_ID_WORDS


def _reads_a_code(text: str, words: list[re.Match]) -> bool:
    """Are ``words`` letters read aloud, then a number ("je en e 7153120142")?"""
    return all(_lower(word) in SPOKEN_LETTERS for word in words) and bool(
        _CODE_REST.match(text, words[-1].end()))


def _lower(word: re.Match) -> str:
    return word.group().lower().rstrip(".")
