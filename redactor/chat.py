"""A chat session: messages in, masked messages out, with PII split across messages caught.

Customers type numbers in bursts ("kartu saya 4532 0151", then "1283 0366"). A message whose
end could be the start of an entity (digits, an entity reaching its end, a piece of an email
address) is held back until the next message of the session, its ``end``, or ``holdback_s``
seconds, and is then analysed together with what followed it; while each new burst may still
continue, the chain stays held (up to ``MAX_HELD`` messages). The messages just emitted stay as
context, so the agent's question ("nomor NIK-nya?") still cues the answer. Every message comes
out once, in order, masked on its own text. Pure and blocking: the server calls it from a
worker thread, one session at a time.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .engine import FAIL_CLOSED_ENTITY, FAIL_CLOSED_TEXT, Entity, LangOption, NameMemory, Redactor
from .errors import DetectionError
from .fragments import (
    DigitRun,
    OpenNumber,
    complete_value,
    fragment_entity,
    open_fragment,
    trailing_run,
    uncovered,
)
from .storage import Segment, StoredEntity

DEFAULT_HOLDBACK_S = 1.5
CONTEXT_MESSAGES = 4  # earlier messages kept (in memory only) as cues for the next ones
MAX_HELD = 4  # a chain of bursts is held at most this long, then goes out as it is
# A written number left open when a held message times out is masked from this many digits
# (fewer with a cue word before it): prices and quantities are shorter.
MIN_OPEN_DIGITS = 6
_EMAIL_PIECE = frozenset("@._")


@dataclass(frozen=True)
class _Message:
    speaker: str
    text: str


class ChatSession:
    def __init__(
        self,
        session_id: str,
        redactor: Redactor,
        *,
        holdback_s: float = DEFAULT_HOLDBACK_S,
        lang: LangOption = "auto",
        first_seq: int = 0,
        context: Iterable[tuple[str, str]] = (),
        cues: Mapping[str, object] | None = None,
    ) -> None:
        """``context`` (speaker, masked text) and ``cues`` (from :meth:`cues`) resume a session
        that lived on another connection or instance: earlier turns are known only masked."""
        self.session_id = session_id
        self._redactor = redactor
        self._holdback_s = holdback_s
        self._lang: LangOption = lang
        self._context: deque[_Message] = deque(
            (_Message(speaker, text) for speaker, text in context), maxlen=CONTEXT_MESSAGES)
        self._names = NameMemory()
        # Cues of messages that left the context still waiting for their answer ("kode
        # verifikasi ... Mohon informasikan kodenya" four turns before "8 3 1 7"), as words, and
        # how many messages ago they left; at most CONTEXT_MESSAGES.
        self._awaited: list[tuple[str, int]] = []
        self._held: list[_Message] = []
        self._held_entities: list[list[Entity] | None] = []
        self._deadline: float | None = None
        self._first_seq = self._seq = first_seq
        self._open_number = OpenNumber()
        if cues and isinstance(cues.get("open_number"), dict):
            self._open_number.restore(cues["open_number"])

    @property
    def deadline(self) -> float | None:
        """When the held-back messages must go out (monotonic seconds), or None."""
        return self._deadline

    @property
    def emitted(self) -> int:
        """How many masked messages went out."""
        return self._seq - self._first_seq

    def cues(self) -> dict[str, object]:
        """What the session derived from its messages and the next one needs, without their
        text: a number still open (whose speaker, of what type, how many digits so far)."""
        return {"open_number": self._open_number.state()} if self._open_number.speaker else {}

    def accept(self, speaker: str, text: str, now: float) -> list[Segment]:
        """Take one message; return the masked messages that can go out now, in order."""
        self._held.append(_Message(speaker, text))
        transcript, found = self._analyze(self._held)
        # Whether the chain may go on is judged on all of it: "1283 0366" ends a valid card
        # that began in the message before.
        if found is not None and could_continue(transcript, found) and len(self._held) < MAX_HELD:
            self._deadline = now + self._holdback_s
            return []
        return self.flush()

    def flush(self) -> list[Segment]:
        """Emit the held-back messages (their delay ran out, the session ended, or the chain
        is at its longest). What may have followed did not come, so a number the last one
        leaves open is masked rather than let out."""
        held, results = self._held, self._held_entities
        self._held, self._held_entities, self._deadline = [], [], None
        # Not only the last: "kode verifikasi saya 994" followed by the agent's "baik" ends
        # the chain too, with its number still open.
        before = self._context[-1].text if self._context else ""  # "no kartu sy ya kak" / "411"
        for i, message in enumerate(held):
            if results[i] is not None:
                results[i] = _with_open_number(self._redactor, message.text, results[i], before)
            before = message.text
        return [self._emit(message, entities) for message, entities in zip(held, results)]

    def _analyze(self, messages: list[_Message]) -> tuple[str, list[Entity] | None]:
        """Entities of each held message (kept in ``_held_entities``, None: failed), found in
        one pass over context + messages; returns that transcript and what was found in it.
        Bursts of one speaker are joined on one line, as one sentence: "nama saya Budi" +
        "Santoso", "4532 0151" + "1283 0366"."""
        text, spans = _transcript(messages)
        awaited = " ".join(words for words, _ in self._awaited)
        context = "\n".join([f"… {awaited}"] * bool(awaited)
                            + [f"{m.speaker}: {m.text}" for m in self._context])
        try:
            found = self._redactor.analyze(text, self._lang, context=context,
                                           names=self._names.names, numbers=self._names.numbers)
        except DetectionError:
            self._held_entities = [None] * len(messages)
            return text, None
        self._held_entities = [_clipped(found, start, end) for start, end in spans]
        return text, found

    def _emit(self, message: _Message, entities: list[Entity] | None) -> Segment:
        if len(self._context) == CONTEXT_MESSAGES:
            self._keep_awaited(message)
        self._context.append(message)
        seq, self._seq = self._seq, self._seq + 1
        if entities is None:
            self._open_number.close()
            return _failed_segment(self.session_id, seq, message.speaker)
        # Once a cue has opened a number, every digit of that speaker is masked until the
        # number is whole or the conversation moved on, however many pieces and pauses.
        entities = self._open_number.follow(message.speaker, message.text, entities)
        self._names.remember(message.text, entities)
        text, stored = mask_with_offsets(self._redactor, message.text, entities)
        index = self._redactor.subject_index
        keys = index.segment_tokens(message.text, entities) if index else ()
        return Segment(self.session_id, "chat", seq, message.speaker, text, stored, subject_keys=keys)

    def _keep_awaited(self, message: _Message) -> None:
        """Before the oldest message leaves the context: its cues, and those kept before, that
        the rest of the conversation has not answered yet."""
        rest = "\n".join([m.text for m in list(self._context)[1:]] + [message.text])
        kept = [(words, age + 1) for words, age in self._awaited
                if age + 1 < CONTEXT_MESSAGES and self._redactor.awaited(f"{words}\n{rest}", len(words))]
        leaving = self._context[0].text
        new = self._redactor.awaited(f"{leaving}\n{rest}", len(leaving))
        self._awaited = kept + [(new, 0)] * bool(new)


def _transcript(messages: list[_Message]) -> tuple[str, list[tuple[int, int]]]:
    """"speaker: text" lines, a speaker's consecutive messages on one line; and where each
    message's text lies in it."""
    text, spans = "", []
    for i, message in enumerate(messages):
        if i and messages[i - 1].speaker == message.speaker:
            glued = messages[i - 1].text.endswith("@") or message.text.startswith("@")
            text += "" if glued else " "  # "budi.santoso" + "@gmail.com" is one address
        else:
            text += ("\n" if i else "") + f"{message.speaker}: "
        spans.append((len(text), len(text) + len(message.text)))
        text += message.text
    return text, spans


