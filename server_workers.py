"""Every core of one machine: ``redactor-server --workers N`` runs N worker processes on one
port, under a supervising parent.

Why processes, and why these: redaction is GIL-bound Python, so threads of one process add
contention, not throughput (``benchmarks/server_results.md``). A call is tied to its
connection and a chat session to its connection's worker, so each worker is a whole server:
its own event loop, sessions, admission and database connection. The parent loads the
models once and forks the workers from that state (Kaldi's and spaCy's weights are shared
copy-on-write, and a worker that dies is replaced in a second, without reloading them).

* Admission: the limits are the machine's, per-key quotas included. Each worker admits its
  own connections' sessions and calls, counting what the others hold open
  (:class:`SharedCounts`).
* Sockets: the parent binds one listening socket per worker, all on one port with
  ``SO_REUSEPORT``: the kernel spreads new connections over them by address hash, evenly on
  average and a burst included, where one shared socket would hand a burst to whichever
  worker woke first. Chat and call connections are then placed by count, each kind on its
  own (:class:`Placement`).
  The parent keeps every socket open, so connections the kernel queued for a worker that died
  wait for its replacement instead of being reset.
* Supervision: a worker that exits unexpectedly is forked again (backing off when it keeps
  dying at start-up; after ``MAX_QUICK_DEATHS`` in a row the parent gives up and exits 1, for
  systemd to restart it whole). SIGTERM or SIGINT to the parent is forwarded: each worker
  drains (every open session finalised and stored, clients told), and the parent exits once
  they all have, killing what is left after ``stop_timeout_s``. A worker whose parent is
  killed gets SIGTERM from the kernel (``PR_SET_PDEATHSIG``).
* One ``/metrics`` and one ``/healthz`` per instance: whichever worker a scrape reaches asks
  the others over unix sockets in a private directory (:class:`Peers`) and answers for all of
  them, every sample labelled ``worker="i"`` (``sum without (worker) (...)`` in PromQL gives
  the instance). ``/healthz`` answers the worst state of any worker.
"""
from __future__ import annotations

import array
import asyncio
import ctypes
import gc
import logging
import mmap
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

from prometheus_client import generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

logger = logging.getLogger("redactor.server")

MIN_UPTIME_S = 10.0  # a worker that dies sooner died at start-up (a bad config, a full disk)
MAX_QUICK_DEATHS = 5  # in a row: give up, exit 1, and let systemd restart the whole
RESTART_DELAYS_S = (0.0, 0.5, 1.0, 2.0, 5.0)  # after 0, 1, 2, ... quick deaths in a row
PEER_TIMEOUT_S = 2.0
_SUPERVISED = (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT)
_PR_SET_PDEATHSIG = 1


def available_cores() -> int:
    """Cores this process may run on (CPU affinity and cpusets included)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_core(index: int, workers: int) -> int | None:
    """The core that worker ``index``'s event loop and chat thread stay on, or None (no core
    spare: every core would hold a pinned pair, and what else runs could not move away).
    Chat detection holds the GIL; each time the event loop takes it, the chat thread sleeps
    and wakes on whichever core is free, its caches cold. Kept on one core, the pair spends
    about a fifth less CPU per message (closed loop, 50 sessions, 1 worker on 2 cores)."""
    try:
        cores = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return None
    return cores[index % len(cores)] if workers < len(cores) else None


def pin_thread(cores: set[int]) -> None:
    """Keep the calling thread on ``cores`` (Linux: the affinity of this thread alone; threads
    it starts afterwards inherit it)."""
    os.sched_setaffinity(0, cores)


def listening_sockets(host: str, port: int, count: int, backlog: int = 512) -> list[socket.socket]:
    """``count`` listening TCP sockets on one port with ``SO_REUSEPORT`` (port 0: the first
    picks a free port, the others join it). A port another process listens on is refused
    (EADDRINUSE), even when that process set ``SO_REUSEPORT`` too: two instances started on
    one port by mistake would otherwise share it silently."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if port:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no owner
            probe.bind((host, port))
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.listen(backlog)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


# --- the supervising parent ------------------------------------------------------------------

