"""redactor-server: live PII redaction over websockets, for chat widgets, telephony platforms
and vosk-server clients; only masked text and masked recordings are stored.

(For developers: wiring only. Parsing is in ``redactor.protocol``, admission control in
``redactor.admission``, chat logic in ``redactor.chat``, a call's audio path in
``audio.pipeline``, the telephony platforms' protocols in ``telephony``. This module moves
frames between sockets and those, keeps blocking work off the event loop, and finalises every
session however it ends.)

Endpoints (one port): ``/v1/chat``, ``/v1/call``, ``/`` and ``/vosk`` (vosk-server protocol),
``/twilio``, ``/audiohook``, ``/fork``, ``/v1/subscribe``, ``POST /v1/calls/{id}/pause`` and
``/resume``, ``GET /healthz``, ``GET /metrics``.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import errno
import functools
import gc
import json
import logging
import os
import signal
import socket
import ssl
import sys
import threading
import time
import uuid
import weakref
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.frames import CloseCode
from websockets.http11 import Request, Response

from audio.codecs import AudioFormatError
from audio.pipeline import CallPipeline, MaskedPartial, recover_interrupted_recordings
from audio.recording import SEALED_SUFFIX, RecordingSeal, RedactedRecording
from audio.transcriber import ModelUnavailableError, SpeechModel, find_model_path
from redactor import Redactor, RedactorConfig, RedactorError
from redactor.admission import Admission, Limits, Ticket, default_max_calls
from redactor.chat import CONTEXT_MESSAGES, DEFAULT_HOLDBACK_S, ChatSession
from redactor.errors import ConfigError, ProtocolError, StorageError
from redactor.keys import MIN_ID_KEY_CHARS, authenticate, create_key, keyed_id
from redactor.metrics import CONTENT_TYPE, Metrics
from redactor.protocol import (
    MAX_AUDIO_FRAME_BYTES,
    VOSK_DEFAULT_SAMPLE_RATE,
    Audio,
    CallPause,
    CallResume,
    CallStart,
    CallStop,
    ChatEnd,
    ChatMessage,
    VoskConfig,
    VoskEof,
    VoskReset,
    check_audio,
    encode,
    error_reply,
    parse_call,
    parse_chat,
    parse_vosk,
    vosk_call_id,
)
from redactor.crypto_at_rest import KEY_ENV, KEY_FILE_ENV, Keyring
from redactor.storage import ChatMoved, ChatResume, Recording, Segment, Storage, open_storage
from redactor.transcript import CallTranscript, MaskedAlternative, MaskedFinal
from server_workers import (
    Peers,
    Placement,
    SharedCounts,
    Supervisor,
    available_cores,
    encode_health,
    idle_listener,
    listening_sockets,
    merge_expositions,
    merge_health,
    peek_request_path,
    pin_thread,
    worker_core,
)
from telephony import audiohook, fork, twilio, webhook

logger = logging.getLogger("redactor.server")
T = TypeVar("T")

CHAT_PATH, CALL_PATH, VOSK_PATHS = "/v1/chat", "/v1/call", ("/", "/vosk")
TWILIO_PATH, AUDIOHOOK_PATH, FORK_PATH, SUBSCRIBE_PATH = "/twilio", "/audiohook", "/fork", "/v1/subscribe"
CALLS_PREFIX = "/v1/calls/"  # POST /v1/calls/{call_id}/pause and /resume
# --workers: connections of each kind spread by count over the workers (Placement).
PLACED_KINDS = {CHAT_PATH: "chat", **{path: "call" for path in (CALL_PATH, TWILIO_PATH, AUDIOHOOK_PATH, FORK_PATH,
                                                                 *VOSK_PATHS)}}
WEBSOCKET_PATHS = (CHAT_PATH, CALL_PATH, *VOSK_PATHS, TWILIO_PATH, AUDIOHOOK_PATH, FORK_PATH, SUBSCRIBE_PATH)
SUBPROTOCOLS = ("ws", "audio.jambonz.org", "audio.drachtio.org")  # Asterisk, jambonz listen
SUBSCRIBER_QUEUE = 1000  # messages a slow subscriber may fall behind before some are dropped
MAX_MESSAGE_BYTES = 4 * MAX_AUDIO_FRAME_BYTES  # beyond our own limit: close with 1009
BATCH_SECONDS = 0.1  # /v1/call audio is recognised in batches of this much (partials 10/s)
ID_KEY_ENV = "REDACTOR_ID_KEY"
ANONYMOUS = "anonymous"  # the key id of vosk-server clients let in by --vosk-no-auth
# Keepalive: a peer that vanished without a close (cable pulled, NAT dropped) is noticed and
# its sessions finalised within PING_INTERVAL_S + PING_TIMEOUT_S. Ours, not the library's:
# a pong can wait behind the client's own frames while we are busy with them (a call sent
# faster than it is recognised), and that is not a dead peer.
PING_INTERVAL_S, PING_TIMEOUT_S = 5.0, 5.0
WATCH_INTERVAL_S = 0.5  # backlog, shedding and idle checks
CLAIM_RETRY_S = 0.25  # a chat session held by another instance: how often to try again
LOCAL_HANDOVER_S = 2.0  # ... by another connection here: how long to wait for it to close
DRAIN_TIMEOUT_S = 30.0  # SIGTERM: longest wait for recognition still queued
STOP_MARGIN_S = 15.0  # --workers: a worker still running this long after draining is killed


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    db: str = "data/redactor.db"
    data_dir: Path = Path("data")
    holdback_s: float = DEFAULT_HOLDBACK_S
    max_sessions: int = 200
    vosk_sample_rate: int = VOSK_DEFAULT_SAMPLE_RATE
    audio_redaction: str = "silence"  # or "tone"
    threads: int | None = None  # per process (None: ``pool_threads``)
    max_calls: int | None = None  # None: measured from the speech model's cost on this machine
    max_sessions_per_key: int | None = None  # None: 3/4 of max_sessions
    max_calls_per_key: int | None = None  # None: 3/4 of the call capacity
    max_backlog_s: float = 2.0
    idle_timeout_s: float = 300.0
    id_key: str | None = None  # HMAC key: store client ids keyed-hashed
    twilio_auth_token: str | None = None  # X-Twilio-Signature is checked when set
    audiohook_client_secret: str | None = None  # AudioHook signatures are checked when set
    webhook_url: str | None = None  # each masked final is POSTed here, signed
    webhook_secret: str | None = None
    vosk_open: bool = False  # vosk-server clients that cannot carry a key connect without one
    workers: int = 1  # processes sharing the port and the cores (``server_workers``)
    worker_index: int = 0  # which of them this process is
    pin_threads: bool = False  # the event loop and chat thread on one core (``worker_core``)
    # How long a chat session stays this instance's after it was last renewed: after a crash,
    # another instance may take the session over this much later.
    session_lease_s: float = 15.0
    storage_keyring: Keyring | None = None  # encryption at rest of segments and recordings
    purge_interval_s: float = 3600.0  # retention: expired data is deleted this often (0: never)

    @property
    def limits(self) -> Limits:
        """The machine's limits (with several workers, each admits against all of them)."""
        return Limits(self.max_sessions, self.max_calls, self.max_sessions_per_key,
                      self.max_calls_per_key, self.max_backlog_s, cores=available_cores())

    @property
    def pool_threads(self) -> int:
        """Recognition threads per process: two per core over the workers, at least 4."""
        return self.threads or max(4, 2 * -(-available_cores() // self.workers))

    def for_worker(self, index: int) -> Settings:
        return replace(self, worker_index=index)


async def _in_thread(executor: ThreadPoolExecutor, func: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(func, *args))


class App:
    """Everything a connection needs, shared by all of them."""

    def __init__(
        self, settings: Settings, redactor: Redactor, storage: Storage, model: SpeechModel | None,
        counts: SharedCounts | None = None,
    ) -> None:
        self.settings = settings
        self.redactor = redactor
        self.storage = storage
        self.model = model
        self.metrics = Metrics()
        if counts is None:
            self.admission = Admission(settings.limits)
        else:  # --workers: the limits are the machine's, shared with the other workers
            counts.reset(settings.worker_index)
            self.admission = Admission(settings.limits, others=functools.partial(counts.others, settings.worker_index),
                                       publish=functools.partial(counts.add, settings.worker_index))
        self.metrics.backlog.set_function(self.admission.backlog_s)
        self.metrics.call_capacity.set_function(self.admission.call_capacity)
        self.metrics.recognition_cost.set_function(lambda: self.admission.cost.per_audio_s or 0.0)
        self.connections: set[_Connection] = set()
        self.draining = False
        self.ready = False  # until warm_up: /healthz says starting
        self.peers: Peers | None = None  # the other worker processes of this instance, if any
        self.placements: dict[str, Placement] = {}  # and how connections spread over them
        # Names this process in chat leases: instances sharing a database never write one session at once.
        self.instance = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.chats_open = 0  # sessions whose lease this instance holds
        self._keys: weakref.WeakKeyDictionary[ServerConnection, str] = weakref.WeakKeyDictionary()
        # Recognition and detection (seconds of CPU) on one pool; the key check and other
        # short database work on another, so that a handshake never queues behind Kaldi.
        self.core = worker_core(settings.worker_index, settings.workers) if settings.pin_threads else None
        # Threads start with the affinity of the thread starting them, here the event loop's.
        on_core = {} if self.core is None else {"initializer": pin_thread, "initargs": ({self.core},)}
        anywhere = {} if self.core is None else {"initializer": pin_thread, "initargs": (os.sched_getaffinity(0),)}
        self._pool = ThreadPoolExecutor(settings.pool_threads, thread_name_prefix="redactor-work", **anywhere)
        # Chat is GIL-bound Python (and the engine analyses one text at a time anyway): one
        # thread does as much of it as four, without the four and the event loop passing the
        # GIL round (closed loop, 50 sessions, 1 worker: 113 -> 121 messages/s). Kaldi, which
        # releases the GIL, keeps the pool.
        self._chat = ThreadPoolExecutor(1, thread_name_prefix="redactor-chat", **on_core)
        self._light = ThreadPoolExecutor(2, thread_name_prefix="redactor-light")
        self.calls: dict[str, _AudioConnection] = {}  # live calls, for pause/resume over HTTP
        self.subscribers: set[Subscriber] = set()
        self.webhook = Webhook(self, settings.webhook_url, settings.webhook_secret) \
            if settings.webhook_url and settings.webhook_secret else None

    @property
    def active(self) -> int:
        return self.admission.count()

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """Run heavy blocking work (Kaldi, masking a call's text) on the worker threads."""
        return await _in_thread(self._pool, func, *args)

    async def run_chat(self, func: Callable[..., T], *args: Any) -> T:
        """Run a chat session's detection and storage on the chat thread, in arrival order."""
        return await _in_thread(self._chat, func, *args)

    async def run_light(self, func: Callable[..., T], *args: Any) -> T:
        """Run short blocking work (a key check, a database lookup) off the recognition queue."""
        return await _in_thread(self._light, func, *args)

    def stored_id(self, client_id: str) -> str:
        """The id a session or call is stored under: the client's, or its HMAC (--hash-ids)."""
        return keyed_id(self.settings.id_key, client_id) if self.settings.id_key else client_id

    def store(self, segment: Segment, save: Callable[[], None] | None = None) -> bool:
        """Store a masked segment (on a worker thread; ``save`` does it instead of
        ``save_segment``) and count it. A database failure is logged and counted, not raised:
        the masked text still goes to the client."""
        self.metrics.count_segment(segment.kind, [e.type for e in segment.entities], segment.failed)
        try:
            (save or functools.partial(self.storage.save_segment, segment))()
        except StorageError as error:  # names the operation, never the text
            logger.error("segment %d of a %s not stored: %s", segment.seq, segment.kind, error)
            self.metrics.errors.labels("storage_failed").inc()
            return False
        return True

    def publish(self, call: _AudioConnection, message: dict[str, Any]) -> None:
        """A masked call event to every subscriber of that call (or of all calls) holding the
        call's API key, and each final to the webhook."""
        text = encode(message)
        for subscriber in list(self.subscribers):
            if subscriber.call_id in (None, call.call_id) and call.belongs_to(subscriber.key_id):
                try:
                    subscriber.queue.put_nowait(text)
                except asyncio.QueueFull:
                    self.metrics.errors.labels("subscriber_overflow").inc()
        if self.webhook is not None and message.get("type") == "final":
            self.webhook.post(text)

    def admit(self, kind: str, connection: _Connection, session: str) -> Ticket:
        ticket = self.admission.admit(kind, connection.key_id, session)  # type: ignore[arg-type]
        self.metrics.active_sessions.labels(kind).inc()
        return ticket

    def release(self, ticket: Ticket) -> None:
        self.admission.release(ticket)
        self.metrics.active_sessions.labels(ticket.kind).dec()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._chat.shutdown(wait=True)
        self._light.shutdown(wait=True)
        self.storage.close()

    # --- HTTP side of the handshake ----------------------------------------------------------

    async def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = urlsplit(request.path).path
        if path == "/healthz":
            return connection.respond(*await self.instance_health())
        if path == "/metrics":
            return _response(HTTPStatus.OK, await self.instance_metrics(), CONTENT_TYPE)
        if path.startswith(CALLS_PREFIX):
            return await self.control_call(connection, request, path)
        if path not in WEBSOCKET_PATHS:  # the path is not echoed: it may carry PII
            return connection.respond(HTTPStatus.NOT_FOUND, "no such endpoint: "
                                      f"websockets at {', '.join(WEBSOCKET_PATHS)}; GET /healthz, /metrics\n")
        if refused := self.check_platform_signature(connection, request, path):
            return refused
        key = _presented_key(request)
        try:
            key_id = await self.run_light(authenticate, self.storage, key)
        except StorageError:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "the key database is unavailable\n")
        if key_id is None and key is None and path == TWILIO_PATH:
            key_id = ""  # Twilio cannot send headers: its key may come in the start event
        elif key_id is None and key is None and path in VOSK_PATHS and self.settings.vosk_open:
            key_id = ANONYMOUS
        if key_id is None:
            return _unauthorized(connection)
        if self.draining:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "the server is shutting down\n")
        if path in VOSK_PATHS:  # vosk-server clients cannot read an error frame: refuse here
            try:
                vosk_call_id(request.path)
            except ProtocolError as error:
                return connection.respond(HTTPStatus.BAD_REQUEST, error.message + "\n")
            refusal = self.admission.refusal("call", key_id)
        elif path in (TWILIO_PATH, AUDIOHOOK_PATH, FORK_PATH):
            refusal = self.admission.refusal("call", key_id)
        else:
            refusal = self.admission.refusal("chat", key_id)
            refusal = refusal if refusal and refusal.code == "too_many_sessions" else None
        if refusal is not None:
            self.metrics.errors.labels(refusal.code).inc()
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, refusal.message + "\n")
        self._keys[connection] = key_id
        return None

    def check_platform_signature(self, connection: ServerConnection, request: Request, path: str) -> Response | None:
        """X-Twilio-Signature on /twilio and HTTP message signatures on /audiohook, when the
        platform's secret is configured."""
        host = request.headers.get("Host", "")
        token = self.settings.twilio_auth_token
        if path == TWILIO_PATH and token:
            signature = request.headers.get("X-Twilio-Signature")
            if not any(twilio.signature_valid(token, f"{scheme}://{host}{request.path}", signature)
                       for scheme in ("wss", "ws")):
                return connection.respond(HTTPStatus.FORBIDDEN, "missing or invalid X-Twilio-Signature\n")
        secret = self.settings.audiohook_client_secret
        if path == AUDIOHOOK_PATH and secret:
            headers = {k.lower(): v for k, v in request.headers.raw_items()}
            try:
                audiohook.verify_signature(headers, request.path, host, headers.get("x-api-key", ""), secret)
            except ProtocolError as error:
                return connection.respond(HTTPStatus.UNAUTHORIZED, f"{error.message}\n")
        return None

    async def control_call(self, connection: ServerConnection, request: Request, path: str) -> Response:
        """``POST /v1/calls/{call_id}/pause`` or ``/resume``, for a live call of any adapter."""
        call_id, _, action = path[len(CALLS_PREFIX):].rpartition("/")
        if action not in ("pause", "resume") or not call_id:
            return connection.respond(HTTPStatus.NOT_FOUND, "use /v1/calls/{call_id}/pause or /resume\n")
        if request.method != "POST":
            response = connection.respond(HTTPStatus.METHOD_NOT_ALLOWED, "POST only\n")
            response.headers["Allow"] = "POST"
            return response
        key_id = await self.run_light(authenticate, self.storage, _presented_key(request))
        if key_id is None:
            return _unauthorized(connection)
        call = self.calls.get(call_id)
        if call is None or not call.belongs_to(key_id):  # another tenant's call: not even its existence
            return connection.respond(HTTPStatus.NOT_FOUND, "no live call with that id\n")
        paused = await call.control(action)
        body = encode({"call_id": call_id, "paused": paused, "position": call.position_s}).encode()
        return _response(HTTPStatus.OK, body, "application/json")

    def health(self) -> tuple[HTTPStatus, str]:
        """For load balancers: 200 ``ok`` takes new sessions; 503 ``starting``, ``draining``
        (SIGTERM: open sessions finish, new ones go elsewhere) or ``degraded`` (recognition
        behind: new sessions would slow every call here) does not."""
        if not self.ready:
            return HTTPStatus.SERVICE_UNAVAILABLE, "starting\n"
        if self.draining:
            return HTTPStatus.SERVICE_UNAVAILABLE, "draining\n"
        backlog = self.admission.backlog_s()
        if backlog > self.settings.max_backlog_s:
            return HTTPStatus.SERVICE_UNAVAILABLE, f"degraded: speech recognition is {backlog:.1f} s behind\n"
        return HTTPStatus.OK, "ok\n"

    async def instance_health(self) -> tuple[HTTPStatus, str]:
        """:meth:`health` of this process, or with several workers the instance's: the worst
        of theirs, and each worker's on a line of its own."""
        if self.peers is None:
            return self.health()
        return merge_health(await self.peers.ask_all("health", encode_health(*self.health())))

    async def instance_metrics(self) -> bytes:
        """This process's metrics, or with several workers every worker's, labelled ``worker``."""
        if self.peers is None:
            return self.metrics.exposition()
        return merge_expositions(await self.peers.ask_all("metrics", self.metrics.exposition()))

    async def answer_peer(self, request: str) -> bytes:
        return self.metrics.exposition() if request == "metrics" else encode_health(*self.health())

    def warm_up(self) -> None:
        """The first analysis (and the first recognizer) cost far more than the next ones:
        pay for them before saying ``ok``. Blocking: call it off the event loop."""
        self.redactor.redact("warm-up: nomor saya 0812 3456 7890, my name is Budi")
        if self.model is not None:
            from audio.transcriber import StreamingTranscriber

            StreamingTranscriber(self.model).accept(bytes(3200))
        self.ready = True

    async def handle(self, connection: ServerConnection) -> None:
        path = urlsplit(connection.request.path).path
        kind = {
            CHAT_PATH: ChatConnection, CALL_PATH: CallConnection, TWILIO_PATH: TwilioConnection,
            AUDIOHOOK_PATH: AudioHookConnection, FORK_PATH: ForkConnection,
            SUBSCRIBE_PATH: SubscribeConnection,
        }.get(path, VoskConnection)
        handler = kind(self, connection, self._keys.pop(connection, ""))
        self.connections.add(handler)
        try:
            await handler.serve()
        finally:
            self.connections.discard(handler)

    # --- watching: backlog, shedding, idle sessions -------------------------------------------

    async def watch(self) -> None:
        renewed = time.monotonic()
        while True:
            await asyncio.sleep(WATCH_INTERVAL_S)
            if self.chats_open and time.monotonic() - renewed > self.settings.session_lease_s / 3:
                renewed = time.monotonic()
                asyncio.ensure_future(self.renew_chats())
            if shed := self.admission.to_shed():
                logger.warning("recognition %.1f s behind: shedding the newest %d of %d calls",
                               self.admission.backlog_s(), len(shed), len(self.admission.calls))
                for handler in list(self.connections):
                    if isinstance(handler, _AudioConnection) and handler.ticket in shed:
                        self.metrics.shed.inc()
                        asyncio.ensure_future(handler.stop_early(
                            ProtocolError("overloaded", "the server fell behind and ended the newest "
                                          "call; what was sent is stored"), CloseCode.TRY_AGAIN_LATER))
            now = time.monotonic()
            for handler in list(self.connections):
                handler.check_idle(now, self.settings.idle_timeout_s)

    async def renew_chats(self) -> None:
        """Keep this instance's chat sessions its own (one statement for all of them)."""
        try:
            await self.run_light(self.storage.renew_chats, self.instance, self.settings.session_lease_s)
        except StorageError as error:
            logger.error("chat sessions not renewed: %s", error)

    async def purge_periodically(self) -> None:
        """Retention (policy file, console settings): delete what expired, on a thread."""
        while True:
            await asyncio.to_thread(self.purge_expired)
            await asyncio.sleep(self.settings.purge_interval_s)

    def purge_expired(self) -> dict[str, Any] | None:
        from console.governance import run_purge  # the console's tables and audit log too

        try:
            return run_purge(self.settings.db, self.redactor.config, self.settings.data_dir / "recordings",
                             actor="server", keyring=getattr(self.storage, "keyring", None), audit_empty=False)
        except (RedactorError, OSError) as error:  # names the operation, never a value
            logger.error("retention purge failed: %s", error)
            return None

    async def drain(self) -> None:
        """SIGTERM: every connection finishes its sessions and tells its client, then closes."""
        self.draining = True
        handlers = list(self.connections)
        if handlers:
            await asyncio.wait([asyncio.ensure_future(h.drain()) for h in handlers], timeout=DRAIN_TIMEOUT_S)


