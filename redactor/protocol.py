"""The websocket protocols as pure functions: client frames in, typed values out, and the JSON
the server sends back. No I/O here, so every bad input is tested by feeding frames in.

Three endpoints:

* ``/v1/chat``: ``{"type": "message", "session", "speaker", "text"[, "id"]}`` / ``{"type": "end", "session"}``
* ``/v1/call``: ``{"type": "start", ...}``, binary audio frames, ``{"type": "pause"}`` /
  ``{"type": "resume"}``, ``{"type": "stop"}``
* ``/`` and ``/vosk``: alphacep vosk-server's protocol (``{"config": {...}}``, binary 16-bit
  PCM, ``{"eof" : 1}``), answered with masked text.

Every malformed frame maps to :class:`ProtocolError`, whose ``code`` the client can act on.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import ProtocolError

SPEAKERS = ("customer", "agent")
# A call's channels are named by role, never by person: speakers are stored with every segment
# and repeated in every reply, so free text there would be PII outside the masking.
CALL_SPEAKERS = ("customer", "agent", "supervisor", "bot", "ivr", "unknown")
ENCODINGS = ("pcm_s16le", "mulaw", "alaw")
CALL_SAMPLE_RATES = (8000, 16000)
CALL_LANGUAGES = ("id", "en", "auto")
MAX_ID_LENGTH = 128
MAX_TEXT_LENGTH = 20_000
MAX_AUDIO_FRAME_BYTES = 128 * 1024  # 4 s of 16 kHz 16-bit mono; telephony sends 20-100 ms
VOSK_DEFAULT_SAMPLE_RATE = 8000  # vosk-server's default: Asterisk and FreeSWITCH send no config
# vosk-server takes a WAV's own rate (its test scripts send wf.getframerate()): the rates of WAV,
# MP3 and Opus files. Not any integer: an odd one costs a resampling table per stream.
VOSK_SAMPLE_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)


@dataclass(frozen=True)
class ChatMessage:
    session: str
    speaker: str
    text: str
    id: str | None = None  # the client's message id: a resent message is stored once


@dataclass(frozen=True)
class ChatEnd:
    session: str


@dataclass(frozen=True)
class CallStart:
    call_id: str
    sample_rate: int = 8000
    encoding: str = "pcm_s16le"
    channels: int = 1
    speakers: tuple[str, ...] = ("customer",)
    language: str = "auto"

    @property
    def bytes_per_frame(self) -> int:
        """Bytes of one sample across all channels."""
        return self.channels * (2 if self.encoding == "pcm_s16le" else 1)


@dataclass(frozen=True)
class CallStop:
    pass


@dataclass(frozen=True)
class CallPause:
    pass


@dataclass(frozen=True)
class CallResume:
    pass


@dataclass(frozen=True)
class Audio:
    payload: bytes


@dataclass(frozen=True)
class VoskConfig:
    sample_rate: int | None = None
    words: bool | None = None
    phrase_list: tuple[str, ...] | None = None  # a Vosk grammar
    max_alternatives: int | None = None


@dataclass(frozen=True)
class VoskEof:
    pass


@dataclass(frozen=True)
class VoskReset:
    pass


ChatFrame = ChatMessage | ChatEnd
CallFrame = CallStart | CallStop | CallPause | CallResume | Audio
VoskFrame = VoskConfig | VoskEof | VoskReset | Audio


# --- parsing ---------------------------------------------------------------------------------

def parse_chat(frame: str | bytes) -> ChatFrame:
    obj = _json_object(frame, "chat messages")
    kind = obj.get("type")
    if kind == "message":
        return ChatMessage(
            _identifier(obj, "session"),
            _choice(obj, "speaker", SPEAKERS),
            _text(obj, "text"),
            _identifier(obj, "id") if "id" in obj else None,
        )
    if kind == "end":
        return ChatEnd(_identifier(obj, "session"))
    raise _unknown_type(kind, ("message", "end"))


def parse_call(frame: str | bytes, started: bool) -> CallFrame:
    """``started``: whether a ``start`` was already accepted on this connection."""
    if isinstance(frame, bytes):
        if not started:
            raise ProtocolError("audio_before_start", "send {\"type\": \"start\", ...} before audio")
        return _audio(frame)
    obj = _json_object(frame, "call control messages")
    kind = obj.get("type")
    if kind == "start":
        if started:
            raise ProtocolError("already_started", "this connection already started a call")
        return _call_start(obj)
    if kind in ("stop", "pause", "resume"):
        if not started:
            raise ProtocolError("not_started", f"{kind} before start: no call yet")
        return {"stop": CallStop, "pause": CallPause, "resume": CallResume}[kind]()
    raise _unknown_type(kind, ("start", "stop", "pause", "resume"))


def parse_vosk(frame: str | bytes) -> VoskFrame:
    if isinstance(frame, bytes):
        return _audio(frame)
    obj = _json_object(frame, "vosk-server text frames")
    if "config" in obj:
        return _vosk_config(obj["config"])
    if obj.get("eof") == 1:  # whatever the spacing: we parse, vosk-server compared strings
        return VoskEof()
    if obj.get("reset") == 1:
        return VoskReset()
    raise ProtocolError("unknown_type", "expected {\"config\": {...}}, {\"eof\": 1} or {\"reset\": 1}")


def check_audio(payload: bytes, bytes_per_frame: int) -> None:
    """Audio must hold whole sample frames (all channels; 2 bytes a sample for PCM)."""
    if len(payload) % bytes_per_frame:
        raise ProtocolError(
            "bad_audio_size",
            f"audio frame of {len(payload)} bytes is not a multiple of {bytes_per_frame} "
            "(bytes per sample times channels)",
        )


def _audio(frame: bytes) -> Audio:
    if len(frame) > MAX_AUDIO_FRAME_BYTES:
        raise ProtocolError(
            "frame_too_large",
            f"audio frame of {len(frame)} bytes exceeds {MAX_AUDIO_FRAME_BYTES}; send smaller frames",
        )
    return Audio(frame)


def _call_start(obj: dict[str, Any]) -> CallStart:
    channels = _choice(obj, "channels", (1, 2), default=1)
    speakers = obj.get("speakers", list(SPEAKERS[:channels]))
    if (
        not isinstance(speakers, list)
        or len(speakers) != channels
        or not all(isinstance(s, str) and s in CALL_SPEAKERS for s in speakers)
    ):
        raise ProtocolError(
            "invalid_field",
            f"speakers must be a list of {channels} role(s), one per channel, each one of {list(CALL_SPEAKERS)}",
        )
    return CallStart(
        call_id=_identifier(obj, "call_id"),
        sample_rate=_choice(obj, "sample_rate", CALL_SAMPLE_RATES, default=8000),
        encoding=_choice(obj, "encoding", ENCODINGS, default="pcm_s16le"),
        channels=channels,
        speakers=tuple(speakers),
        language=_choice(obj, "language", CALL_LANGUAGES, default="auto"),
    )


MAX_ALTERNATIVES = 100
MAX_PHRASES = 10_000


def _vosk_config(config: object) -> VoskConfig:
    """vosk-server's config: it reads ``sample_rate`` with ``float()`` and
    ``max_alternatives`` with ``int()``, so numeric strings are taken as it takes them."""
    if not isinstance(config, dict):
        raise ProtocolError("invalid_field", "config must be an object")
    rate = config.get("sample_rate")
    if rate is not None:
        rate = _number(rate, "config.sample_rate")
        if rate not in VOSK_SAMPLE_RATES:
            raise ProtocolError("invalid_field", f"config.sample_rate must be one of {VOSK_SAMPLE_RATES}")
    words = config.get("words")
    if words is not None and not isinstance(words, (bool, int)):
        raise ProtocolError("invalid_field", "config.words must be true or false")
    alternatives = config.get("max_alternatives")
    if alternatives is not None:
        alternatives = _number(alternatives, "config.max_alternatives")
        if not 0 <= alternatives <= MAX_ALTERNATIVES:
            raise ProtocolError("invalid_field", f"config.max_alternatives must be 0 to {MAX_ALTERNATIVES}")
    phrases = config.get("phrase_list")
    if phrases is not None and (
        not isinstance(phrases, list) or len(phrases) > MAX_PHRASES
        or not all(isinstance(p, str) and p.strip() for p in phrases)
    ):
        raise ProtocolError("invalid_field", "config.phrase_list must be a list of phrases")
    return VoskConfig(rate, None if words is None else bool(words),
                      tuple(phrases) if phrases else None, alternatives)


def _number(value: object, field: str) -> int:
    """A whole number, given as a JSON number or a numeric string (``"16000"``, ``"16000.0"``)."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ProtocolError("invalid_field", f"{field} must be a whole number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or (isinstance(value, float) and not value.is_integer()) or abs(value) > 2**31:
        raise ProtocolError("invalid_field", f"{field} must be a whole number")
    return int(value)


