"""Twilio Media Streams, as a pure parser (also SignalWire, Telnyx and Fonoster, which speak
the same protocol).

The platform connects to us and sends JSON text frames, one ``event`` each:

* ``connected`` (``protocol``, ``version``), then ``start``: ``streamSid``, ``callSid``,
  ``tracks`` (``inbound``, ``outbound`` or both), ``mediaFormat`` (``audio/x-mulaw``,
  8000 Hz, mono) and the ``customParameters`` of the TwiML ``<Stream>`` (``<Parameter>``);
* ``media``: ``track``, ``chunk`` (1, 2, ...), ``timestamp`` (ms since the stream began) and
  a base64 ``payload`` of 20 ms of μ-law;
* ``dtmf`` (``track``, ``digit``), ``mark`` (``name``), and ``stop``.

It reads nothing we send. ``inbound`` is the caller (the customer), ``outbound`` the audio
the platform plays or bridges to them (the agent). :class:`TrackAligner` puts the two tracks
side by side as one stereo call by ``timestamp``: a gap or a lost chunk becomes silence, so
word times and the recording stay true to the call's clock.

Variants: Telnyx writes ``stream_id``, ``sequence_number``, ``media_format`` with
``encoding: "PCMU"|"PCMA"`` and ``sample_rate``, and gives ``dtmf`` no track; SignalWire and
Fonoster use Twilio's names. Both spellings are read. ``X-Twilio-Signature`` is HMAC-SHA1 of
the full websocket URL keyed by the account's auth token (:func:`signature_valid`).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from redactor.errors import ProtocolError
from redactor.protocol import json_object

ENCODINGS = {"audio/x-mulaw": "mulaw", "pcmu": "mulaw", "audio/x-alaw": "alaw", "pcma": "alaw"}
SILENCE_BYTE = {"mulaw": 0xFF, "alaw": 0xD5}  # the codes that decode to 0
TRACKS = ("inbound", "outbound")  # channel order: customer, agent
SPEAKERS = {"inbound": "customer", "outbound": "agent"}
DTMF_DIGITS = frozenset("0123456789*#ABCD")
MAX_SKEW_S = 1.0  # a track this far behind the other is padded with silence, not waited for
# Lost chunks are filled with silence up to this far ahead of every track (a network outage);
# beyond it a timestamp is wrong, and filling it would make minutes of audio out of nothing.
MAX_GAP_S = 10.0


@dataclass(frozen=True)
class Connected:
    pass


@dataclass(frozen=True)
class Start:
    stream_sid: str
    call_sid: str
    tracks: tuple[str, ...]
    encoding: str = "mulaw"
    sample_rate: int = 8000
    custom_parameters: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Media:
    track: str
    payload: bytes = field(repr=False)
    timestamp_ms: int | None = None
    chunk: int | None = None


@dataclass(frozen=True)
class Dtmf:
    track: str
    digit: str = field(repr=False)  # never stored, logged or forwarded


@dataclass(frozen=True)
class Mark:
    name: str


@dataclass(frozen=True)
class Stop:
    pass


TwilioEvent = Connected | Start | Media | Dtmf | Mark | Stop


def parse(frame: str | bytes) -> TwilioEvent:
    """One Media Streams frame as a typed event, or :class:`ProtocolError`."""
    obj = json_object(frame, "Media Streams frames")
    event = obj.get("event")
    if event == "connected":
        return Connected()
    if event == "start":
        return _start(obj)
    if event == "media":
        return _media(_object(obj, "media"))
    if event == "dtmf":
        dtmf = _object(obj, "dtmf")
        digit = dtmf.get("digit")
        if not isinstance(digit, str) or digit not in DTMF_DIGITS:
            raise ProtocolError("invalid_field", "dtmf.digit must be one keypad key")
        return Dtmf(_track(dtmf.get("track", "inbound")), digit)
    if event == "mark":
        name = _object(obj, "mark").get("name")
        return Mark(name if isinstance(name, str) else "")
    if event == "stop":
        return Stop()
    what = "missing event" if event is None else "unknown event"
    raise ProtocolError("unknown_type", f"{what}; expected connected, start, media, dtmf, mark or stop")


def _start(obj: dict[str, Any]) -> Start:
    start = _object(obj, "start")
    stream_sid = _first_str(obj, start, ("streamSid", "stream_id", "streamId"))
    call_sid = _first_str(start, start, ("callSid", "call_control_id", "callId", "call_sid")) or stream_sid
    if not stream_sid:
        raise ProtocolError("missing_field", "start needs a streamSid")
    tracks = start.get("tracks", ["inbound"])
    if not isinstance(tracks, list) or not tracks or any(_track(t) not in TRACKS for t in tracks):
        raise ProtocolError("invalid_field", "start.tracks must list inbound and/or outbound")
    fmt = start.get("mediaFormat", start.get("media_format", {}))
    if not isinstance(fmt, dict):
        raise ProtocolError("invalid_field", "start.mediaFormat must be an object")
    encoding = ENCODINGS.get(str(fmt.get("encoding", "audio/x-mulaw")).lower())
    rate = fmt.get("sampleRate", fmt.get("sample_rate", 8000))
    channels = fmt.get("channels", 1)
    if encoding is None or rate != 8000 or channels != 1:
        raise ProtocolError("invalid_field", "mediaFormat must be audio/x-mulaw or audio/x-alaw, 8000 Hz, mono")
    params = start.get("customParameters", start.get("custom_parameters", {})) or {}
    if not isinstance(params, dict):
        raise ProtocolError("invalid_field", "start.customParameters must be an object")
    ordered = tuple(t for t in TRACKS if t in {_track(t) for t in tracks})
    return Start(_identifier(stream_sid), _identifier(call_sid), ordered, encoding, 8000,
                 {str(k): str(v) for k, v in params.items()})


def _media(media: dict[str, Any]) -> Media:
    payload = media.get("payload")
    if not isinstance(payload, str):
        raise ProtocolError("missing_field", "media.payload must be base64 audio")
    try:
        audio = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError("bad_audio", "media.payload is not valid base64") from None
    return Media(_track(media.get("track", "inbound")), audio,
                 _optional_int(media, "timestamp"), _optional_int(media, "chunk"))


def _track(value: object) -> str:
    """``inbound``/``outbound``; Twilio's dtmf says ``inbound_track``."""
    if isinstance(value, str) and value.removesuffix("_track") in TRACKS:
        return value.removesuffix("_track")
    raise ProtocolError("invalid_field", "track must be inbound or outbound")


