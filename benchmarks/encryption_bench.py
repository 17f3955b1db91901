"""Cost of encryption at rest on the live path: the same server with and without a storage key,
in one run.

``nice python -m benchmarks.encryption_bench [--out benchmarks/encryption_results.md] [--quick]
[--repeats 3] [--calls 2]``

Method
------
Two ``redactor-server`` subprocesses, each with a fresh SQLite database and data directory:
"plain" (no key) and "sealed" (``$REDACTOR_STORAGE_KEY``: segment text and recordings sealed
with AES-256-GCM under per-conversation data keys). The two are measured in turn, alternating
which goes first in each repeat, so that a change in the machine's load hits both alike.

* Chat: the server benchmark's chat run (``benchmarks/server_bench.py``): 50 concurrent
  sessions of dev-set messages over ``/v1/chat``, closed loop; messages/s over the run's wall
  time and the server's CPU per message. Every message is stored (sealed, for "sealed").
* Calls: ``--calls`` streams of the synthesised Korean call over ``/v1/call`` in 20 ms frames
  paced by the wall clock (real time: the load is fixed, so the cost shows as CPU); the
  server's CPU seconds per second of audio, and the server's final latency p50/p99 (its
  Prometheus histogram, bucket upper bounds). Every final is stored and the recording written
  (sealed chunks, for "sealed").
* Overhead = sealed / plain − 1 on the median of the repeats (messages/s: plain / sealed − 1).
* In-process, without noise: the CPU cost of sealing alone (``seal_text`` of a typical masked
  message; a sealed recording stream of one second of 8 kHz audio per commit) set against the
  plain server's measured CPU per message and per audio second. On a machine shared with
  other work the end-to-end rows move by several percent run to run; this row does not.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import timeit
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.server_bench import (
    CHAT_MESSAGES, CHAT_SESSIONS, FRAME_MS, QUICK_CHAT_MESSAGES, QUICK_SPEECH, SPEECH, Server, _chat_all,
    _chat_server_once, bucket_quantile, code_version, conversations, predict_held, run_calls_server,
    synthesise)
from redactor.crypto_at_rest import KEY_ENV, Keyring, SealedStreamWriter, generate_key_entry, seal_text

DEFAULT_OUT = Path(__file__).with_name("encryption_results.md")
GOAL = 0.05
MASKED_MESSAGE = "iya mbak, nomor kartu saya <CREDIT_CARD> atas nama <PERSON>, tolong diblokir sekarang ya"


@dataclass
class Side:
    """One server's measurements over the repeats."""

    name: str
    chat_rates: list[float] = field(default_factory=list)
    chat_cpu_ms: list[float] = field(default_factory=list)  # server CPU per message
    call_cpu: list[float] = field(default_factory=list)  # server CPU s per audio s
    call_p50_ms: list[float] = field(default_factory=list)
    call_p99_ms: list[float] = field(default_factory=list)
    calls_on_time: list[bool] = field(default_factory=list)
    calls_failed: int = 0  # runs the server shed (overloaded machine), left out of the medians


@contextmanager
def storage_key(entry: str | None):
    """``$REDACTOR_STORAGE_KEY`` set (or unset) for a server started inside."""
    before = os.environ.pop(KEY_ENV, None)
    if entry:
        os.environ[KEY_ENV] = entry
    try:
        yield
    finally:
        os.environ.pop(KEY_ENV, None)
        if before is not None:
            os.environ[KEY_ENV] = before


def measure_chat(server: Server, side: Side, convs, held) -> None:
    run = _chat_server_once(server, convs, held, f"{side.name}-{time.monotonic_ns()}")
    assert run.usage is not None
    side.chat_rates.append(run.rate)
    side.chat_cpu_ms.append(1000 * run.usage.cpu_s / run.messages)


def measure_calls(server: Server, side: Side, clip, n: int) -> None:
    try:
        run = run_calls_server(server, clip, n, FRAME_MS / 1000)
    except (RuntimeError, ConnectionError, OSError) as error:  # e.g. shed: the machine is too busy
        print(f"encryption_bench: call run of {side.name} failed ({error}); left out", file=sys.stderr)
        side.calls_failed += 1
        return
    side.call_cpu.append(run.usage.cpu_s / (n * clip.duration_s))
    side.call_p50_ms.append(1000 * (bucket_quantile(run.final_buckets, 0.5) or float("nan")))
    side.call_p99_ms.append(1000 * (bucket_quantile(run.final_buckets, 0.99) or float("nan")))
    side.calls_on_time.append(run.finishes)


def sealing_cost_us() -> tuple[float, float]:
    """CPU µs to seal one masked message, and one second of 8 kHz mono audio as one chunk."""
    data_key = Keyring.parse(generate_key_entry("bench")).new_data_key("c")[0]
    runs = 20000
    per_message = min(timeit.repeat(lambda: seal_text(data_key, MASKED_MESSAGE, "segment\x00c\x00chat\x000"),
                                    number=runs, repeat=3)) / runs

    class Sink:
        def write(self, data: bytes) -> None:
            pass

    stream = SealedStreamWriter(Sink(), data_key, "recording\x00c", b"\x40\x1f\x00\x00\x01\x00")  # type: ignore[arg-type]
    second = bytes(16000)
    per_second = min(timeit.repeat(lambda: stream.write(second), number=2000, repeat=3)) / 2000
    return 1e6 * per_message, 1e6 * per_second


def overhead(sealed: float, plain: float) -> float:
    return sealed / plain - 1


