"""``redactor-server --workers N``: worker processes on one port, supervised by a parent; one
/metrics and /healthz for the instance (``server_workers``). Real processes and sockets."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from http import HTTPStatus
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from functools import partial

from redactor.admission import Admission, Limits
from redactor.storage import open_storage
from server import App, Settings
from server_workers import (
    Placement,
    SharedCounts,
    merge_expositions,
    merge_health,
    pin_thread,
    request_path,
    worker_core,
)
from tests.live import DATA_PLACES, SENT_PII, receive_until

SERVER = Path(sys.executable).with_name("redactor-server")
CONNECTIONS = 16  # all on one worker of two by chance: 2 in 65536
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Instance:
    def __init__(self, tmp_path: Path, *options: str, workers: int = 2) -> None:
        self.data = tmp_path / "data"
        DATA_PLACES.append(self.data)
        self.process = subprocess.Popen(
            [str(SERVER), "--port", "0", "--workers", str(workers), "--db", str(self.data / "r.db"),
             "--data-dir", str(self.data), "--holdback", "60", "--max-calls", "2", *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        lines = []
        for line in self.process.stdout:
            lines.append(line.strip())
            if line.startswith("listening on"):
                break
        self.port = int(re.search(r":(\d+) ", lines[-1]).group(1))
        self.key = next(line for line in lines if line.startswith("rk_"))
        self.wait_healthy()

    def get(self, path: str) -> tuple[int, str]:
        try:
            with _NO_PROXY.open(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def wait_healthy(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.get("/healthz")
            if status == 200:
                return body
            time.sleep(0.2)
        raise AssertionError(f"not healthy: {body}")

    def chat(self):
        return connect(f"ws://127.0.0.1:{self.port}/v1/chat", additional_headers={"Authorization": f"Bearer {self.key}"},
                       proxy=None)

    def active_chats(self) -> dict[str, float]:
        """Open chat sessions by worker, from the instance's /metrics."""
        return self.active("chat")

    def active(self, kind: str) -> dict[str, float]:
        _, text = self.get("/metrics")
        return {worker: float(value) for worker, value in re.findall(
            rf'^redactor_active_sessions\{{kind="{kind}",worker="(\d+)"\}} (\S+)$', text, re.MULTILINE)}

    def call(self, stack: ExitStack, call_id: str):
        """A call started (and kept open while ``stack`` is)."""
        ws = stack.enter_context(connect(f"ws://127.0.0.1:{self.port}/v1/call", proxy=None,
                                         additional_headers={"Authorization": f"Bearer {self.key}"}))
        ws.send(json.dumps({"type": "start", "call_id": call_id, "sample_rate": 8000}))
        receive_until(ws, "started")
        return ws

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(60)


@pytest.fixture
def instance(tmp_path):
    running = Instance(tmp_path)
    yield running
    running.stop()


def open_sessions(stack: ExitStack, instance: Instance, prefix: str, text: str, reply: bool) -> list:
    """One chat session per connection, each with one message sent (and answered, if
    ``reply``); the connections stay open while ``stack`` does."""
    sockets = []
    for i in range(CONNECTIONS):
        ws = stack.enter_context(instance.chat())
        sockets.append(ws)
        ws.send(json.dumps({"type": "message", "session": f"{prefix}-{i}", "speaker": "customer", "text": text}))
        if reply:
            assert receive_until(ws, "redacted")[-1]["text"] == text
    return sockets


def test_two_workers_each_serve_connections_and_answer_for_the_instance(instance):
    assert len(instance.workers()) == 2
    with ExitStack() as stack:
        open_sessions(stack, instance, "spread", "halo kak", reply=True)
        active = instance.active_chats()
        assert set(active) == {"0", "1"} and all(count > 0 for count in active.values())
        assert sum(active.values()) == CONNECTIONS
        status, health = instance.get("/healthz")
        assert status == 200 and health.splitlines() == ["ok", "worker 0: ok", "worker 1: ok"]
        _, metrics = instance.get("/metrics")  # the machine's --max-calls 2, seen by each worker
        assert re.findall(r'^redactor_call_capacity\{worker="(\d)"\} (\S+)$', metrics, re.MULTILINE) == [
            ("0", "2.0"), ("1", "2.0")]


