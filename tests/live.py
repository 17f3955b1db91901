"""A real server on a loopback port, run on its own thread, for end-to-end tests over sockets;
and the record of raw PII the tests sent, for the scan at the end of the suite."""
from __future__ import annotations

import asyncio
import json
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

import server
from redactor.keys import create_key
from redactor.storage import open_storage

#: Raw PII the tests sent to a server: strings (found anywhere in a file) and words (found as
#: whole words in a database's text), and the places servers stored data in.
SENT_PII: set[str] = set()
SENT_WORDS: set[str] = set()
DATA_PLACES: list[Path] = []


@dataclass
class LiveServer:
    app: server.App
    key: str
    tls: ssl.SSLContext | None = None
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _stop: asyncio.Future | None = None
    _thread: threading.Thread | None = None
    _ready: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connect(self, path: str, *, key: str | None = "default", **kwargs: Any) -> ClientConnection:
        headers = {"Authorization": f"Bearer {self.key if key == 'default' else key}"} if key else {}
        return connect(self.url + path, additional_headers=headers, open_timeout=10, **kwargs)

    def start(self) -> LiveServer:
        self._thread = threading.Thread(target=self._run, name="live-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("server did not start")
        return self

    def stop(self) -> None:
        assert self._loop is not None and self._stop is not None and self._thread is not None
        self._loop.call_soon_threadsafe(lambda: self._stop.done() or self._stop.set_result(None))
        self._thread.join(30)

    def close(self) -> None:
        """Stop serving and close the storage ``start_server`` opened for it."""
        self.stop()
        self.app.storage.close()

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._stop = self._loop.create_future()

        def ready(port: int) -> None:
            self.port = port
            self._ready.set()

        self._loop.run_until_complete(server.serve_app(self.app, self.tls, self._stop, ready))
        self._loop.close()


def start_server(settings: server.Settings, redactor, model, tls: ssl.SSLContext | None = None) -> LiveServer:
    storage = open_storage(settings.db, settings.storage_keyring)
    key = create_key(storage, name="tests")
    DATA_PLACES.append(settings.data_dir)
    return LiveServer(server.App(settings, redactor, storage, model), key, tls).start()


def vosk_replies(ws: ClientConnection, pcm: bytes, frame_bytes: int, timeout: float = 30) -> list[dict]:
    """What vosk-server's clients do once connected (and configured): send a frame, read its
    one reply, and so on; then '{"eof" : 1}', spelled their way, and the last reply."""
    replies = []
    for i in range(0, len(pcm), frame_bytes):
        ws.send(pcm[i : i + frame_bytes])
        replies.append(json.loads(ws.recv(timeout=timeout)))
    ws.send('{"eof" : 1}')
    replies.append(json.loads(ws.recv(timeout=timeout)))
    return replies


def receive_until(ws: ClientConnection, kind: str, timeout: float = 20) -> list[dict]:
    """Every message up to and including the first of type ``kind``."""
    messages = []
    while True:
        message = json.loads(ws.recv(timeout=timeout))
        messages.append(message)
        if message.get("type") == kind:
            return messages
