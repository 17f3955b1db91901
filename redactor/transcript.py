"""A call's transcript: recognizer results in, masked partials and finals out.

Pure and blocking; one instance per call, covering all its channels. Each final is analysed with
the last few finals of the call as context (the agent asks on one channel, the customer answers
on the other). Spoken PII can span two results (the caller pauses mid card number), and a final
must go out at once, so digit fragments at result boundaries are masked on both sides: a
trailing run that may start an identifier, and the leading run of the channel's next result.
Partials are masked the same way and more eagerly: any unflagged run of 3+ digits is hidden.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex as re

from .chat import mask_with_offsets
from .engine import (
    FAIL_CLOSED_ENTITY,
    FAIL_CLOSED_TEXT,
    Entity,
    LangOption,
    NameMemory,
    Redactor,
    merge_overlaps,
)
from .errors import DetectionError
from .fragments import (
    NUMBER_FRAGMENT,
    DigitRun,
    digit_runs,
    fragment_entity,
    is_time,
    leading_run,
    open_fragment,
    trailing_run,
    uncovered,
)
from .numbers import only_fillers, with_homophones
from .storage import Segment, StoredEntity

CONTEXT_FINALS = 4
MIN_PARTIAL_RUN_DIGITS = 3


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the call
    end: float
    conf: float = 1.0


@dataclass(frozen=True)
class MaskedWord:
    """A word of a final, or one masked token standing for all the words of one entity."""

    text: str
    start: float
    end: float
    conf: float
    entity: str | None = None


@dataclass(frozen=True)
class MaskedAlternative:
    """One of the recognizer's n-best hypotheses, masked like the best one and more: every
    time span the best one masked is masked here too, whatever this hypothesis heard there."""

    text: str
    words: tuple[MaskedWord, ...]
    confidence: float


@dataclass(frozen=True)
class MaskedFinal:
    segment: Segment
    words: tuple[MaskedWord, ...]
    recognized_at: float = 0.0  # time.monotonic() when the recognizer returned the result
    alternatives: tuple[MaskedAlternative, ...] = ()

    @property
    def redacted_spans(self) -> tuple[tuple[float, float], ...]:
        """Time spans of the masked words: what the redacted recording must hide."""
        return tuple((w.start, w.end) for w in self.words if w.entity is not None)


# A time span that must be masked whatever the words say (a keypad tone, a span another
# hypothesis masked): start and end in seconds, and the entity type to mask it as.
ForcedSpan = tuple[float, float, str]
DTMF_ENTITY, PAUSED_ENTITY = "DTMF", "PAUSED"


class CallTranscript:
    def __init__(
        self, call_id: str, redactor: Redactor, speakers: Sequence[str], lang: LangOption = "auto",
        first_seq: int = 0,
    ) -> None:
        self.call_id = call_id
        self._redactor = redactor
        self._speakers = tuple(speakers)
        self._lang: LangOption = lang
        self._context: deque[str] = deque(maxlen=CONTEXT_FINALS)
        self._names = NameMemory()
        self._fragment_open = [False] * len(speakers)  # channel's last final ended in digits
        self._seq = first_seq

    def set_language(self, lang: LangOption) -> None:
        """The call's language changed (AudioHook ``update``): results from now on use it."""
        self._lang = lang

    def partial(self, channel: int, text: str) -> str:
        """The masked form of a partial result (it is replaced by a final later)."""
        if not text.strip():
            return text
        try:
            entities = self._analyze(text)
        except DetectionError:
            return FAIL_CLOSED_TEXT
        for run in digit_runs(text):
            continues = self._fragment_open[channel] and run.start == 0
            long_enough = run.digits >= MIN_PARTIAL_RUN_DIGITS and not is_time(text, run)
            if uncovered(run, entities) and (long_enough or continues):
                entities.append(fragment_entity(run))
        return mask_with_offsets(self._redactor, text, merge_overlaps(entities, text))[0]

    def final(self, channel: int, words: Sequence[Word], forced: Sequence[ForcedSpan] = ()) -> MaskedFinal:
        """Mask one recognizer final; words overlapping a ``forced`` span are masked as its type."""
        text, spans = _join(words)
        entities, failed = self._entities(channel, text)
        entities += _forced_entities(words, spans, forced)
        self._context.append(f"{self._speakers[channel]}: {text}")
        self._names.remember(text, entities)
        groups = _word_groups(merge_overlaps(entities, text), spans)
        masked = self._masked_words(text, words, spans, groups)
        seq, self._seq = self._seq, self._seq + 1
        segment = self._segment(seq, channel, masked, words, failed)
        if (index := self._redactor.subject_index) is not None:
            segment = replace(segment, subject_keys=index.segment_tokens(text, entities))
        return MaskedFinal(segment, masked)

    def alternative(
        self, channel: int, words: Sequence[Word], confidence: float, best: MaskedFinal,
        forced: Sequence[ForcedSpan] = (),
    ) -> MaskedAlternative:
        """Mask another hypothesis of the result ``best`` came from: by its own analysis, and
        over every span ``best`` masked (so no alternative tells what the best one hides).
        Nothing is stored or remembered: call it after :meth:`final`."""
        text, spans = _join(words)
        try:
            entities = self._analyze(text)
        except DetectionError:
            return MaskedAlternative(FAIL_CLOSED_TEXT if words else "", (), confidence)
        hidden = [(w.start, w.end, w.entity) for w in best.words if w.entity is not None]
        entities += _forced_entities(words, spans, [*forced, *hidden])
        if best.segment.failed:
            entities = [Entity(FAIL_CLOSED_ENTITY, 0, len(text), 1.0)]
        runs = [fragment_entity(run) for run in digit_runs(text) if uncovered(run, entities)
                and run.digits >= MIN_PARTIAL_RUN_DIGITS and not is_time(text, run)]
        groups = _word_groups(merge_overlaps(entities + runs, text), spans)
        masked = self._masked_words(text, words, spans, groups)
        return MaskedAlternative(" ".join(w.text for w in masked if w.text), masked, confidence)

    def marker(self, speaker: str, entity_type: str, start: float, end: float) -> MaskedFinal:
        """A transcript entry standing for something nobody may hear: a run of keypad digits
        (``<DTMF>``) or a paused span (``<PAUSED>``), with its times."""
        token = f"<{entity_type}>"  # a marker, not a masked value: no policy applies
        word = MaskedWord(token, start, end, 1.0, entity_type)
        seq, self._seq = self._seq, self._seq + 1
        segment = Segment(self.call_id, "call", seq, speaker, token,
                          (StoredEntity(entity_type, 0, len(token)),), start, end, False)
        return MaskedFinal(segment, (word,))

    def _entities(self, channel: int, text: str) -> tuple[list[Entity], bool]:
        try:
            entities = self._analyze(text)
        except DetectionError:
            return [Entity(FAIL_CLOSED_ENTITY, 0, len(text), 1.0)], True
        if only_fillers(text):  # "iya", "mhm", "bentar ya": a number read out goes on after it
            return entities, False
        lead, tail = _leading_run_after_fillers(text), _trailing_run_with_homophones(text)
        was_open = self._fragment_open[channel]
        if lead and was_open and uncovered(lead, entities):
            entities.append(fragment_entity(lead))
        if (tail and uncovered(tail, entities) and self._open_tail(text, tail)
                and not self._readable(text, tail)):
            entities.append(fragment_entity(tail))
        # A lone "one" between backchannels leaves the number as open as it found it.
        lone = lead is not None and tail is None
        self._fragment_open[channel] = (tail is not None and not uncovered(tail, entities)) or (
            lone and was_open)
        return entities, False

    def _masked_words(
        self, text: str, words: Sequence[Word], spans: list[tuple[int, int]],
        groups: list[tuple[int, int, str, bool]],
    ) -> tuple[MaskedWord, ...]:
        out = [MaskedWord(w.text, w.start, w.end, w.conf) for w in words]
        for first, last, entity_type, partial in reversed(groups):  # reversed: indices stay valid
            value = text[spans[first][0] : spans[last][1]]
            conf = min(w.conf for w in words[first : last + 1])
            token = MaskedWord(self._redactor.mask_value(entity_type, value, partial),
                               words[first].start, words[last].end, conf, entity_type)
            out[first : last + 1] = [token]
        return tuple(out)

    def _segment(
        self, seq: int, channel: int, masked: tuple[MaskedWord, ...], words: Sequence[Word],
        failed: bool,
    ) -> Segment:
        pieces, entities, length = [], [], 0
        for word in masked:
            if not word.text:  # the "remove" policy: nothing stands in for the entity
                continue
            start = length + (1 if pieces else 0)
            if word.entity is not None:
                entities.append(StoredEntity(word.entity, start, start + len(word.text)))
            pieces.append(word.text)
            length = start + len(word.text)
        text = FAIL_CLOSED_TEXT if failed else " ".join(pieces)
        if failed:
            entities = [StoredEntity(FAIL_CLOSED_ENTITY, 0, len(text))]
        start_s = words[0].start if words else None
        end_s = words[-1].end if words else None
        return Segment(self.call_id, "call", seq, self._speakers[channel], text, tuple(entities),
                       start_s, end_s, failed)

    def _open_tail(self, text: str, run: DigitRun) -> bool:
        """May ``run`` start a number? Its cue may end the final before ("konfirmasi pin nya" / "26")."""
        before = self._context[-1] if self._context else ""
        shift = len(before) + 1
        return open_fragment(f"{before}\n{text}", DigitRun(run.start + shift, run.end + shift, run.digits))

    def _readable(self, text: str, run: DigitRun) -> bool:
        """Is this run benign, its allow-cue perhaps in an earlier final ("nomor resinya?")?"""
        context = self._context_text()
        shift = len(context) + 1 if context else 0
        joined = f"{context}\n{text}" if context else text
        return self._redactor.readable_number(joined, run.start + shift, run.end + shift)

    def _analyze(self, text: str) -> list[Entity]:
        return self._redactor.analyze(text, self._lang, context=self._context_text(),
                                      names=self._names.names, numbers=self._names.numbers)

    def _context_text(self) -> str:
        return "\n".join(self._context)


