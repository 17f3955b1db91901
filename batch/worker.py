"""One unit of work, run on a Ray worker: a chat file (or one shard of it) or one call.

:class:`RedactionWorker` is the callable class of Ray Data's actor pool: each actor loads the
engine (and, on its first call, the Vosk model) once and keeps them for every unit it gets.
A unit is read from its file *by the worker*, and the worker writes the masked JSONL and the
redacted WAV itself: raw text and audio never enter Ray's object store (so never a spill
file), and what goes back to the driver is a summary of counts, names and safe error strings.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from audio.codecs import AudioFormatError
from redactor import Redactor, RedactorConfig
from redactor.chat import DEFAULT_HOLDBACK_S, ChatSession
from redactor.engine import FAIL_CLOSED_ENTITY, FAIL_CLOSED_TEXT
from redactor.errors import RedactorError
from redactor.storage import Segment, StoredEntity

from .chats import ChatColumns, ChatFormatError, Turn, read_chat
from .wav import WavError

CALL_CHUNK_S = 0.1  # audio fed to the pipeline per step, as the live server batches it
SPEAKER_ALIASES = {
    "customer": "customer", "pelanggan": "customer", "user": "customer", "client": "customer",
    "visitor": "customer", "nasabah": "customer", "agent": "agent", "cs": "agent",
    "operator": "agent", "staff": "agent", "bot": "bot", "system": "system",
}


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs, as plain values (they travel to every Ray worker)."""

    out: str
    config: str | None = None  # policy file; None: the defaults
    lang: str = "auto"
    columns: dict[str, str] = field(default_factory=dict)
    date_order: str = "auto"
    speaker_map: dict[str, str] = field(default_factory=dict)  # raw speaker -> role
    call_speakers: tuple[str, ...] = ()  # channel -> speaker; () = the live default
    audio_redaction: str = "silence"
    vosk_model: str | None = None
    holdback_s: float = DEFAULT_HOLDBACK_S


@dataclass(frozen=True)
class Unit:
    """A file, or one shard of a large chat file. ``key`` changes when the file does."""

    key: str
    kind: str  # "chat" or "call"
    fmt: str  # jsonl, csv, whatsapp, wav
    path: str  # absolute
    name: str  # relative to the INPUT it came from (raw: may hold PII; never shown)
    shard: int
    shards: int
    size: int  # bytes of this unit's share of the file (progress)
    path_hash: str  # tells apart outputs of inputs whose masked names are alike


class RedactionWorker:
    """Ray Data callable class: ``{"unit": [json]}`` in, ``{"summary": [json]}`` out."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        _quiet_third_party_loggers()
        self.settings = WorkerSettings(**settings)
        config = RedactorConfig.from_file(self.settings.config) if self.settings.config else None
        self.redactor = Redactor(config)
        self._speech_model = None
        self.loads = {"redactor": 1, "speech_model": 0}

    def __call__(self, batch: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        summaries = [self.process(Unit(**json.loads(unit))) for unit in batch["unit"]]
        return {"summary": [json.dumps(summary) for summary in summaries]}

    def process(self, unit: Unit) -> dict[str, Any]:
        started, cpu_started = time.perf_counter(), time.process_time()
        stem = masked_stem(self.redactor, unit.name, unit.path_hash)
        name = stem if unit.shards == 1 else f"{stem} (shard {unit.shard + 1}/{unit.shards})"
        summary: dict[str, Any] = {"key": unit.key, "kind": unit.kind, "name": name,
                                   "bytes": unit.size, "worker": os.getpid(), "error": None}
        try:
            redact = self._redact_call if unit.kind == "call" else self._redact_chat
            summary.update(redact(unit, stem))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            summary["error"] = safe_error(exc)
        summary["seconds"] = time.perf_counter() - started
        summary["cpu_s"] = time.process_time() - cpu_started  # this worker's, all its threads
        summary["loads"] = dict(self.loads)
        return summary

    # --- chats --------------------------------------------------------------------------------

    def _redact_chat(self, unit: Unit, stem: str) -> dict[str, Any]:
        shard = read_chat(
            Path(unit.path), unit.fmt, columns=ChatColumns(**self.settings.columns),  # type: ignore[arg-type]
            default_conversation=stem, shard=unit.shard, shards=unit.shards,
            date_order=self.settings.date_order,  # type: ignore[arg-type]
        )
        suffix = "" if unit.shards == 1 else f".{unit.shard + 1}of{unit.shards}"
        output = f"chats/{stem}{suffix}.jsonl"
        counts = SegmentCounts()
        with atomic_jsonl(Path(self.settings.out) / output) as sink:
            for conversation, turns in shard.conversations.items():
                for segment in self.redact_conversation(conversation, turns):
                    write_segment(sink, segment)
                    counts.add(segment)
        return {**counts.as_json(), "conversations": len(shard.conversations),
                "messages": counts.segments, "outputs": [output],
                "row_errors": [str(e) for e in shard.errors], "row_error_count": shard.error_count}

    def redact_conversation(self, conversation: str, turns: Sequence[Turn]) -> Iterator[Segment]:
        """As the live chat path: messages in order, each with its earlier turns as context,
        split numbers joined across bursts. The export's times replay the hold-back delay."""
        roles = SpeakerRoles(self.settings.speaker_map)
        first_seq, now = 0, 0.0
        session = self._chat_session(conversation, first_seq)
        for turn in turns:
            now = turn.time if turn.time is not None else now
            if session.deadline is not None and now >= session.deadline:
                yield from session.flush()
            speaker = roles.role(turn.speaker)
            if turn.readable:
                yield from session.accept(speaker, turn.text, now)
                continue
            yield from session.flush()  # a message with bytes that are not text: masked whole
            seq = first_seq + session.emitted
            yield failed_chat_segment(conversation, seq, speaker)
            first_seq = seq + 1
            session = self._chat_session(conversation, first_seq)
        yield from session.flush()

    def _chat_session(self, conversation: str, first_seq: int) -> ChatSession:
        return ChatSession(conversation, self.redactor, holdback_s=self.settings.holdback_s,
                           lang=self.settings.lang, first_seq=first_seq)  # type: ignore[arg-type]

    # --- calls --------------------------------------------------------------------------------

    def _redact_call(self, unit: Unit, stem: str) -> dict[str, Any]:
        from .calls import redact_call  # Vosk is loaded only by workers that get a call

        output, wav = f"calls/{stem}.jsonl", f"calls/{stem}.wav"
        counts = SegmentCounts()
        out = Path(self.settings.out)
        with atomic_jsonl(out / output) as sink:
            def store(segment: Segment) -> None:
                write_segment(sink, segment)
                counts.add(segment)

            result = redact_call(Path(unit.path), stem, self.redactor, self.speech_model(),
                                 out / wav, store, self.settings)
        return {**counts.as_json(), **result, "outputs": [output, wav]}

    def speech_model(self):
        if self._speech_model is None:
            from audio.transcriber import ModelUnavailableError, SpeechModel, find_model_path

            path = find_model_path(self.settings.vosk_model)
            if path is None:
                raise ModelUnavailableError("no Vosk model: pass --vosk-model")
            self._speech_model = SpeechModel.load(path)
            self.loads["speech_model"] += 1
        return self._speech_model


