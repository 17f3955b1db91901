"""Digit runs (written or spoken) that may be part of an identifier still being typed or said.

A message or utterance can stop in the middle of a card number ("kartu saya 4532 0151" ...
"1283 0366"). On its own such a fragment is not an entity, so the engine lets it through; the
streaming layers use these helpers to hold it back or mask it until the rest arrives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .engine import Entity
from .spoken import normalize_spoken

#: Entity type of a digit fragment masked because it may be the start or end of an identifier.
NUMBER_FRAGMENT = "NUMBER"
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-/]*\d)*")
_TRAILING_PUNCTUATION = " \t\r\n.,;:!?)]}\"'"


@dataclass(frozen=True)
class DigitRun:
    start: int  # offsets into the source text
    end: int
    digits: int  # how many digits it carries


def digit_runs(text: str) -> list[DigitRun]:
    """Every run of digits in ``text``, spoken ("empat lima") or written ("45"), in order."""
    normalized = normalize_spoken(text)
    runs = []
    for match in _DIGIT_RUN.finditer(normalized.text):
        start, end = normalized.to_source(match.start(), match.end())
        runs.append(DigitRun(start, end, sum(ch.isdigit() for ch in match.group())))
    return runs


def trailing_run(text: str) -> DigitRun | None:
    """The digit run that ends ``text`` (trailing punctuation aside), if any."""
    runs = digit_runs(text)
    end = len(text.rstrip(_TRAILING_PUNCTUATION))
    return runs[-1] if runs and runs[-1].end >= end else None


def leading_run(text: str) -> DigitRun | None:
    runs = digit_runs(text)
    start = len(text) - len(text.lstrip(_TRAILING_PUNCTUATION))
    return runs[0] if runs and runs[0].start <= start else None


def uncovered(run: DigitRun, entities: list[Entity] | tuple[Entity, ...]) -> bool:
    """True when no detected entity overlaps the run."""
    return all(e.end <= run.start or e.start >= run.end for e in entities)


def fragment_entity(run: DigitRun) -> Entity:
    return Entity(NUMBER_FRAGMENT, run.start, run.end, 1.0)


#: Words that announce a number: after one of them, even a short trailing run is held/masked.
NUMBER_CUES = frozenset(
    "kartu nomor nomer no nik ktp kk npwp bpjs hp wa telepon telp rekening paspor pin otp cvv "
    "card number phone account passport code".split()
)
MIN_UNCUED_FRAGMENT_DIGITS = 4


#: Words that make the number after them a time of day, which stays readable.
TIME_WORDS = frozenset("jam pukul at".split())


def cued(text: str, run: DigitRun, window: int = 4) -> bool:
    """Does one of the few words before ``run`` announce a number?"""
    return any(word in NUMBER_CUES for word in _words_before(text, run)[-window:])


def is_time(text: str, run: DigitRun) -> bool:
    """"jam sepuluh tiga puluh", "pukul 10.30": a time, not part of an identifier."""
    before = _words_before(text, run)
    return bool(before) and before[-1] in TIME_WORDS


def open_fragment(text: str, run: DigitRun | None, min_digits: int = MIN_UNCUED_FRAGMENT_DIGITS) -> bool:
    """A trailing run that may be the first part of an identifier said over two utterances:
    announced by a cue word, or long enough on its own (and not a time of day)."""
    if run is None or is_time(text, run):
        return False
    return run.digits >= min_digits or cued(text, run)


def _words_before(text: str, run: DigitRun) -> list[str]:
    return re.findall(r"[a-z]+", text[: run.start].casefold())