def _leading_run_after_fillers(text: str) -> DigitRun | None:
    """The run that opens ``text``, perhaps after fillers ("um for nine", "sorry tiga dua"),
    widened over the digit homophones right before it ("for")."""
    runs = digit_runs(text)
    if not runs:
        return _lone_digit_word(text)
    start, end = with_homophones(text, runs[0].start, runs[0].end)
    if not only_fillers(text[:start]):
        return leading_run(text)
    return DigitRun(start, end, runs[0].digits)


_LONE_DIGIT_WORD = re.compile(r"(?<![\w])(?:one|won|oh|o)(?![\w])", re.IGNORECASE)


def _lone_digit_word(text: str) -> DigitRun | None:
    """"one", "oh": a final of one such word (and fillers) goes on a number being read out,
    though alone the word is too ambiguous to be read as a digit anywhere else."""
    word = _LONE_DIGIT_WORD.search(text)
    if word and only_fillers(text[: word.start()]) and only_fillers(text[word.end():]):
        return DigitRun(word.start(), word.end(), 1)
    return None


def _trailing_run_with_homophones(text: str) -> DigitRun | None:
    """The run that ends ``text``, also when ASR wrote its last digit as a homophone
    ("three three three to")."""
    runs = digit_runs(text)
    if not runs or trailing_run(text) is not None:
        return trailing_run(text)
    start, end = with_homophones(text, runs[-1].start, runs[-1].end)
    return DigitRun(start, end, runs[-1].digits) if end >= len(text.rstrip()) else None