class SpeakerRoles:
    """Speakers as stored: the map's role, a known role name, else ``speaker-N`` in order of
    appearance (WhatsApp senders are people's names: never stored as such)."""

    def __init__(self, speaker_map: Mapping[str, str]) -> None:
        self._map = {name.casefold(): role for name, role in speaker_map.items()}
        self._numbered: dict[str, str] = {}

    def role(self, speaker: str) -> str:
        key = speaker.strip().casefold()
        if key in self._map:
            return self._map[key]
        if key in SPEAKER_ALIASES:
            return SPEAKER_ALIASES[key]
        return self._numbered.setdefault(key, f"speaker-{len(self._numbered) + 1}")


@dataclass
class SegmentCounts:
    segments: int = 0
    failed: int = 0
    entities: Counter = field(default_factory=Counter)

    def add(self, segment: Segment) -> None:
        self.segments += 1
        self.failed += segment.failed
        self.entities.update(entity.type for entity in segment.entities)

    def as_json(self) -> dict[str, Any]:
        return {"segments": self.segments, "failed_segments": self.failed,
                "entities": dict(self.entities)}


def failed_chat_segment(conversation: str, seq: int, speaker: str) -> Segment:
    entity = StoredEntity(FAIL_CLOSED_ENTITY, 0, len(FAIL_CLOSED_TEXT))
    return Segment(conversation, "chat", seq, speaker, FAIL_CLOSED_TEXT, (entity,), failed=True)


def segment_json(segment: Segment) -> dict[str, Any]:
    """The live server's stored segment, as one JSON object."""
    fields = asdict(segment)
    fields["entities"] = [entity.as_json() for entity in segment.entities]
    if not fields["subject_keys"]:  # kept (keyed hashes only) for `--db`: erasure finds them
        del fields["subject_keys"]
    return fields


def segment_from_json(fields: Mapping[str, Any]) -> Segment:
    entities = tuple(StoredEntity(e["type"], e["start"], e["end"]) for e in fields["entities"])
    return Segment(**{**fields, "entities": entities,
                      "subject_keys": tuple(fields.get("subject_keys", ()))})


def write_segment(sink: TextIO, segment: Segment) -> None:
    sink.write(json.dumps(segment_json(segment), ensure_ascii=False) + "\n")


@contextmanager
def atomic_jsonl(path: Path) -> Iterator[TextIO]:
    """A file that appears under its name only once complete (a crash leaves ``.part``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "w", encoding="utf-8") as sink:
            yield sink
            sink.flush()
            os.fsync(sink.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


_SAFE_ERRORS = (RedactorError, AudioFormatError, WavError, ChatFormatError)


def safe_error(exc: BaseException) -> str:
    """What went wrong, without anything read from the file: our own errors are written to be
    safe; others (whose messages may quote a path or a value) give their kind only."""
    if isinstance(exc, _SAFE_ERRORS):
        return f"{type(exc).__name__}: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"  # never exc.filename
    if isinstance(exc, UnicodeError):
        return f"{type(exc).__name__}: text is not valid UTF-8"
    return type(exc).__name__


def masked_stem(redactor: Redactor, name: str, path_hash: str) -> str:
    """An output file stem from an input's relative name, with PII in it masked: archive
    names often carry the caller's number ("+6281234567890_2021-03-04.wav") or the contact's
    name ("WhatsApp Chat with Budi Santoso.txt")."""
    stem = name.rsplit(".", 1)[0] if "." in Path(name).name else name
    words = re.sub(r"[_/\\]+", " ", stem)
    masked = redactor.redact(words).text.replace("<", "").replace(">", "")
    masked = re.sub(r"\d{5,}", "N", masked)  # err toward masking: no long digit runs in names
    safe = re.sub(r"[^\w.-]+", "_", masked).strip("._")[:80]
    return f"{safe or 'file'}-{path_hash}"


def _quiet_third_party_loggers() -> None:
    # Presidio logs analysed text at DEBUG (decision process); nothing below WARNING is kept,
    # and our own warnings never carry text.
    for name in ("presidio-analyzer", "presidio-anonymizer", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)
