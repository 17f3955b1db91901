"""Genesys Cloud AudioHook, protocol version 2, server side, as a pure state machine.

Genesys (the client) connects with ``X-API-KEY`` and the ``Audiohook-Organization-Id``,
``-Session-Id`` and ``-Correlation-Id`` headers, signed per HTTP Message Signatures when the
integration has a client secret (:func:`verify_signature`). Then JSON text messages, each with
``version: "2"``, ``id`` (the session), ``type``, ``seq``, ``parameters``; the client's also
carry ``serverseq`` (the last ``seq`` it saw from us) and ``position`` (ISO 8601 duration of
audio sent so far), ours ``clientseq`` (the last ``seq`` we saw). Binary frames are audio in
the format we chose in ``opened``.

    client                     server (this module)
    open            ->         <- opened  (PCMU 8000 Hz, external + internal, stereo)
    binary audio    ->
    ping            ->         <- pong
    paused/resumed  ->         (and we may ask: <- pause / <- resume)
    update, discarded, error ->
    close           ->         <- closed
                               <- disconnect (on a fatal error: reason "error")

Sequence rules, as the specification and Genesys' reference server enforce them: each client
``seq`` is one more than the previous, starting at 1; ``serverseq`` never exceeds the last
``seq`` we sent; ``id`` never changes. A violation, or any malformed message, is fatal: the
session answers ``disconnect`` with reason ``error`` and the asyncio layer closes. Channel 0
is ``external`` (the customer), channel 1 ``internal`` (the agent).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from redactor.errors import ProtocolError
from redactor.protocol import json_object

VERSION = "2"
SAMPLE_RATE = 8000
PREFERRED_CHANNELS = ("external", "internal")
SPEAKERS = {"external": "customer", "internal": "agent"}
# What ``opened`` lists when ``open`` asks (``supportedLanguages: true``): the engine's languages.
SUPPORTED_LANGUAGES = ("id-ID", "en-US")
NULL_UUID = "00000000-0000-0000-0000-000000000000"
MAX_TEXT_BYTES = 65535
_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")


# --- events the session reports to the server --------------------------------------------------

@dataclass(frozen=True)
class Send:
    """A message to send to the client, already serialised."""

    text: str


@dataclass(frozen=True)
class SessionOpened:
    conversation_id: str
    channels: tuple[str, ...]  # e.g. ("external", "internal")
    language: str  # our engine's: "id", "en" or "auto"
    probe: bool  # Genesys' connection probe: no call behind it


@dataclass(frozen=True)
class ClientPaused:
    position_s: float


@dataclass(frozen=True)
class ClientResumed:
    start_s: float
    discarded_s: float  # audio the client dropped while paused


@dataclass(frozen=True)
class AudioDiscarded:
    start_s: float
    discarded_s: float  # audio the client dropped (backpressure): silence in the call


@dataclass(frozen=True)
class LanguageChanged:
    language: str


@dataclass(frozen=True)
class ClientReportedError:
    code: int


@dataclass(frozen=True)
class SessionClosed:
    reason: str


Event = Send | SessionOpened | ClientPaused | ClientResumed | AudioDiscarded | LanguageChanged \
    | ClientReportedError | SessionClosed


@dataclass
class AudioHookSession:
    """One session's protocol state. Feed it the client's text and binary frames; send what
    it returns. ``ProtocolError`` from a feed is fatal: send :meth:`disconnect` ``("error")``."""

    id: str = NULL_UUID
    state: str = "preparing"  # preparing -> active <-> paused -> closed; or disconnected
    seq: int = 0  # the last seq we sent
    clientseq: int = 0  # the last seq the client sent
    channels: tuple[str, ...] = ()
    samples: int = 0  # per channel, received so far
    _conversation: str = field(default="", repr=False)

    @property
    def position_s(self) -> float:
        return self.samples / SAMPLE_RATE

    def receive_text(self, frame: str) -> list[Event]:
        if len(frame.encode()) > MAX_TEXT_BYTES:
            raise ProtocolError("frame_too_large", "text message over 64 KiB")
        message = _message(frame)
        self._check_sequence(message)
        kind, params = message["type"], message["parameters"]
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise ProtocolError("unknown_type", "not an AudioHook client message type")
        if self.state in ("closed", "disconnected"):
            return []  # stragglers after close: nothing more to do
        return handler(self, params)

    def receive_audio(self, frame: bytes) -> bytes:
        """Interleaved PCMU of the chosen channels; counted into the position."""
        if self.state != "active":
            raise ProtocolError("unexpected_binary", "audio is only accepted in an open, unpaused session")
        if len(frame) % len(self.channels):
            raise ProtocolError("bad_audio_size", "audio frame is not whole samples of every channel")
        self.samples += len(frame) // len(self.channels)
        return frame

    def pause(self) -> Send | None:
        """Ask the client to pause (ours, e.g. ``POST /v1/calls/{id}/pause``)."""
        return self._send("pause", {}) if self.state in ("active", "paused") else None

    def resume(self) -> Send | None:
        return self._send("resume", {}) if self.state in ("active", "paused") else None

    def disconnect(self, reason: str, info: str = "") -> Send | None:
        """``reason``: ``completed``, ``unauthorized`` or ``error``; ``info`` is shown in
        Genesys' logs, so it says what was wrong, never what a message held."""
        if self.state in ("closed", "disconnected"):
            return None
        self.state = "disconnected"
        return self._send("disconnect", {"reason": reason, **({"info": info} if info else {})})

    # --- client messages ----------------------------------------------------------------------

    def _open(self, params: dict[str, Any]) -> list[Event]:
        if self.state != "preparing":
            raise ProtocolError("already_started", "open after the session was opened")
        conversation = params.get("conversationId")
        media = params.get("media")
        if not isinstance(conversation, str) or not isinstance(media, list):
            raise ProtocolError("missing_field", "open needs conversationId and media")
        chosen = _choose_media(media)
        if chosen is None:
            raise ProtocolError("invalid_field", "no offered media is PCMU at 8000 Hz")
        self.channels = tuple(chosen["channels"])
        self._conversation = conversation
        self.state = "active"
        answer: dict[str, Any] = {"startPaused": False, "media": [chosen]}
        if params.get("supportedLanguages") is True:
            answer["supportedLanguages"] = list(SUPPORTED_LANGUAGES)
        opened = self._send("opened", answer)
        language = _language(params.get("language"))
        return [opened, SessionOpened(conversation, self.channels, language, conversation == NULL_UUID)]

    def _ping(self, params: dict[str, Any]) -> list[Event]:
        return [self._send("pong", {})]

    def _paused(self, params: dict[str, Any]) -> list[Event]:
        self._require_open()
        if self.state == "paused":
            return []
        self.state = "paused"
        return [ClientPaused(self.position_s)]

    def _resumed(self, params: dict[str, Any]) -> list[Event]:
        self._require_open()
        resumed = ClientResumed(_duration(params, "start"), _duration(params, "discarded"))
        if self.state != "paused":
            return []
        self.state = "active"
        return [resumed]

    def _discarded(self, params: dict[str, Any]) -> list[Event]:
        self._require_open()
        return [AudioDiscarded(_duration(params, "start"), _duration(params, "discarded"))]

    def _update(self, params: dict[str, Any]) -> list[Event]:
        self._require_open()
        return [LanguageChanged(_language(params.get("language")))]

    def _error(self, params: dict[str, Any]) -> list[Event]:
        code = params.get("code")
        return [ClientReportedError(code if isinstance(code, int) and not isinstance(code, bool) else 0)]

    def _close(self, params: dict[str, Any]) -> list[Event]:
        reason = params.get("reason")
        closed = self._send("closed", {})
        self.state = "closed"
        return [closed, SessionClosed(reason if reason in ("end", "error", "disconnect", "reconnect") else "end")]

    # --- helpers ------------------------------------------------------------------------------

    def _check_sequence(self, message: dict[str, Any]) -> None:
        if message["seq"] != self.clientseq + 1:
            raise ProtocolError("invalid_field", "seq is not one more than the previous message's")
        if message["serverseq"] > self.seq:
            raise ProtocolError("invalid_field", "serverseq is beyond the last seq the server sent")
        if self.id == NULL_UUID:
            self.id = message["id"]
        elif message["id"] != self.id:
            raise ProtocolError("invalid_field", "id differs from the session's")
        _duration(message, "position")  # must be well formed
        self.clientseq = message["seq"]

    def _require_open(self) -> None:
        if self.state == "preparing":
            raise ProtocolError("not_started", "message before open")

    def _send(self, kind: str, parameters: dict[str, Any]) -> Send:
        self.seq += 1
        return Send(json.dumps({"version": VERSION, "type": kind, "seq": self.seq,
                                "clientseq": self.clientseq, "id": self.id,
                                "parameters": parameters}, separators=(",", ":")))


