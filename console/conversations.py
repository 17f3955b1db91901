"""Reading the server's stored conversations: the filtered list, one conversation's masked
transcript split into timed words and chips, its recording and a waveform picture.

Only the server's tables are read (plain SQL on the schema of :mod:`redactor.storage`).
Word times: the server stores each call segment's start and end, not each word's, so a
word's time is interpolated from its character offset within its segment. Close enough to
follow a call by ear, and exact at segment boundaries.

Encryption at rest: with the storage keyring, sealed text and recordings are opened here, in
memory, on read; nothing decrypted is written back (the full-text index skips sealed rows, and
a search then decrypts and scans instead).
"""
from __future__ import annotations

import io
import json
import time
import wave
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import regex as re

from audio.recording import SEALED_SUFFIX, read_wav
from redactor.crypto_at_rest import SEALED_PREFIX, Keyring, StorageKeyError, WrappedKey, is_sealed, open_text
from redactor.operators import ENCRYPTED_TOKEN
from redactor.storage import Recording, Segment, StoredEntity, _row_context

from .db import Database

PAGE_SIZE = 25
_RECHECK_IDS = 1000  # segment ids below the highest summarised one that are looked at again
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Filters:
    kind: str = ""  # "", "chat" or "call"
    since: datetime | None = None
    until: datetime | None = None
    speaker: str = ""
    entity: str = ""
    failed: bool = False
    q: str = ""  # over the masked text

    def as_audit(self) -> dict[str, object]:
        """What was searched, for the audit log: the query is masked text, kept short."""
        return {key: value for key, value in {
            "kind": self.kind, "since": self.since and self.since.isoformat(),
            "until": self.until and self.until.isoformat(), "speaker": self.speaker,
            "entity": self.entity, "failed": self.failed or None, "q": self.q[:100]}.items() if value}


@dataclass
class Summary:
    session_id: str
    kind: str
    first_at: datetime
    last_at: datetime
    segments: int
    failed: int
    duration_s: float | None
    speakers: list[str] = field(default_factory=list)
    entity_types: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Piece:
    """A word of masked text, or a masked span (``entity`` set), with its time on a call."""

    text: str
    entity: str | None = None
    encrypted: bool = False
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class Line:
    segment: Segment
    pieces: tuple[Piece, ...]