def _optional_int(obj: dict[str, Any], name: str) -> int | None:
    value = obj.get(name)
    if value is None:
        return None
    try:
        number = int(value)  # Twilio sends numbers as strings
    except (TypeError, ValueError):
        raise ProtocolError("invalid_field", f"media.{name} must be a whole number") from None
    if number < 0 or isinstance(value, bool):
        raise ProtocolError("invalid_field", f"media.{name} must not be negative")
    return number


def _first_str(a: dict[str, Any], b: dict[str, Any], names: tuple[str, ...]) -> str:
    for source in (a, b):
        for name in names:
            if isinstance(source.get(name), str) and source[name]:
                return source[name]
    return ""


def _identifier(value: str) -> str:
    if len(value) > 128 or not value.isprintable():
        raise ProtocolError("invalid_field", "stream and call ids must be printable, at most 128 characters")
    return value


def _object(obj: dict[str, Any], name: str) -> dict[str, Any]:
    value = obj.get(name)
    if not isinstance(value, dict):
        raise ProtocolError("missing_field", f"a {name} event needs a {name} object")
    return value


# --- the two tracks as one call ---------------------------------------------------------------

class TrackAligner:
    """Media chunks of one or two tracks in; interleaved audio (one channel per track, in
    ``tracks`` order) out, placed by ``timestamp`` with gaps and lost chunks filled by silence.
    Audio comes out once every track has reached it, or once a track is ``MAX_SKEW_S`` behind
    the other (a track that went quiet is not waited for)."""

    def __init__(self, tracks: tuple[str, ...], encoding: str = "mulaw", sample_rate: int = 8000) -> None:
        self.tracks = tracks
        self.sample_rate = sample_rate
        self._silence = SILENCE_BYTE[encoding]
        self._pending = {track: bytearray() for track in tracks}
        self._released = 0  # samples of every track already given out
        self._max_skew = round(MAX_SKEW_S * sample_rate)

    @property
    def position_s(self) -> float:
        """Seconds of call audio given out so far."""
        return self._released / self.sample_rate

    def track_end_s(self, track: str) -> float:
        """Where ``track``'s audio received so far ends (the time of a dtmf event on it)."""
        return self._end(track) / self.sample_rate

    def add(self, media: Media) -> bytes:
        if media.track not in self._pending:
            raise ProtocolError("invalid_field", "media on a track the start event did not list")
        pending, end = self._pending[media.track], self._end(media.track)
        payload = media.payload
        if media.timestamp_ms is not None:
            at = media.timestamp_ms * self.sample_rate // 1000
            if at - max(self._end(t) for t in self.tracks) > MAX_GAP_S * self.sample_rate:
                raise ProtocolError("invalid_field", "media.timestamp jumps too far ahead")
            if at > end:
                pending += bytes([self._silence]) * (at - end)  # lost chunks, or a gap
            elif at < end:
                payload = payload[end - at :]  # a repeated or overlapping chunk
        pending += payload
        return self._release(self._ready())

    def flush(self) -> bytes:
        """End of stream: every track padded to the longest."""
        return self._release(max(self._end(t) for t in self.tracks))

    def _end(self, track: str) -> int:
        return self._released + len(self._pending[track])

    def _ready(self) -> int:
        ends = [self._end(t) for t in self.tracks]
        return max(min(ends), max(ends) - self._max_skew)

    def _release(self, until: int) -> bytes:
        count = until - self._released
        if count <= 0:
            return b""
        columns = []
        for track in self.tracks:
            pending = self._pending[track]
            if len(pending) < count:
                pending += bytes([self._silence]) * (count - len(pending))
            columns.append(np.frombuffer(bytes(pending[:count]), dtype=np.uint8))
            del pending[:count]
        self._released = until
        return np.column_stack(columns).tobytes()


# --- X-Twilio-Signature ---------------------------------------------------------------------

def expected_signature(auth_token: str, url: str, params: dict[str, str] | None = None) -> str:
    """Base64 HMAC-SHA1 of the URL followed by each POST parameter's name and value, sorted by
    name (a websocket handshake has none), keyed by the auth token."""
    message = url + "".join(k + v for k, v in sorted((params or {}).items()))
    digest = hmac.new(auth_token.encode(), message.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(auth_token: str, url: str, signature: str | None) -> bool:
    """Whether ``signature`` is Twilio's for ``url``. Twilio signs the URL as it was given,
    which with a default port may or may not include it: both forms are tried."""
    if not signature:
        return False
    candidates = {url, _without_default_port(url)}
    return any(hmac.compare_digest(expected_signature(auth_token, u), signature) for u in candidates)


def _without_default_port(url: str) -> str:
    for scheme, port in (("wss://", ":443"), ("https://", ":443"), ("ws://", ":80"), ("http://", ":80")):
        if url.startswith(scheme):
            host, sep, rest = url[len(scheme):].partition("/")
            return scheme + host.removesuffix(port) + sep + rest
    return url