_HANDLERS = {
    "open": AudioHookSession._open, "ping": AudioHookSession._ping,
    "paused": AudioHookSession._paused, "resumed": AudioHookSession._resumed,
    "discarded": AudioHookSession._discarded, "update": AudioHookSession._update,
    "error": AudioHookSession._error, "close": AudioHookSession._close,
}


def _message(frame: str | bytes) -> dict[str, Any]:
    obj = json_object(frame, "AudioHook control messages")
    if obj.get("version") != VERSION:
        raise ProtocolError("invalid_field", 'version must be "2"')
    for name in ("seq", "serverseq"):
        value = obj.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProtocolError("missing_field", f"{name} must be a non-negative integer")
    if not isinstance(obj.get("id"), str) or not obj["id"] or len(obj["id"]) > 64:
        raise ProtocolError("missing_field", "id must be the session's UUID")
    if not isinstance(obj.get("type"), str):
        raise ProtocolError("missing_field", "type is required")
    if not isinstance(obj.get("parameters", {}), dict):
        raise ProtocolError("invalid_field", "parameters must be an object")
    obj.setdefault("parameters", {})
    return obj


def _choose_media(offered: list[Any]) -> dict[str, Any] | None:
    """PCMU 8000 Hz, both channels if offered (external first), else one."""
    candidates = [
        m for m in offered
        if isinstance(m, dict) and m.get("type") == "audio" and m.get("format") == "PCMU"
        and m.get("rate") == SAMPLE_RATE and isinstance(m.get("channels"), list)
        and m["channels"] and all(c in PREFERRED_CHANNELS for c in m["channels"])
        and len(set(m["channels"])) == len(m["channels"])
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda m: (len(m["channels"]), m["channels"] == list(PREFERRED_CHANNELS)))
    return {"type": "audio", "format": "PCMU", "channels": list(best["channels"]), "rate": SAMPLE_RATE}