class Conversations:
    def __init__(self, db: Database, data_dir: Path, keyring: Keyring | None = None) -> None:
        self.db = db
        self.data_dir = data_dir.resolve()
        self.keyring = keyring
        self._data_keys: dict[str, bytes] = {}
        self._choices: tuple[float, list[str], list[str]] | None = None

    def page(self, filters: Filters, page: int = 1) -> tuple[list[Summary], bool]:
        """One page of conversations, latest first, and whether another page follows."""
        self.refresh()
        where, params = [], []
        for clause, value in (
                ("kind = ?", filters.kind),
                ("speakers LIKE ? ESCAPE '\\'", filters.speaker and f"%|{_like(filters.speaker)}|%"),
                ("entity_types LIKE ? ESCAPE '\\'", filters.entity and f"%|{_like(filters.entity)}|%"),
                ("first_at >= ?", filters.since and self.db.time(filters.since)),
                ("first_at < ?", filters.until and self.db.time(filters.until)),
                *self._search(filters.q)):
            if value:
                where.append(clause)
                params.append(value)
        if filters.failed:
            where.append("failed > 0")
        rows = self.db.rows(
            "SELECT session_id, kind, first_at, last_at, segments, failed, duration_s, speakers, entity_types"
            " FROM console_conversations" + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY last_at DESC, session_id LIMIT {PAGE_SIZE + 1} OFFSET {(max(page, 1) - 1) * PAGE_SIZE}",
            params)
        summaries = [Summary(sid, kind, self.db.read_time(first), self.db.read_time(last), int(count), int(failed),
                             duration, _unpack(speakers), _unpack(types))
                     for sid, kind, first, last, count, failed, duration, speakers, types in rows[:PAGE_SIZE]]
        return summaries, len(rows) > PAGE_SIZE

    def _search(self, q: str) -> list[tuple[str, str]]:
        """The filter for a search over the masked text: on SQLite its full-text index
        (words, the last one a prefix: "blok" finds "blokir"), else a substring match."""
        if not q.strip():
            return []
        if self.keyring is not None:  # sealed text is not indexed: decrypt and scan
            found = json.dumps(self._sessions_saying(q))
            if self.db.postgres:
                return [("session_id IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))", found)]
            return [("session_id IN (SELECT value FROM json_each(?))", found)]
        if not self.db.postgres and any(c.isalnum() for c in q):
            phrase = '"' + q.replace('"', '""') + '"*'
            return [("session_id IN (SELECT session_id FROM console_text WHERE console_text MATCH ?)", phrase)]
        operator = "ILIKE" if self.db.postgres else "LIKE"  # SQLite's LIKE ignores ASCII case
        return [(f"session_id IN (SELECT session_id FROM segments WHERE text {operator} ? ESCAPE '\\')",
                 f"%{_like(q)}%")]

    def _sessions_saying(self, q: str) -> list[str]:
        """Conversations whose (decrypted) text holds ``q``, ignoring case. A full scan: AES-GCM
        opens a segment in microseconds, so a million segments take seconds."""
        wanted, found = q.casefold(), set()
        for session_id, kind, seq, text in self.db.rows("SELECT session_id, kind, seq, text FROM segments"):
            if session_id not in found:
                segment = Segment(session_id, kind, seq, "", text, ())
                try:
                    if wanted in self._opened(segment).text.casefold():
                        found.add(session_id)
                except StorageKeyError:
                    continue  # a conversation under a key not configured here is not searched
        return sorted(found)

    def refresh(self) -> int:
        """Bring ``console_conversations`` up to date with ``segments``; returns how many
        conversations were re-summarised.

        Segments only ever get added, with increasing ids. Ids at or below the highest one
        summarised are looked at again within a window (a concurrent writer's row may commit
        after a higher id did), and a conversation is re-summarised, from all its segments,
        whenever its highest segment id differs from the one summarised."""
        changed = self._changed()
        if changed:  # the write lock only when there is something to write
            with self.db.transaction():
                changed = self._changed()
                for start in range(0, len(changed), 500):
                    self._summarise(changed[start:start + 500])
                if not self.db.postgres:
                    self._index_text()
        return len(changed)

    def _index_text(self) -> None:
        """Add new segments to the full-text index (rowid = segment id), re-checking the
        same window of recent ids as the summary."""
        top = int(self.db.rows("SELECT MAX(rowid) FROM console_text")[0][0] or 0)
        self.db.run("INSERT INTO console_text (rowid, text, session_id, kind)"
                    " SELECT id, text, session_id, kind FROM segments WHERE id > ? AND text NOT LIKE ?"
                    " AND id NOT IN (SELECT rowid FROM console_text WHERE rowid > ?)",
                    (max(top - _RECHECK_IDS, 0), f"{SEALED_PREFIX}%", max(top - _RECHECK_IDS, 0)))

    def _changed(self) -> list[tuple[str, str]]:
        seen = int(self.db.rows("SELECT MAX(max_id) FROM console_conversations")[0][0] or 0)
        return self.db.rows(
            "SELECT s.session_id, s.kind FROM (SELECT session_id, kind, MAX(id) AS top FROM segments"
            " WHERE id > ? GROUP BY session_id, kind) s LEFT JOIN console_conversations c"
            " ON c.session_id = s.session_id AND c.kind = s.kind WHERE c.max_id IS NULL OR c.max_id <> s.top",
            (max(seen - _RECHECK_IDS, 0),))

    def _summarise(self, conversations: list[tuple[str, str]]) -> None:
        marks = ", ".join("?" for _ in conversations)
        wanted = set(conversations)
        totals: dict[tuple[str, str], dict] = {}
        for sid, kind, seg_id, speaker, entities, failed, end_s, created in self.db.rows(
                "SELECT session_id, kind, id, speaker, entities, failed, end_s, created_at FROM segments"
                f" WHERE session_id IN ({marks})", [sid for sid, _ in conversations]):
            if (sid, kind) not in wanted:
                continue
            row = totals.setdefault((sid, kind), {"first": created, "last": created, "count": 0, "failed": 0,
                                                  "duration": None, "speakers": [], "types": set(), "max_id": 0})
            row["first"], row["last"] = min(row["first"], created), max(row["last"], created)
            row["count"] += 1
            row["failed"] += bool(failed)
            if end_s is not None:
                row["duration"] = max(row["duration"] or 0.0, end_s)
            if speaker not in row["speakers"]:
                row["speakers"].append(speaker)
            if entities != "[]":
                row["types"].update(e["type"] for e in json.loads(entities))
            row["max_id"] = max(row["max_id"], int(seg_id))
        for (sid, kind), row in totals.items():
            self.db.run("DELETE FROM console_conversations WHERE session_id = ? AND kind = ?", (sid, kind))
            self.db.run("INSERT INTO console_conversations (session_id, kind, first_at, last_at, segments, failed,"
                        " duration_s, speakers, entity_types, max_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (sid, kind, row["first"], row["last"], row["count"], row["failed"], row["duration"],
                         _pack(row["speakers"]), _pack(sorted(row["types"])), row["max_id"]))

    def choices(self) -> tuple[list[str], list[str]]:
        """Speakers and entity types seen, for the filters (refreshed once a minute)."""
        if self._choices is None or time.monotonic() - self._choices[0] > 60:
            speakers: set[str] = set()
            types: set[str] = set()
            for packed_speakers, packed_types in self.db.rows(
                    "SELECT speakers, entity_types FROM console_conversations ORDER BY last_at DESC LIMIT 20000"):
                speakers.update(_unpack(packed_speakers))
                types.update(_unpack(packed_types))
            self._choices = (time.monotonic(), sorted(speakers)[:200], sorted(types))
        return self._choices[1], self._choices[2]

    def segments(self, session_id: str, kind: str) -> list[Segment]:
        rows = self.db.rows("SELECT seq, speaker, text, entities, start_s, end_s, failed FROM segments"
                            " WHERE session_id = ? AND kind = ? ORDER BY seq", (session_id, kind))
        return [self._opened(Segment(session_id, kind, seq, speaker, text,  # type: ignore[arg-type]
                        tuple(StoredEntity(e["type"], e["start"], e["end"]) for e in json.loads(entities)),
                        start_s, end_s, bool(failed)))
                for seq, speaker, text, entities, start_s, end_s, failed in rows]

    def _opened(self, segment: Segment) -> Segment:
        """The segment with its text decrypted, if it was sealed (StorageKeyError if it cannot be)."""
        if not is_sealed(segment.text):
            return segment
        return replace(segment, text=open_text(self.data_key(segment.session_id), segment.text,
                                               _row_context(segment)))

    def data_key(self, session_id: str) -> bytes:
        """A conversation's data key, unwrapped by the storage keyring."""
        if self.keyring is None:
            raise StorageKeyError("this conversation is encrypted at rest: start the console with the storage "
                                  "key ($REDACTOR_STORAGE_KEY or --storage-key-file)")
        if session_id not in self._data_keys:
            rows = self.db.rows("SELECT key_id, wrapped FROM data_keys WHERE session_id = ?", (session_id,))
            if not rows:
                raise StorageKeyError("this conversation's data key is gone (erased): it cannot be read")
            if len(self._data_keys) >= 4096:
                self._data_keys.pop(next(iter(self._data_keys)))
            self._data_keys[session_id] = self.keyring.unwrap(WrappedKey(*rows[0]), session_id)
        return self._data_keys[session_id]

    def recording(self, call_id: str) -> Recording | None:
        rows = self.db.rows("SELECT path, sample_rate, channels, duration_s, mode, spans FROM recordings"
                            " WHERE call_id = ? ORDER BY id DESC LIMIT 1", (call_id,))
        if not rows:
            return None
        path, rate, channels, duration, mode, spans = rows[0]
        return Recording(call_id, path, rate, channels, duration, mode,
                         tuple((float(a), float(b)) for a, b in json.loads(spans)))

    def recording_file(self, recording: Recording) -> Path | None:
        """The WAV file (or sealed ``.wav.enc``), if it exists inside the data directory: a path
        in the database is never trusted to point anywhere else."""
        path = Path(recording.path)
        path = (path if path.is_absolute() else Path.cwd() / path).resolve()
        if (not path.is_relative_to(self.data_dir) or not path.name.endswith((".wav", ".wav" + SEALED_SUFFIX))
                or not path.is_file()):
            return None
        return path

    def recording_wav(self, recording: Recording, path: Path) -> bytes:
        """The recording's WAV bytes, decrypted in memory when it is sealed."""
        sealed = path.name.endswith(SEALED_SUFFIX)
        return read_wav(path, self.data_key(recording.call_id) if sealed else None, recording.call_id)


