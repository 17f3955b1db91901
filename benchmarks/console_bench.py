"""Console benchmark: page times of the conversation list and a conversation page with
100,000 stored segments, on SQLite and on PostgreSQL.

``python -m benchmarks.console_bench [--segments 100000] [--requests 200]
[--postgres postgresql://...] [--out benchmarks/console_results.md]``

Method
------
A fresh database is filled with ``--segments`` segments, as the server stores them (the
``segments`` table of :mod:`redactor.storage`): 5,000 conversations of 20 segments (half
calls with times, half chats), over 30 days, one in five segments with masked entities of
one of eight types, one conversation in fifty with a fail-closed segment. The console runs
in-process on uvicorn (a loopback port, one worker, as ``redactor-console`` runs it), and a
logged-in reviewer's HTTP client (httpx, keep-alive) asks for each page ``--requests``
times, one request at a time, after 10 warm-up requests. Time = request sent to response
body read, so it includes routing, the session check, the queries, the audit-log append
(every page view is audited: a write and a hash per request), rendering, and HTTP. The
pages: the list (first page; page 100, a deep offset; filtered by entity type; a search
over the masked text; a date range) and conversation pages (a different random
conversation each request). PostgreSQL runs when ``--postgres`` (or
``$REDACTOR_TEST_POSTGRES``) names a server; a schema is created for the run and dropped.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

TYPES = ("CREDIT_CARD", "ID_NIK", "PHONE_NUMBER", "EMAIL_ADDRESS", "PERSON", "ADDRESS", "BANK_ACCOUNT", "ID_NPWP")
WORDS = ("baik", "terima", "kasih", "kartu", "saya", "mau", "blokir", "tagihan", "bulan", "ini", "refund", "saldo",
         "transfer", "nomor", "rekening", "please", "check", "my", "account", "balance", "yes", "iya", "betul")
PER_CONVERSATION = 20
GOAL_MS = 200


def fill(db_url: str, segments: int, seed: int = 7) -> list[tuple[str, str]]:
    """Insert the segments in bulk; returns the (session_id, kind) of every conversation."""
    from console.db import Database

    rng = random.Random(seed)
    db = Database(db_url)  # creates the server's and the console's tables
    start = datetime.now(timezone.utc) - timedelta(days=30)
    rows, conversations = [], []
    for c in range(segments // PER_CONVERSATION):
        kind = "call" if c % 2 else "chat"
        session_id = f"{kind}-{c:06d}"
        conversations.append((session_id, kind))
        began = start + timedelta(seconds=c * 30 * 86400 / (segments // PER_CONVERSATION))
        failed_at = rng.randrange(PER_CONVERSATION) if c % 50 == 0 else -1
        for seq in range(PER_CONVERSATION):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
            entities = []
            if rng.random() < 0.2:
                entity_type = rng.choice(TYPES)
                entities = [{"type": entity_type, "start": len(text) + 1, "end": len(text) + 3 + len(entity_type)}]
                text = f"{text} <{entity_type}>"
            times = (seq * 4.0, seq * 4.0 + 3.5) if kind == "call" else (None, None)
            rows.append((session_id, kind, seq, "agent" if seq % 2 else "customer", times[0], times[1], text,
                         json.dumps(entities), seq == failed_at, db.time(began + timedelta(seconds=seq * 4))))
    sql = ("INSERT INTO segments (session_id, kind, seq, speaker, start_s, end_s, text, entities, failed, created_at)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    with db.transaction():
        if db.postgres:
            with db._conn.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), rows)
        else:
            db._conn.executemany(sql, rows)
    if db.postgres:
        db.run("ANALYZE segments")
    db.close()
    return conversations


class Served:
    def __init__(self, db_url: str, data_dir: Path) -> None:
        import uvicorn

        from console.app import Settings, create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.app = create_app(Settings(db_url, data_dir))
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def logged_in_client(served: Served):
    import httpx
    import pyotp

    enrolment = served.app.state.console.accounts.create(f"bench{secrets.token_hex(3)}", {"reviewer"})
    client = httpx.Client(base_url=f"http://127.0.0.1:{served.port}", timeout=30)
    page = client.get("/login").text
    token = page.split('name="login_token" value="')[1].split('"')[0]
    code_page = client.post("/login", data={"username": enrolment.username, "password": enrolment.password,
                                            "login_token": token}, follow_redirects=True).text
    csrf = code_page.split('name="csrf" value="')[1].split('"')[0]
    code = pyotp.parse_uri(enrolment.otpauth_uri).now()
    landing = client.post("/login/code", data={"code": code, "csrf": csrf}, follow_redirects=True)
    assert "/conversations" in str(landing.url), "benchmark login failed"
    return client


def measure(client, paths: Iterator[str], requests: int) -> tuple[float, float]:
    for _ in range(10):
        client.get(next(paths)).raise_for_status()
    times = []
    for _ in range(requests):
        path = next(paths)
        began = time.perf_counter()
        response = client.get(path)
        response.raise_for_status()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.99 * len(times))) - 1)]


def run_backend(name: str, db_url: str, segments: int, requests: int) -> list[tuple[str, str, float, float]]:
    began = time.perf_counter()
    conversations = fill(db_url, segments)
    print(f"{name}: {segments} segments stored in {time.perf_counter() - began:.0f} s", flush=True)
    rng = random.Random(3)
    today = datetime.now(timezone.utc).date()
    pages = {
        "list, first page": lambda: "/conversations",
        "list, page 100": lambda: "/conversations?page=100",
        "list, entity type filter": lambda: "/conversations?entity=" + rng.choice(TYPES),
        "list, search masked text": lambda: "/conversations?q=" + rng.choice(WORDS) + "+" + rng.choice(WORDS),
        "list, 7-day range, calls": lambda: f"/conversations?kind=call&since={today - timedelta(days=14)}&until={today - timedelta(days=7)}",
        "conversation page (call or chat)": lambda: "/conversation?kind={1}&id={0}".format(*rng.choice(conversations)),
    }
    with tempfile.TemporaryDirectory() as data:
        served = Served(db_url, Path(data))
        try:
            client = logged_in_client(served)
            results = []
            for label, make in pages.items():
                p50, p99 = measure(client, iter(make, None), requests)
                load = os.getloadavg()[0]
                print(f"{name}: {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms (load {load:.1f})", flush=True)
                results.append((name, label, p50, p99, load))
            return results
        finally:
            served.stop()


def report(results: list, segments: int, requests: int, postgres: str) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Console benchmark", "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}; console (uvicorn, one process) and client on it",
        f"- Code: commit {commit}",
        f"- Data: {segments:,} segments in {segments // PER_CONVERSATION:,} conversations; {requests} requests per page,"
        " one at a time, by a logged-in reviewer; every page view appended to the audit log",
        f"- PostgreSQL: {'server ' + postgres if postgres else 'not run (no --postgres URL)'}",
        "- Method: the docstring of `benchmarks/console_bench.py`; command: `python -m benchmarks.console_bench`", "",
        f"| backend | page | p50 ms | p99 ms | p99 ≤ {GOAL_MS} ms | load average (1 min) after |",
        "| --- | --- | ---: | ---: | :---: | ---: |",
    ]
    lines += [f"| {backend} | {page} | {p50:.1f} | {p99:.1f} | {'yes' if p99 <= GOAL_MS else 'NO'} | {load:.1f} |"
              for backend, page, p50, p99, load in results]
    lines += ["", f"The machine is shared: a load average above {os.cpu_count()} means other processes were"
              " competing for its cores during that page's run, which shows in the p99s."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("REDACTOR_TEST_POSTGRES", ""))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/console_results.md"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        results += run_backend("SQLite", str(Path(scratch) / "bench.db"), args.segments, args.requests)
    postgres_version = ""
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres) as conn:
            postgres_version = conn.execute("SHOW server_version").fetchone()[0] + " on this machine"
        from tests.pg import fresh_postgres_schema

        with fresh_postgres_schema(args.postgres) as url:
            results += run_backend("PostgreSQL", url, args.segments, args.requests)
    args.out.write_text(report(results, args.segments, args.requests, postgres_version))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