def _language(value: object) -> str:
    if isinstance(value, str):
        prefix = value.lower()[:2]
        if prefix in ("id", "en"):
            return prefix
    return "auto"


def _duration(obj: Mapping[str, Any], name: str) -> float:
    value = obj.get(name)
    found = _DURATION.match(value) if isinstance(value, str) and value != "PT" else None
    if found is None:
        raise ProtocolError("invalid_field", f"{name} must be an ISO 8601 duration such as PT1.5S")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def duration(seconds: float) -> str:
    """Seconds as the protocol writes them (``PT12.34S``)."""
    return f"PT{round(seconds, 3):g}S"


# --- HTTP Message Signatures (the integration's client secret) ----------------------------------

SIGNED_HEADERS = ("audiohook-organization-id", "audiohook-session-id", "audiohook-correlation-id", "x-api-key")
MAX_CLOCK_SKEW_S = 3
_SIGNATURE_INPUT = re.compile(r'^\s*([a-z*][a-z0-9_.*-]*)=\(([^)]*)\)((?:;[a-z*][a-z0-9_.*-]*=(?:"(?:[^"\\]|\\.)*"|-?\d+))*)\s*$')
_PARAM = re.compile(r';([a-z*][a-z0-9_.*-]*)=("(?:[^"\\]|\\.)*"|-?\d+)')
_SIGNATURE = re.compile(r"^\s*([a-z*][a-z0-9_.*-]*)=:([A-Za-z0-9+/=]*):\s*$")


