"""Names and email addresses spelled out letter by letter: "eja k a d e k", "r i n i garis
bawah suryono at gmail dot com". Only after a name, spelling or email cue: single letters
elsewhere are initials or typos."""
from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import ANALYZER_LANGUAGE, context_regex, last_match, own_result

EMAIL_CUES = ["email", "e-mail", "imel", "surel", "alamat email", "email address", "gmail"]
SPELLING_CUES = ["eja", "dieja", "ejaan", "ejaannya", "spell", "spelled", "spelling", "spelt", "huruf"]
NAME_CUES = SPELLING_CUES + ["nama", "name", "namanya", "atas nama", "a.n."]
_JOIN = r"(?:garis\s+bawah|underscore|titik|dot|strip|dash|minus|hyphen|@|at|et)"
# A letter as typed, or as ASR writes an Indonesian letter said aloud: "de e we i" is "dewi".
_LETTER = r"(?:[a-z0-9]|be|ce|de|ef|ge|ha|je|ka|el|em|en|pe|ki|er|es|te|ve|we|eks|ye|zet)"
# Three or more letters (or digits), then words joined to them the way emails are read.
_SPELLED = re.compile(
    # "b:" is a speaker label, not a letter
    rf"(?<![\w])(?!\d){_LETTER}(?:[ \t,.\-]+{_LETTER}(?![\w])(?![ \t]?:)){{2,}}"
    rf"(?:[ \t]+{_JOIN}[ \t]+[\w]+(?:[ \t]+{_LETTER}(?![\w])(?![ \t]?:))*)*",
    re.IGNORECASE,
)
_EMAIL_SHAPE = re.compile(rf"[ \t](?:@|at|et)[ \t]", re.IGNORECASE)
CUE_WINDOW = 40
SCORE = 0.85


class SpelledRecognizer(EntityRecognizer):
    ENTITIES = ["PERSON", "EMAIL_ADDRESS"]

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE) -> None:
        self._email_cue = context_regex(EMAIL_CUES)
        self._name_cue = context_regex(NAME_CUES)
        super().__init__(supported_entities=self.ENTITIES, supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for spelled in _SPELLED.finditer(text):
            entity_type = self._entity_type(text, spelled)
            if entity_type in entities:
                results.append(own_result(self, entity_type, spelled.start(), spelled.end(), SCORE))
        return results

    def _entity_type(self, text: str, spelled: re.Match) -> str | None:
        start = max(0, spelled.start() - CUE_WINDOW)
        email = last_match(self._email_cue, text, start, spelled.start())
        name = last_match(self._name_cue, text, start, spelled.start())
        if email is None and name is None:
            return None
        if _EMAIL_SHAPE.search(spelled.group()) or (email and (not name or email.end() > name.end())):
            return "EMAIL_ADDRESS"
        return "PERSON"