def test_the_session_limit_is_the_machines_whichever_worker_a_client_reaches(tmp_path):
    limited = Instance(tmp_path, "--max-sessions", str(CONNECTIONS), "--max-sessions-per-key", str(CONNECTIONS))
    try:
        with ExitStack() as stack:
            open_sessions(stack, limited, "full", "halo kak", reply=True)
            assert set(limited.active_chats()) == {"0", "1"}
            for _ in range(4):  # new connections, each to either worker: all refused
                with pytest.raises(InvalidStatus) as refused:
                    limited.chat().__enter__()
                assert refused.value.response.status_code == 503
    finally:
        limited.stop()


def test_sigterm_drains_every_worker_then_the_parent_exits_0(instance):
    card = "4532 0151 1283 0366"
    SENT_PII.add(card)
    text = f"kartu saya {card} dan 5500"  # ends in digits: held back (for 60 s)
    with ExitStack() as stack:
        sigterm_with_held_sessions(stack, instance, text)
    assert instance.process.wait(60) == 0
    with open_storage(str(instance.data / "r.db")) as storage:
        for i in range(CONNECTIONS):
            assert [s.text for s in storage.segments(f"drain-{i}")] == ["kartu saya <CREDIT_CARD> dan <NUMBER>"]


def sigterm_with_held_sessions(stack: ExitStack, instance: Instance, text: str) -> None:
    sockets = open_sessions(stack, instance, "drain", text, reply=False)
    deadline = time.monotonic() + 30
    while sum(instance.active_chats().values()) < CONNECTIONS and time.monotonic() < deadline:
        time.sleep(0.1)
    assert set(instance.active_chats()) == {"0", "1"}
    instance.process.send_signal(signal.SIGTERM)
    for ws in sockets:
        told = []
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                told.append(json.loads(ws.recv(timeout=60)))
        assert [m["type"] for m in told] == ["redacted", "ended"]
        assert told[0]["text"] == "kartu saya <CREDIT_CARD> dan <NUMBER>"
        assert closed.value.rcvd.code == 1001


def test_a_killed_worker_is_replaced_and_serves_again(instance):
    before = instance.workers()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while (len(instance.workers()) < 2 or victim in instance.workers()) and time.monotonic() < deadline:
        time.sleep(0.1)
    after = instance.workers()
    assert len(after) == 2 and victim not in after and len(after & before) == 1
    assert instance.wait_healthy().splitlines() == ["ok", "worker 0: ok", "worker 1: ok"]
    with ExitStack() as stack:
        open_sessions(stack, instance, "after-kill", "halo lagi", reply=True)
        active = instance.active_chats()
        assert set(active) == {"0", "1"} and all(count > 0 for count in active.values())
    instance.process.send_signal(signal.SIGTERM)
    assert instance.process.wait(60) == 0
    log = instance.process.stderr.read()
    assert re.search(r"worker \d died \(signal SIGKILL\)", log)


def test_a_killed_parent_takes_its_workers_down(tmp_path):
    running = Instance(tmp_path)
    workers = running.workers()
    running.process.kill()
    running.process.wait(30)
    deadline = time.monotonic() + 60
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in workers):
        assert time.monotonic() < deadline, "workers outlived their parent"
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:", 1)[1].split("\n", 1)[0]
    except (FileNotFoundError, IndexError):
        return "zombie"


# --- the pure parts ------------------------------------------------------------------------------

