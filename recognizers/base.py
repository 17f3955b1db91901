"""Shared machinery for our recognizers: context words found by position in the raw text.

Presidio's own context enhancer compares spaCy lemmas token by token. It cannot see multi-word
cues ("berlaku sampai", "no. rek") and it needs a lemmatizer we do not load (speed), so our
recognizers look for their ``CONTEXT`` words in a character window around the match instead,
and mark the result as already enhanced so Presidio does not boost it a second time.
"""
from __future__ import annotations

from collections.abc import Iterable

import regex as re
from presidio_analyzer import EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

#: The language code every recognizer is registered under. Our rules apply to Indonesian,
#: English and code-mixed text alike, so the engine runs one analysis with this code.
ANALYZER_LANGUAGE = "id"


FUZZY_MIN_LENGTH = 6

#: Words after which a number is a reference (order, parcel, ticket), not a secret or an ID.
REFERENCE_CUES = [
    "resi", "no resi", "nomor resi", "order", "no order", "order id", "pesanan", "no pesanan",
    "nomor pesanan", "tiket", "ticket", "no tiket", "nomor tiket", "invoice", "faktur",
    "booking", "kode booking", "booking code", "tracking", "awb", "case", "kasus",
    "laporan", "referensi", "reference", "ref", "transaksi", "transaction", "promo",
    "kode promo", "promo code", "voucher", "kode voucher", "kupon", "coupon",
]


def context_regex(words: Iterable[str], fuzzy: bool = True) -> re.Pattern:
    """Compile context words/phrases into one case-insensitive whole-word pattern.

    Whitespace inside a phrase matches any run of spaces; a trailing dot is optional
    ("no. rek" also matches "no rek"); the Indonesian suffix -nya may follow
    ("rekeningnya", "paspornya", "cvv-nya"); with ``fuzzy``, words of ``FUZZY_MIN_LENGTH``
    letters or more (phrases a little longer) also match with one letter added or dropped.
    """
    alternatives = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word.strip()).replace(r"\ ", r"\s+").replace(r"\.", r"\.?")
        letters = word.replace(" ", "")
        if fuzzy and letters.isalpha() and len(word) >= FUZZY_MIN_LENGTH + 2 * word.count(" "):
            # Chat is typed in a hurry: "beerlaku", "securitty", "paspsort". One letter too
            # many or too few; no substitutions, which would let "berlalu" pass for "berlaku".
            escaped = f"(?:{escaped}){{i<=1,d<=1,s<=0,e<=1}}"
        alternatives.append(escaped)
    return re.compile(
        r"(?<![\w])(?:" + "|".join(alternatives) + r")(?:-?nya)?(?![\w])", re.IGNORECASE
    )


# What joins cues listed together: "expiry and CVV", "masa berlaku dan cvv", "exp/cvv".
_LISTED = re.compile(r"[\s,/&]*(?:dan|and|atau|or|serta|sama)?[\s,/&]*", re.IGNORECASE)
#: A chat timestamp between cue and value ("cvv? [12:08] Customer: 352") hides nothing.
TIMESTAMP = r"\[[^\]\n]{0,30}\]|(?<!\d)\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?!\d)"
# An answer within this many characters of its line's start ("customer: oh yg 731") is read
# with the whole turn before it, up to MAX_TURN_BEFORE characters back.
ANSWER_LEAD = 30
MAX_TURN_BEFORE = 160
# A number of at most six digits, however grouped (a card number between cue and match is not).
_SHORT_NUMBER = re.compile(r"(?<![\d.\-])(?<!\d )\d(?:[ .\-/]?\d){0,5}(?![ .\-/]?\d)")


#: A speaker or field label opening a line ("customer: ", "CS: "); group 1 is its name.
SPEAKER_LABEL = re.compile(r"[ \t]*([^\W\d][\w ]{0,19}):[ \t]*")