@dataclass
class _Slot:
    index: int
    pid: int = 0
    started: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None


@dataclass
class Supervisor:
    """Forks ``count`` workers, each running ``work(index)`` (its return value is the
    worker's exit status), replaces those that die, and stops them all on SIGTERM/SIGINT."""

    count: int
    work: Callable[[int], int]
    stop_timeout_s: float = 45.0
    _slots: list[_Slot] = field(default_factory=list)
    _stopping_since: float | None = None
    failed = False

    def run(self) -> int:
        """Supervise until every worker has exited after a stop (or start-up kept failing);
        the parent's exit status."""
        signal.pthread_sigmask(signal.SIG_BLOCK, _SUPERVISED)
        # The models' Python objects, loaded here, move out of the collector's reach: a worker's
        # collections would otherwise write to their headers and unshare the pages they share
        # with the parent (2 workers, 3,000 chat messages: 839 -> 782 MB of PSS).
        gc.freeze()
        self._slots = [_Slot(i) for i in range(self.count)]
        for slot in self._slots:
            self._fork(slot)
        while any(slot.pid or slot.restart_at is not None for slot in self._slots):
            received = signal.sigtimedwait(_SUPERVISED, 0.5)
            if received is not None and received.si_signo != signal.SIGCHLD:
                self.stop(f"signal {signal.Signals(received.si_signo).name}")
            self._reap()
            self._restart_due()
            if self._stopping_since is not None and time.monotonic() - self._stopping_since > self.stop_timeout_s:
                self._kill_remaining()
        return 1 if self.failed else 0

    def stop(self, why: str) -> None:
        if self._stopping_since is None:
            logger.info("%s: stopping %d worker(s); each drains its sessions", why, self.count)
            self._stopping_since = time.monotonic()
        for slot in self._slots:
            slot.restart_at = None
            if slot.pid:
                _signal(slot.pid, signal.SIGTERM)

    def _fork(self, slot: _Slot) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            status = 1
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, ())
                for sig in _SUPERVISED:
                    signal.signal(sig, signal.SIG_DFL)
                _die_with_parent()
                status = self.work(slot.index)
            except BaseException:  # noqa: BLE001 - a worker must never return into the parent's loop
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        slot.pid, slot.started, slot.restart_at = pid, time.monotonic(), None
        logger.info("worker %d started (pid %d)", slot.index, pid)

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            slot = next((s for s in self._slots if s.pid == pid), None)
            if slot is not None:
                self._exited(slot, status)

    def _exited(self, slot: _Slot, status: int) -> None:
        slot.pid = 0
        how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
               else f"status {os.WEXITSTATUS(status)}")
        if self._stopping_since is not None:
            logger.info("worker %d exited (%s)", slot.index, how)
            self.failed |= os.waitstatus_to_exitcode(status) != 0
            return
        uptime = time.monotonic() - slot.started
        slot.quick_deaths = slot.quick_deaths + 1 if uptime < MIN_UPTIME_S else 0
        if slot.quick_deaths >= MAX_QUICK_DEATHS:
            logger.error("worker %d died at start-up %d times in a row (%s): giving up",
                         slot.index, slot.quick_deaths, how)
            self.failed = True
            self.stop("a worker cannot start")
            return
        delay = RESTART_DELAYS_S[min(slot.quick_deaths, len(RESTART_DELAYS_S) - 1)]
        logger.error("worker %d died (%s) after %.0f s; restarting it in %.1f s", slot.index, how, uptime, delay)
        slot.restart_at = time.monotonic() + delay

    def _restart_due(self) -> None:
        now = time.monotonic()
        for slot in self._slots:
            if slot.restart_at is not None and now >= slot.restart_at and self._stopping_since is None:
                self._fork(slot)

    def _kill_remaining(self) -> None:
        for slot in self._slots:
            if slot.pid:
                logger.error("worker %d still running %.0f s after SIGTERM: killing it",
                             slot.index, self.stop_timeout_s)
                _signal(slot.pid, signal.SIGKILL)
        self.failed = True
        self._stopping_since = time.monotonic()  # wait for the kills to be reaped


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:
    """Ask Linux to send this worker SIGTERM (a drain) if the parent dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


# --- what every worker holds open ---------------------------------------------------------------

class SharedCounts:
    """Open chat sessions and calls of each worker, in all and per API key, in memory the
    parent maps before forking them (so all of them share it): each worker writes only its own
    slots, and admits against the sum. Keys share ``KEY_BUCKETS`` slots by hash: two keys in
    one slot count together (a stricter quota, never a looser one). A replaced worker's slots
    are zeroed when its successor starts."""

    KINDS = ("chat", "call")
    KEY_BUCKETS = 1024

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._per_worker = len(self.KINDS) * (1 + self.KEY_BUCKETS)
        self._memory = mmap.mmap(-1, 8 * self._per_worker * workers)  # MAP_SHARED, anonymous
        self._slots = (ctypes.c_int64 * (self._per_worker * workers)).from_buffer(self._memory)

    def _slot(self, worker: int, kind: str, key_id: str | None) -> int:
        bucket = 0 if key_id is None else 1 + zlib.crc32(key_id.encode()) % self.KEY_BUCKETS
        return worker * self._per_worker + self.KINDS.index(kind) * (1 + self.KEY_BUCKETS) + bucket

    def add(self, worker: int, kind: str, key_id: str, delta: int) -> None:
        """Worker ``worker`` opened (1) or closed (-1) a ``kind`` of key ``key_id``. Only that
        worker's event loop writes its slots."""
        self._slots[self._slot(worker, kind, None)] += delta
        self._slots[self._slot(worker, kind, key_id)] += delta

    def others(self, worker: int, kind: str, key_id: str | None) -> int:
        return sum(self._slots[self._slot(w, kind, key_id)] for w in range(self.workers) if w != worker)

    def reset(self, worker: int) -> None:
        base = worker * self._per_worker
        for slot in range(base, base + self._per_worker):
            self._slots[slot] = 0