def test_a_worker_admits_against_what_every_worker_holds_open():
    counts = SharedCounts(2)
    limits = Limits(max_sessions=5, max_calls=2, max_sessions_per_key=2, cores=2)
    first, second = (Admission(limits, others=partial(counts.others, i), publish=partial(counts.add, i))
                     for i in range(2))
    first.admit("call", "k1", "call-1")
    second.admit("call", "k2", "call-2")
    assert first.refusal("call", "k3").code == "capacity"  # 2 calls on the machine: its capacity
    ticket = first.admit("chat", "k3", "chat-1")
    second.admit("chat", "k3", "chat-2")
    assert first.refusal("chat", "k3").code == "key_quota"  # k3 holds 2, one on each worker
    second.admit("chat", "k4", "chat-3")
    assert first.refusal("chat", "k5").code == "too_many_sessions"  # 5 sessions in all
    first.release(ticket)
    assert first.refusal("chat", "k5") is None and second.refusal("chat", "k3") is None
    counts.reset(0)  # worker 0 replaced: what it held is gone
    assert second.count_everywhere() == 3


def test_metrics_of_every_worker_are_merged_one_family_at_a_time():
    from redactor.metrics import Metrics

    first, second = Metrics(), Metrics()
    first.messages.labels("chat").inc(3)
    second.messages.labels("chat").inc(4)
    second.latency.labels("chat").observe(0.02)
    merged = merge_expositions({0: first.exposition(), 1: second.exposition(), 2: None}).decode()
    assert 'redactor_messages_total{kind="chat",worker="0"} 3.0' in merged
    assert 'redactor_messages_total{kind="chat",worker="1"} 4.0' in merged
    assert 'redactor_latency_seconds_bucket{le="0.025",stage="chat",worker="1"} 1.0' in merged
    assert merged.count("# TYPE redactor_messages_total counter") == 1
    assert 'worker="2"' not in merged


@pytest.mark.parametrize("answers, status, first_line", [
    ({0: b"200 ok\n", 1: b"200 ok\n"}, HTTPStatus.OK, "ok"),
    ({0: b"200 ok\n", 1: None}, HTTPStatus.SERVICE_UNAVAILABLE, "starting"),
    ({0: b"503 degraded: speech recognition is 3.0 s behind\n", 1: b"200 ok\n"},
     HTTPStatus.SERVICE_UNAVAILABLE, "degraded"),
    ({0: b"503 degraded: behind\n", 1: b"503 draining\n"}, HTTPStatus.SERVICE_UNAVAILABLE, "draining"),
])
def test_the_instance_is_as_healthy_as_its_worst_worker(answers, status, first_line):
    got_status, body = merge_health(answers)
    assert got_status == status and body.splitlines()[0] == first_line
    assert len(body.splitlines()) == 1 + len(answers)


def test_a_worker_that_cannot_start_makes_the_parent_give_up_with_status_1():
    """A worker dying at start-up again and again (a bad config, a full disk) is restarted
    with growing delays, then the parent exits 1 for systemd to restart the whole."""
    script = ("import sys, logging; logging.basicConfig(level=logging.INFO, stream=sys.stderr); "
              "from server_workers import Supervisor; sys.exit(Supervisor(2, lambda i: 3).run())")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "died at start-up 5 times in a row (status 3): giving up" in result.stderr


def test_workers_leave_what_the_parent_loaded_to_the_permanent_generation():
    """Objects the parent made before forking (the models) are frozen in every worker, so that
    the workers' garbage collections leave the pages they share untouched."""
    script = ("import gc, os, signal, sys; from server_workers import Supervisor\n"
              "loaded = [[i] for i in range(1000)]\n"
              "def work(index):\n"
              "    print(gc.get_freeze_count())\n"
              # the parent's stop signal, sent back, must not kill the worker before it returns
              "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
              "    os.kill(os.getppid(), signal.SIGTERM)\n"
              "    return 0\n"
              "sys.exit(Supervisor(1, work).run())")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 1000  # at least the lists made before the fork


# --- the event loop and chat thread on one core -----------------------------------------------------

