"""FreeSWITCH ``mod_audio_fork`` and jambonz ``listen``, as a pure parser.

Both open a websocket, send one JSON text frame of metadata, then binary frames of 16-bit
little-endian PCM (L16) at the configured rate, one channel (``mono``: the caller; ``mixed``:
both parties in one) or two (``stereo``: caller left, callee right).

* ``uuid_audio_fork <uuid> start wss://host/fork?token=KEY <mono|mixed|stereo> <8k|16k>
  '<metadata JSON>'``: the metadata is whatever the dial plan writes; we read ``call_id``,
  ``sample_rate``, ``mix_type`` (or ``channels``) and ``language`` from it. Without metadata
  the first frame is audio, and the same keys are read from the URL's query.
* jambonz ``listen``: the first frame holds the call's attributes (``callSid``, ``from``,
  ``to``, ...) with ``sampleRate`` and ``mixType``, and the verb's ``metadata``. With
  ``passDtmf`` it later sends ``{"event": "dtmf", "dtmf": "5", "duration": ...}``.

Only ``call_id``, rate, channels and language are kept: phone numbers in the metadata are
read past and never stored.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from redactor.errors import ProtocolError
from redactor.protocol import json_object

SAMPLE_RATES = (8000, 16000)
MIX_TYPES = {"mono": ("customer",), "mixed": ("unknown",), "stereo": ("customer", "agent")}  # role labels
DTMF_DIGITS = frozenset("0123456789*#ABCD")
MAX_METADATA_BYTES = 64 * 1024


@dataclass(frozen=True)
class ForkStart:
    call_id: str | None  # None: the server names the call
    sample_rate: int
    speakers: tuple[str, ...]
    language: str = "auto"

    @property
    def channels(self) -> int:
        return len(self.speakers)


@dataclass(frozen=True)
class ForkDtmf:
    digit: str = field(repr=False)  # never stored, logged or forwarded


def parse_metadata(frame: str, query: Mapping[str, str] | None = None) -> ForkStart:
    """The first text frame; a key missing there is looked for in the URL's ``query``."""
    if len(frame.encode()) > MAX_METADATA_BYTES:
        raise ProtocolError("frame_too_large", "metadata over 64 KiB")
    obj = json_object(frame, "metadata")
    nested = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return _start({**dict(query or {}), **obj, **nested})


def start_from_query(query: Mapping[str, str]) -> ForkStart:
    """No metadata frame (the first frame was audio): everything from the URL."""
    return _start(dict(query))


def parse_text(frame: str) -> ForkDtmf | None:
    """A text frame after the metadata: jambonz's dtmf, or ``None`` for events we ignore."""
    obj = json_object(frame, "text frames")
    if obj.get("event") != "dtmf" and obj.get("type") != "dtmf":
        return None
    digit = obj.get("dtmf", obj.get("digit"))
    if not isinstance(digit, str) or digit not in DTMF_DIGITS:
        raise ProtocolError("invalid_field", "dtmf must be one keypad key")
    return ForkDtmf(digit)


def _start(obj: dict[str, Any]) -> ForkStart:
    rate = _sample_rate(_first(obj, "sample_rate", "sampleRate", "rate", default=8000))
    mix = _first(obj, "mix_type", "mixType", default=None)
    channels = _first(obj, "channels", default=None)
    if mix is not None:
        if mix not in MIX_TYPES:
            raise ProtocolError("invalid_field", f"mix type must be one of {sorted(MIX_TYPES)}")
        speakers = MIX_TYPES[mix]
    elif channels is not None:
        if str(channels) not in ("1", "2"):
            raise ProtocolError("invalid_field", "channels must be 1 or 2")
        speakers = MIX_TYPES["stereo" if str(channels) == "2" else "mono"]
    else:
        speakers = MIX_TYPES["mono"]
    call_id = _first(obj, "call_id", "callSid", "call_sid", "uuid", default=None)
    if call_id is not None and (not isinstance(call_id, str) or not call_id.strip()
                                or len(call_id) > 128 or not call_id.isprintable()):
        raise ProtocolError("invalid_field", "call_id must be printable, at most 128 characters")
    language = str(_first(obj, "language", default="auto")).lower()[:2]
    return ForkStart(call_id, rate, speakers, language if language in ("id", "en") else "auto")


def _sample_rate(value: object) -> int:
    text = str(value).lower().removesuffix("k")
    try:
        rate = int(float(text) * 1000) if str(value).lower().endswith("k") else int(float(text))
    except ValueError:
        raise ProtocolError("invalid_field", "sample rate must be 8000 or 16000 (or 8k, 16k)") from None
    if rate not in SAMPLE_RATES:
        raise ProtocolError("invalid_field", "sample rate must be 8000 or 16000 (or 8k, 16k)")
    return rate


def _first(obj: dict[str, Any], *names: str, default: Any) -> Any:
    for name in names:
        if obj.get(name) not in (None, ""):
            return obj[name]
    return default