def _join(words: Sequence[Word]) -> tuple[str, list[tuple[int, int]]]:
    spans, cursor = [], 0
    for word in words:
        spans.append((cursor, cursor + len(word.text)))
        cursor += len(word.text) + 1
    return " ".join(w.text for w in words), spans


def _forced_entities(
    words: Sequence[Word], spans: list[tuple[int, int]], forced: Sequence[ForcedSpan]
) -> list[Entity]:
    """Entities over the words that overlap a forced time span."""
    return [
        Entity(entity_type, spans[i][0], spans[i][1], 1.0)
        for start, end, entity_type in forced
        for i, word in enumerate(words)
        if word.start < end and word.end > start
    ]


def _word_groups(
    entities: list[Entity], spans: list[tuple[int, int]]
) -> list[tuple[int, int, str, bool]]:
    """Each entity as the run of whole words it touches (first, last, type, partial); runs
    that end up sharing a word merge, so a word is never half masked."""
    groups: list[tuple[int, int, str, bool]] = []
    for entity in entities:
        touched = [i for i, (s, e) in enumerate(spans) if s < entity.end and e > entity.start]
        if not touched:
            continue
        first, last = touched[0], touched[-1]
        if groups and first <= groups[-1][1]:
            prev_first, prev_last, prev_type, prev_partial = groups[-1]
            kept = prev_type if prev_type != NUMBER_FRAGMENT else entity.entity_type
            groups[-1] = (prev_first, max(prev_last, last), kept, prev_partial or entity.partial)
        else:
            groups.append((first, last, entity.entity_type, entity.partial))
    return groups
