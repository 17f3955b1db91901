"""Digit runs (written or spoken) that may be part of an identifier still being typed or said.

A message or utterance can stop in the middle of a card number ("kartu saya 4532 0151" ...
"1283 0366"). On its own such a fragment is not an entity, so the engine lets it through; the
streaming layers use these helpers to hold it back or mask it until the rest arrives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from recognizers.id_nik_recognizer import is_valid_region
from recognizers.split_number_recognizer import entity_of

from .engine import Entity
from .numbers import only_fillers
from .spoken import normalize_spoken, spoken_digits

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
    """A run masked as one piece of a number said or typed over several messages or turns."""
    return Entity(NUMBER_FRAGMENT, run.start, run.end, 1.0, partial=True)


#: Words that announce a number: after one of them, even a short trailing run is held/masked.
NUMBER_CUES = frozenset(
    "kartu nomor nomer no nik ktp kk npwp bpjs hp wa telepon telp rekening paspor pin otp cvv "
    "card number phone account passport code kode verifikasi verification sandi rek va atm debit "
    "kredit credit".split()
)
#: "call me at zero eight": asking to be called back announces a phone number.
CONTACT_CUES = frozenset({
    ("call", "me"), ("reach", "me"), ("text", "me"), ("contact", "me"), ("whatsapp", "me"),
    ("hubungi", "saya"), ("hubungi", "aku"), ("telpon", "saya"), ("telepon", "saya"),
})
MIN_UNCUED_FRAGMENT_DIGITS = 4


#: Words that make the number after them a time of day, which stays readable; "at" only
#: where no cue announced a number ("call me at zero eight" is a phone number).
TIME_WORDS = frozenset("jam pukul".split())
WEAK_TIME_WORDS = frozenset({"at"})


def cued(text: str, run: DigitRun, window: int = 4) -> bool:
    """Does one of the few words before ``run`` announce a number?"""
    words = _words_before(text, run)[-window:]
    # With the suffix -nya as often as without: "pinnya", "nomornya", "rekeningnya".
    return any(word in NUMBER_CUES or word.removesuffix("nya") in NUMBER_CUES for word in words) or any(
        pair in CONTACT_CUES for pair in zip(words, words[1:]))


def is_time(text: str, run: DigitRun) -> bool:
    """"jam sepuluh tiga puluh", "pukul 10.30": a time, not part of an identifier."""
    before = _words_before(text, run)
    return bool(before) and (before[-1] in TIME_WORDS
                             or (before[-1] in WEAK_TIME_WORDS and not cued(text, run)))


def open_fragment(text: str, run: DigitRun | None, min_digits: int = MIN_UNCUED_FRAGMENT_DIGITS) -> bool:
    """A trailing run that may be the first part of an identifier said over two utterances:
    announced by a cue word, or long enough on its own (and not a time of day)."""
    if run is None or is_time(text, run):
        return False
    return run.digits >= min_digits or cued(text, run)


def _words_before(text: str, run: DigitRun) -> list[str]:
    return re.findall(r"[a-z]+", text[: run.start].casefold())


#: How many digits make each identifier whole: an open number of that type closes there.
WHOLE_DIGITS = {
    "CREDIT_CARD": 16, "ID_NIK": 16, "ID_KK": 16, "ID_NPWP": 15, "ID_BPJS": 13,
    "PHONE_NUMBER": 13, "BANK_ACCOUNT": 16, "OTP": 6, "PIN": 6, "CARD_CVV": 3,
}
DEFAULT_WHOLE_DIGITS = 19
#: Entity types whose value is not a number, whatever digits it holds.
NOT_NUMBERS = frozenset({"PERSON", "EMAIL_ADDRESS", "USERNAME", "ADDRESS", "PASSWORD",
                         "SECURITY_ANSWER", "CARD_EXPIRY", "REDACTED"})


#: Numbers of varying length: found whole, they may still go on.
VARYING_LENGTH = frozenset({"PHONE_NUMBER", "BANK_ACCOUNT"})


def complete_value(entity_type: str, value: str) -> bool:
    """A fixed-length identifier found whole and valid: nothing more can follow it."""
    digits = spoken_digits(value)
    if entity_type in ("CREDIT_CARD", "ID_NIK"):
        return entity_of(digits) == entity_type
    if entity_type == "ID_KK":
        return len(digits) == 16 and is_valid_region(digits)
    if entity_type not in WHOLE_DIGITS or entity_type in VARYING_LENGTH:
        return False
    return len(digits) >= WHOLE_DIGITS[entity_type]


def is_number(entity: Entity, text: str) -> bool:
    return entity.entity_type not in NOT_NUMBERS and bool(spoken_digits(text[entity.start:entity.end]))


class OpenNumber:
    """One speaker's number still being read or typed in pieces, across messages or turns.

    It opens when a message ends in a number that is not whole yet (a cue announced it or it
    is long enough to be masked); while open, every digit run of that speaker's messages that
    hold only digits, fillers and backchannels ("0151", "1283 ya kak") is masked as a piece of
    it; it closes once it has all its digits or the speaker moved on (any other message).
    Other speakers' messages ("iya", "lanjut", "nomor berapa?") leave it open.
    """

    def __init__(self) -> None:
        self.close()

    def close(self) -> None:
        self.speaker: str | None = None
        self.entity_type = NUMBER_FRAGMENT
        self.digits = 0

    def state(self) -> dict[str, object]:
        """The open number as stored between instances: role, type and count, no digits."""
        return {"speaker": self.speaker, "entity_type": self.entity_type, "digits": self.digits}

    def restore(self, state: dict[str, object]) -> None:
        """Take :meth:`state` back; anything malformed leaves the number closed."""
        speaker, entity_type, digits = state.get("speaker"), state.get("entity_type"), state.get("digits")
        if isinstance(speaker, str) and isinstance(entity_type, str) and type(digits) is int:
            self.speaker, self.entity_type, self.digits = speaker, entity_type, digits

    def follow(self, speaker: str, text: str, entities: list[Entity]) -> list[Entity]:
        """``entities`` of the next message, with the pieces of an open number added and every
        number piece marked partial; the state moves on past the message."""
        if self.speaker == speaker:
            runs = digit_runs(text)
            if only_fillers(_without(text, runs)):  # nothing but digits and "ya kak"
                return self._pieces(text, runs, entities)
            self.close()  # the speaker moved on, maybe to another number
        if self.speaker is None:
            return self._opened(speaker, text, entities)
        return entities

    def _pieces(self, text: str, runs: list[DigitRun], entities: list[Entity]) -> list[Entity]:
        if not runs:
            return entities
        added = [Entity(self.entity_type, r.start, r.end, 1.0, True) for r in runs if uncovered(r, entities)]
        self.digits += sum(r.digits for r in runs)
        merged = _as_partial(sorted([*entities, *added], key=lambda e: e.start), text)
        if self.digits >= WHOLE_DIGITS.get(self.entity_type, DEFAULT_WHOLE_DIGITS):
            self.close()
        return merged

    def _opened(self, speaker: str, text: str, entities: list[Entity]) -> list[Entity]:
        numbers = [e for e in entities if is_number(e, text)]
        if not numbers or not only_fillers(text[numbers[-1].end:]):
            return entities
        last = numbers[-1]
        if complete_value(last.entity_type, text[last.start:last.end]):
            return entities
        self.speaker, self.entity_type = speaker, last.entity_type
        self.digits = len(spoken_digits(text[last.start:last.end]))
        return _as_partial(entities, text)


def _without(text: str, runs: list[DigitRun]) -> str:
    kept, cursor = [], 0
    for run in runs:
        kept.append(text[cursor:run.start])
        cursor = run.end
    return " ".join([*kept, text[cursor:]])


def _as_partial(entities: list[Entity], text: str) -> list[Entity]:
    return [Entity(e.entity_type, e.start, e.end, e.score, True) if is_number(e, text) else e
            for e in entities]
