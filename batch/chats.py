"""Chat archives in: JSONL and CSV exports (configurable columns) and WhatsApp ``.txt`` exports.

Readers yield :class:`Turn` values grouped into conversations, each in file order. A row that
cannot be used (not JSON, no text) becomes a :class:`RowError` naming its line and what was
wrong, never what it held. Bytes that are not UTF-8 are kept as lone surrogates
(``surrogateescape``): the turn still counts, and is masked whole (see :attr:`Turn.readable`).

Large CSV/JSONL files are split into shards by conversation (a stable hash of its id), so
that several workers share one file while every conversation stays whole, in order, in one
shard. Each shard's reader streams the file and keeps only its own conversations.
"""
from __future__ import annotations

import calendar
import csv
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

CHAT_FORMATS = ("jsonl", "csv", "whatsapp")
ChatFormat = Literal["jsonl", "csv", "whatsapp"]
DateOrder = Literal["auto", "dmy", "mdy"]
COLUMN_FIELDS = ("conversation", "speaker", "time", "text")
DEFAULT_COLUMNS = {"conversation": "conversation_id", "speaker": "speaker", "time": "time",
                   "text": "text"}
SYSTEM_SPEAKER = "system"  # WhatsApp lines without a sender ("X added Y", encryption notice)
UNKNOWN_SPEAKER = "unknown"
MAX_ROW_ERRORS_KEPT = 20


class ChatFormatError(ValueError):
    """A file that is not a chat export of the format its name says (no text column, no
    WhatsApp header, broken CSV quoting). Messages name lines and columns, never content."""


@dataclass(frozen=True)
class ChatColumns:
    """Which field of a row holds what. Rows without a conversation id belong to one
    conversation named after the file."""

    conversation: str = DEFAULT_COLUMNS["conversation"]
    speaker: str = DEFAULT_COLUMNS["speaker"]
    time: str = DEFAULT_COLUMNS["time"]
    text: str = DEFAULT_COLUMNS["text"]

    @classmethod
    def parse(cls, spec: str) -> ChatColumns:
        """``"conversation=chat_id,text=body"``: the fields named are renamed, others keep
        their default. Raises ValueError on an unknown field."""
        renamed: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, sep, column = item.partition("=")
            if not sep or name.strip() not in COLUMN_FIELDS or not column.strip():
                raise ValueError(
                    f"bad column mapping {item.split('=')[0]!r}: use FIELD=COLUMN with FIELD one "
                    f"of {', '.join(COLUMN_FIELDS)}")
            renamed[name.strip()] = column.strip()
        return cls(**renamed)


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str
    time: float | None = None  # seconds since the epoch, when the export says

    @property
    def readable(self) -> bool:
        """False when the text held bytes that are not UTF-8: it is then masked whole."""
        return not _SURROGATES.search(self.text)


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str  # what was wrong, never what the row held

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ChatShard:
    """The conversations of one shard of a file, each in file order, and the rows skipped."""

    conversations: dict[str, list[Turn]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def add(self, conversation: str, turn: Turn) -> None:
        self.conversations.setdefault(conversation, []).append(turn)

    def skip(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ROW_ERRORS_KEPT:
            self.errors.append(error)


_SURROGATES = re.compile("[\udc80-\udcff]")


def chat_format(path: Path) -> ChatFormat | None:
    suffix = path.suffix.lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".txt": "whatsapp"}.get(suffix)


def shard_of(conversation: str, shards: int) -> int:
    return zlib.crc32(conversation.encode("utf-8", "surrogateescape")) % shards


def read_chat(
    path: Path, fmt: ChatFormat, *, columns: ChatColumns = ChatColumns(), default_conversation: str,
    shard: int = 0, shards: int = 1, date_order: DateOrder = "auto",
) -> ChatShard:
    """The conversations of ``path`` that fall in ``shard``. Raises OSError when the file
    cannot be read at all, ChatFormatError when it is not a chat export of this format."""
    result = ChatShard()
    if fmt == "whatsapp":
        for item in read_whatsapp(path, date_order):
            if isinstance(item, Turn):
                result.add(default_conversation, item)
            else:
                result.skip(item)
        return result
    rows = _jsonl_rows(path) if fmt == "jsonl" else _csv_rows(path, columns)
    for line, row in rows:
        if isinstance(row, RowError):
            result.skip(row)
            continue
        parsed = _turn(line, row, columns, default_conversation)
        if isinstance(parsed, RowError):
            result.skip(parsed)
        elif shard_of(parsed[0], shards) == shard:
            result.add(*parsed)
    return result


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Mapping | RowError]]:
    with open(path, "rb") as source:
        for number, raw in enumerate(source, start=1):
            line = raw.decode("utf-8", "surrogateescape").strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except ValueError:
                yield number, RowError(number, "not valid JSON")
                continue
            yield number, row if isinstance(row, dict) else RowError(number, "not a JSON object")


