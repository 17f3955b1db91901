"""Two redactor-server processes behind HAProxy (deploy/haproxy.cfg as shipped, addresses
swapped) on one PostgreSQL. Chats spread over both; one instance is killed with SIGKILL in
the middle of the conversation; its clients reconnect through HAProxy and resend every message
not acknowledged. Every message must be stored exactly once, in order, masked, and no raw
value may reach the database, a server's log or HAProxy's. Skipped, saying why, where HAProxy
or PostgreSQL cannot run (.ci/run installs and starts both)."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.sync.client import ClientConnection, connect

from tests.live import DATA_PLACES, SENT_PII
from tests.speech import words_heard
from tests.pg import _UNAVAILABLE, POSTGRES_URL, fresh_postgres_schema, raw_rows

SERVER = Path(sys.executable).with_name("redactor-server")
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "haproxy.cfg"
LEASE_S = 3
SESSIONS = 6

pytestmark = [
    pytest.mark.skipif(not os.access(HAPROXY, os.X_OK),
                       reason="no HAProxy: install the Debian package haproxy (.ci/run does)"),
    pytest.mark.skipif(_UNAVAILABLE is not None, reason=_UNAVAILABLE or ""),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@dataclass
class Instance:
    port: int
    args: list[str]
    log: Path
    process: subprocess.Popen | None = None
    key: str | None = None

    def start(self) -> Instance:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen([str(SERVER), "--port", str(self.port), *self.args],
                                            stdout=subprocess.PIPE, stderr=log, text=True)
        return self

    def wait_listening(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("rk_"):
                self.key = line.strip()
            if line.startswith("listening on"):
                break
        wait_until(lambda: healthy(self.port), 300, f"instance on {self.port} to be ready")

    def active_chats(self) -> float:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as response:
            text = response.read().decode()
        # One sample per worker process of the instance (``--workers``), or one without the label.
        found = re.findall(r'^redactor_active_sessions\{kind="chat"(?:,worker="\d+")?\} (\S+)$', text, re.MULTILINE)
        return sum(float(value) for value in found)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)


def haproxy_config(port: int, backends: list[int]) -> str:
    """The shipped configuration with this test's addresses, run in the foreground by an
    unprivileged user: no chroot, user switch, admin socket or syslog; logs on stdout."""
    dropped = ("chroot ", "user ", "group ", "daemon", "stats socket ", "log /dev/log", "server ")
    lines = [line for line in CONFIG.read_text().splitlines() if not line.strip().startswith(dropped)]
    text = "\n".join(lines).replace("global\n", "global\n    log stdout format raw local0\n", 1)
    text = text.replace("maxconn 20000", "maxconn 1000")  # within an unprivileged file limit
    text = re.sub(r"^    bind :8080$", f"    bind 127.0.0.1:{port}", text, flags=re.MULTILINE)
    servers = "".join(f"    server redactor-{i + 1} 127.0.0.1:{p} check\n" for i, p in enumerate(backends))
    return text + "\n" + servers


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, korean_call, speech_model_path):
    place = tmp_path_factory.mktemp("cluster")
    DATA_PLACES.append(place)  # logs and recordings: scanned for raw PII at the end of the suite
    policy = tmp_path_factory.mktemp("cluster-policy") / "policy.toml"  # names the call's words
    terms = json.dumps(list(korean_call[1]), ensure_ascii=False)
    policy.write_text(f"[entities.EMPLOYEE_NAME]\ndeny_list = {terms}\n", encoding="utf-8")
    with fresh_postgres_schema(POSTGRES_URL) as db:
        ports = [free_port(), free_port()]
        instances = []
        for i, port in enumerate(ports):
            args = ["--db", db, "--data-dir", str(place / f"instance-{i + 1}"), "--holdback", "0.3",
                    "--session-lease", str(LEASE_S), "--config", str(policy),
                    "--vosk-model", str(speech_model_path),
                    "--max-backlog", "60",  # a loaded CI machine: no "degraded" flapping here
                    # One process an instance: SIGKILL takes the instance down at once, as a crash
                    # of its machine would (worker supervision has its own tests).
                    "--workers", "1"]
            instances.append(Instance(port, args, place / f"instance-{i + 1}.log").start())
        front = free_port()
        config = place / "haproxy.cfg"
        config.write_text(haproxy_config(front, ports))
        haproxy_log = place / "haproxy.log"
        with open(haproxy_log, "w") as log:
            balancer = subprocess.Popen([HAPROXY, "-db", "-f", str(config)], stdout=log, stderr=log)
        try:
            for instance in instances:
                instance.wait_listening()
            time.sleep(0.5)
            if balancer.poll() is not None:
                pytest.skip(f"HAProxy could not start: {haproxy_log.read_text()[-300:]}")
            for name in ("redactor-1", "redactor-2"):  # health checks passed `rise` times
                wait_until(lambda: in_rotation(haproxy_log, name), 30, f"HAProxy to take {name}")
            key = next(i.key for i in instances if i.key)
            yield db, f"ws://127.0.0.1:{front}", key, instances, haproxy_log, place
        finally:
            balancer.terminate()
            balancer.wait(30)
            for instance in instances:
                instance.stop()


def script(n: int) -> list[dict]:
    """One conversation: an agent asking, a customer giving a phone number, a NIK, an email
    and a card number typed in two bursts (the first is held back: it may go on)."""
    phone, nik = f"0813 7{n}21 55{n}8", f"3174 0{n}12 0590 000{n}"
    email, card = f"sari.wulandari{n}@gmail.com", (f"4532 015{n}", "1283 0366")
    SENT_PII.update({phone, nik, email, " ".join(card), phone.replace(" ", ""), nik.replace(" ", "")})
    turns = [
        ("agent", "selamat pagi, ada yang bisa dibantu?"),
        ("customer", f"mau ganti alamat kak, nomor hp saya {phone}"),
        ("agent", "baik, nomor NIK-nya berapa kak?"),
        ("customer", f"NIK saya {nik}"),
        ("agent", "emailnya apa kak?"),
        ("customer", email),
        ("agent", "untuk verifikasi, nomor kartu kreditnya?"),
        ("customer", f"kartu saya {card[0]}"),
        ("customer", card[1]),
        ("agent", "terima kasih, sudah kami catat"),
        ("customer", "sama-sama kak"),
        ("agent", "ada lagi yang bisa dibantu?"),  # the last two: while an instance drains
        ("customer", "tidak, terima kasih"),
    ]
    return [{"type": "message", "session": f"cluster-{n}", "speaker": speaker, "text": text,
             "id": f"cluster-{n}-m{i}"} for i, (speaker, text) in enumerate(turns)]


@dataclass
class Client:
    """A chat widget as the README asks it to behave: every message carries an id; a message
    is acknowledged by the `redacted` reply carrying its id; after a lost connection it
    reconnects and resends, in order, every message not acknowledged."""

    url: str
    key: str
    messages: list[dict]
    ws: ClientConnection | None = None
    sent: int = 0
    acked: dict[str, dict] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    reconnects: int = 0
    refusals: int = 0
    failed_handshakes: int = 0

    def connect(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                # ?token=: a browser's WebSocket cannot send headers. Closed by hand, not by a with block.
                self.ws = connect(f"{self.url}/v1/chat?token={self.key}", open_timeout=10).__enter__()
                return
            except (OSError, InvalidHandshake):
                self.failed_handshakes += 1
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def send_next(self) -> None:
        self.sent += 1
        self._send(self.messages[self.sent - 1])

    def _send(self, message: dict) -> None:
        try:
            self.ws.send(json.dumps(message))
        except ConnectionClosed:
            pass  # noticed when waiting for the acknowledgement

    def unacked(self) -> list[dict]:
        return [m for m in self.messages[:self.sent] if m["id"] not in self.acked]

    def wait_acks(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.unacked():
            try:
                reply = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            except ConnectionClosed:
                self.reconnects += 1
                self.ws.close()
                self.connect()
                for message in self.unacked():
                    self._send(message)
                continue
            if reply["type"] == "redacted" and "id" in reply:
                self.acked[reply["id"]] = reply
            elif reply.get("code") == "session_in_use":  # still open on a connection being closed
                self.refusals += 1
                time.sleep(0.5)
                for message in self.unacked():
                    self._send(message)
            elif reply["type"] == "error":
                self.errors.append(reply)


def times_up(haproxy_log: Path, server: str) -> int:
    """How often HAProxy's health checks brought ``server`` into rotation."""
    return len(re.findall(rf"^Server redactor/{server} is UP", haproxy_log.read_text(), re.MULTILINE))