def select_subprotocol(connection: ServerConnection, offered: Sequence[str]) -> str | None:
    """Answer ``ws`` (Asterisk) or jambonz's protocol when offered (those clients reject an
    answer without one they offered); nothing otherwise, so no client sees one it did not ask
    for."""
    return next((p for p in SUBPROTOCOLS if p in offered), None)


def _presented_key(request: Request) -> str | None:
    """``Authorization: Bearer``, AudioHook's ``X-API-KEY``, the password of Basic auth
    (jambonz' ``wsAuth``), or ``?token=`` (Asterisk and Twilio cannot send headers)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    if header.lower().startswith("basic "):
        try:
            return base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")[2] or None
        except (ValueError, UnicodeDecodeError):
            return None
    if api_key := request.headers.get("X-API-KEY"):
        return api_key.strip()
    tokens = parse_qs(urlsplit(request.path).query).get("token")
    return tokens[0] if tokens else None


def _unauthorized(connection: ServerConnection) -> Response:
    response = connection.respond(HTTPStatus.UNAUTHORIZED, "missing or invalid API key\n")
    response.headers["WWW-Authenticate"] = 'Bearer realm="redactor"'
    return response


def _query(connection: ServerConnection) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(connection.request.path).query).items()}




def _response(status: HTTPStatus, body: bytes, content_type: str) -> Response:
    headers = Headers([("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return Response(status.value, status.phrase, headers, body)


class _Connection:
    """What the three websocket endpoints share: sending, one frame at a time, idle and drain."""

    def __init__(self, app: App, connection: ServerConnection, key_id: str) -> None:
        self.app = app
        self.ws = connection
        self.key_id = key_id
        self.busy = asyncio.Lock()  # one frame (or drain) at a time: order is kept
        self.closing = False
        self.last_frame = time.monotonic()

    async def send(self, message: dict[str, Any] | str) -> None:
        try:
            await self.ws.send(message if isinstance(message, str) else encode(message))
        except ConnectionClosed:
            pass  # the client left; what it sent is still finalised and stored

    async def send_error(self, error: ProtocolError) -> None:
        self.app.metrics.errors.labels(error.code).inc()
        await self.send(error_reply(error))

    async def serve(self) -> None:
        keepalive = asyncio.ensure_future(self.keepalive())
        try:
            self.waiting()
            async for frame in self.ws:
                self.last_frame = time.monotonic()
                self.received()
                async with self.busy:
                    if self.closing:
                        break
                    try:
                        if await self.on_frame(frame):
                            break
                    except ProtocolError as error:
                        if await self.on_error(error):
                            break
                self.waiting()
        except ConnectionClosed:
            pass
        finally:
            keepalive.cancel()
            async with self.busy:
                await self.finalise()  # disconnect or shutdown: what was received is kept

    async def keepalive(self) -> None:
        """Abort the connection when a ping gets no pong and nothing else came either, while
        we were not busy with the client's frames (then its pong may just be queued)."""
        while True:
            await asyncio.sleep(PING_INTERVAL_S)
            if self.busy.locked():
                continue
            sent = time.monotonic()
            try:
                pong = await self.ws.ping()
                await asyncio.wait_for(asyncio.shield(pong), PING_TIMEOUT_S)
            except ConnectionClosed:
                return
            except asyncio.TimeoutError:
                if self.last_frame < sent and not self.busy.locked():
                    logger.info("a client stopped answering pings: closing its connection")
                    if self.ws.transport is not None:
                        self.ws.transport.abort()  # the handler sees the loss and finalises
                    return

    async def on_frame(self, frame: str | bytes) -> bool:
        """Handle one frame; True when the connection is done."""
        raise NotImplementedError

    async def on_error(self, error: ProtocolError) -> bool:
        """A bad frame: tell the client and go on (True: the connection is done)."""
        await self.send_error(error)
        return False

    def waiting(self) -> None:
        """The connection is about to wait for the client's next frame."""

    def received(self) -> None:
        """A frame came."""

    async def finalise(self) -> None:
        """Store what is open without telling the client (it is gone)."""
        raise NotImplementedError

    async def wind_up(self) -> None:
        """Finish what is open and tell the client (shutdown, shedding)."""
        raise NotImplementedError

    async def stop_early(self, error: ProtocolError | None, code: int) -> None:
        async with self.busy:
            if self.closing:
                return
            self.closing = True
            if error is not None:
                await self.send_error(error)
            await self.wind_up()
        await self.ws.close(code)

    async def drain(self) -> None:
        await self.stop_early(None, CloseCode.GOING_AWAY)

    def check_idle(self, now: float, timeout: float) -> None:
        if now - self.last_frame > timeout and not self.closing:
            asyncio.ensure_future(self.stop_early(
                ProtocolError("idle_timeout", f"nothing received for {timeout:.0f} s"), CloseCode.NORMAL_CLOSURE))