@pytest.mark.parametrize(("allowed", "index", "workers", "core"), [
    ({0, 1}, 0, 1, 0),
    ({0, 1, 2, 3}, 2, 3, 2),
    ({4, 6, 7}, 1, 2, 6),  # a cpuset: the cores allowed, not 0..n-1
    ({0, 1}, 1, 2, None),  # no core spare for the rest (calls, the system)
    ({0, 1}, 0, 4, None),
    ({0}, 0, 1, None),
])
def test_a_worker_keeps_a_core_only_when_one_is_spare(monkeypatch, allowed, index, workers, core):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(allowed))
    assert worker_core(index, workers) == core


needs_two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="pinning needs two cores or more")


@needs_two_cores
def test_chat_runs_on_the_workers_core_and_speech_recognition_anywhere(tmp_path):
    allowed = os.sched_getaffinity(0)
    app = App(Settings(pin_threads=True, workers=1), None, open_storage(str(tmp_path / "r.db")), None)
    try:
        async def affinities():
            return (await app.run_chat(os.sched_getaffinity, 0), await app.run(os.sched_getaffinity, 0))

        pin_thread({app.core})  # as the event loop's thread is: the threads it starts inherit it
        try:
            on_chat, on_pool = asyncio.run(affinities())
        finally:
            pin_thread(allowed)
    finally:
        app.close()
    assert app.core in allowed
    assert (on_chat, on_pool) == ({app.core}, allowed)


@needs_two_cores
@pytest.mark.parametrize(("options", "pinned"), [((), True), (("--no-pin",), False)])
def test_one_worker_keeps_its_event_loop_on_one_core_unless_told_not_to(tmp_path, options, pinned):
    server = Instance(tmp_path, *options, workers=1)
    try:
        with server.chat() as ws:  # the event loop has served a message
            ws.send(json.dumps({"type": "message", "session": "p", "speaker": "customer", "text": "halo"}))
            receive_until(ws, "redacted")
        allowed = _allowed_cores(server.process.pid)
    finally:
        server.stop()
    assert (len(allowed) == 1) == pinned
    assert allowed <= os.sched_getaffinity(0)


def _allowed_cores(tid: int) -> set[int]:
    status = Path(f"/proc/{tid}/status").read_text()
    cores: set[int] = set()
    for part in re.search(r"^Cpus_allowed_list:\s*(\S+)$", status, re.MULTILINE).group(1).split(","):
        first, _, last = part.partition("-")
        cores.update(range(int(first), int(last or first) + 1))
    return cores


# --- calls placed by load ----------------------------------------------------------------------

CALLS = 6  # by address hash alone, an even 3/3 split comes 20 times in 64 (16 chats 8/8: 12,870 in 65,536)


def test_calls_and_chats_go_to_the_worker_holding_the_fewest_of_their_kind(tmp_path):
    placed = Instance(tmp_path, "--max-calls", str(CALLS), "--max-calls-per-key", str(CALLS))
    try:
        with ExitStack() as stack:
            for i in range(CALLS):
                placed.call(stack, f"placed-{i}")
            assert placed.active("call") == {"0": CALLS / 2, "1": CALLS / 2}
            open_sessions(stack, placed, "beside", "halo kak", reply=True)
            assert placed.active_chats() == {"0": CONNECTIONS / 2, "1": CONNECTIONS / 2}  # chats by count too
        _, metrics = placed.get("/metrics")
        handed = re.findall(r'^redactor_handed_over_total\{kind="(\w+)",worker="\d"\} (\S+)$', metrics, re.MULTILINE)
        assert {kind for kind, _ in handed} <= {"chat", "call"} and sum(float(n) for _, n in handed) > 0
    finally:
        placed.stop()


