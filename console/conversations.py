"""Reading the server's stored conversations: the filtered list, one conversation's masked
transcript split into timed words and chips, its recording and a waveform picture.

Only the server's tables are read (plain SQL on the schema of :mod:`redactor.storage`).
Word times: the server stores each call segment's start and end, not each word's, so a
word's time is interpolated from its character offset within its segment. Close enough to
follow a call by ear, and exact at segment boundaries.
"""
from __future__ import annotations

import json
import time
import wave
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import regex as re

from redactor.operators import ENCRYPTED_TOKEN
from redactor.storage import Recording, Segment, StoredEntity

from .db import Database

PAGE_SIZE = 25
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
    def __init__(self, db: Database, data_dir: Path) -> None:
        self.db = db
        self.data_dir = data_dir.resolve()
        self._choices: tuple[float, list[str], list[str]] | None = None

    def page(self, filters: Filters, page: int = 1) -> tuple[list[Summary], bool]:
        """One page of conversations, latest first, and whether another page follows."""
        where, having, params = [], [], []
        if filters.kind:
            where.append("kind = ?")
            params.append(filters.kind)
        for clause, value in (("speaker = ?", filters.speaker),
                              ("entities LIKE ? ESCAPE '\\'", filters.entity and f'%"type": "{_like(filters.entity)}"%'),
                              ("LOWER(text) LIKE ? ESCAPE '\\'", filters.q and f"%{_like(filters.q.lower())}%")):
            if value:
                where.append(f"session_id IN (SELECT session_id FROM segments WHERE {clause})")
                params.append(value)
        if filters.since:
            having.append("MIN(created_at) >= ?")
        if filters.until:
            having.append("MIN(created_at) < ?")
        if filters.failed:
            having.append("SUM(CASE WHEN failed THEN 1 ELSE 0 END) > 0")
        params += [self.db.time(moment) for moment in (filters.since, filters.until) if moment]
        sql = ("SELECT session_id, kind, MIN(created_at), MAX(created_at), COUNT(*),"
               " SUM(CASE WHEN failed THEN 1 ELSE 0 END), MAX(end_s) FROM segments"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " GROUP BY session_id, kind"
               + (" HAVING " + " AND ".join(having) if having else "")
               + f" ORDER BY MAX(created_at) DESC, session_id LIMIT {PAGE_SIZE + 1} OFFSET {(max(page, 1) - 1) * PAGE_SIZE}")
        rows = self.db.rows(sql, params)
        summaries = [Summary(sid, kind, self.db.read_time(first), self.db.read_time(last), int(count),
                             int(failed or 0), duration) for sid, kind, first, last, count, failed, duration in rows[:PAGE_SIZE]]
        self._add_details(summaries)
        return summaries, len(rows) > PAGE_SIZE

    def _add_details(self, summaries: list[Summary]) -> None:
        if not summaries:
            return
        by_key = {(s.session_id, s.kind): s for s in summaries}
        marks = ", ".join("?" for _ in by_key)
        rows = self.db.rows(f"SELECT session_id, kind, speaker, entities FROM segments WHERE session_id IN ({marks})",
                            [sid for sid, _ in by_key])
        for sid, kind, speaker, entities in rows:
            summary = by_key.get((sid, kind))
            if summary is None:
                continue
            if speaker not in summary.speakers:
                summary.speakers.append(speaker)
            for entity in json.loads(entities):
                if entity["type"] not in summary.entity_types:
                    summary.entity_types.append(entity["type"])
        for summary in summaries:
            summary.entity_types.sort()

    def choices(self) -> tuple[list[str], list[str]]:
        """Speakers and entity types seen, for the filters (refreshed once a minute)."""
        if self._choices is None or time.monotonic() - self._choices[0] > 60:
            speakers = sorted(row[0] for row in self.db.rows("SELECT DISTINCT speaker FROM segments"))
            types: set[str] = set()
            for (entities,) in self.db.rows("SELECT entities FROM segments WHERE entities != '[]' ORDER BY id DESC LIMIT 5000"):
                types.update(e["type"] for e in json.loads(entities))
            self._choices = (time.monotonic(), speakers[:200], sorted(types))
        return self._choices[1], self._choices[2]

    def segments(self, session_id: str, kind: str) -> list[Segment]:
        rows = self.db.rows("SELECT seq, speaker, text, entities, start_s, end_s, failed FROM segments"
                            " WHERE session_id = ? AND kind = ? ORDER BY seq", (session_id, kind))
        return [Segment(session_id, kind, seq, speaker, text,  # type: ignore[arg-type]
                        tuple(StoredEntity(e["type"], e["start"], e["end"]) for e in json.loads(entities)),
                        start_s, end_s, bool(failed))
                for seq, speaker, text, entities, start_s, end_s, failed in rows]

    def recording(self, call_id: str) -> Recording | None:
        rows = self.db.rows("SELECT path, sample_rate, channels, duration_s, mode, spans FROM recordings"
                            " WHERE call_id = ? ORDER BY id DESC LIMIT 1", (call_id,))
        if not rows:
            return None
        path, rate, channels, duration, mode, spans = rows[0]
        return Recording(call_id, path, rate, channels, duration, mode,
                         tuple((float(a), float(b)) for a, b in json.loads(spans)))

    def recording_file(self, recording: Recording) -> Path | None:
        """The WAV file, if it exists inside the data directory: a path in the database is
        never trusted to point anywhere else."""
        path = Path(recording.path)
        path = (path if path.is_absolute() else Path.cwd() / path).resolve()
        if not path.is_relative_to(self.data_dir) or path.suffix != ".wav" or not path.is_file():
            return None
        return path


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


def waveform_svg(path: Path, spans: tuple[tuple[float, float], ...], width: int = 1000, height: int = 90) -> str:
    """The recording's peak envelope, masked spans shaded, as a small SVG picture."""
    with wave.open(str(path), "rb") as wav:
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
        f'<rect class="masked" x="{start / duration * width:.1f}" y="0" width="{max((end - start) / duration * width, 1.5):.1f}" height="{height}"><title>masked {start:.2f}-{end:.2f}s</title></rect>'
        for start, end in spans)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none"'
            f' width="{width}" height="{height}" role="img" aria-label="waveform; masked spans shaded">'
            '<style>.wave{fill:#5b6fd6}.masked{fill:#e5484d;fill-opacity:.35}</style>'
            f'<polygon class="wave" points="{top} {bottom}"/>{shades}</svg>')


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