# --- /v1/chat ----------------------------------------------------------------------------------

@dataclass(eq=False)
class _OpenChat:
    session: ChatSession
    ticket: Ticket
    first_seq: int
    last_message: float
    arrivals: deque[float] = field(default_factory=deque)  # when each message not yet out came
    ids: deque[str | None] = field(default_factory=deque)  # and its client id, if any
    stored_ids: set[str] = field(default_factory=set)  # client ids stored by this connection
    timer: asyncio.TimerHandle | None = None
    moved: bool = False  # another instance took the session over: stop writing to it


class ChatConnection(_Connection):
    def __init__(self, app: App, connection: ServerConnection, key_id: str) -> None:
        super().__init__(app, connection, key_id)
        self.chats: dict[str, _OpenChat] = {}  # by the client's session id
        self.unstored = 0  # segments emitted but not stored, not yet reported to the client

    async def on_frame(self, frame: str | bytes) -> bool:
        message = parse_chat(frame)
        if isinstance(message, ChatEnd):
            if message.session in self.chats:
                await self.end(message.session, notify=True)
            else:  # a chat closed before anyone wrote, or ended twice: nothing to flush
                await self.send({"type": "ended", "session": message.session, "messages": 0})
            return False
        chat = self.chats.get(message.session) or await self.open(message.session)
        chat.last_message = received = time.monotonic()
        if message.id is not None and await self.answered(message.session, chat, message.id):
            return False
        chat.arrivals.append(received)
        chat.ids.append(message.id)
        segments = await self.app.run_chat(self._accept, chat, message, received)
        await self.emit(message.session, segments)
        self.schedule(message.session)
        return False

    async def answered(self, session_id: str, chat: _OpenChat, message_id: str) -> bool:
        """A resent message: held here (its reply is on its way), or stored already, by this
        instance or one before (the stored reply goes out again, same seq and text)."""
        if message_id in chat.ids:
            return True
        if message_id not in chat.stored_ids and chat.first_seq == 0:
            return False  # new session, this lease: no one else stored anything in it
        try:
            stored = await self.app.run_light(self.app.storage.chat_reply, chat.session.session_id,
                                              self.app.stored_id(message_id))
        except StorageError:
            raise ProtocolError("storage_failed", "the database is unavailable; message not accepted") from None
        if stored is None:
            return False
        await self.send({**redacted_reply(session_id, stored, message_id), "replayed": True})
        return True

    async def open(self, session_id: str) -> _OpenChat:
        stored_id = self.app.stored_id(session_id)
        ticket = await self.admitted(stored_id)
        try:
            resume = await self.claim(stored_id)
        except BaseException as error:
            self.app.release(ticket)
            if isinstance(error, StorageError):
                raise ProtocolError("storage_failed", "the database is unavailable; message not accepted") from None
            raise
        if resume is None:
            self.app.release(ticket)
            raise ProtocolError("session_in_use", "this session is open on another server (waited "
                                f"{self.app.settings.session_lease_s:.0f} s): end it there first")
        self.app.chats_open += 1
        session = resumed_session(stored_id, self.app, resume)
        self.chats[session_id] = chat = _OpenChat(session, ticket, resume.next_seq, time.monotonic())
        return chat

    async def admitted(self, stored_id: str) -> Ticket:
        """An admission ticket; a session still open on another connection here is waited for
        a moment (a client that reconnected before its old connection was finalised)."""
        give_up = time.monotonic() + LOCAL_HANDOVER_S
        while True:
            try:
                return self.app.admit("chat", self, stored_id)
            except ProtocolError as error:
                if error.code != "session_in_use" or time.monotonic() > give_up or self.closing:
                    raise
            await asyncio.sleep(CLAIM_RETRY_S)

    async def claim(self, stored_id: str) -> ChatResume | None:
        """The session's lease, waiting (frames behind this one wait too, so order is kept)
        while another instance may still let it go: its connection closing (a client that
        reconnected through the balancer) or its lease running out (a dead instance)."""
        lease = self.app.settings.session_lease_s
        give_up = time.monotonic() + lease + 1.0
        while True:
            resume = await self.app.run_light(self.app.storage.claim_chat, stored_id, self.app.instance,
                                              lease, CONTEXT_MESSAGES)
            if resume is not None or time.monotonic() > give_up or self.closing:
                return resume
            await asyncio.sleep(CLAIM_RETRY_S)

    def _accept(self, chat: _OpenChat, message: ChatMessage, now: float) -> list[tuple[Segment, str | None]]:
        return self._stored(chat, chat.session.accept(message.speaker, message.text, now))

    def _flush(self, chat: _OpenChat) -> list[tuple[Segment, str | None]]:
        return self._stored(chat, chat.session.flush())

    def _stored(self, chat: _OpenChat, segments: list[Segment]) -> list[tuple[Segment, str | None]]:
        """Store each segment with its message's client id; returns them with that id when
        stored (the client's acknowledgement), None otherwise."""
        cues = json.dumps(chat.session.cues())
        out: list[tuple[Segment, str | None]] = []
        for segment in segments:
            client_id = chat.ids.popleft()
            stored_id = None if client_id is None else self.app.stored_id(client_id)
            save = functools.partial(self._save, chat, segment, stored_id, cues)
            if self.app.store(segment, save):
                if client_id is not None:
                    chat.stored_ids.add(client_id)
                out.append((segment, client_id))
            else:
                self.unstored += 1
                out.append((segment, None))
        return out

    def _save(self, chat: _OpenChat, segment: Segment, message_id: str | None, cues: str) -> None:
        try:
            self.app.storage.save_chat_message(segment, self.app.instance, message_id, cues)
        except ChatMoved:
            chat.moved = True
            raise

    def schedule(self, session_id: str) -> None:
        """Emit a held-back message when its delay runs out."""
        chat = self.chats[session_id]
        if chat.timer:
            chat.timer.cancel()
            chat.timer = None
        if chat.session.deadline is not None:
            delay = max(chat.session.deadline - time.monotonic(), 0.0)
            chat.timer = asyncio.get_running_loop().call_later(
                delay, lambda: asyncio.ensure_future(self.flush_due(session_id, chat)))

    async def flush_due(self, session_id: str, chat: _OpenChat) -> None:
        async with self.busy:
            if chat.session.deadline is None or self.chats.get(session_id) is not chat:
                return
            segments = await self.app.run_chat(self._flush, chat)
            await self.emit(session_id, segments)

    async def end(self, session_id: str, notify: bool, announce: bool = True) -> None:
        """Flush and close a session; ``notify``: send what the flush emitted, and (``announce``)
        ``ended``."""
        chat = self.chats.pop(session_id)
        if chat.timer:
            chat.timer.cancel()
        try:
            segments = await self.app.run_chat(self._flush, chat)
        finally:
            await self.let_go(chat)
        if notify:
            await self.emit(session_id, segments, chat)
        if notify and announce:
            # The whole session, resumed connections included: its seq counts from 0.
            await self.send({"type": "ended", "session": session_id,
                             "messages": chat.first_seq + chat.session.emitted})

    async def let_go(self, chat: _OpenChat) -> None:
        """Release the session's lease (leaving its cue state) and its admission ticket."""
        self.app.chats_open -= 1
        self.app.release(chat.ticket)
        if chat.moved:
            return
        try:
            await self.app.run_light(self.app.storage.release_chat, chat.session.session_id,
                                     self.app.instance, json.dumps(chat.session.cues()))
        except StorageError as error:  # the lease runs out by itself
            logger.error("chat session not released: %s", error)

    async def emit(self, session_id: str, segments: list[tuple[Segment, str | None]],
                   chat: _OpenChat | None = None) -> None:
        chat = chat or self.chats[session_id]
        for segment, client_id in segments:
            await self.send(redacted_reply(session_id, segment, client_id))
            self.app.metrics.latency.labels("chat").observe(time.monotonic() - chat.arrivals.popleft())
        if self.unstored:
            count, self.unstored = self.unstored, 0
            await self.send(error_reply(ProtocolError(
                "storage_failed", f"{count} masked message(s) sent but not stored: database error")))
        if chat.moved and self.chats.get(session_id) is chat:
            # Another instance owns the session now: forget it here; the next message claims again.
            await self.end(session_id, notify=True, announce=False)

    async def finalise(self) -> None:
        for session_id in list(self.chats):
            await self.end(session_id, notify=False)

    async def wind_up(self) -> None:
        for session_id in list(self.chats):
            await self.end(session_id, notify=True)

    def check_idle(self, now: float, timeout: float) -> None:
        """An idle session is ended (flushed, stored, ``ended`` sent): a resumed one continues
        its seq. A connection idle with no session open is closed."""
        for session_id, chat in list(self.chats.items()):
            if now - chat.last_message > timeout:
                asyncio.ensure_future(self._end_idle(session_id, chat))
        if not self.chats:
            super().check_idle(now, timeout)

    async def _end_idle(self, session_id: str, chat: _OpenChat) -> None:
        async with self.busy:
            if self.chats.get(session_id) is chat:
                await self.end(session_id, notify=True)