def lines(segments: list[Segment]) -> list[Line]:
    return [Line(segment, tuple(pieces(segment))) for segment in segments]


def pieces(segment: Segment) -> list[Piece]:
    """Words and chips in order; on a call, each with a time interpolated in its segment."""
    text = segment.text
    spans: list[tuple[int, int, str | None]] = []
    position = 0
    for entity in sorted(segment.entities, key=lambda e: e.start):
        if entity.start < position:
            continue  # overlapping entities: the first one shown covers it
        spans += [(m.start() + position, m.end() + position, None) for m in _WORD.finditer(text[position:entity.start])]
        spans.append((entity.start, entity.end, entity.type))
        position = entity.end
    spans += [(m.start() + position, m.end() + position, None) for m in _WORD.finditer(text[position:])]
    timed = segment.start_s is not None and segment.end_s is not None and len(text) > 0
    result = []
    for start, end, entity in spans:
        chunk = text[start:end]
        encrypted = bool(ENCRYPTED_TOKEN.fullmatch(chunk))
        if entity is None and encrypted:  # a token the entity list missed: still a chip
            entity = ENCRYPTED_TOKEN.fullmatch(chunk).group(1)
        times = {}
        if timed:
            length = segment.end_s - segment.start_s
            times = {"start_s": round(segment.start_s + length * start / len(text), 3),
                     "end_s": round(segment.start_s + length * end / len(text), 3)}
        result.append(Piece(chunk, entity, encrypted, **times))
    return result


