"""Overload and soak benchmarks of ``redactor-server`` (issue 9), over websockets against the real
server in a subprocess.

``python -m benchmarks.hardening_bench overload [--call-seconds 45] [--out FILE]``
    Offers twice the machine's call capacity (2 x ``--max-calls``' default) at once, calls
    staggered by 0.25 s, each streaming speech at the real-time pace in 20 ms frames, first
    with admission control off (``--max-calls``/quotas/``--max-backlog`` out of reach: the
    server as it was) and then on (the defaults). A chat client meanwhile opens a connection
    every second, sends one message and waits for its reply. Reported: calls admitted, refused
    (and told so: ``capacity``) and shed (told ``overloaded``), closed otherwise (1011 …);
    admitted calls' lag: each masked final's arrival minus the moment its speech ended in the
    call's own timeline (Vosk's end-pointing, ~0.5-1 s, included) p50/p99, and the server's
    recognition backlog gauge (every 0.5 s); audio sent vs stored (recording length) for calls
    that ran to their stop, and for shed calls; finals received vs stored; the chat handshake
    and reply latency.

``python -m benchmarks.hardening_bench soak [--minutes 10] [--out FILE]``
    50 chat sessions typing at a human pace (a message every 2-6 s, each on its own
    connection) and 8 calls streaming speech at the real-time pace, for ``--minutes``.
    Reported: messages sent vs stored, audio sent vs stored, RSS of the server over time, p99
    of chat reply latency (client side) and of masked finals (server histogram).

Both append their table to ``benchmarks/hardening_results.md`` with the machine's load.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "hardening_results.md"
SERVER_BIN = Path(sys.executable).with_name("redactor-server")
FRAME_S = 0.02
STOP_WAIT_S = 60.0  # after its stop, how long a call waits for its last finals and stopped
RATE = 8000
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SENTENCES = [
    "안녕하세요 고객님. 무엇을 도와드릴까요?",
    "카드를 잃어버렸어요. 카드 번호는 사 오 삼 이 공 일 오 일 입니다.",
    "본인 확인을 위해 성함과 생년월일을 말씀해 주세요.",
    "제 이름은 이영호 이고 주소는 서울시 강남구 테헤란로 입니다.",
    "감사합니다. 새 카드는 일주일 안에 도착합니다.",
]
CHAT_LINES = [
    "halo kak, kartu saya hilang", "nomor kartunya 4532 0151", "1283 0366", "atas nama Budi Santoso",
    "nik saya 3174055203900002", "email budi.santoso@example.com", "oke terima kasih",
    "bisa dibantu blokir?", "nomor hp 0812 3456 7890", "baik kak, ditunggu",
]


def speech_clip() -> bytes:
    """The sentences, 1 s of silence after each, 8 kHz 16-bit mono."""
    from tests.speech import synthesize

    return b"".join(synthesize(s, "ko", RATE, 130, pause_s=1.0, pad_s=0.0).tobytes() for s in SENTENCES)


class Server:
    def __init__(self, workdir: Path, *args: str) -> None:
        self.workdir = workdir
        self.db = workdir / "b.db"
        self.log = workdir / "server.log"
        self.proc = subprocess.Popen(
            # One process: this benchmark reads one admission's gauges (server_scale_bench
            # measures the worker processes).
            [str(SERVER_BIN), "--port", "0", "--db", str(self.db), "--data-dir", str(workdir / "data"),
             "--workers", "1", *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log.open("w"), text=True)
        self.key, self.port = None, None
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("rk_"):
                self.key = line.strip()
            if line.startswith("listening on"):
                self.port = int(re.search(r":(\d+) ", line).group(1))
                break
        if self.port is None or self.key is None:
            raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def metric(self, name: str) -> float:
        with _NO_PROXY.open(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as response:
            text = response.read().decode()
        found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    def final_latency_p99(self) -> float | None:
        with _NO_PROXY.open(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as response:
            text = response.read().decode()
        buckets = [(float(le), float(v)) for le, v in re.findall(
            r'redactor_latency_seconds_bucket\{le="([^"]+)",stage="final"\} (\S+)', text) if le != "+Inf"]
        total = max((v for _, v in buckets), default=0)
        return next((le for le, v in sorted(buckets) if v >= 0.99 * total), None) if total else None

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def stored(self) -> tuple[dict[str, float], dict[str, int]]:
        """Recording seconds and segment counts per session id."""
        with sqlite3.connect(self.db) as db:
            recordings = dict(db.execute("SELECT call_id, SUM(duration_s) FROM recordings GROUP BY call_id"))
            segments = dict(db.execute("SELECT session_id, COUNT(*) FROM segments GROUP BY session_id"))
        return recordings, segments


@dataclass
class CallResult:
    call_id: str
    outcome: str = "admitted"  # admitted | refused:<code> | shed | closed:<code>
    sent_s: float = 0.0
    finals: int = 0
    started_at: float | None = None
    lags: list[float] = field(default_factory=list)  # per final: received minus its speech end


async def run_call(server: Server, call_id: str, clip: bytes, seconds: float, delay: float,
                   results: dict[str, CallResult]) -> None:
    await asyncio.sleep(delay)
    result = results[call_id] = CallResult(call_id)
    step = round(FRAME_S * RATE) * 2
    try:
        async with connect(server.url("/v1/call"), additional_headers=server.headers,
                           open_timeout=30, close_timeout=10, ping_interval=None) as ws:
            await ws.send(json.dumps({"type": "start", "call_id": call_id}))
            reply = json.loads(await ws.recv())
            if reply.get("type") == "error":
                result.outcome = f"refused:{reply['code']}"
                return
            reader = asyncio.ensure_future(_read_call(ws, result))
            result.started_at = t0 = time.monotonic()
            frames = int(seconds / FRAME_S)
            for k in range(frames):
                offset = (k * step) % len(clip)
                await ws.send(clip[offset:offset + step])
                result.sent_s += step / 2 / RATE
                await asyncio.sleep(max(0.0, t0 + (k + 1) * FRAME_S - time.monotonic()))
            await ws.send(json.dumps({"type": "stop"}))
            try:
                await asyncio.wait_for(reader, STOP_WAIT_S)
            except asyncio.TimeoutError:
                result.outcome = f"no stopped within {STOP_WAIT_S:.0f} s"
    except ConnectionClosed as closed:
        if result.outcome == "admitted" and closed.rcvd and closed.rcvd.code not in (1000, 1013):
            result.outcome = f"closed:{closed.rcvd.code}"
    except InvalidStatus as refused:
        result.outcome = f"refused:http {refused.response.status_code}"


async def _read_call(ws, result: CallResult) -> None:
    try:
        async for message in ws:
            event = json.loads(message)
            if event.get("type") == "final":
                result.finals += 1
                if result.started_at is not None:
                    result.lags.append(time.monotonic() - result.started_at - event["end"])
            elif event.get("code") == "overloaded":
                result.outcome = "shed"
    except ConnectionClosed as closed:
        if closed.rcvd and closed.rcvd.code not in (1000, 1013) and result.outcome == "admitted":
            result.outcome = f"closed:{closed.rcvd.code}"


async def chat_prober(server: Server, stop: asyncio.Event, handshakes: list[float], replies: list[float],
                      failures: list[str]) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        started = time.monotonic()
        try:
            async with connect(server.url("/v1/chat"), additional_headers=server.headers, open_timeout=60) as ws:
                handshakes.append(time.monotonic() - started)
                sent = time.monotonic()
                await ws.send(json.dumps({"type": "message", "session": f"probe-{n}", "speaker": "agent",
                                          "text": "ada yang bisa dibantu?"}))
                await asyncio.wait_for(ws.recv(), 60)
                replies.append(time.monotonic() - sent)
        except Exception as error:  # noqa: BLE001 - a benchmark reports every failure
            failures.append(type(error).__name__)
        await asyncio.sleep(1.0)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


# --------------------------------------------------------------------------- overload

MODES = {
    "one call alone (reference)": ("--max-calls-per-key", "100000"),
    "off": ("--max-calls", "100000", "--max-calls-per-key", "100000", "--max-backlog", "1e9"),
    # one key here: the quota is not what is measured
    "on (defaults: measured capacity)": ("--max-calls-per-key", "100000"),
}


async def overload_once(mode: str, clip: bytes, call_seconds: float) -> dict:
    from redactor.admission import default_max_calls

    capacity = default_max_calls()
    offered = 1 if mode.startswith("one call") else 2 * capacity
    args = MODES[mode]
    with tempfile.TemporaryDirectory(prefix="overload-") as tmp:
        server = Server(Path(tmp), *args)
        load_before = machine_load()
        results: dict[str, CallResult] = {}
        stop = asyncio.Event()
        handshakes, replies, failures = [], [], []
        backlog = []
        prober = asyncio.ensure_future(chat_prober(server, stop, handshakes, replies, failures))

        async def sample() -> None:
            while not stop.is_set():
                await asyncio.sleep(0.5)
                if any(r.started_at and r.outcome == "admitted" for r in results.values()):
                    backlog.append(await asyncio.to_thread(server.metric, "redactor_recognition_backlog_seconds"))

        sampler = asyncio.ensure_future(sample())
        await asyncio.gather(*(run_call(server, f"call-{i}", clip, call_seconds, 0.25 * i, results)
                               for i in range(offered)))
        stop.set()
        await asyncio.gather(prober, sampler)
        capacity_after = await asyncio.to_thread(server.metric, "redactor_call_capacity")
        cost = await asyncio.to_thread(server.metric, "redactor_recognition_cpu_seconds_per_audio_second")
        server.stop()
        recordings, segments = server.stored()
        admitted = [r for r in results.values() if r.started_at is not None]
        completed = [r for r in admitted if r.outcome == "admitted"]
        shed = [r for r in admitted if r.outcome == "shed"]
        lags = [lag for r in admitted for lag in r.lags]
        lost_audio = sum(max(0.0, r.sent_s - recordings.get(r.call_id, 0.0)) for r in completed)
        lost_finals = sum(max(0, r.finals - segments.get(r.call_id, 0)) for r in admitted)
        outcomes: dict[str, int] = {}
        for r in results.values():
            outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
        return {
            "mode": mode, "offered": offered, "capacity": capacity, "outcomes": outcomes,
            "capacity_after": capacity_after, "cost": cost,
            "lag_p50": pct(lags, 0.5), "lag_p99": pct(lags, 0.99),
            "backlog_p99": pct(backlog, 0.99), "audio_sent": sum(r.sent_s for r in completed),
            "shed_sent": sum(r.sent_s for r in shed),
            "shed_stored": sum(recordings.get(r.call_id, 0.0) for r in shed),
            "audio_lost": lost_audio, "finals_mismatch": lost_finals,
            "handshake_p50": pct(handshakes, 0.5), "handshake_p99": pct(handshakes, 0.99),
            "reply_p99": pct(replies, 0.99), "chat_failures": len(failures), "load": load_before,
        }


def cpu_hogs(count: int) -> list[subprocess.Popen]:
    """Other work taking the cores (another tenant's jobs, a backup): busy processes."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def overload(args: argparse.Namespace) -> None:
    clip = speech_clip()
    runs = []
    for mode in MODES:
        hogs = cpu_hogs(args.hogs)
        try:
            runs.append(asyncio.run(overload_once(mode, clip, args.call_seconds)))
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
    hogs_note = f" --hogs {args.hogs}" if args.hogs else ""
    lines = [
        f"\n## Overload ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"`python -m benchmarks.hardening_bench overload --call-seconds {args.call_seconds:g}{hogs_note}`)\n",
        *([f"{args.hogs} busy processes (`while True: pass`) take the cores during every run, as "
           "another job on the machine would.\n"] if args.hogs else []),
        f"{runs[1]['offered']} calls offered, one every 0.25 s (2 x the initial capacity guess of "
        f"{runs[1]['capacity']} on this machine), each {args.call_seconds:g} s of speech at the real-time "
        "pace; a chat client connects every second meanwhile. The reference is one call alone: its "
        "final latency is Vosk's own (end-of-utterance detection included).\n",
        "| admission control | call outcomes | capacity at the end (CPU s per audio s) "
        "| masked final after its speech ended p50 / p99 | backlog gauge p99 "
        "| audio not stored, calls that ran to their stop (of sent) | shed calls: audio stored of sent "
        "| finals sent but not stored | chat handshake p50 / p99 "
        "| chat reply p99 | chat failures |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
        lines.append(
            f"| {r['mode']} | {outcomes} | {r['capacity_after']:.0f} ({r['cost']:.3f}) "
            f"| {r['lag_p50']:.2f} s / {r['lag_p99']:.2f} s | {r['backlog_p99']:.2f} s "
            f"| {r['audio_lost']:.1f} s (of {r['audio_sent']:.0f} s) | {r['shed_stored']:.0f} s of {r['shed_sent']:.0f} s "
            f"| {r['finals_mismatch']} "
            f"| {1000 * r['handshake_p50']:.0f} ms / {1000 * r['handshake_p99']:.0f} ms "
            f"| {1000 * r['reply_p99']:.0f} ms | {r['chat_failures']} |")
    lines.append("\nMachine, before each run: " + "; ".join(r["load"] for r in runs) +
                 " (other work on the machine makes numbers noisy).\n")
    _write(args.out, lines)


# --------------------------------------------------------------------------- soak

async def soak_run(minutes: float, clip: bytes) -> dict:
    seconds = minutes * 60
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        server = Server(Path(tmp), "--max-sessions-per-key", "200", "--max-calls-per-key", "100")
        load_before = machine_load()
        rss: list[tuple[float, float]] = [(0.0, server.rss_mb())]
        results: dict[str, CallResult] = {}
        chat_sent: dict[str, int] = {}
        chat_latency: list[float] = []
        chat_errors: list[str] = []
        t0 = time.monotonic()

        async def chat(session: str, rng: random.Random) -> None:
            sent_at: list[float] = []
            try:
                async with connect(server.url("/v1/chat"), additional_headers=server.headers,
                                   open_timeout=60, close_timeout=60) as ws:
                    async def read() -> None:
                        async for message in ws:
                            event = json.loads(message)
                            if event["type"] == "redacted":
                                chat_latency.append(time.monotonic() - sent_at[event["seq"]])
                            elif event["type"] == "error":
                                chat_errors.append(event["code"])
                            elif event["type"] == "ended":
                                return
                    reader = asyncio.ensure_future(read())
                    while time.monotonic() - t0 < seconds:
                        sent_at.append(time.monotonic())
                        await ws.send(json.dumps({"type": "message", "session": session,
                                                  "speaker": rng.choice(["customer", "agent"]),
                                                  "text": rng.choice(CHAT_LINES)}))
                        chat_sent[session] = len(sent_at)
                        await asyncio.sleep(rng.uniform(2, 6))
                    await ws.send(json.dumps({"type": "end", "session": session}))
                    await asyncio.wait_for(reader, 120)
            except Exception as error:  # noqa: BLE001
                chat_errors.append(type(error).__name__)

        async def watch_rss() -> None:
            while time.monotonic() - t0 < seconds:
                await asyncio.sleep(min(30.0, seconds / 10))
                rss.append((time.monotonic() - t0, server.rss_mb()))

        await asyncio.gather(
            *(chat(f"soak-chat-{i}", random.Random(i)) for i in range(50)),
            *(run_call(server, f"soak-call-{i}", clip, seconds, 1.0 * i, results) for i in range(8)),
            watch_rss())
        final_p99 = server.final_latency_p99()
        rss.append((time.monotonic() - t0, server.rss_mb()))
        server.stop()
        recordings, segments = server.stored()
        return {
            "minutes": minutes, "load": load_before,
            "messages_sent": sum(chat_sent.values()),
            "messages_stored": sum(segments.get(s, 0) for s in chat_sent),
            "audio_sent": sum(r.sent_s for r in results.values() if r.started_at),
            "audio_stored": sum(recordings.get(r.call_id, 0.0) for r in results.values() if r.started_at),
            "finals": sum(r.finals for r in results.values()),
            "finals_stored": sum(segments.get(r.call_id, 0) for r in results.values()),
            "outcomes": {r.outcome for r in results.values()},
            "chat_p50": pct(chat_latency, 0.5), "chat_p99": pct(chat_latency, 0.99),
            "final_p99": final_p99, "rss": rss, "chat_errors": sorted(set(chat_errors)),
        }


def soak(args: argparse.Namespace) -> None:
    r = asyncio.run(soak_run(args.minutes, speech_clip()))
    rss = ", ".join(f"{t / 60:.1f} min {mb:.0f} MB" for t, mb in r["rss"])
    final_p99 = "n/a" if r["final_p99"] is None else f"{1000 * r['final_p99']:.0f} ms"
    lines = [
        f"\n## Soak ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"`python -m benchmarks.hardening_bench soak --minutes {args.minutes:g}`)\n",
        f"50 chat sessions at a human pace (a message every 2-6 s) and 8 calls at the real-time pace, "
        f"{args.minutes:g} min.\n",
        "| | sent | stored |", "|---|---|---|",
        f"| chat messages | {r['messages_sent']} | {r['messages_stored']} |",
        f"| call audio | {r['audio_sent']:.1f} s | {r['audio_stored']:.1f} s |",
        f"| call finals (received / stored) | {r['finals']} | {r['finals_stored']} |",
        "",
        f"- Chat reply latency (client side, hold-back included) p50 {1000 * r['chat_p50']:.0f} ms, "
        f"p99 {1000 * r['chat_p99']:.0f} ms; masked final after Vosk's result p99 ≤ "
        f"{final_p99} (server histogram bucket).",
        f"- Call outcomes: {', '.join(sorted(r['outcomes']))}; chat errors: {r['chat_errors'] or 'none'}.",
        f"- Server RSS over time: {rss}.",
        f"- Machine: {r['load']} at the start (shared with other work: numbers are noisy).\n",
    ]
    _write(args.out, lines)


def _write(out: Path, lines: list[str]) -> None:
    text = "\n".join(lines)
    print(text)
    if not out.exists():
        out.write_text("# Hardening benchmarks (overload, soak)\n\nWritten by `benchmarks/hardening_bench.py`; "
                       "newest runs at the end.\n")
    with out.open("a") as file:
        file.write(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hardening_bench", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    over = sub.add_parser("overload", help="2x call capacity, admission control off then on")
    over.add_argument("--call-seconds", type=float, default=45.0)
    over.add_argument("--hogs", type=int, default=0, help="busy processes competing for the cores")
    over.add_argument("--out", type=Path, default=RESULTS)
    long = sub.add_parser("soak", help="50 chats + 8 calls for --minutes")
    long.add_argument("--minutes", type=float, default=10.0)
    long.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    overload(args) if args.command == "overload" else soak(args)


if __name__ == "__main__":
    main()