def verify_signature(
    headers: Mapping[str, str], request_target: str, authority: str, api_key: str,
    client_secret: str, now: float | None = None,
) -> None:
    """Check the request's ``Signature`` against its ``Signature-Input`` (one hmac-sha256
    signature, as Genesys sends it) keyed by the base64 ``client_secret``; raise
    ``ProtocolError("unauthorized", why)`` unless it is valid, fresh and covers the
    AudioHook headers, the request target and the authority."""
    signature_input, signature = headers.get("signature-input"), headers.get("signature")
    if not signature_input or not signature:
        raise ProtocolError("unauthorized", "the request is not signed (Signature, Signature-Input)")
    parsed, sig = _SIGNATURE_INPUT.match(signature_input), _SIGNATURE.match(signature)
    if parsed is None or sig is None or parsed.group(1) != sig.group(1):
        raise ProtocolError("unauthorized", "Signature or Signature-Input is malformed")
    components = re.findall(r'"([^"]*)"', parsed.group(2))
    if " ".join(f'"{c}"' for c in components) != parsed.group(2).strip():
        raise ProtocolError("unauthorized", "Signature-Input components are malformed")
    params = {k: v for k, v in _PARAM.findall(parsed.group(3))}
    _check_parameters(params, api_key, time.time() if now is None else now)
    missing = {"@request-target", "@authority", *SIGNED_HEADERS} - set(components)
    if missing:
        raise ProtocolError("unauthorized", "the signature does not cover the AudioHook headers")
    lines = []
    for name in components:
        if name == "@request-target":
            value = request_target
        elif name == "@authority":
            value = authority.lower()
        elif name.startswith("@"):
            raise ProtocolError("unauthorized", "unsupported derived component in the signature")
        elif name in headers:
            value = " ".join(headers[name].split())
        else:
            raise ProtocolError("unauthorized", "a signed header is missing")
        lines.append(f'"{name}": {value}')
    lines.append(f'"@signature-params": ({parsed.group(2).strip()}){parsed.group(3)}')
    try:
        key = base64.b64decode(client_secret, validate=True)
        presented = base64.b64decode(sig.group(2), validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError("unauthorized", "the signature or the configured client secret is not base64") from None
    expected = hmac.new(key, "\n".join(lines).encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, presented):
        raise ProtocolError("unauthorized", "the signature does not match")


def _check_parameters(params: dict[str, str], api_key: str, now: float) -> None:
    if params.get("alg", '"hmac-sha256"') != '"hmac-sha256"':
        raise ProtocolError("unauthorized", "only hmac-sha256 signatures are supported")
    if params.get("keyid") != json.dumps(api_key):
        raise ProtocolError("unauthorized", "the signature's keyid is not the API key")
    created, expires = params.get("created", ""), params.get("expires")
    if not created.isdigit() or int(created) > now + MAX_CLOCK_SKEW_S:
        raise ProtocolError("unauthorized", "the signature's created time is missing or in the future")
    if expires is not None and (not expires.isdigit() or int(expires) < now - MAX_CLOCK_SKEW_S):
        raise ProtocolError("unauthorized", "the signature has expired")


def sign(headers: Mapping[str, str], request_target: str, authority: str, api_key: str,
         client_secret: str, created: int, nonce: str = "n0nce", label: str = "sig1") -> dict[str, str]:
    """The ``Signature-Input`` and ``Signature`` headers Genesys would send (for tests and
    for checking an integration by hand)."""
    components = ["@request-target", "@authority", *SIGNED_HEADERS]
    values = {"@request-target": request_target, "@authority": authority.lower(),
              **{k: headers[k] for k in SIGNED_HEADERS}}
    params = (f'({" ".join(json.dumps(c) for c in components)});keyid={json.dumps(api_key)};'
              f'nonce={json.dumps(nonce)};alg="hmac-sha256";created={created};expires={created + 30}')
    base = "\n".join([*(f'"{c}": {values[c]}' for c in components), f'"@signature-params": {params}'])
    digest = hmac.new(base64.b64decode(client_secret), base.encode(), hashlib.sha256).digest()
    return {"signature-input": f"{label}={params}", "signature": f"{label}=:{base64.b64encode(digest).decode()}:"}