def waveform_svg(wav_bytes: bytes, spans: tuple[tuple[float, float], ...], width: int = 1000, height: int = 90) -> str:
    """The recording's peak envelope, masked spans shaded, as a small SVG picture."""
    with wave.open(io.BytesIO(wav_bytes), "rb") as wav:
        channels, rate, frames = wav.getnchannels(), wav.getframerate(), wav.getnframes()
        samples = np.frombuffer(wav.readframes(frames), dtype="<i2")
    if channels > 1:
        samples = np.abs(samples.reshape(-1, channels).astype(np.int32)).max(axis=1)
    duration = max(len(samples) / rate, 1e-6)
    columns = np.array_split(np.abs(samples.astype(np.int32)), width) if len(samples) else []
    peaks = [float(column.max()) / 32768 if len(column) else 0.0 for column in columns] or [0.0]
    middle = height / 2
    top = " ".join(f"{x},{middle - max(p, 0.01) * middle:.1f}" for x, p in enumerate(peaks))
    bottom = " ".join(f"{x},{middle + max(p, 0.01) * middle:.1f}" for x, p in reversed(list(enumerate(peaks))))
    shades = "".join(
        f'<rect fill="#e5484d" fill-opacity="0.35" x="{start / duration * width:.1f}" y="0" width="{max((end - start) / duration * width, 1.5):.1f}" height="{height}"><title>masked {start:.2f}-{end:.2f}s</title></rect>'
        for start, end in spans)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none"'
            f' width="{width}" height="{height}" role="img" aria-label="waveform; masked spans shaded">'
            f'<polygon fill="#5b6fd6" points="{top} {bottom}"/>{shades}</svg>')


def _pack(values: list[str]) -> str:
    """``|a|b|``: a filter for one value is ``LIKE '%|a|%'``."""
    return "|" + "|".join(value.replace("|", "/") for value in values) + "|"


def _unpack(packed: str) -> list[str]:
    return [value for value in packed.split("|") if value]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