@pytest.mark.parametrize(("head", "path"), [
    (b"GET /v1/call HTTP/1.1\r\nHost: x\r\n\r\n", "/v1/call"),
    (b"GET /v1/chat?token=rk_1 HTTP/1.1\r\n", "/v1/chat"),
    (b"GET / HTTP/1.1\r\n", "/"),
    (b"GET /twilio HTTP/1.0\r\n", "/twilio"),
    (b"GET /v1/call HTTP/1.1", None),  # the line is not complete yet
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n", None),  # a TLS hello: not a request
    (b"GET /v1/call\r\n", None),
    (b"", None),
])
def test_the_request_path_is_read_from_the_request_line(head, path):
    assert request_path(head) == path


def test_a_burst_of_calls_at_one_worker_alternates_counting_those_in_flight(tmp_path):
    placement = Placement(2, tmp_path, "call")
    served_by_1: list[socket.socket] = []

    def adopt(conn: socket.socket) -> None:
        placement.held(1, 1)
        served_by_1.append(conn)

    async def burst() -> list[int]:
        inbox = placement.receive(1, adopt)
        targets = []
        with ExitStack() as stack:
            for _ in range(4):  # no await in between: worker 1 has received none of them yet
                target = placement.target(0)
                targets.append(target)
                if target == 0:
                    placement.held(0, 1)
                else:
                    accepted, _ = (stack.enter_context(s) for s in socket.socketpair())
                    assert placement.hand_off(0, 1, accepted)
            assert (placement.load(0), placement.load(1)) == (2, 2)
            await asyncio.sleep(0.1)
        placement.close_inbox(inbox)
        return targets

    assert asyncio.run(burst()) == [0, 1, 0, 1]
    assert len(served_by_1) == 2 and (placement.load(0), placement.load(1)) == (2, 2)
    for conn in served_by_1:
        conn.close()
    placement.held(1, 1)  # a call worker 1 held when it died, and one in flight to it
    placement._slots[placement._sent(0, 1)] += 1
    placement.reset(1)  # its successor starts with neither
    assert placement.load(1) == 0


def test_a_call_stays_when_the_other_worker_cannot_take_it(tmp_path):
    placement = Placement(2, tmp_path, "call")  # worker 1 is not listening (being replaced)
    placement.held(0, 1)
    assert placement.target(0) == 1
    accepted, client = socket.socketpair()
    with accepted, client:
        assert not placement.hand_off(0, 1, accepted)
    assert placement.load(1) == 0


def test_a_handed_over_call_reaches_the_other_worker_with_its_bytes_unread(tmp_path):
    placement = Placement(2, tmp_path, "call")

    async def hand_over() -> bytes:
        adopted: asyncio.Future[socket.socket] = asyncio.get_running_loop().create_future()
        inbox = placement.receive(1, adopted.set_result)
        client, accepted = socket.socketpair()
        client.sendall(b"GET /v1/call HTTP/1.1\r\n")
        assert placement.hand_off(0, 1, accepted)
        accepted.close()
        assert placement.load(1) == 1  # counted before it arrives
        conn = await asyncio.wait_for(adopted, 5)
        placement.close_inbox(inbox)
        with client, conn:
            return conn.recv(100)

    assert asyncio.run(hand_over()) == b"GET /v1/call HTTP/1.1\r\n"
    assert placement.load(1) == 0  # received; held counts once the server serves it


def test_silent_and_slow_clients_hold_up_no_one(instance):
    with ExitStack() as stack:
        for _ in range(8):  # connected, never a byte: on both workers, by address hash
            stack.enter_context(socket.create_connection(("127.0.0.1", instance.port)))
        slow = stack.enter_context(socket.create_connection(("127.0.0.1", instance.port)))
        slow.sendall(b"GET /hea")  # a request line in two pieces, the second after a while
        started = time.monotonic()
        open_sessions(stack, instance, "beside-silent", "halo kak", reply=True)
        assert time.monotonic() - started < 10
        time.sleep(1.5)  # longer than a worker waits for a request line before serving it as is
        slow.sendall(b"lthz HTTP/1.1\r\nHost: x\r\n\r\n")
        slow.settimeout(10)
        assert slow.recv(100).startswith(b"HTTP/1.1 200 OK")  # what was peeked was not consumed