def vosk_call_id(request_path: str) -> str | None:
    """The ``?call_id=`` of a vosk-server URL (None when absent), under the same rules as
    ``/v1/call``'s ``call_id``."""
    values = parse_qs(urlsplit(request_path).query, keep_blank_values=True).get("call_id")
    if values is None:
        return None
    if len(values) > 1:
        raise ProtocolError("invalid_field", "call_id must be given once")
    return _identifier({"call_id": values[0]}, "call_id")


def _json_object(frame: str | bytes, what: str) -> dict[str, Any]:
    if isinstance(frame, bytes):
        raise ProtocolError("unexpected_binary", f"{what} are JSON text frames, not binary")
    try:
        obj = json.loads(frame, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise ProtocolError("bad_json", "frame is nested too deeply") from None
    except _NotFinite:
        raise ProtocolError("bad_json", "numbers must be finite (no NaN, Infinity or overflow)") from None
    except ValueError:
        raise ProtocolError("bad_json", "frame is not valid JSON") from None
    if not isinstance(obj, dict):
        raise ProtocolError("bad_json", "frame must be a JSON object")
    return obj


json_object = _json_object  # the same strict parsing for the telephony adapters' frames


class _NotFinite(Exception):
    pass


def _refuse_constant(name: str) -> float:
    raise _NotFinite


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise _NotFinite
    return value


def _identifier(obj: dict[str, Any], field: str) -> str:
    value = obj.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError("missing_field", f"{field} must be a non-empty string")
    if len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise ProtocolError("invalid_field", f"{field} must be printable and at most {MAX_ID_LENGTH} characters")
    return value


def _text(obj: dict[str, Any], field: str) -> str:
    value = obj.get(field)
    if not isinstance(value, str):
        raise ProtocolError("missing_field", f"{field} must be a string")
    if len(value) > MAX_TEXT_LENGTH:
        raise ProtocolError("invalid_field", f"{field} exceeds {MAX_TEXT_LENGTH} characters")
    return normalise_text(value)


# Lone surrogates (JSON allows "\ud800"; no encoder can write them) and control characters
# other than tab and newlines (NUL cannot be stored in PostgreSQL text).
_UNWRITABLE = re.compile(r"[\ud800-\udfff]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """``text`` as storage and every client can take it: a lone surrogate becomes U+FFFD, a
    control character a space (so "4532\x000151" still reads as digits in a row of groups).
    What is left is the client's text, masked like any other."""
    return _UNWRITABLE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else " ", text)


def _choice(obj: dict[str, Any], field: str, allowed: tuple, default: Any = None) -> Any:
    value = obj.get(field, default)
    if value is None:
        raise ProtocolError("missing_field", f"{field} is required, one of {list(allowed)}")
    # Exact types: 8000.0 == 8000 and True == 1 in Python, but they are not what was asked.
    if not any(type(value) is type(option) and value == option for option in allowed):
        raise ProtocolError("invalid_field", f"{field} must be one of {list(allowed)}")
    return value


def _unknown_type(kind: object, expected: tuple[str, ...]) -> ProtocolError:
    # The value is not echoed: whatever a client sends may carry PII.
    what = "missing message type" if kind is None else "unknown message type"
    return ProtocolError("unknown_type", f"{what}; expected one of {list(expected)}")


# --- replies ---------------------------------------------------------------------------------

def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def error_reply(error: ProtocolError) -> str:
    return encode({"type": "error", "code": error.code, "message": error.message})
