"""redactor-server: the websocket server, wiring only.

Parsing is in ``redactor.protocol``, chat logic in ``redactor.chat``, a call's audio path in
``audio.pipeline``; this module moves frames between sockets and those, keeps blocking work
(the engine, Kaldi, the database) off the event loop, and finalises every session however it
ends: ``end``/``stop``, a dropped connection, or SIGTERM.

Endpoints (one port): ``/v1/chat``, ``/v1/call``, ``/`` and ``/vosk`` (vosk-server protocol),
``GET /healthz``, ``GET /metrics``.
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import signal
import ssl
import sys
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from audio.codecs import AudioFormatError
from audio.pipeline import CallPipeline, MaskedPartial
from audio.recording import RedactedRecording
from audio.transcriber import ModelUnavailableError, SpeechModel, find_model_path
from redactor import Redactor, RedactorConfig, RedactorError
from redactor.chat import DEFAULT_HOLDBACK_S, ChatSession
from redactor.errors import ProtocolError, StorageError
from redactor.keys import create_key, verify_key
from redactor.metrics import CONTENT_TYPE, Metrics
from redactor.protocol import (
    MAX_AUDIO_FRAME_BYTES,
    VOSK_DEFAULT_SAMPLE_RATE,
    Audio,
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
)
from redactor.storage import Recording, Segment, Storage, open_storage
from redactor.transcript import CallTranscript, MaskedFinal

logger = logging.getLogger("redactor.server")
T = TypeVar("T")

CHAT_PATH, CALL_PATH, VOSK_PATHS = "/v1/chat", "/v1/call", ("/", "/vosk")
WEBSOCKET_PATHS = (CHAT_PATH, CALL_PATH, *VOSK_PATHS)
MAX_MESSAGE_BYTES = 4 * MAX_AUDIO_FRAME_BYTES  # beyond our own limit: close with 1009
BATCH_SECONDS = 0.1  # /v1/call audio is recognised in batches of this much (partials 10/s)


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
    workers: int = max(4, 2 * (os.cpu_count() or 1))


class App:
    """Everything a connection needs, shared by all of them; nothing here changes per client."""

    def __init__(
        self, settings: Settings, redactor: Redactor, storage: Storage, model: SpeechModel | None
    ) -> None:
        self.settings = settings
        self.redactor = redactor
        self.storage = storage
        self.model = model
        self.metrics = Metrics()
        self.active = 0  # chat sessions + calls, against settings.max_sessions
        self._pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="redactor-io")

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """Run blocking work (engine, Kaldi, database) on the worker threads."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, functools.partial(func, *args)
        )

    def store(self, segment: Segment) -> bool:
        """Store a masked segment (on a worker thread) and count it. A database failure is
        logged and counted, not raised: the masked text still goes to the client."""
        self.metrics.count_segment(segment.kind, [e.type for e in segment.entities], segment.failed)
        try:
            self.storage.save_segment(segment)
        except StorageError as error:  # names the operation, never the text
            logger.error("segment %d of a %s not stored: %s", segment.seq, segment.kind, error)
            self.metrics.errors.labels("storage_failed").inc()
            return False
        return True

    def open_session(self, kind: str) -> bool:
        if self.active >= self.settings.max_sessions:
            return False
        self.active += 1
        self.metrics.active_sessions.labels(kind).inc()
        return True

    def close_session(self, kind: str) -> None:
        self.active -= 1
        self.metrics.active_sessions.labels(kind).dec()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.storage.close()
        self.redactor.close()

    # --- HTTP side of the handshake ----------------------------------------------------------

    async def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = urlsplit(request.path).path
        if path == "/healthz":
            return connection.respond(HTTPStatus.OK, "ok\n")
        if path == "/metrics":
            return _response(HTTPStatus.OK, self.metrics.exposition(), CONTENT_TYPE)
        if path not in WEBSOCKET_PATHS:
            return connection.respond(HTTPStatus.NOT_FOUND, f"no endpoint at {path}\n")
        if not await self.run(verify_key, self.storage, _presented_key(request)):
            response = connection.respond(HTTPStatus.UNAUTHORIZED, "missing or invalid API key\n")
            response.headers["WWW-Authenticate"] = 'Bearer realm="redactor"'
            return response
        if self.active >= self.settings.max_sessions:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "too many sessions\n")
        return None

    async def handle(self, connection: ServerConnection) -> None:
        path = urlsplit(connection.request.path).path
        if path == CHAT_PATH:
            await ChatConnection(self, connection).serve()
        elif path == CALL_PATH:
            await CallConnection(self, connection).serve()
        else:
            await VoskConnection(self, connection).serve()