def redacted_reply(session_id: str, segment: Segment, client_id: str | None) -> dict[str, Any]:
    """A masked chat message; ``id``: the client's message id, sent once the message is stored."""
    reply: dict[str, Any] = {
        "type": "redacted", "session": session_id, "seq": segment.seq, "speaker": segment.speaker,
        "text": segment.text, "entities": [e.as_json() for e in segment.entities],
    }
    if client_id is not None:
        reply["id"] = client_id
    return reply


def resumed_session(stored_id: str, app: App, resume: ChatResume) -> ChatSession:
    """A chat session carrying on from storage: its seq, its last turns (masked) as cues, and
    the cue state its last owner left (malformed state is ignored: the masking stays eager)."""
    try:
        cues = json.loads(resume.cues)
    except ValueError:
        cues = None
    return ChatSession(stored_id, app.redactor, holdback_s=app.settings.holdback_s, first_seq=resume.next_seq,
                       context=[(s.speaker, s.text) for s in resume.context],
                       cues=cues if isinstance(cues, dict) else None)


# --- calls: /v1/call, the vosk-server protocol and the telephony adapters -------------------------

def call_event(call_id: str, event: MaskedPartial | MaskedFinal) -> dict[str, Any]:
    """A masked call event as ``/v1/call``, ``/v1/subscribe`` and the webhook send it."""
    if isinstance(event, MaskedPartial):
        return {"type": "partial", "call_id": call_id, "speaker": event.speaker, "text": event.text}
    segment = event.segment
    return {
        "type": "final", "call_id": call_id, "seq": segment.seq, "speaker": segment.speaker,
        "start": segment.start_s, "end": segment.end_s, "text": segment.text,
        "entities": [e.as_json() for e in segment.entities],
        "words": [
            {"word": w.text, "start": w.start, "end": w.end, "speaker": segment.speaker,
             **({"entity": w.entity} if w.entity else {})}
            for w in event.words
        ],
    }