def _csv_rows(path: Path, columns: ChatColumns) -> Iterator[tuple[int, Mapping | RowError]]:
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as source:
        reader = csv.DictReader(source)
        if reader.fieldnames is None:
            return
        if columns.text not in reader.fieldnames:
            # Column names are the export's own header, not message content.
            raise ChatFormatError(f"CSV header has no text column {columns.text!r}")
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error:
            raise ChatFormatError(f"CSV is malformed at line {reader.line_num}") from None


def _turn(
    line: int, row: Mapping, columns: ChatColumns, default_conversation: str
) -> tuple[str, Turn] | RowError:
    text = row.get(columns.text)
    if not isinstance(text, str):
        return RowError(line, f"no text in field {columns.text!r}")
    conversation = row.get(columns.conversation)
    conversation = default_conversation if conversation in (None, "") else str(conversation)
    speaker = row.get(columns.speaker)
    speaker = UNKNOWN_SPEAKER if speaker in (None, "") else str(speaker)
    return conversation, Turn(speaker, text, parse_time(row.get(columns.time)))


def parse_time(value: object) -> float | None:
    """Epoch seconds (or milliseconds) or an ISO 8601 time (UTC unless it says); else None."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return float(value) / (1000 if value > 1e11 else 1)
    text = str(value).strip()
    try:
        return parse_time(float(text))
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


# --- WhatsApp ---------------------------------------------------------------------------------
# One header per message, then "Sender: text" (or a system notice); following lines without a
# header continue the message. Seen in exports:
#   [31/12/20 21.41.05] Budi: ...       iOS, Indonesian        12/31/20, 9:41 PM - Budi: ...   Android, US
#   31/12/20 21.41 - Budi: ...          Android, Indonesian    [12/31/20, 9:41:05 PM] Budi: ...  iOS, US
#   31/12/2020, 21:41 - Budi: ...       Android, UK/SG
_WHATSAPP_HEADER = re.compile(
    r"^\[?(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{2}|\d{4}),?\s+"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
    r"(?:[\s\u202f]*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?:\]\s*|\s+-\s+)(?P<rest>.*)$"
)
# Left-to-right marks and other invisible format characters that iOS puts before headers.
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def read_whatsapp(path: Path, date_order: DateOrder = "auto") -> Iterator[Turn | RowError]:
    """Messages of a WhatsApp chat export, in order. Two passes: the first decides whether
    dates are day-first (Indonesian, most of the world) or month-first (US)."""
    order = _date_order(path) if date_order == "auto" else date_order
    current: list = []  # [speaker, lines, time] of the message being read
    found_header = False
    for number, line in _text_lines(path):
        header = _WHATSAPP_HEADER.match(line)
        if header is None:
            if current:
                current[1].append(line)
            elif line.strip():
                current = [SYSTEM_SPEAKER, [line], None]  # text before the first header
            continue
        found_header = True
        if current:
            yield Turn(current[0], "\n".join(current[1]), current[2])
        moment = _whatsapp_time(header, order)
        if moment is None:
            yield RowError(number, "message header has an impossible date or time")
        sender, sep, text = header["rest"].partition(": ")
        current = [sender.strip(), [text], moment] if sep else [SYSTEM_SPEAKER, [header["rest"]], moment]
    if current:
        yield Turn(current[0], "\n".join(current[1]), current[2])
    if not found_header:
        raise ChatFormatError("no WhatsApp message header found (is this a WhatsApp chat export?)")


def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, "rb") as source:
        for number, raw in enumerate(source, start=1):
            text = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
            yield number, _INVISIBLE.sub("", text).lstrip("\ufeff")


def _date_order(path: Path) -> Literal["dmy", "mdy"]:
    saw_ampm = False
    for _, line in _text_lines(path):
        header = _WHATSAPP_HEADER.match(line)
        if header is None:
            continue
        if int(header["a"]) > 12:
            return "dmy"
        if int(header["b"]) > 12:
            return "mdy"
        saw_ampm = saw_ampm or header["ampm"] is not None
    return "mdy" if saw_ampm else "dmy"  # a 12-hour clock with ambiguous dates: US settings


def _whatsapp_time(header: re.Match, order: str) -> float | None:
    day, month = (int(header["a"]), int(header["b"]))
    if order == "mdy":
        day, month = month, day
    year = int(header["year"])
    year += 2000 if year < 100 else 0
    hour, minute, second = int(header["hour"]), int(header["minute"]), int(header["second"] or 0)
    if header["ampm"]:
        pm = header["ampm"].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    try:  # local time of the phone; its zone is not in the export (only order matters here)
        return float(calendar.timegm(datetime(year, month, day, hour, minute, second).timetuple()))
    except ValueError:
        return None
