"""Names and email addresses spelled out letter by letter: "eja k a d e k", "r i n i garis
bawah suryono at gmail dot com". After a name, spelling or email cue, or next to the word they
spell ("be u de i budi", "hartanto ha a er te a en te o"); single letters elsewhere are
initials, options or abbreviations ("opsi a b c", "te ka es")."""
from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

from .base import ANALYZER_LANGUAGE, context_regex, last_match, own_result

EMAIL_CUES = ["email", "e-mail", "imel", "surel", "alamat email", "email address", "gmail"]
SPELLING_CUES = ["eja", "dieja", "ejaan", "ejaannya", "spell", "spelled", "spelling", "spelt", "huruf"]
NAME_CUES = SPELLING_CUES + ["nama", "name", "namanya", "atas nama", "a.n."]
_JOIN = r"(?:garis\s+bawah|underscore|titik|dot|strip|dash|minus|hyphen|@|at|et)"
# A letter as typed, or as ASR writes an Indonesian letter said aloud: "de e we i" is "dewi".
LETTER_NAMES = {"be": "b", "ce": "c", "de": "d", "ef": "f", "ge": "g", "ha": "h", "je": "j",
                "ka": "k", "el": "l", "em": "m", "en": "n", "pe": "p", "ki": "q", "er": "r",
                "es": "s", "te": "t", "ve": "v", "we": "w", "eks": "x", "ye": "y", "zet": "z",
                # English letter names as ASR writes them ("jei ei em i es", "ti ei en"); not
                # "di", "si", "bi", "ai", "yu": Indonesian words first.
                "ei": "a", "ji": "g", "eich": "h", "eitch": "h", "jei": "j", "kei": "k", "pi": "p",
                "kyu": "q", "kiu": "q", "ar": "r", "ti": "t", "vi": "v", "wai": "y", "zed": "z"}
# "double n", "dobel es": the letter twice.
_DOUBLE = ("double", "dobel")
# "s for sierra", "b untuk budi", "w whiskey", "a apel": a letter and a word that starts with it,
# said to make it clear (four letters or more: "r rek" is a letter, then a word).
_FOR = ("for", "untuk")
_LETTER = (rf"(?:(?:{'|'.join(_DOUBLE)})[ \t]+)?"
           rf"(?:(?P<letter>[a-z])(?:[ \t]+(?P=letter)[a-z]{{3,}}(?![\w]))?|[0-9]|{'|'.join(LETTER_NAMES)})"
           rf"(?:[ \t]+(?:{'|'.join(_FOR)})[ \t]+[a-z]+)?")
# A space said between the words of a name: "el a em ha o te spasi es i er e ge a er".
_SPACE_WORDS = ("spasi", "space")
_GAP = rf"[ \t,.\-]+(?:(?:{'|'.join(_SPACE_WORDS)})[ \t]+)?"
# Three or more letters (or digits), then words joined to them the way emails are read.
_SPELLED = re.compile(
    # "b:" is a speaker label, not a letter
    rf"(?<![\w])(?!\d){_LETTER}(?:{_GAP}{_LETTER}(?![\w])(?![ \t]?:)){{2,}}"
    rf"(?:[ \t]+{_JOIN}[ \t]+[\w]+(?:[ \t]+{_LETTER}(?![\w])(?![ \t]?:))*)*",
    re.IGNORECASE,
)
_EMAIL_SHAPE = re.compile(rf"[ \t](?:@|at|et)[ \t]", re.IGNORECASE)
_SPELLED_LETTER = re.compile(r"[^\s,.\-]+")
CUE_WINDOW = 40
#: How far from a spelling the word it spells is looked for ("hartanto ... ha a er te ...").
WORD_WINDOW = 60
#: Letters enough to spell the start of a word, not a whole one ("p a t t i"); three ("te ka
#: es") may be an abbreviation that a longer word merely starts with.
MIN_PART_SPELLED = 5
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
            return "PERSON" if _spells_a_word_nearby(text, spelled) else None
        if _EMAIL_SHAPE.search(spelled.group()) or (email and (not name or email.end() > name.end())):
            return "EMAIL_ADDRESS"
        return "PERSON"


def spelled_word(spelled: str) -> str:
    """The word that letters spell: "be u de i" -> "budi", "f e double n y" -> "fenny", "el i
    spasi ha o" -> "li ho", "s for sierra a r" -> "sar", "w whiskey i india" -> "wi"; "" for
    text that is not all letters ("budi santoso")."""
    word, double, example, typed = "", False, False, ""
    for token in _SPELLED_LETTER.findall(spelled.lower()):
        letter = " " if token in _SPACE_WORDS else LETTER_NAMES.get(token, token)
        if example or token in _FOR:  # "s for sierra": "for" and "sierra" add no letter
            example = not example
        elif token in _DOUBLE:
            double = True
        elif len(letter) == 1:
            word += letter * (2 if double else 1)
            double = False
            typed = token
            continue
        elif not (len(typed) == 1 and token.startswith(typed)):  # "w whiskey": no letter either
            return ""
        typed = ""
    return word


def _spells_a_word_nearby(text: str, spelled: re.Match) -> bool:
    """Do the letters spell a word said nearby, or the start of one ("pattinasarany ... p a
    t t i": a long name is spelled in parts)?"""
    word = spelled_word(spelled.group())
    if len(word) < 3 or not word.replace(" ", "").isalpha():
        return False
    words = r"[ \t]+".join(re.escape(part) for part in word.split())
    whole = r"(?!\w)" if len(word) < MIN_PART_SPELLED else ""
    around = re.compile(rf"(?<!\w){words}{whole}", re.IGNORECASE)
    start, end = spelled.span()
    return bool(around.search(text, max(0, start - WORD_WINDOW), start)
                or around.search(text, end, end + WORD_WINDOW))