class _AudioConnection(_Connection):
    """One call over any audio endpoint. Audio is decoded and recognised in batches of
    ``BATCH_SECONDS`` (telephony sends 20 ms frames: one worker-thread hop and one Vosk call
    per batch, not per frame). Every event is published to subscribers (and finals to the
    webhook); ``replies`` says whether the client also reads them on this socket."""

    replies = True

    def __init__(self, app: App, connection: ServerConnection, key_id: str) -> None:
        super().__init__(app, connection, key_id)
        self.pipeline: CallPipeline | None = None
        self.ticket: Ticket | None = None
        self.finished = False
        self.batch = bytearray()
        # One pipeline operation at a time: frames (under ``busy``) and an HTTP pause or resume.
        self.lock = asyncio.Lock()

    @property
    def call_id(self) -> str:
        assert self.pipeline is not None
        return self.pipeline.start.call_id

    @property
    def position_s(self) -> float:
        return self.pipeline.position_s if self.pipeline is not None else 0.0

    async def begin(self, start: CallStart, **options: Any) -> None:
        if self.app.model is None:
            raise ProtocolError("model_unavailable",
                                "no speech model is loaded: start the server with --vosk-model")
        stored_id = self.app.stored_id(start.call_id)
        self.ticket = self.app.admit("call", self, stored_id)
        try:
            self.pipeline = await self.app.run_light(self._new_pipeline, start, stored_id, options)
        except BaseException as error:
            self.app.release(self.ticket)
            self.ticket = None
            if isinstance(error, StorageError):
                raise ProtocolError("storage_failed", "the database is unavailable; call not started") from None
            raise
        self.app.calls[start.call_id] = self

    def _new_pipeline(self, start: CallStart, stored_id: str, options: dict[str, Any]) -> CallPipeline:
        """Database first, file last: a failure leaves no recording file behind, and a call
        gets one file at most. The file is named by the server, never by the client's id."""
        assert self.app.model is not None
        first_seq = self.app.storage.next_seq(stored_id, "call")
        recordings = self.app.settings.data_dir / "recordings"
        recordings.mkdir(parents=True, exist_ok=True)
        seal = None
        if self.app.storage.keyring is not None:  # sealed with the conversation's data key
            seal = RecordingSeal(self.app.storage.data_key(stored_id, create=True), stored_id)
        path = recordings / f"{uuid.uuid4().hex}.wav{SEALED_SUFFIX if seal else ''}"
        mode = self.app.settings.audio_redaction
        self.app.storage.start_recording(Recording(stored_id, str(path), start.sample_rate,
                                                   start.channels, 0.0, mode, ()))
        recording = RedactedRecording(path, start.sample_rate, start.channels, mode=mode, seal=seal)
        try:
            transcript = CallTranscript(stored_id, self.app.redactor, start.speakers, start.language,
                                        first_seq)
            return CallPipeline(start, self.app.model, transcript, recording, self.app.store, **options)
        except BaseException:
            recording.discard()
            raise

    async def call_pipeline(self, method: Callable[..., T], *args: Any) -> T:
        async with self.lock:
            return await self.app.run(method, *args)

    async def add_audio(self, payload: bytes) -> None:
        """Audio for the call (whole samples, checked by the caller); recognised per batch."""
        assert self.pipeline is not None and self.ticket is not None
        start = self.pipeline.start
        self.batch += payload
        if len(self.batch) >= BATCH_SECONDS * start.sample_rate * start.bytes_per_frame:
            await self.feed_batch()

    async def feed_batch(self) -> None:
        if self.batch and self.pipeline is not None and not self.finished:
            batch, self.batch = bytes(self.batch), bytearray()
            await self.deliver(await self.feed(batch))

    async def feed(self, payload: bytes) -> list:
        assert self.pipeline is not None and self.ticket is not None
        try:
            events = await self.call_pipeline(self.pipeline.feed, payload)
        except AudioFormatError as error:
            raise ProtocolError("bad_audio", str(error)) from None
        finally:
            self.app.admission.audio_recognised(self.ticket, self.pipeline.audio_seconds,
                                                self.pipeline.cpu_seconds)
        self.app.metrics.audio_seconds.inc(len(payload) / self.pipeline.start.bytes_per_frame
                                           / self.pipeline.start.sample_rate)
        return events

    async def deliver(self, events: list) -> None:
        """Masked events to this client (if it reads them) and to subscribers."""
        for event in events:
            message = call_event(self.call_id, event)
            if self.replies:
                await self.send(message)
            self.app.publish(self, message)
            self.app.metrics.observe_emitted(event)

    async def control(self, action: str) -> bool:
        """Pause or resume the call (``/v1/call``, AudioHook, ``POST /v1/calls/...``); the
        audio received before it is not affected. Returns whether the call is now paused."""
        assert self.pipeline is not None
        await self.feed_batch()
        await self.call_pipeline(self.pipeline.pause if action == "pause" else self.pipeline.resume)
        return self.pipeline.paused

    async def keypad(self, channel: int, at_s: float | None = None) -> None:
        """A DTMF event from the platform: a ``<DTMF>`` entry, never the digit."""
        assert self.pipeline is not None
        await self.feed_batch()
        await self.deliver(await self.call_pipeline(self.pipeline.keypad, channel, at_s))

    async def finish(self) -> list[MaskedFinal]:
        """Flush, store the recording, release the session: once, however the call ends."""
        if self.pipeline is None or self.finished:
            return []
        await self.feed_batch()  # the audio received last is part of the call too
        self.finished = True
        if self.app.calls.get(self.call_id) is self:
            del self.app.calls[self.call_id]
        finals: list[MaskedFinal] = []
        try:
            finals, info = await self.call_pipeline(self.pipeline.finish)
            if info is not None:
                await self.app.run_light(self.app.storage.save_recording, Recording(
                    self.app.stored_id(self.call_id), str(info.path), info.sample_rate,
                    info.channels, info.duration_s, info.mode, info.spans))
        except StorageError as error:  # the WAV is on disk; its row says "recording"
            logger.error("recording of a call not registered: %s", error)
            self.app.metrics.errors.labels("storage_failed").inc()
        finally:
            assert self.ticket is not None
            self.app.release(self.ticket)
        for final in finals:
            self.app.publish(self, call_event(self.call_id, final))
        return finals

    async def finalise(self) -> None:
        await self.finish()

    async def wind_up(self) -> None:
        """Shutdown or shedding: the call is finished and stored (platforms read no replies)."""
        await self.finish()

    def belongs_to(self, key_id: str) -> bool:
        """Whether a holder of ``key_id`` may follow or pause this call: its own key's calls
        only (calls of vosk-server clients let in without a key, every key's)."""
        return key_id == self.key_id or self.key_id == ANONYMOUS

    def waiting(self) -> None:
        if self.ticket is not None:
            self.app.admission.waiting(self.ticket)

    def received(self) -> None:
        if self.ticket is not None:
            self.app.admission.received(self.ticket)


class CallConnection(_AudioConnection):
    """``/v1/call``."""

    async def on_frame(self, frame: str | bytes) -> bool:
        message = parse_call(frame, started=self.pipeline is not None)
        if isinstance(message, CallStart):
            await self.begin(message)
            await self.send({"type": "started", "call_id": message.call_id})
            return False
        assert self.pipeline is not None
        if isinstance(message, Audio):
            check_audio(message.payload, self.pipeline.start.bytes_per_frame)  # refused alone, batch kept
            await self.add_audio(message.payload)
            return False
        if isinstance(message, (CallPause, CallResume)):
            paused = await self.control("pause" if isinstance(message, CallPause) else "resume")
            await self.send({"type": "paused" if paused else "resumed", "call_id": self.call_id,
                             "position": self.position_s})
            return False
        assert isinstance(message, CallStop)
        await self.wind_up()
        await self.ws.close()
        return True

    async def wind_up(self) -> None:
        """The last finals, then ``stopped``: on ``stop``, shutdown and shedding alike."""
        if self.pipeline is None or self.finished:
            return
        for final in await self.finish():
            await self.send(call_event(self.call_id, final))
        await self.send({"type": "stopped", "call_id": self.call_id})


class VoskConnection(_AudioConnection):
    """alphacep vosk-server's protocol: one reply per audio frame, ``{"partial": ...}`` or
    ``{"result": [...], "text": ...}`` (``{"alternatives": [...]}`` with ``max_alternatives``);
    ``{"eof" : 1}`` gets the last result and ends."""

    replies = False  # it gets its own replies, one per frame

    def __init__(self, app: App, connection: ServerConnection, key_id: str) -> None:
        super().__init__(app, connection, key_id)
        self.config = VoskConfig(app.settings.vosk_sample_rate, True, None, 0)
        self.partial = ""

    async def on_frame(self, frame: str | bytes) -> bool:
        message = parse_vosk(frame)
        if isinstance(message, VoskConfig):
            if self.pipeline is not None:
                raise ProtocolError("config_after_audio", "config must come before the first audio frame")
            self.config = replace(self.config, **{k: v for k, v in vars(message).items() if v is not None})
            return False
        if self.pipeline is None:
            await self.begin(self.stream_start(), phrases=self.config.phrase_list,
                             max_alternatives=self.config.max_alternatives or 0)
        if isinstance(message, Audio):
            events = await self.feed(message.payload)
            await self.send(self.reply(events))
            await self.deliver(events)
            return False
        if isinstance(message, VoskReset):
            assert self.pipeline is not None
            finals = await self.call_pipeline(self.pipeline.end_utterances)
            await self.deliver(finals)
            await self.send(self.final_reply(finals))
            return False
        assert isinstance(message, VoskEof)
        await self.wind_up()
        await self.ws.close()
        return True

    async def wind_up(self) -> None:
        if self.pipeline is not None and not self.finished:
            await self.send(self.final_reply(await self.finish()))

    def stream_start(self) -> CallStart:
        call_id = vosk_call_id(self.ws.request.path) or f"vosk-{uuid.uuid4().hex[:12]}"
        return CallStart(call_id, self.config.sample_rate or VOSK_DEFAULT_SAMPLE_RATE, "pcm_s16le", 1,
                         ("customer",), "auto")

    def reply(self, events: list) -> dict[str, Any]:
        finals = [e for e in events if isinstance(e, MaskedFinal)]
        if finals:
            self.partial = ""
            return self.final_reply(finals)
        for event in events:
            self.partial = event.text
        return {"partial": self.partial}

    def final_reply(self, finals: list[MaskedFinal]) -> dict[str, Any]:
        finals = [f for f in finals if f.segment.speaker != "call"]  # a pause is not speech here
        if self.config.max_alternatives:
            return {"alternatives": self.alternatives(finals)}
        words = [w for final in finals for w in final.words]
        text = " ".join(final.segment.text for final in finals if final.segment.text)
        if not self.config.words or not words:
            return {"text": text}
        return {
            "result": [{"conf": w.conf, "end": w.end, "start": w.start, "word": w.text} for w in words],
            "text": text,
        }

    def alternatives(self, finals: list[MaskedFinal]) -> list[dict[str, Any]]:
        """vosk-server's n-best form, every hypothesis masked. Several finals in one reply
        (rare) are joined hypothesis by hypothesis."""
        lists = [f.alternatives or (MaskedAlternative(f.segment.text, f.words, 1.0),) for f in finals] \
            or [(MaskedAlternative("", (), 0.0),)]
        out = []
        for i in range(max(len(hypotheses) for hypotheses in lists)):
            picked = [hypotheses[min(i, len(hypotheses) - 1)] for hypotheses in lists]
            entry: dict[str, Any] = {"confidence": sum(p.confidence for p in picked)}
            if self.config.words:
                entry["result"] = [{"end": w.end, "start": w.start, "word": w.text} for p in picked for w in p.words]
            entry["text"] = " ".join(p.text for p in picked if p.text)
            out.append(entry)
        return out