def select_subprotocol(connection: ServerConnection, offered: Sequence[str]) -> str | None:
    """Answer ``ws`` when offered (Asterisk offers it and rejects an answer without a protocol
    it offered); offer nothing otherwise, so that no client sees one it did not ask for."""
    return "ws" if "ws" in offered else None


def _presented_key(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    tokens = parse_qs(urlsplit(request.path).query).get("token")  # Asterisk cannot send headers
    return tokens[0] if tokens else None


def _response(status: HTTPStatus, body: bytes, content_type: str) -> Response:
    headers = Headers([("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return Response(status.value, status.phrase, headers, body)


class _Connection:
    """Sending helpers shared by the three websocket endpoints."""

    def __init__(self, app: App, connection: ServerConnection) -> None:
        self.app = app
        self.ws = connection

    async def send(self, message: dict[str, Any] | str) -> None:
        try:
            await self.ws.send(message if isinstance(message, str) else encode(message))
        except ConnectionClosed:
            pass  # the client left; what it sent is still finalised and stored

    async def send_error(self, error: ProtocolError) -> None:
        self.app.metrics.errors.labels(error.code).inc()
        await self.send(error_reply(error))


# --- /v1/chat ----------------------------------------------------------------------------------

class ChatConnection(_Connection):
    def __init__(self, app: App, connection: ServerConnection) -> None:
        super().__init__(app, connection)
        self.sessions: dict[str, ChatSession] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        # When each message not yet emitted arrived, per session: messages come out once and
        # in order, so the oldest time belongs to the next segment out.
        self.arrivals: dict[str, deque[float]] = defaultdict(deque)
        self.lock = asyncio.Lock()  # one session operation at a time: order is kept
        self.unstored = 0  # segments emitted but not stored, not yet reported to the client

    async def serve(self) -> None:
        try:
            async for frame in self.ws:
                try:
                    await self.on_frame(parse_chat(frame))
                except ProtocolError as error:
                    await self.send_error(error)
        except ConnectionClosed:
            pass
        finally:
            for session_id in list(self.sessions):  # disconnect or shutdown: nothing is lost
                await self.end(session_id, notify=False)

    async def on_frame(self, frame: ChatMessage | ChatEnd) -> None:
        if isinstance(frame, ChatEnd):
            if frame.session in self.sessions:
                await self.end(frame.session, notify=True)
            else:  # a chat closed before anyone wrote, or ended twice: nothing to flush
                await self.send({"type": "ended", "session": frame.session, "messages": 0})
            return
        session = self.sessions.get(frame.session) or await self.open(frame.session)
        received = time.monotonic()
        self.arrivals[frame.session].append(received)
        async with self.lock:
            segments = await self.app.run(self._accept, session, frame, received)
        await self.emit(segments)
        self.schedule(session)

    async def open(self, session_id: str) -> ChatSession:
        if not self.app.open_session("chat"):
            raise ProtocolError("too_many_sessions", "the server is at its session limit; retry later")
        try:
            first_seq = await self.app.run(self.app.storage.next_seq, session_id, "chat")
        except StorageError:
            self.app.close_session("chat")
            raise ProtocolError("storage_failed", "the database is unavailable; message not accepted") from None
        except BaseException:
            self.app.close_session("chat")
            raise
        session = ChatSession(session_id, self.app.redactor, holdback_s=self.app.settings.holdback_s,
                              first_seq=first_seq)
        self.sessions[session_id] = session
        return session

    def _accept(self, session: ChatSession, frame: ChatMessage, now: float) -> list[Segment]:
        return self._stored(session.accept(frame.speaker, frame.text, now))

    def _flush(self, session: ChatSession) -> list[Segment]:
        return self._stored(session.flush())

    def _stored(self, segments: list[Segment]) -> list[Segment]:
        self.unstored += sum(not self.app.store(segment) for segment in segments)
        return segments

    def schedule(self, session: ChatSession) -> None:
        """Emit a held-back message when its delay runs out."""
        if timer := self.timers.pop(session.session_id, None):
            timer.cancel()
        if session.deadline is not None:
            delay = max(session.deadline - time.monotonic(), 0.0)
            self.timers[session.session_id] = asyncio.get_running_loop().call_later(
                delay, lambda: asyncio.ensure_future(self.flush_due(session))
            )

    async def flush_due(self, session: ChatSession) -> None:
        async with self.lock:
            if session.deadline is None or self.sessions.get(session.session_id) is not session:
                return
            segments = await self.app.run(self._flush, session)
        await self.emit(segments)

    async def end(self, session_id: str, notify: bool) -> None:
        session = self.sessions[session_id]
        if timer := self.timers.pop(session_id, None):
            timer.cancel()
        async with self.lock:
            segments = await self.app.run(self._flush, session)
            del self.sessions[session_id]
            self.app.close_session("chat")
        if notify:
            await self.emit(segments)
            await self.send({"type": "ended", "session": session_id, "messages": session.emitted})
        self.arrivals.pop(session_id, None)

    async def emit(self, segments: list[Segment]) -> None:
        for segment in segments:
            await self.send({
                "type": "redacted", "session": segment.session_id, "seq": segment.seq,
                "speaker": segment.speaker, "text": segment.text,
                "entities": [e.as_json() for e in segment.entities],
            })
            arrived = self.arrivals[segment.session_id].popleft()
            self.app.metrics.latency.labels("chat").observe(time.monotonic() - arrived)
        if self.unstored:
            count, self.unstored = self.unstored, 0
            await self.send(error_reply(ProtocolError(
                "storage_failed", f"{count} masked message(s) sent but not stored: database error")))


# --- /v1/call and the vosk-server protocol ------------------------------------------------------

class _AudioConnection(_Connection):
    def __init__(self, app: App, connection: ServerConnection) -> None:
        super().__init__(app, connection)
        self.pipeline: CallPipeline | None = None
        self.finished = False

    async def begin(self, start: CallStart) -> None:
        if self.app.model is None:
            raise ProtocolError("model_unavailable",
                                "no speech model is loaded: start the server with --vosk-model")
        if not self.app.open_session("call"):
            raise ProtocolError("too_many_sessions", "the server is at its session limit; retry later")
        try:
            self.pipeline = await self.app.run(self._new_pipeline, start)
        except StorageError:
            self.app.close_session("call")
            raise ProtocolError("storage_failed", "the database is unavailable; call not started") from None
        except BaseException:
            self.app.close_session("call")
            raise

    def _new_pipeline(self, start: CallStart) -> CallPipeline:
        assert self.app.model is not None
        recordings = self.app.settings.data_dir / "recordings"
        recordings.mkdir(parents=True, exist_ok=True)
        path = recordings / f"{_file_safe(start.call_id)}-{uuid.uuid4().hex[:8]}.wav"
        recording = RedactedRecording(path, start.sample_rate, start.channels,
                                      mode=self.app.settings.audio_redaction)
        first_seq = self.app.storage.next_seq(start.call_id, "call")
        transcript = CallTranscript(start.call_id, self.app.redactor, start.speakers, start.language,
                                    first_seq)
        return CallPipeline(start, self.app.model, transcript, recording, self.app.store)

    async def feed(self, payload: bytes) -> list:
        assert self.pipeline is not None
        try:
            events = await self.app.run(self.pipeline.feed, payload)
        except AudioFormatError as error:
            raise ProtocolError("bad_audio", str(error)) from None
        self.app.metrics.audio_seconds.inc(len(payload) / self.pipeline.start.bytes_per_frame
                                           / self.pipeline.start.sample_rate)
        return events

    async def finish(self) -> list[MaskedFinal]:
        """Flush, store the recording, release the session: once, however the call ends."""
        if self.pipeline is None or self.finished:
            return []
        self.finished = True
        finals: list[MaskedFinal] = []
        try:
            finals, info = await self.app.run(self.pipeline.finish)
            if info is not None:
                await self.app.run(self.app.storage.save_recording, Recording(
                    self.pipeline.start.call_id, str(info.path), info.sample_rate, info.channels,
                    info.duration_s, info.mode, info.spans))
        except StorageError as error:  # the WAV is on disk; its row is not
            logger.error("recording of a call not registered: %s", error)
            self.app.metrics.errors.labels("storage_failed").inc()
        finally:
            self.app.close_session("call")
        return finals

    async def serve(self) -> None:
        try:
            async for frame in self.ws:
                try:
                    if await self.on_frame(frame):
                        break
                except ProtocolError as error:
                    await self.send_error(error)
        except ConnectionClosed:
            pass
        finally:
            await self.finish()  # disconnect or shutdown: what was received is kept

    async def on_frame(self, frame: str | bytes) -> bool:
        """Handle one frame; True when the stream is over."""
        raise NotImplementedError


class CallConnection(_AudioConnection):
    """``/v1/call``. Telephony sends 20 ms frames; they are decoded and recognised in batches
    of ``BATCH_SECONDS`` (one worker-thread hop and one Vosk call per batch, not per frame)."""

    def __init__(self, app: App, connection: ServerConnection) -> None:
        super().__init__(app, connection)
        self.batch = bytearray()

    async def on_frame(self, frame: str | bytes) -> bool:
        message = parse_call(frame, started=self.pipeline is not None)
        if isinstance(message, CallStart):
            await self.begin(message)
            await self.send({"type": "started", "call_id": message.call_id})
            return False
        assert self.pipeline is not None
        if isinstance(message, Audio):
            start = self.pipeline.start
            check_audio(message.payload, start.bytes_per_frame)  # refused alone, batch kept
            self.batch += message.payload
            if len(self.batch) >= BATCH_SECONDS * start.sample_rate * start.bytes_per_frame:
                await self.feed_batch()
            return False
        assert isinstance(message, CallStop)
        for final in await self.finish():
            await self.send(self.call_event(final))
        assert self.pipeline is not None
        await self.send({"type": "stopped", "call_id": self.pipeline.start.call_id})
        await self.ws.close()
        return True

    async def feed_batch(self) -> None:
        batch, self.batch = bytes(self.batch), bytearray()
        for event in await self.feed(batch):
            await self.send(self.call_event(event))
            self.app.metrics.observe_emitted(event)

    async def finish(self) -> list[MaskedFinal]:
        if self.batch and self.pipeline is not None and not self.finished:
            await self.feed_batch()  # the audio received last is part of the call too
        return await super().finish()

    def call_event(self, event: MaskedPartial | MaskedFinal) -> dict[str, Any]:
        assert self.pipeline is not None
        call_id = self.pipeline.start.call_id
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


class VoskConnection(_AudioConnection):
    """alphacep vosk-server's protocol: one reply per audio frame, ``{"partial": ...}`` or
    ``{"result": [...], "text": ...}``; ``{"eof" : 1}`` gets the last result and ends."""

    def __init__(self, app: App, connection: ServerConnection) -> None:
        super().__init__(app, connection)
        self.sample_rate = app.settings.vosk_sample_rate
        self.words = True
        self.partial = ""

    async def on_frame(self, frame: str | bytes) -> bool:
        message = parse_vosk(frame)
        if isinstance(message, VoskConfig):
            if self.pipeline is not None:
                raise ProtocolError("config_after_audio", "config must come before the first audio frame")
            self.sample_rate = message.sample_rate or self.sample_rate
            self.words = self.words if message.words is None else message.words
            return False
        if self.pipeline is None:
            await self.begin(self.stream_start())
        if isinstance(message, Audio):
            events = await self.feed(message.payload)
            await self.send(self.reply(events))
            for event in events:
                self.app.metrics.observe_emitted(event)
            return False
        if isinstance(message, VoskReset):
            assert self.pipeline is not None
            await self.send(self.final_reply(await self.app.run(self.pipeline.end_utterances)))
            return False
        assert isinstance(message, VoskEof)
        await self.send(self.final_reply(await self.finish()))
        await self.ws.close()
        return True

    def stream_start(self) -> CallStart:
        query = parse_qs(urlsplit(self.ws.request.path).query)
        call_id = query.get("call_id", [f"vosk-{uuid.uuid4().hex[:12]}"])[0]
        return CallStart(call_id, self.sample_rate, "pcm_s16le", 1, ("customer",), "auto")

    def reply(self, events: list) -> dict[str, Any]:
        finals = [e for e in events if isinstance(e, MaskedFinal)]
        if finals:
            self.partial = ""
            return self.final_reply(finals)
        for event in events:
            self.partial = event.text
        return {"partial": self.partial}

    def final_reply(self, finals: list[MaskedFinal]) -> dict[str, Any]:
        words = [w for final in finals for w in final.words]
        text = " ".join(final.segment.text for final in finals if final.segment.text)
        if not self.words or not words:
            return {"text": text}
        return {
            "result": [{"conf": w.conf, "end": w.end, "start": w.start, "word": w.text} for w in words],
            "text": text,
        }


def _file_safe(call_id: str) -> str:
    """Call ids come from clients: keep a readable, harmless file name."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in call_id)[:48].strip(".")
    return safe or "call"


# --- start-up ------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="redactor-server", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=Settings.host)
    parser.add_argument("--port", type=int, default=Settings.port)
    parser.add_argument("--db", default=os.environ.get("REDACTOR_DB", Settings.db),
                        help="SQLite path or postgresql:// URL (default: data/redactor.db)")
    parser.add_argument("--data-dir", type=Path, default=Settings.data_dir,
                        help="where redacted recordings are written (default: data/)")
    parser.add_argument("--vosk-model", help="Vosk model directory (else $REDACTOR_VOSK_MODEL, "
                        "else an installed vosk-model-* package)")
    parser.add_argument("--config", help="policy file (YAML or TOML)")
    parser.add_argument("--certfile", help="TLS certificate (PEM); serves wss:// with --keyfile")
    parser.add_argument("--keyfile", help="TLS private key (PEM)")
    parser.add_argument("--holdback", type=float, default=Settings.holdback_s,
                        help="seconds a chat message that may continue is held back (default 1.5)")
    parser.add_argument("--max-sessions", type=int, default=Settings.max_sessions)
    parser.add_argument("--vosk-sample-rate", type=int, default=Settings.vosk_sample_rate,
                        help="rate assumed on / and /vosk when a client sends no config (8000)")
    parser.add_argument("--audio-redaction", choices=("silence", "tone"), default=Settings.audio_redaction)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="redactor-server: %(message)s", stream=sys.stderr)
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)  # one line per recognizer
    if bool(args.certfile) != bool(args.keyfile):
        print("redactor-server: --certfile and --keyfile go together", file=sys.stderr)
        return 2
    settings = Settings(args.host, args.port, args.db, args.data_dir, args.holdback,
                        args.max_sessions, args.vosk_sample_rate, args.audio_redaction)
    try:
        app = build_app(settings, args.config, args.vosk_model)
        tls = tls_context(args.certfile, args.keyfile)
    except (RedactorError, ModelUnavailableError, OSError, ssl.SSLError) as exc:
        print(f"redactor-server: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve_until_signalled(app, tls))
    finally:
        app.close()
    return 0


def build_app(settings: Settings, config: str | None, vosk_model: str | None) -> App:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    storage = open_storage(settings.db)
    redactor = Redactor(RedactorConfig.from_file(config) if config else None)
    model_path = find_model_path(vosk_model)
    model = SpeechModel.load(model_path) if model_path else None
    if model is None:
        logger.warning("no Vosk model: /v1/call and the vosk-server protocol are unavailable "
                       "(give --vosk-model or set REDACTOR_VOSK_MODEL)")
    else:
        logger.info("speech model %s (%d Hz)", model.name, model.sample_rate)
    how = "send it as 'Authorization: Bearer <key>' or as ?token=<key>"
    if storage.count_api_keys() == 0:
        key = create_key(storage, name="first key")
        print(f"API key (shown once; {how}):\n{key}", flush=True)
    else:
        print(f"{storage.count_api_keys()} API key(s) on file ({how}); "
              "`redactor keys create` makes another", flush=True)
    return App(settings, redactor, storage, model)


def tls_context(certfile: str | None, keyfile: str | None) -> ssl.SSLContext | None:
    if not certfile:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)
    return context


async def serve_until_signalled(app: App, tls: ssl.SSLContext | None) -> None:
    """Serve until SIGTERM or SIGINT, then drain: every open session is finalised and stored."""
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    await serve_app(app, tls, stop)


async def serve_app(
    app: App, tls: ssl.SSLContext | None, stop: Awaitable[object],
    on_ready: Callable[[int], None] | None = None,
) -> None:
    """Serve ``app`` until ``stop`` completes; ``on_ready`` gets the bound port (port 0 picks one)."""
    async with serve(
        app.handle, app.settings.host, app.settings.port,
        process_request=app.process_request, select_subprotocol=select_subprotocol,
        compression=None, max_size=MAX_MESSAGE_BYTES, ssl=tls,
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        scheme = "wss" if tls else "ws"
        print(f"listening on {scheme}://{app.settings.host}:{port} (chat {CHAT_PATH}, calls "
              f"{CALL_PATH}, vosk-server protocol /; GET /healthz, /metrics)", flush=True)
        if on_ready is not None:
            on_ready(port)
        await stop
        logger.info("shutting down: finalising %d active session(s)", app.active)
        server.close()  # closes connections; their handlers finalise and store
        await server.wait_closed()


if __name__ == "__main__":
    sys.exit(main())