def _clipped(found: list[Entity], start: int, end: int) -> list[Entity]:
    """The entities overlapping [start, end), clipped to it, with offsets from ``start``."""
    return [
        Entity(e.entity_type, max(e.start, start) - start, min(e.end, end) - start, e.score,
               e.partial or e.start < start or e.end > end)
        for e in found
        if e.start < end and e.end > start
    ]


def _with_open_number(redactor: Redactor, text: str, entities: list[Entity], before: str) -> list[Entity]:
    """``entities`` plus the number ``text`` leaves open, if it may start an identifier: long
    enough, or announced by a cue in it or at the end of the message ``before`` it."""
    run = trailing_run(text)
    if run is None or not uncovered(run, entities):
        return entities
    shift = len(before) + 1
    joined = f"{before}\n{text}"  # the allow-cue may end the message before: "no order saya" / "2405..."
    if redactor.readable_number(joined, run.start + shift, run.end + shift):
        return entities
    if open_fragment(joined, DigitRun(run.start + shift, run.end + shift, run.digits),
                     MIN_OPEN_DIGITS):
        return sorted([*entities, fragment_entity(run)], key=lambda e: e.start)
    return entities


def could_continue(text: str, entities: list[Entity]) -> bool:
    """Could the next message complete something this one ends with?"""
    end = len(text.rstrip())
    if end == 0:
        return False
    reaching_end = [e for e in entities if e.end >= end]
    if reaching_end:  # a name, address or phone number may go on; a valid card number not
        return not all(complete_value(e.entity_type, text[e.start : e.end]) for e in reaching_end)
    if trailing_run(text) is not None:
        return True
    last_token = text[:end].split()[-1].rstrip(".,;:!?")  # a full stop ends a sentence
    return bool(_EMAIL_PIECE & set(last_token))  # "budi.santoso" ... "@gmail.com"


def mask_with_offsets(
    redactor: Redactor, text: str, entities: list[Entity]
) -> tuple[str, tuple[StoredEntity, ...]]:
    """The masked text, and each entity's type and span in that masked text."""
    pieces: list[str] = []
    stored: list[StoredEntity] = []
    cursor = length = 0
    for entity in entities:
        kept = text[cursor : entity.start]
        replacement = redactor.mask_value(entity.entity_type, text[entity.start : entity.end],
                                          entity.partial)
        length += len(kept)
        stored.append(StoredEntity(entity.entity_type, length, length + len(replacement)))
        length += len(replacement)
        pieces += [kept, replacement]
        cursor = entity.end
    pieces.append(text[cursor:])
    return "".join(pieces), tuple(stored)


def _failed_segment(session_id: str, seq: int, speaker: str) -> Segment:
    stored = (StoredEntity(FAIL_CLOSED_ENTITY, 0, len(FAIL_CLOSED_TEXT)),)
    return Segment(session_id, "chat", seq, speaker, FAIL_CLOSED_TEXT, stored, failed=True)