class TwilioConnection(_AudioConnection):
    """Twilio Media Streams (``telephony.twilio``): ``inbound`` is the customer's channel,
    ``outbound`` the agent's. The platform reads none of our replies: errors are counted and
    logged (by code), and a stream that never authenticates is closed."""

    replies = False

    def __init__(self, app: App, connection: ServerConnection, key_id: str) -> None:
        super().__init__(app, connection, key_id)
        self.authorized = bool(key_id)  # a key in the URL, checked at the handshake
        self.aligner: twilio.TrackAligner | None = None

    async def on_frame(self, frame: str | bytes) -> bool:
        event = twilio.parse(frame)
        if isinstance(event, twilio.Start):
            return await self.start(event)
        if isinstance(event, (twilio.Connected, twilio.Mark)):
            return False
        if self.aligner is None:
            raise ProtocolError("not_started", "media, dtmf or stop before start")
        if isinstance(event, twilio.Media):
            await self.add_audio(self.aligner.add(event))
        elif isinstance(event, twilio.Dtmf):
            await self.keypad(self.aligner.tracks.index(event.track), self.aligner.track_end_s(event.track))
        else:  # Stop
            await self.add_audio(self.aligner.flush())
            await self.finish()
            await self.ws.close()
            return True
        return False

    async def start(self, event: twilio.Start) -> bool:
        if self.aligner is not None:
            raise ProtocolError("already_started", "a second start on one stream")
        if not self.authorized:
            key_id = await self.app.run_light(authenticate, self.app.storage, event.custom_parameters.get("token"))
            if key_id is None:
                self.app.metrics.errors.labels("unauthorized").inc()
                await self.ws.close(CloseCode.POLICY_VIOLATION, "missing or invalid API key")
                return True
            self.key_id, self.authorized = key_id, True
        language = event.custom_parameters.get("language", "auto")
        await self.begin(CallStart(event.call_sid, 8000, event.encoding, len(event.tracks),
                                   tuple(twilio.SPEAKERS[t] for t in event.tracks),
                                   language if language in ("id", "en") else "auto"))
        self.aligner = twilio.TrackAligner(event.tracks, event.encoding)
        return False

    async def on_error(self, error: ProtocolError) -> bool:
        self.app.metrics.errors.labels(error.code).inc()
        logger.warning("twilio stream: %s (%s)", error.code, error.message)
        return False


class AudioHookConnection(_AudioConnection):
    """Genesys AudioHook v2 (``telephony.audiohook``). A protocol violation is fatal: the
    session answers ``disconnect`` and the connection closes; what was received is kept."""

    replies = False

    def __init__(self, app: App, connection: ServerConnection, key_id: str) -> None:
        super().__init__(app, connection, key_id)
        self.session = audiohook.AudioHookSession()

    async def on_frame(self, frame: str | bytes) -> bool:
        if isinstance(frame, bytes):
            audio = self.session.receive_audio(frame)
            if self.pipeline is not None:
                await self.add_audio(audio)
            return False
        for event in self.session.receive_text(frame):
            if await self.on_event(event):
                return True
        return False

    async def on_event(self, event: audiohook.Event) -> bool:
        if isinstance(event, audiohook.Send):
            await self.send(event.text)
        elif isinstance(event, audiohook.SessionOpened) and not event.probe:
            await self.begin(CallStart(event.conversation_id, audiohook.SAMPLE_RATE, "mulaw",
                                       len(event.channels),
                                       tuple(audiohook.SPEAKERS[c] for c in event.channels), event.language))
        elif self.pipeline is None:
            return isinstance(event, audiohook.SessionClosed)
        elif isinstance(event, audiohook.ClientPaused):
            await self.control("pause")
        elif isinstance(event, (audiohook.ClientResumed, audiohook.AudioDiscarded)):
            await self.feed_batch()  # the gap goes after the audio received before it
            await self.deliver(await self.call_pipeline(self.pipeline.feed_silence, event.discarded_s))
            if isinstance(event, audiohook.ClientResumed):
                await self.control("resume")
        elif isinstance(event, audiohook.LanguageChanged):
            await self.feed_batch()  # the audio before the update keeps the old language
            await self.call_pipeline(self.pipeline.set_language, event.language)
        elif isinstance(event, audiohook.SessionClosed):
            await self.finish()
            return True
        return False

    async def control(self, action: str) -> bool:
        """Ours or Genesys': pause at once, and tell the client when the request is ours."""
        paused = await super().control(action)
        wanted = action == "pause"
        if (self.session.state == "paused") != wanted:
            message = self.session.pause() if wanted else self.session.resume()
            if message is not None:
                await self.send(message.text)
        return paused

    async def on_error(self, error: ProtocolError) -> bool:
        self.app.metrics.errors.labels(error.code).inc()
        if (message := self.session.disconnect("error", error.message)) is not None:
            await self.send(message.text)
        await self.ws.close()
        return True


class ForkConnection(_AudioConnection):
    """FreeSWITCH ``mod_audio_fork`` and jambonz ``listen`` (``telephony.fork``): metadata,
    then L16 audio; jambonz may send ``dtmf`` text frames."""

    replies = False

    async def on_frame(self, frame: str | bytes) -> bool:
        if self.pipeline is None:
            query = _query(self.ws)
            start = fork.parse_metadata(frame, query) if isinstance(frame, str) else fork.start_from_query(query)
            await self.begin(CallStart(start.call_id or f"fork-{uuid.uuid4().hex[:12]}", start.sample_rate,
                                       "pcm_s16le", start.channels, start.speakers, start.language))
            if isinstance(frame, str):
                return False
        if isinstance(frame, bytes):
            audio = parse_call(frame, started=True)
            assert isinstance(audio, Audio) and self.pipeline is not None
            check_audio(audio.payload, self.pipeline.start.bytes_per_frame)
            await self.add_audio(audio.payload)
        elif fork.parse_text(frame) is not None:
            await self.keypad(0)
        return False

    async def on_error(self, error: ProtocolError) -> bool:
        self.app.metrics.errors.labels(error.code).inc()
        logger.warning("fork stream: %s (%s)", error.code, error.message)
        return self.pipeline is None  # bad metadata: no call to go on with


# --- live masked transcripts out ---------------------------------------------------------------

@dataclass(eq=False)
class Subscriber:
    call_id: str | None  # None: every call (of its key)
    key_id: str
    queue: asyncio.Queue


class SubscribeConnection(_Connection):
    """``/v1/subscribe[?call_id=]``: the masked partials and finals of one call or all calls,
    from every endpoint, as ``/v1/call`` sends them."""

    def check_idle(self, now: float, timeout: float) -> None:
        pass  # a subscriber only listens

    async def wind_up(self) -> None:
        pass

    async def finalise(self) -> None:
        pass

    async def serve(self) -> None:
        call_id = _query(self.ws).get("call_id")
        subscriber = Subscriber(call_id, self.key_id, asyncio.Queue(SUBSCRIBER_QUEUE))
        self.app.subscribers.add(subscriber)
        closed = asyncio.ensure_future(self.ws.wait_closed())
        try:
            await self.ws.send(encode({"type": "subscribed", "call_id": call_id}))
            while True:
                getter = asyncio.ensure_future(subscriber.queue.get())
                done, _ = await asyncio.wait({getter, closed}, return_when=asyncio.FIRST_COMPLETED)
                if closed in done:
                    getter.cancel()
                    break
                await self.ws.send(getter.result())
        except ConnectionClosed:
            pass
        finally:
            self.app.subscribers.discard(subscriber)
            closed.cancel()


class Webhook:
    """POSTs each masked final to the configured URL, signed (``telephony.webhook``), one at
    a time and in order, off the event loop; retried with backoff while the receiver is
    unreachable or busy, then dropped and counted (statuses only in logs and metrics)."""

    def __init__(self, app: App, url: str, secret: str,
                 retry_delays_s: Sequence[float] = webhook.RETRY_DELAYS_S) -> None:
        self.app, self.url, self.secret = app, url, secret
        self.retry_delays_s = tuple(retry_delays_s)
        self.queue: asyncio.Queue[str] | None = None
        self.task: asyncio.Task | None = None

    def post(self, body: str) -> None:
        if self.queue is None:
            self.queue = asyncio.Queue()
            self.task = asyncio.ensure_future(self._run())
        if self.queue.qsize() >= webhook.MAX_QUEUED:
            self.queue.get_nowait()  # the receiver has been down long: the oldest goes
            self.queue.task_done()
            self._dropped("queue full")
        self.queue.put_nowait(body)

    async def _run(self) -> None:
        assert self.queue is not None
        while True:
            body = await self.queue.get()
            try:
                await self._deliver(body.encode())
            finally:
                self.queue.task_done()

    async def _deliver(self, body: bytes) -> None:
        for attempt, delay in enumerate((*self.retry_delays_s, None), start=1):
            status = await self.app.run(self._send, body)
            if webhook.delivered(status):
                return
            if delay is None or not webhook.worth_retrying(status):
                self._dropped(f"after {attempt} attempt(s), last: {status or 'no answer'}")
                return
            self.app.metrics.errors.labels("webhook_retried").inc()
            await asyncio.sleep(delay)

    def _send(self, body: bytes) -> int | None:
        """The receiver's HTTP status, or None when it did not answer."""
        return webhook.post(self.url, body, webhook.headers(self.secret, body), timeout_s=5)

    def _dropped(self, why: str) -> None:
        logger.error("webhook: a final was not delivered (%s)", why)
        self.app.metrics.errors.labels("webhook_failed").inc()

    async def drain(self, timeout: float = 5.0) -> None:
        if self.queue is not None:
            try:
                await asyncio.wait_for(self.queue.join(), timeout)
            except asyncio.TimeoutError:
                logger.error("webhook: %d final(s) not delivered at shutdown", self.queue.qsize())
        if self.task is not None:
            self.task.cancel()


