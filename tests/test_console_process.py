"""``redactor-console`` as users run it: the first run prints the URL and the admin's
one-time enrolment, serves the login page, and a second run prints no enrolment."""
from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

import pyotp


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(db: str, port: int) -> tuple[subprocess.Popen, list[str]]:
    process = subprocess.Popen([sys.executable, "-m", "console", "--port", str(port), "--db", db],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("redactor-console: serving"):
            break
    return process, lines


def fetch_login(port: int) -> str:
    for _ in range(100):  # the URL is printed just before uvicorn binds
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                return response.read().decode()
        except OSError:
            import time

            time.sleep(0.1)
    raise AssertionError("the console never answered")


def test_first_run_prints_url_and_enrolment_then_serves(tmp_path):
    db, port = str(tmp_path / "data" / "redactor.db"), free_port()
    process, lines = start(db, port)
    try:
        assert lines[-1] == f"redactor-console: serving on http://127.0.0.1:{port}/"
        enrolment = []
        for line in process.stdout:
            enrolment.append(line.rstrip("\n"))
            if line.startswith("  or scan:"):
                break
        text = "\n".join(enrolment)
        uri = next(line.split(": ", 1)[1] for line in enrolment if "authenticator:" in line)
        assert "username: admin" in text and len(next(l for l in enrolment if "password:" in l).split()[-1]) == 20
        assert pyotp.parse_uri(uri).now().isdigit()
        assert 'name="password"' in fetch_login(port)
    finally:
        process.terminate()
        process.wait(15)
    second, lines = start(db, free_port())
    try:
        fetch_login(int(lines[-1].rsplit(":", 1)[1].strip("/")))
    finally:
        second.terminate()
        out, _ = second.communicate(timeout=15)
    assert "password:" not in "\n".join(lines) + out