# --- one /metrics and /healthz for all workers -----------------------------------------------

Answer = Callable[[str], Awaitable[bytes]]


class Peers:
    """The workers of one instance, reachable from each other over unix sockets in ``directory``
    (created owner-only by the parent). Each answers ``metrics`` and ``health`` about itself."""

    REQUESTS = ("metrics", "health")

    def __init__(self, directory: Path, index: int, count: int) -> None:
        self.directory, self.index, self.count = directory, index, count

    @classmethod
    def directory_for_instance(cls) -> Path:
        return Path(tempfile.mkdtemp(prefix="redactor-workers-"))

    @staticmethod
    def remove_directory(directory: Path) -> None:
        shutil.rmtree(directory, ignore_errors=True)

    def _path(self, index: int) -> str:
        return str(self.directory / f"worker-{index}.sock")

    async def serve(self, answer: Answer) -> asyncio.AbstractServer:
        """Answer the other workers' requests with ``answer(request)``."""
        path = self._path(self.index)
        if os.path.exists(path):  # left by the worker this one replaces
            os.unlink(path)

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                request = (await asyncio.wait_for(reader.readline(), PEER_TIMEOUT_S)).decode().strip()
                if request in self.REQUESTS:
                    writer.write(await answer(request))
                await writer.drain()
            except (OSError, asyncio.TimeoutError, UnicodeDecodeError):
                pass
            finally:
                writer.close()

        return await asyncio.start_unix_server(handle, path)

    async def ask_all(self, request: str, own: bytes) -> dict[int, bytes | None]:
        """Every worker's answer (this one's is ``own``); None for a worker that did not answer
        (it is being replaced)."""
        others = [i for i in range(self.count) if i != self.index]
        answers = await asyncio.gather(*(self._ask(i, request) for i in others))
        return {self.index: own, **dict(zip(others, answers))}

    async def _ask(self, index: int, request: str) -> bytes | None:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_unix_connection(self._path(index)),
                                                    PEER_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError):
            return None
        try:
            writer.write(f"{request}\n".encode())
            await writer.drain()
            return await asyncio.wait_for(reader.read(), PEER_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError):
            return None
        finally:
            writer.close()