# --- start-up ------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redactor-server",
        description="Serve live PII redaction over websockets: chat at /v1/chat, calls at /v1/call, "
                    "vosk-server clients at / and /vosk, Twilio Media Streams at /twilio, Genesys "
                    "AudioHook at /audiohook, mod_audio_fork and jambonz at /fork, live masked "
                    "transcripts at /v1/subscribe; GET /healthz and /metrics. Only masked text "
                    "and masked recordings are stored.",
    )
    add = parser.add_argument
    add("--host", default=Settings.host, help="Address to listen on (default: %(default)s).")
    add("--port", type=int, default=Settings.port, help="Port to listen on; 0 picks a free one "
        "(default: %(default)s).")
    add("--db", default=os.environ.get("REDACTOR_DB", Settings.db),
        help="SQLite file or postgresql:// URL for masked transcripts and API keys "
             "(default: $REDACTOR_DB, else data/redactor.db).")
    add("--data-dir", type=Path, default=Settings.data_dir,
        help="Directory for redacted call recordings, written owner-only (default: data/).")
    add("--vosk-model", help="Vosk model directory (default: $REDACTOR_VOSK_MODEL, else an installed "
        "vosk-model-* package). Without one, only chat works.")
    add("--config", help="Policy file (YAML or TOML) choosing how each entity type is masked.")
    add("--certfile", help="TLS certificate (PEM), to serve wss:// and https://; needs --keyfile.")
    add("--keyfile", help="TLS private key (PEM) for --certfile.")
    add("--holdback", type=float, default=Settings.holdback_s,
        help="Seconds a chat message that may continue (digits, a name) waits for the next one "
             "(default: %(default)s).")
    add("--workers", type=int, default=available_cores(),
        help="Server processes sharing the port and the limits below; 1 serves from this "
             "process alone (default: the cores available, here %(default)s).")
    add("--no-pin", action="store_true",
        help="Let the system move each worker's event loop and chat thread between cores (by "
             "default, with more cores than workers, each worker keeps them on a core of its own: "
             "less CPU per chat message).")
    add("--threads", type=int, help="Threads per worker process for speech recognition, which "
        "releases the GIL (detection has one of its own; default: two per core over the "
        "workers, at least 4).")
    add("--max-sessions", type=int, default=Settings.max_sessions,
        help="Open chat sessions and calls together, at most, for the whole instance "
             "(default: %(default)s).")
    add("--max-calls", type=int,
        help="Calls recognised at once, at most; more are refused with 'capacity' (default: "
             "measured from the speech model's CPU cost per second of audio on this machine, "
             f"starting at 4 per core, here {default_max_calls()}).")
    add("--max-sessions-per-key", type=int, help="Chat sessions one API key may hold open "
        "(default: three quarters of --max-sessions).")
    add("--max-calls-per-key", type=int, help="Calls one API key may hold open (default: three "
        "quarters of --max-calls).")
    add("--max-backlog", type=float, default=Settings.max_backlog_s,
        help="Seconds speech recognition may fall behind before /healthz says degraded and the "
             "newest call is shed (default: %(default)s).")
    add("--idle-timeout", type=float, default=Settings.idle_timeout_s,
        help="Seconds without a frame after which a chat session is ended or a call stopped "
             "(default: %(default)s).")
    add("--vosk-sample-rate", type=int, default=Settings.vosk_sample_rate,
        help="Sample rate assumed on / and /vosk when a client sends no config (default: %(default)s).")
    add("--audio-redaction", choices=("silence", "tone"), default=Settings.audio_redaction,
        help="What replaces masked words in recordings (default: %(default)s).")
    add("--twilio-auth-token", default=os.environ.get("REDACTOR_TWILIO_AUTH_TOKEN"),
        help="Check X-Twilio-Signature on /twilio with this auth token (default: "
             "$REDACTOR_TWILIO_AUTH_TOKEN; unset: not checked).")
    add("--audiohook-client-secret", default=os.environ.get("REDACTOR_AUDIOHOOK_CLIENT_SECRET"),
        help="Check AudioHook's HTTP message signatures with the integration's client secret "
             "(default: $REDACTOR_AUDIOHOOK_CLIENT_SECRET; unset: not checked).")
    add("--webhook-url", default=os.environ.get("REDACTOR_WEBHOOK_URL"),
        help="POST each masked final here, signed with $REDACTOR_WEBHOOK_SECRET.")
    add("--vosk-no-auth", action="store_true",
        help="Let vosk-server clients on / and /vosk in without a key (a trusted network only).")
    add("--session-lease", type=float, default=15.0, metavar="SECONDS",
        help="Instances sharing a database: a chat session stays this instance's this long after "
             "it last renewed it (every third of it); after a crash, another instance takes the "
             "session over this much later (default: %(default)s).")
    add("--storage-key-file",
        help=f"Encrypt stored transcripts and recordings (AES-256-GCM) under the master keys in this "
             f"file: key_id:base64 lines, the first active (default: ${KEY_FILE_ENV}; ${KEY_ENV} "
             "holds the same entries directly). `redactor storage generate-key` makes one.")
    add("--purge-interval", type=float, default=Settings.purge_interval_s,
        help="Seconds between retention purges (the periods are in the policy file's [retention] "
             "and the console's settings); 0 turns the purge off (default: %(default)s).")
    add("--hash-ids", action="store_true",
        help=f"Store session and call ids as HMAC-SHA256 under ${ID_KEY_ENV} (at least "
             f"{MIN_ID_KEY_CHARS} characters), for ids that are phone numbers.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="redactor-server: %(message)s", stream=sys.stderr)
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)  # one line per recognizer
    if bool(args.certfile) != bool(args.keyfile):
        print("redactor-server: --certfile and --keyfile go together", file=sys.stderr)
        return 2
    try:
        settings = settings_from(args)
        tls = tls_context(args.certfile, args.keyfile)
        storage = open_instance_storage(settings)
        try:
            redactor, model = load_models(settings, args.config, args.vosk_model)
            announce_keys(storage)
        except BaseException:
            storage.close()
            raise
    except (RedactorError, ModelUnavailableError, OSError, ssl.SSLError) as exc:
        print(f"redactor-server: {exc}", file=sys.stderr)
        return 2
    try:
        if settings.workers > 1:
            storage.close()  # each worker opens its own connection
            return serve_workers(settings, redactor, model, tls)
        # The models' objects (about 150,000) out of the collector's reach, as the workers'
        # are (``Supervisor``): each full collection over them took about 100 ms, and every
        # session's reply waited meanwhile.
        gc.freeze()
        app = App(settings, redactor, storage, model)
        try:
            asyncio.run(serve_until_signalled(app, tls))
        finally:
            app.close()
    except OSError as exc:  # the port is taken, or the address is not ours
        reason = "the port is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        print(f"redactor-server: cannot listen on {settings.host}:{settings.port}: {reason}", file=sys.stderr)
        return 2
    return 0