def render(plain: Side, sealed: Side, seal_us: tuple[float, float], args: argparse.Namespace,
           clip_s: float) -> str:
    med = statistics.median
    chat_loss = overhead(med(plain.chat_rates), med(sealed.chat_rates))  # plain/sealed - 1
    chat_cpu = overhead(med(sealed.chat_cpu_ms), med(plain.chat_cpu_ms))
    if not (plain.call_cpu and sealed.call_cpu):
        raise SystemExit("encryption_bench: every call run failed on one side; the machine is too busy")
    call_cpu = overhead(med(sealed.call_cpu), med(plain.call_cpu))
    per_message_share = seal_us[0] / (1000 * med(plain.chat_cpu_ms))
    per_second_share = seal_us[1] / (1e6 * med(plain.call_cpu))

    def rng(values: list[float], fmt: str) -> str:
        return f"{format(min(values), fmt)}–{format(max(values), fmt)}"

    def verdict(value: float) -> str:
        return "met" if value <= GOAL else "NOT met"

    lines = [
        "# Encryption at rest: cost on the live path",
        "",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}; both servers and the client on it",
        f"- Code: commit {code_version()}",
        f"- Run: `nice python -m benchmarks.encryption_bench{' --quick' if args.quick else ''} --repeats "
        f"{args.repeats} --calls {args.calls}`; plain and sealed alternate, {args.repeats} repeat(s); medians shown, "
        "ranges over the repeats",
        "- Method: the docstring of `benchmarks/encryption_bench.py`",
        "",
        f"## Chat: {CHAT_SESSIONS} concurrent sessions over /v1/chat, every message stored",
        "",
        "| server | messages/s | messages/s, range | server CPU ms per message |",
        "| --- | ---: | ---: | ---: |",
        f"| plain (no key) | {med(plain.chat_rates):.1f} | {rng(plain.chat_rates, '.1f')} | {med(plain.chat_cpu_ms):.2f} |",
        f"| sealed (AES-256-GCM) | {med(sealed.chat_rates):.1f} | {rng(sealed.chat_rates, '.1f')} | {med(sealed.chat_cpu_ms):.2f} |",
        "",
        f"## Calls: {args.calls} live call(s) of {clip_s:.1f} s over /v1/call, stored and recorded",
        "",
        "| server | server CPU s per audio s | range | final latency p50 / p99 ms | all finished in time |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for side in (plain, sealed):
        lines.append(f"| {side.name} | {med(side.call_cpu):.3f} | {rng(side.call_cpu, '.3f')} | "
                     f"≤{med(side.call_p50_ms):.0f} / ≤{med(side.call_p99_ms):.0f} | "
                     f"{'yes' if all(side.calls_on_time) else 'no'}"
                     f"{f' ({side.calls_failed} run(s) shed, left out)' if side.calls_failed else ''} |")
    lines += [
        "",
        "## Overhead (goal ≤ 5%)",
        "",
        "| measure | overhead | goal |",
        "| --- | ---: | --- |",
        f"| chat messages/s lost | {100 * chat_loss:+.1f}% | {verdict(chat_loss)} |",
        f"| chat server CPU per message | {100 * chat_cpu:+.1f}% | {verdict(chat_cpu)} |",
        f"| call server CPU per audio second | {100 * call_cpu:+.1f}% | {verdict(call_cpu)} |",
        f"| sealing alone, per message (in-process: {seal_us[0]:.1f} µs) | {100 * per_message_share:+.2f}% | "
        f"{verdict(per_message_share)} |",
        f"| sealing alone, per audio second (in-process: {seal_us[1]:.1f} µs) | {100 * per_second_share:+.3f}% | "
        f"{verdict(per_second_share)} |",
        "",
        "The end-to-end rows carry the machine's noise (a few percent between repeats on a shared "
        "machine, either sign); the in-process rows are the cost encryption adds, measured alone.",
        "",
    ]
    return "\n".join(lines)


def benchmark(args: argparse.Namespace) -> str:
    convs = conversations(CHAT_SESSIONS, QUICK_CHAT_MESSAGES if args.quick else CHAT_MESSAGES)
    from redactor import Redactor

    redactor = Redactor()
    held = [predict_held(redactor, conv) for conv in convs]
    seal_us = sealing_cost_us()
    plain, sealed = Side("plain (no key)"), Side("sealed (AES-256-GCM)")
    with tempfile.TemporaryDirectory(prefix="encryption-bench-") as tmp:
        workdir = Path(tmp)
        clip = synthesise(QUICK_SPEECH if args.quick else SPEECH, workdir)
        (workdir / "plain").mkdir()
        (workdir / "sealed").mkdir()
        with storage_key(None):
            plain_server = Server(workdir / "plain")
        with storage_key(generate_key_entry("bench")):
            sealed_server = Server(workdir / "sealed")
        servers = [(plain_server, plain), (sealed_server, sealed)]
        try:
            for server, _ in servers:  # warm-up: models loaded, first sessions made
                asyncio.run(_chat_all(server, convs[:2], held[:2], f"warmup-{server.port}"))
            for repeat in range(args.repeats):
                order = servers if repeat % 2 == 0 else servers[::-1]
                for server, side in order:
                    print(f"encryption_bench: repeat {repeat + 1}, chat, {side.name}", file=sys.stderr)
                    measure_chat(server, side, convs, held)
                for server, side in order:
                    print(f"encryption_bench: repeat {repeat + 1}, calls, {side.name}", file=sys.stderr)
                    measure_calls(server, side, clip, args.calls)
        finally:
            for server, _ in servers:
                server.stop()
    report = render(plain, sealed, seal_us, args, clip.duration_s)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Cost of encryption at rest: the server with and without a key.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results table (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="fewer messages, a shorter call")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--calls", type=int, default=1, help="concurrent live calls (default: %(default)s)")
    print(benchmark(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