class _Families:
    def __init__(self, families: Iterable[Metric]) -> None:
        self._families = list(families)

    def collect(self) -> Iterable[Metric]:
        return self._families


def merge_expositions(by_worker: dict[int, bytes | None]) -> bytes:
    """One Prometheus exposition of every worker's, each sample labelled ``worker``."""
    families: dict[str, Metric] = {}
    for worker, text in sorted(by_worker.items()):
        if text is None:
            continue
        for family in text_string_to_metric_families(text.decode()):
            merged = families.get(family.name)
            if merged is None:
                merged = families[family.name] = Metric(family.name, family.documentation, family.type,
                                                        family.unit)
            merged.samples += [s._replace(labels={**s.labels, "worker": str(worker)}) for s in family.samples]
    return generate_latest(_Families(families.values()))  # type: ignore[arg-type]


_SEVERITY = {"ok": 0, "starting": 1, "degraded": 2, "draining": 3}


def encode_health(status: HTTPStatus, text: str) -> bytes:
    return f"{status.value} {text}".encode()


def merge_health(by_worker: dict[int, bytes | None]) -> tuple[HTTPStatus, str]:
    """The instance's state: the worst of its workers' (a worker that did not answer is being
    replaced: ``starting``), then one line per worker."""
    states: list[tuple[int, HTTPStatus, str]] = []
    for worker, answer in sorted(by_worker.items()):
        code, _, text = (answer or b"503 starting\n").decode().partition(" ")
        states.append((worker, HTTPStatus(int(code)), text.strip()))
    worst = max(states, key=lambda s: _SEVERITY.get(s[2].split(":")[0], 2))
    lines = [f"worker {worker}: {text}" for worker, _, text in states]
    return worst[1], "\n".join([worst[2].split(":")[0], *lines]) + "\n"


# --- connections placed by load ----------------------------------------------------------------

PLACEMENT_PEEK_BYTES = 2048  # a request line longer than this is served where it landed
PLACEMENT_PEEK_TIMEOUT_S = 1.0  # a client silent this long after connecting: served where it landed


def request_path(head: bytes) -> str | None:
    """The path of the HTTP request line at the start of ``head`` (``GET /v1/call?x=1
    HTTP/1.1`` gives ``/v1/call``); None while the line is incomplete or not a request."""
    line, found, _ = head.partition(b"\r\n")
    if not found:
        return None
    parts = line.split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/"):
        return None
    return parts[1].partition(b"?")[0].decode("latin-1")