def settings_from(args: argparse.Namespace) -> Settings:
    id_key = None
    if args.hash_ids:
        id_key = os.environ.get(ID_KEY_ENV, "")
        if len(id_key) < MIN_ID_KEY_CHARS:
            raise ConfigError(f"--hash-ids needs ${ID_KEY_ENV} of at least {MIN_ID_KEY_CHARS} characters")
    for name in ("max_sessions", "max_calls", "max_sessions_per_key", "max_calls_per_key", "workers", "threads"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ConfigError(f"--{name.replace('_', '-')} must be at least 1")
    if not 1 <= args.session_lease <= 3600:
        raise ConfigError("--session-lease must be 1 to 3600 seconds")
    webhook_secret = os.environ.get("REDACTOR_WEBHOOK_SECRET")
    if args.webhook_url and not webhook_secret:
        raise ConfigError("--webhook-url needs $REDACTOR_WEBHOOK_SECRET to sign with")
    keyring = Keyring.from_environ({KEY_FILE_ENV: args.storage_key_file} if args.storage_key_file else os.environ)
    return Settings(args.host, args.port, args.db, args.data_dir, args.holdback, args.max_sessions,
                    args.vosk_sample_rate, args.audio_redaction, max_calls=args.max_calls,
                    max_sessions_per_key=args.max_sessions_per_key,
                    max_calls_per_key=args.max_calls_per_key, max_backlog_s=args.max_backlog,
                    idle_timeout_s=args.idle_timeout, id_key=id_key,
                    twilio_auth_token=args.twilio_auth_token,
                    audiohook_client_secret=args.audiohook_client_secret,
                    webhook_url=args.webhook_url, webhook_secret=webhook_secret,
                    vosk_open=args.vosk_no_auth, workers=args.workers,
                    threads=args.threads, pin_threads=not args.no_pin, session_lease_s=args.session_lease,
                    storage_keyring=keyring, purge_interval_s=args.purge_interval)


def open_instance_storage(settings: Settings) -> Storage:
    """The database, once per instance at start-up: recordings a crash interrupted are closed."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    storage = open_storage(settings.db, settings.storage_keyring)
    if settings.storage_keyring is None:
        logger.warning("no storage key: transcripts and recordings are stored unencrypted (set "
                       f"${KEY_ENV} or --storage-key-file; `redactor storage generate-key` makes one)")
    else:
        logger.info("encryption at rest on: storage key %s active", settings.storage_keyring.active_id)
    recover_interrupted_recordings(storage, settings.data_dir / "recordings")
    return storage


def load_models(settings: Settings, config: str | None, vosk_model: str | None) -> tuple[Redactor, SpeechModel | None]:
    redactor = Redactor(RedactorConfig.from_file(config) if config else None)
    model_path = find_model_path(vosk_model)
    model = SpeechModel.load(model_path) if model_path else None
    if model is None:
        logger.warning("no Vosk model: /v1/call and the vosk-server protocol are unavailable "
                       "(give --vosk-model or set REDACTOR_VOSK_MODEL)")
    else:
        capacity = (f"at most {settings.max_calls} calls at once" if settings.max_calls else
                    "call capacity measured from its cost, starting at "
                    f"{default_max_calls(available_cores())} calls")
        logger.info("speech model %s (%d Hz); %s", model.name, model.sample_rate, capacity)
    return redactor, model


def announce_keys(storage: Storage) -> None:
    """The first run makes an API key and shows it once."""
    how = "send it as 'Authorization: Bearer <key>' or as ?token=<key>"
    if storage.count_api_keys() == 0:
        key = create_key(storage, name="first key")
        print(f"API key (shown once; {how}):\n{key}", flush=True)
    else:
        print(f"{storage.count_api_keys()} API key(s) on file ({how}); "
              "`redactor keys create` makes another", flush=True)


def serve_workers(settings: Settings, redactor: Redactor, model: SpeechModel | None,
                  tls: ssl.SSLContext | None) -> int:
    """``--workers N``: N worker processes forked from this one (models loaded once, shared),
    each a whole server on its own ``SO_REUSEPORT`` socket of one port, supervised here
    (``server_workers``). Returns the exit status."""
    sockets = listening_sockets(settings.host, settings.port, settings.workers)
    _announce(settings.host, sockets[0].getsockname()[1], tls, f"; {settings.workers} worker processes")
    peers_dir = Peers.directory_for_instance()
    counts = SharedCounts(settings.workers)
    placements = {kind: Placement(settings.workers, peers_dir, kind) for kind in set(PLACED_KINDS.values())}
    if tls is not None:
        logger.warning("TLS here: connections are spread by the kernel, not by load (the path is encrypted); "
                       "terminate TLS at the balancer to place them by load")
    if threading.active_count() > 1:  # a thread's state (its locks) would be copied mid-use
        logger.warning("forking workers while %d threads run", threading.active_count() - 1)

    def work(index: int) -> int:
        for handler in logging.getLogger().handlers:
            handler.setFormatter(logging.Formatter(f"redactor-server[worker {index}]: %(message)s"))
        for other, sock in enumerate(sockets):
            if other != index:
                sock.close()
        app = App(settings.for_worker(index), redactor, open_storage(settings.db), model, counts)
        app.peers = Peers(peers_dir, index, settings.workers)
        for placement in placements.values():
            placement.reset(index)
        app.placements = placements
        try:
            asyncio.run(serve_until_signalled(app, tls, sockets[index]))
        finally:
            app.close()
        return 0

    try:
        return Supervisor(settings.workers, work, stop_timeout_s=DRAIN_TIMEOUT_S + STOP_MARGIN_S).run()
    finally:
        for sock in sockets:
            sock.close()
        Peers.remove_directory(peers_dir)


def tls_context(certfile: str | None, keyfile: str | None) -> ssl.SSLContext | None:
    if not certfile:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)
    return context


async def serve_until_signalled(app: App, tls: ssl.SSLContext | None,
                                sock: socket.socket | None = None) -> None:
    """Serve until SIGTERM or SIGINT, then drain: every open session is finalised and stored."""
    if app.core is not None:
        pin_thread({app.core})
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    await serve_app(app, tls, stop, sock=sock)


async def serve_app(
    app: App, tls: ssl.SSLContext | None, stop: Awaitable[object],
    on_ready: Callable[[int], None] | None = None, sock: socket.socket | None = None,
) -> None:
    """Serve ``app`` until ``stop`` completes; ``on_ready`` gets the bound port (port 0 picks one).
    ``sock``: a worker's listening socket (``serve_workers``), instead of binding one."""
    where = {"sock": sock} if sock is not None else {"host": app.settings.host, "port": app.settings.port}
    # Workers place chats and calls by load, which needs the request path before the handshake: not
    # through TLS (terminate it at the balancer, deploy/haproxy.cfg).
    places = sock is not None and tls is None and app.peers is not None and bool(app.placements)
    if places:
        assert app.peers is not None
        # The acceptor hands websockets its connections; websockets only completes handshakes
        # while it is serving, so it listens on a private unix socket no client knows.
        where = {"sock": idle_listener(app.peers.directory, app.settings.worker_index)}
    async with serve(
        app.handle, **where,
        process_request=app.process_request, select_subprotocol=select_subprotocol,
        compression=None, max_size=MAX_MESSAGE_BYTES, ssl=tls,
        ping_interval=None, close_timeout=2,
    ) as server:
        port = (sock or next(iter(server.sockets))).getsockname()[1]
        if sock is None:
            _announce(app.settings.host, port, tls)
        peers = await app.peers.serve(app.answer_peer) if app.peers is not None else None
        acceptor = PlacingAcceptor(app, server, sock) if places and sock is not None else None
        await app.run_light(app.warm_up)
        if sock is not None:
            logger.info("worker %d ready (pid %d)", app.settings.worker_index, os.getpid())
        if on_ready is not None:
            on_ready(port)
        watcher = asyncio.ensure_future(app.watch())
        # One worker of an instance purges (the others would only repeat it).
        purges = app.settings.purge_interval_s > 0 and app.settings.worker_index == 0
        purger = asyncio.ensure_future(app.purge_periodically()) if purges else None
        await stop
        if purger is not None:
            purger.cancel()
        logger.info("shutting down: finalising %d active session(s)", app.active)
        await app.drain()
        watcher.cancel()
        if acceptor is not None:
            acceptor.close()
        server.close()  # closes what is left; handlers finalise and store
        await server.wait_closed()
        if peers is not None:
            peers.close()
        if app.webhook is not None:
            await app.webhook.drain()


class PlacingAcceptor:
    """A worker's accept loop (``--workers``), placing connections by load: a chat or a call
    goes to the worker holding the fewest of its kind (``Placement``), anything else stays
    where the kernel put it. Connections are given to the websockets server as if it had
    accepted them itself."""

    def __init__(self, app: App, server: Server, sock: socket.socket) -> None:
        self.app, self.placements, self.sock = app, app.placements, sock
        self.index = app.settings.worker_index
        self.loop = asyncio.get_running_loop()
        # websockets builds each connection's protocol through the asyncio server's factory,
        # which asyncio keeps but does not publish.
        self.factory = server.server._protocol_factory
        self.tasks: set[asyncio.Task[None]] = set()
        self.inboxes = [placement.receive(self.index, functools.partial(self._adopt_handed, kind))
                        for kind, placement in self.placements.items()]
        self.accepting = asyncio.ensure_future(self._accept())

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _adopt_handed(self, kind: str, conn: socket.socket) -> None:
        self._spawn(self.adopt(conn, kind))

    async def _accept(self) -> None:
        while True:
            try:
                conn, _ = await self.loop.sock_accept(self.sock)
            except OSError as error:  # out of descriptors, a connection reset while queued
                logger.warning("accept failed: %s", error.strerror)
                await asyncio.sleep(0.1)
                continue
            self._spawn(self.place(conn))

    async def place(self, conn: socket.socket) -> None:
        kind = PLACED_KINDS.get(await peek_request_path(conn) or "")
        if kind is not None and not self.app.draining:
            placement = self.placements[kind]
            target = placement.target(self.index)
            if target != self.index and placement.hand_off(self.index, target, conn):
                self.app.metrics.handed_over.labels(kind).inc()
                conn.close()  # the other worker holds its own copy
                return
        await self.adopt(conn, kind)

    async def adopt(self, conn: socket.socket, kind: str | None) -> None:
        """Serve ``conn`` here; a chat or call counts in this worker's load until it closes."""
        placement = self.placements.get(kind) if kind is not None else None
        if placement is not None:
            placement.held(self.index, 1)
        try:
            _, connection = await self.loop.connect_accepted_socket(self.factory, conn)
            if placement is not None:
                await connection.wait_closed()
        except OSError:  # the client left before it was served
            conn.close()
        finally:
            if placement is not None:
                placement.held(self.index, -1)

    def close(self) -> None:
        """Stop accepting and taking connections from the other workers (the draining
        server's connections carry on)."""
        self.accepting.cancel()
        self.sock.close()  # the parent's copy keeps what the kernel queues for a successor
        for placement, inbox in zip(self.placements.values(), self.inboxes):
            placement.close_inbox(inbox)


def _announce(host: str, port: int, tls: ssl.SSLContext | None, more: str = "") -> None:
    scheme = "wss" if tls else "ws"
    print(f"listening on {scheme}://{host}:{port} (chat {CHAT_PATH}, calls {CALL_PATH}, vosk-server "
          f"protocol /, {TWILIO_PATH}, {AUDIOHOOK_PATH}, {FORK_PATH}, {SUBSCRIBE_PATH}; GET /healthz, "
          f"/metrics{more})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