def _turn_before(text: str, line_start: int) -> int:
    """Where the line before ``line_start``'s starts, or, when it has the same speaker label,
    the line before that (up to two)."""
    own = SPEAKER_LABEL.match(text, line_start)
    start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    for _ in range(2):
        label = SPEAKER_LABEL.match(text, start)
        if not (own and label and label.group(1) == own.group(1)) or start == 0:
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return start


def last_turn_start(text: str, nlp_artifacts: NlpArtifacts | None) -> int:
    """Where the last turn before the text's own part starts, when the engine reads a message
    with the conversation before it (its artifacts' ``own_from``), else 0. The turns before
    that one had their entities reported with them: values are looked for from here on, cues
    further back."""
    own_from = getattr(nlp_artifacts, "own_from", 0)
    return text.rfind("\n", 0, max(own_from - 1, 0)) + 1


def shifted(results: list[RecognizerResult], offset: int) -> list[RecognizerResult]:
    """``results`` found in ``text[offset:]``, moved to their place in ``text``."""
    for result in results:
        result.start, result.end = result.start + offset, result.end + offset
    return results


def last_match(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    match = None
    for match in pattern.finditer(text, start, end):
        pass
    return match


class ContextPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer whose ``CONTEXT`` words are found by position in the raw text.

    Subclasses set ``PATTERNS`` (graded scores), ``CONTEXT`` and optionally
    ``CONTEXT_BEFORE``/``CONTEXT_AFTER`` (window sizes in characters) and
    ``COMPETING_CONTEXT``: words of a neighbouring entity; when one of them stands between
    our context word and the match ("cvv 123 exp 0927": "exp" is nearer to 0927 than "cvv"),
    the context belongs to that entity, not to us.
    With context found, the score is raised by ``CONTEXT_BOOST`` (capped at 1.0); the engine's
    score threshold then drops weak matches that found none. Without it, a competing word in
    the window before the match lowers the score by ``COMPETING_PENALTY``: the number belongs
    to that neighbouring entity ("no KK 3174…" is a KK number, not a NIK).
    ``FUZZY_CONTEXT``: cues typed with a letter too many or too few count too (off where that
    makes one cue another: "nomor polis" / "nomor polisi"). ``NEEDS_CONTEXT``: no pattern
    scores enough without a cue, so text without any cue is not scanned at all.
    ``FIRST_NUMBER_ONLY``: the cue only vouches for the first short number after it ("cvv 123
    ya, total 250": 250 is no CVV), though a long one may stand between ("CVV kartu 4532…
    adalah 235"), and so may numbers matching ``SKIPPABLE_NUMBERS`` (timestamps by default).
    """

    PATTERNS: list = []
    CONTEXT: list[str] = []
    COMPETING_CONTEXT: list[str] = []
    ENTITY = ""
    CONTEXT_BEFORE = 48
    CONTEXT_AFTER = 0
    CONTEXT_BOOST = 0.4
    COMPETING_PENALTY = 0.0
    FIRST_NUMBER_ONLY = False
    SKIPPABLE_NUMBERS = TIMESTAMP
    FUZZY_CONTEXT = True
    NEEDS_CONTEXT = False

    def __init__(
        self,
        patterns=None,
        context: list[str] | None = None,
        supported_language: str = ANALYZER_LANGUAGE,
        supported_entity: str | None = None,
        name: str | None = None,
    ) -> None:
        context = context if context is not None else self.CONTEXT
        self._context_pattern = context_regex(context, self.FUZZY_CONTEXT) if context else None
        self.needs_context = self.NEEDS_CONTEXT
        self._skippable = re.compile(self.SKIPPABLE_NUMBERS, re.IGNORECASE)
        self._competing_pattern = (
            context_regex(self.COMPETING_CONTEXT) if self.COMPETING_CONTEXT else None
        )
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            patterns=patterns if patterns is not None else self.PATTERNS,
            context=context,
            supported_language=supported_language,
            name=name,
        )

    def context_found(self, text: str, start: int, end: int) -> bool:
        if self._context_pattern is None:
            return False
        own = last_match(self._context_pattern, text, self._window_start(text, start), start)
        if own is not None:
            between = text[own.end() : start]
            if self.FIRST_NUMBER_ONLY and _SHORT_NUMBER.search(self._skippable.sub(" ", between)):
                return False
            return not self._competing_between(between)
        if not self.CONTEXT_AFTER or self.competing_context_found(text, start, window=25):
            return False  # "pesanan 1617… katanya ke rekening": the order number is no account
        after_end = min(len(text), end + self.CONTEXT_AFTER)
        return bool(self._context_pattern.search(text, end, after_end))

    def worth_scanning(self, text: str, cues_from: int = 0) -> bool:
        """Whether the patterns can find anything: with ``NEEDS_CONTEXT`` (every pattern scores
        below the threshold without its cue), only where a cue stands in ``text[cues_from:]``;
        one search for the cues is cheaper than each pattern's scan."""
        return not self.needs_context or bool(
            self._context_pattern and self._context_pattern.search(text, cues_from))

    def scan_without_cue_from(self, threshold: float) -> None:
        """A policy ``threshold`` that a pattern reaches without its cue needs every text scanned."""
        self.needs_context = self.NEEDS_CONTEXT and max(p.score for p in self.patterns) < threshold

    def _window_start(self, text: str, start: int) -> int:
        """Where the cue may stand: ``CONTEXT_BEFORE`` characters back, or, for an answer at
        the start of its line, back to the start of the turn before it (the same speaker's
        earlier answers aside). A question's cue can lie further back than the window ("CVV
        itu 3 angka di belakang kartu kak. Tapi jangan dikirim ke sini ya" / "customer: oh yg
        731 itu ya?"; "Mohon PIN, tgl lahir, & nama ibu kandung." / "customer: 4931" /
        "customer: 22-10-1985")."""
        window = max(0, start - self.CONTEXT_BEFORE)
        line = text.rfind("\n", 0, start)
        if line < 0 or start - line > ANSWER_LEAD:
            return window
        return max(min(window, _turn_before(text, line + 1)), start - MAX_TURN_BEFORE)

    def _competing_between(self, between: str) -> bool:
        """A competing cue between ours and the match, unless it is listed with ours: in
        "masa berlaku dan CVV?" both are asked for, and the answer gives both."""
        if self._competing_pattern is None:
            return False
        return any(
            not _LISTED.fullmatch(between, 0, competing.start())
            for competing in self._competing_pattern.finditer(between)
        )

    def competing_context_found(self, text: str, start: int, window: int | None = None) -> bool:
        if self._competing_pattern is None:
            return False
        window_start = max(0, start - (self.CONTEXT_BEFORE if window is None else window))
        return bool(self._competing_pattern.search(text, window_start, start))

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        scan_from = last_turn_start(text, nlp_artifacts)
        if not self.worth_scanning(text, max(0, scan_from - max(self.CONTEXT_BEFORE, MAX_TURN_BEFORE))):
            return []
        results = []
        found = super().analyze(text[scan_from:], entities, nlp_artifacts, regex_flags)
        for result in shifted(found, scan_from):
            if self.context_found(text, result.start, result.end):
                result.score = min(1.0, result.score + self.CONTEXT_BOOST)
            elif self.COMPETING_PENALTY and self.competing_context_found(text, result.start):
                result.score = max(0.0, result.score - self.COMPETING_PENALTY)
            # Our window search replaces Presidio's lemma-based boost: do not boost twice.
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            results.append(result)
        return results


#: What may stand between two digit groups of one number: a space or two, a dot or dash
#: with optional spaces around it ("4737 - 9795", "2366  5914", "0812.3456"), or one line
#: break (a chat line wrapped, or enter pressed, mid-number).
DIGIT_SEPARATOR = r"(?:[ \t]{0,2}[.\-][ \t]{0,2}|[ \t]{1,2}|[ \t]?\r?\n)"


#: Where a number may start and end: not glued to letters or more digits, and not one part
#: of a code or date ("INV/20241126/MPL", "TKL-2505-315914", "22/03/24").
NUMBER_START = r"(?<![^\W_])(?<!\d[.\-])(?<!\d\s[.\-]\s?)(?<![\w][/\-])"
NUMBER_END = r"(?!\d)(?!\s?[.\-]\s?\d)(?![/\-]\w)"


def digits_regex(min_digits: int, max_digits: int) -> str:
    """A run of ``min..max`` digits, optionally grouped by ``DIGIT_SEPARATOR``.

    The run may not be glued to more digits, except across spaces: "3174… 0812…" (two
    numbers typed one after the other) still yields each of them, while a dot or dash keeps
    a group together ("4532-0151-…").
    """
    return rf"{NUMBER_START}\d(?:{DIGIT_SEPARATOR}?\d){{{min_digits - 1},{max_digits - 1}}}{NUMBER_END}"


def only_digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def own_result(
    recognizer: EntityRecognizer, entity_type: str, start: int, end: int, score: float
) -> RecognizerResult:
    """A result of one of our own recognizers, marked so Presidio adds no context boost."""
    return RecognizerResult(
        entity_type, start, end, score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        },
    )


#: Letters, and a digit or a symbol: "dimas1234", "Bandung@88" (not "ujian", not "2024").
_SECRET_SHAPE = re.compile(r"^(?=.*[^\W\d_])(?=.*(?:\d|[^\w\s]))")


class CuedValueRecognizer(EntityRecognizer):
    """The value said or typed right after a cue: "password saya Rahasia123!", "nama hewan
    peliharaan saya Mochi". ``CUES`` open it; ``CONNECTORS`` ("saya", "is", ":") may stand
    between; ``VALUE`` is matched right after them, and a value that starts with one of
    ``STOP_WORDS`` ("lupa", "reset", "apa") is no answer: the cue was only mentioned."""

    ENTITY = ""
    CUES: list[str] = []
    #: Cues that are ordinary words too ("pass"): only a value shaped like a secret, letters
    #: with a digit or a symbol, answers them ("pass dimas1234", not "pass ujian").
    WORD_CUES: frozenset[str] = frozenset()
    CONNECTORS: list[str] = []
    STOP_WORDS: frozenset[str] = frozenset()
    VALUE = r"\S+"
    SCORE = 0.9
    FUZZY = True  # cues typed with a letter too many or too few still count

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE) -> None:
        connectors = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in self.CONNECTORS)
        self._cue = context_regex([*self.CUES, *self.WORD_CUES], fuzzy=self.FUZZY)
        # Within the line: a value on the next line is someone's next turn ("customer: ...").
        self._lead = re.compile(rf"(?:[ \t,:=?\-]*(?:(?:{connectors})(?![\w])))*[ \t,:=?\-]*", re.IGNORECASE)
        self._value = re.compile(rf"(?:{self.VALUE})(?![\w'\-]*[ \t]?:)", re.IGNORECASE)
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        results, seen = [], set()
        for cue in self._cue.finditer(text, last_turn_start(text, nlp_artifacts)):
            start = self._lead.match(text, cue.end()).end()
            value = self._value.match(text, start)
            if value is None or value.span() in seen or not self.plausible(value.group()):
                continue  # two cues may lead to one value: "username tiktok aku X"
            if cue.group().lower() in self.WORD_CUES and not _SECRET_SHAPE.search(value.group()):
                continue
            seen.add(value.span())
            results.append(own_result(self, self.ENTITY, value.start(), value.end(), self.SCORE))
        return results

    def plausible(self, value: str) -> bool:
        first = re.match(r"[\w']+", value)
        return first is not None and first.group().casefold() not in self.STOP_WORDS