def in_rotation(haproxy_log: Path, server: str) -> bool:
    states = re.findall(rf"^Server redactor/{server} is (UP|DOWN)", haproxy_log.read_text(), re.MULTILINE)
    return states[-1:] == ["UP"]


def start_call(instance: Instance, key: str, pcm: bytes) -> ClientConnection:
    """A call streamed to ``instance`` until every frame was recognised (its finals stored),
    left open: the instance dies in the middle of it."""
    call = connect(f"ws://127.0.0.1:{instance.port}/v1/call",
                   additional_headers={"Authorization": f"Bearer {key}"}, open_timeout=10).__enter__()
    call.send(json.dumps({"type": "start", "call_id": "cluster-call"}))
    for i in range(0, len(pcm), 3200):
        call.send(pcm[i : i + 3200])
    call.send(json.dumps({"type": "flush-marker"}))
    while json.loads(call.recv(timeout=180))["type"] != "error":  # the marker's: all before it done
        pass
    return call


def test_a_killed_instance_loses_no_chat_message_and_stores_none_twice(cluster, korean_call):
    db, url, key, instances, haproxy_log, place = cluster
    speech, terms = korean_call
    call = start_call(instances[0], key, speech.pcm)
    wait_until(lambda: all(in_rotation(haproxy_log, f"redactor-{i}") for i in (1, 2)), 30, "both in rotation")
    clients = [Client(url, key, script(n)) for n in range(SESSIONS)]
    for client in clients:
        client.connect()
    for turn in range(len(clients[0].messages) - 2):
        for client in clients:
            client.send_next()
        if turn == 1:  # every session open: spread over both instances
            wait_until(lambda: sum(i.active_chats() for i in instances) == SESSIONS, 20, "sessions to open")
            assert all(instance.active_chats() > 0 for instance in instances)
        if turn == 7:  # the first burst of the card number is held back on the instance
            instances[0].stop(signal.SIGKILL)
        for client in clients:
            client.wait_acks()
        for client in clients:
            client.ws.close()
            client.connect()  # a new connection each turn: any instance may take the session next
    assert sum(client.reconnects for client in clients) > 0  # some were on the killed instance
    call.close()
    before_restart = {p.name for p in (place / "instance-1" / "recordings").iterdir()}
    assert [name.endswith(".wav.part") for name in before_restart] == [True]
    ups = times_up(haproxy_log, "redactor-1")
    instances[0].start().wait_listening()  # the same data directory: it finishes what it left
    recording = raw_rows(db, "SELECT status, path, duration_s FROM recordings WHERE call_id = 'cluster-call'")
    assert [(status, Path(path).parent.name) for status, path, _ in recording] == [("interrupted", "recordings")]
    assert Path(recording[0][1]).is_file() and recording[0][2] > 0
    said = " ".join(text for (text,) in raw_rows(db, "SELECT text FROM segments WHERE session_id = 'cluster-call'"))
    assert "<EMPLOYEE_NAME>" in said and not words_heard(said, terms)  # every final kept, masked
    assert not list(place.rglob("*.part"))

    # SIGTERM drains the other instance while sessions are open on it (they are ended, their
    # connections closed); HAProxy sends the reconnections to the restarted one, retrying a
    # handshake that finds the stopped instance before its health check does.
    wait_until(lambda: times_up(haproxy_log, "redactor-1") > ups, 30, "HAProxy to take it back")
    for client in clients:
        client.send_next()
    for client in clients:
        client.wait_acks()
    assert instances[1].active_chats() > 0
    reconnects = sum(client.reconnects for client in clients)
    instances[1].process.send_signal(signal.SIGTERM)
    assert instances[1].process.wait(60) == 0
    for client in clients:
        client.send_next()
    for client in clients:
        client.wait_acks()
        client.ws.close()
    assert sum(client.reconnects for client in clients) > reconnects  # its clients moved over
    assert sum(client.failed_handshakes for client in clients) == 0

    assert [client.errors for client in clients] == [[]] * SESSIONS
    for n, client in enumerate(clients):
        session = f"cluster-{n}"
        ids = raw_rows(db, "SELECT message_id, seq FROM chat_message_ids WHERE session_id = ? ORDER BY seq",
                       (session,))
        assert ids == [(m["id"], i) for i, m in enumerate(client.messages)]  # each once, in order
        stored = raw_rows(db, "SELECT seq, speaker, text FROM segments WHERE session_id = ? ORDER BY seq",
                          (session,))
        assert [(seq, speaker) for seq, speaker, _ in stored] == [
            (i, m["speaker"]) for i, m in enumerate(client.messages)]
        replies = [client.acked[m["id"]] for m in client.messages]
        assert [(r["seq"], r["text"]) for r in replies] == [(seq, text) for seq, _, text in stored]
        texts = dict((seq, text) for seq, _, text in stored)
        assert "<PHONE_NUMBER>" in texts[1] and "<EMAIL_ADDRESS>" in texts[5]
        assert texts[0] == "selamat pagi, ada yang bisa dibantu?"

    everything = "\n".join(str(row) for (table,) in raw_rows(
        db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        for row in raw_rows(db, f'SELECT * FROM "{table}"'))
    logs = "\n".join(path.read_text(errors="replace") for path in
                     [haproxy_log, *(instance.log for instance in instances)])
    assert [pii for pii in SENT_PII if pii in everything or pii in logs] == []
    assert not words_heard(everything, terms) and "cluster-call" not in logs
    assert key not in logs and "GET /v1/chat" in logs  # HAProxy logs paths, never query strings