class Placement:
    """Connections of one kind (chat, call) go to the worker holding the fewest, not where the
    kernel's address hash put them.

    ``SO_REUSEPORT`` spreads connections evenly only on average: 50 chat connections came 30
    to 20 in the scale benchmark, and 6 calls 5 to 1 (a call costs a fifth of a core for as
    long as it lasts), and the fuller worker fell behind while the other idled. So a worker
    that accepts a connection while another holds fewer of its kind hands it over (its file
    descriptor, over a unix socket, before the handshake is read: the client sees nothing).

    Counts live in memory the parent maps before forking, each slot written by one worker
    only (no lost updates without locks): ``held[w]``, the connections worker ``w`` serves;
    ``sent[s][w]``, those ``s`` handed to ``w``; ``taken[w][s]``, those ``w`` received from
    ``s``. Handed over but not yet received counts too, so a burst arriving at one worker
    spreads at once."""

    def __init__(self, workers: int, directory: Path, kind: str) -> None:
        self.workers, self.directory, self.kind = workers, directory, kind
        size = workers + 2 * workers * workers
        self._memory = mmap.mmap(-1, 8 * size)  # MAP_SHARED, anonymous
        self._slots = (ctypes.c_int64 * size).from_buffer(self._memory)
        self._outbox: socket.socket | None = None

    def _held(self, worker: int) -> int:
        return worker

    def _sent(self, sender: int, receiver: int) -> int:
        return self.workers + sender * self.workers + receiver

    def _taken(self, receiver: int, sender: int) -> int:
        return self.workers + self.workers * self.workers + receiver * self.workers + sender

    def _path(self, worker: int) -> str:
        return str(self.directory / f"{self.kind}-{worker}.sock")

    def load(self, worker: int) -> int:
        """The connections ``worker`` serves or is being handed."""
        in_flight = sum(self._slots[self._sent(s, worker)] - self._slots[self._taken(worker, s)]
                        for s in range(self.workers))
        return self._slots[self._held(worker)] + in_flight

    def target(self, worker: int) -> int:
        """Where a connection ``worker`` just accepted should go: itself unless another holds fewer."""
        return min(range(self.workers), key=lambda w: (self.load(w), w != worker))

    def reset(self, worker: int) -> None:
        """A (replacement) worker starts with no connections; what was in flight to its
        predecessor died with it."""
        self._slots[self._held(worker)] = 0
        for sender in range(self.workers):
            self._slots[self._taken(worker, sender)] = self._slots[self._sent(sender, worker)]

    def held(self, worker: int, delta: int) -> None:
        self._slots[self._held(worker)] += delta

    def hand_off(self, worker: int, target: int, conn: socket.socket) -> bool:
        """Give ``conn`` to worker ``target``; False (``conn`` stays here) when it cannot take
        it now (being replaced, its queue full)."""
        if self._outbox is None:
            self._outbox = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._outbox.setblocking(False)
        try:
            # Not socket.send_fds: Python 3.11's ignores its address argument.
            self._outbox.sendmsg([str(worker).encode()], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                                           array.array("i", [conn.fileno()]))], 0, self._path(target))
        except OSError:
            return False
        self._slots[self._sent(worker, target)] += 1
        return True

    def receive(self, worker: int, adopt: Callable[[socket.socket], None]) -> socket.socket:
        """Take the connections other workers hand to ``worker``, each given to ``adopt``.
        Returns the inbox socket (close it to stop)."""
        inbox = _bound_unix_socket(self._path(worker), socket.SOCK_DGRAM)

        def readable() -> None:
            while True:
                try:
                    sender, fds, _, _ = socket.recv_fds(inbox, 16, 1)
                except OSError:  # nothing more to take now (BlockingIOError), or closed
                    return
                for fd in fds:  # one per message, from a worker of this instance (owner-only directory)
                    self._slots[self._taken(worker, int(sender))] += 1
                    adopt(socket.socket(fileno=fd))

        asyncio.get_running_loop().add_reader(inbox.fileno(), readable)
        return inbox

    def close_inbox(self, inbox: socket.socket) -> None:
        asyncio.get_running_loop().remove_reader(inbox.fileno())
        inbox.close()


def idle_listener(directory: Path, worker: int) -> socket.socket:
    """A listening unix socket in the workers' private directory, which no client knows."""
    listener = _bound_unix_socket(str(directory / f"idle-{worker}.sock"), socket.SOCK_STREAM)
    listener.listen(1)
    return listener


def _bound_unix_socket(path: str, kind: socket.SocketKind) -> socket.socket:
    if os.path.exists(path):  # left by the worker this one replaces
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, kind)
    sock.bind(path)
    sock.setblocking(False)
    return sock


async def peek_request_path(conn: socket.socket, timeout: float = PLACEMENT_PEEK_TIMEOUT_S) -> str | None:
    """The path a just-accepted connection asks for, read without consuming it (``MSG_PEEK``:
    the server reads the request itself afterwards). None when no request line comes within
    ``timeout``, or it is not one."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            head = conn.recv(PLACEMENT_PEEK_BYTES, socket.MSG_PEEK)
        except BlockingIOError:
            await _readable(conn, deadline - loop.time())
            continue
        except OSError:
            return None
        if not head:  # closed
            return None
        if b"\r\n" in head or len(head) >= PLACEMENT_PEEK_BYTES:
            return request_path(head)
        await asyncio.sleep(0.01)  # part of the line: the rest is on its way (it stays readable)
    return None


async def _readable(conn: socket.socket, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(conn.fileno(), lambda: ready.done() or ready.set_result(None))
    try:
        await asyncio.wait_for(ready, max(timeout, 0.0))
    except asyncio.TimeoutError:
        pass
    finally:
        loop.remove_reader(conn.fileno())
