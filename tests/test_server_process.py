"""The server as users run it: the ``redactor-server`` command, its first key, and SIGTERM
draining open sessions into storage before exit."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from redactor.storage import open_storage
from tests.live import DATA_PLACES, SENT_PII, receive_until
from tests.speech import words_heard

SERVER = Path(sys.executable).with_name("redactor-server")


@pytest.fixture
def server_process(tmp_path, korean_call, speech_model_path):
    """The command with a policy masking the test call's distinctive words (see conftest)."""
    data = tmp_path / "data"  # the policy (naming the words) stays outside what is scanned
    DATA_PLACES.append(data)
    policy = tmp_path / "policy.toml"
    terms = json.dumps(list(korean_call[1]), ensure_ascii=False)
    policy.write_text(f"[entities.EMPLOYEE_NAME]\ndeny_list = {terms}\n", encoding="utf-8")
    process = subprocess.Popen(
        [str(SERVER), "--port", "0", "--db", str(data / "redactor.db"), "--config", str(policy),
         "--data-dir", str(data), "--holdback", "60", "--vosk-model", str(speech_model_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = []
    for line in process.stdout:  # the first key, then where it listens
        lines.append(line.strip())
        if line.startswith("listening on"):
            break
    port = int(re.search(r":(\d+) ", lines[-1]).group(1))
    key = next(line for line in lines if line.startswith("rk_"))
    yield process, f"ws://127.0.0.1:{port}", key, data
    if process.poll() is None:
        process.kill()
    process.wait(30)


def test_first_run_prints_one_key_and_how_to_use_it(server_process):
    process, url, key, _ = server_process
    with connect(f"{url}/v1/chat", additional_headers={"Authorization": f"Bearer {key}"}) as ws:
        ws.send(json.dumps({"type": "message", "session": "s", "speaker": "agent", "text": "halo"}))
        assert json.loads(ws.recv(timeout=10))["text"] == "halo"


def test_sigterm_finalises_open_chats_and_calls_before_exit(server_process, korean_call):
    process, url, key, data = server_process
    speech, terms = korean_call
    SENT_PII.add("4532 0151 1283 0366")
    headers = {"Authorization": f"Bearer {key}"}
    with connect(f"{url}/v1/chat", additional_headers=headers) as chat, \
            connect(f"{url}/v1/call", additional_headers=headers) as call:
        chat.send(json.dumps({"type": "message", "session": "drain-chat", "speaker": "customer",
                              "text": "kartu saya 4532 0151 1283 0366 dan 5500"}))  # held back
        call.send(json.dumps({"type": "start", "call_id": "drain-call"}))
        receive_until(call, "started")
        pcm = speech.pcm
        for i in range(0, len(pcm), 3200):
            call.send(pcm[i : i + 3200])
        call.send(json.dumps({"type": "ping-to-flush-the-queue"}))
        receive_until(call, "error", timeout=60)  # every frame before it was processed
        process.send_signal(signal.SIGTERM)
        after_signal = {}
        for name, ws in (("chat", chat), ("call", call)):
            after_signal[name] = []
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    after_signal[name].append(json.loads(ws.recv(timeout=60)))
            assert closed.value.rcvd.code == 1001  # going away
    # Each client is told: the held chat message and its end, the call's last finals and stop.
    assert [m["type"] for m in after_signal["chat"]] == ["redacted", "ended"]
    assert after_signal["chat"][0]["text"] == "kartu saya <CREDIT_CARD> dan <NUMBER>"
    assert after_signal["call"][-1] == {"type": "stopped", "call_id": "drain-call"}
    assert process.wait(60) == 0
    with open_storage(str(data / "redactor.db")) as storage:
        assert [s.text for s in storage.segments("drain-chat")] == [
            "kartu saya <CREDIT_CARD> dan <NUMBER>"]
        said = " ".join(s.text for s in storage.segments("drain-call"))
        assert "<EMPLOYEE_NAME>" in said and not words_heard(said, terms)
        recording = storage.recording("drain-call")
    assert recording is not None and Path(recording.path).is_file()
    assert recording.duration_s == pytest.approx(len(speech.samples) / 8000, abs=0.01)
    assert not list(data.rglob("*.part"))


def start_command(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([str(SERVER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **popen)


def listening_port(process: subprocess.Popen) -> int:
    for line in process.stdout:
        if line.startswith("listening on"):
            return int(re.search(r":(\d+) ", line).group(1))
    raise AssertionError(f"the server did not start: {process.stderr.read()}")


def test_a_busy_port_is_one_clear_line_and_exit_2(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_command("--port", str(port), "--db", str(tmp_path / "r.db"),
                                "--data-dir", str(tmp_path / "data"))
        _, err = process.communicate(timeout=120)
    assert process.returncode == 2
    errors = [line for line in err.splitlines() if "Traceback" in line or str(port) in line]
    assert errors == [f"redactor-server: cannot listen on 127.0.0.1:{port}: the port is already in use"]


def test_help_describes_every_option_in_sentences():
    out = subprocess.run([str(SERVER), "--help"], capture_output=True, text=True, check=True).stdout
    assert "wiring" not in out and "Serve live PII redaction" in out
    options = re.findall(r"^  (--[a-z-]+)", out, re.MULTILINE)
    assert "--max-calls" in options and "--idle-timeout" in options and "--hash-ids" in options
    help_text = {option: out.split(option, 1)[1].split("\n  --", 1)[0] for option in options}
    assert all(len(text.split()) >= 3 for text in help_text.values()), help_text


def test_kill_9_mid_call_is_recovered_at_the_next_start(tmp_path, korean_call):
    """The call's audio so far was written redacted into a .part file; the next start finishes
    it, registers it with its call as interrupted, and says so in the log by file name."""
    data = tmp_path / "data"
    DATA_PLACES.append(data)
    policy = tmp_path / "policy.toml"  # the call's words are its PII (see conftest)
    terms = json.dumps(list(korean_call[1]), ensure_ascii=False)
    policy.write_text(f"[entities.EMPLOYEE_NAME]\ndeny_list = {terms}\n", encoding="utf-8")
    # One process: with --workers, a killed parent's workers still drain (a killed worker's
    # recordings are recovered at the next start just the same).
    args = ("--port", "0", "--db", str(data / "redactor.db"), "--data-dir", str(data),
            "--config", str(policy), "--workers", "1")
    process = start_command(*args)
    key = None
    try:
        port = None
        for line in process.stdout:
            key = line.strip() if line.startswith("rk_") else key
            if line.startswith("listening on"):
                port = int(re.search(r":(\d+) ", line).group(1))
                break
        pcm = korean_call[0].pcm
        with connect(f"ws://127.0.0.1:{port}/v1/call", additional_headers={"Authorization": f"Bearer {key}"}) as ws:
            ws.send(json.dumps({"type": "start", "call_id": "killed-call"}))
            receive_until(ws, "started")
            for i in range(0, len(pcm), 3200):
                ws.send(pcm[i : i + 3200])
            ws.send(json.dumps({"type": "flush-marker"}))
            receive_until(ws, "error", timeout=120)  # every frame before it was recognised
            process.send_signal(signal.SIGKILL)
            process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert [p.name.endswith(".wav.part") for p in (data / "recordings").iterdir()] == [True]
    restarted = start_command(*args)
    try:
        listening_port(restarted)
    finally:
        restarted.send_signal(signal.SIGTERM)
        _, log = restarted.communicate(timeout=60)
    assert "recovered 1 interrupted call recording" in log and "killed-call" not in log
    with open_storage(str(data / "redactor.db")) as storage:
        recording = storage.recording("killed-call")
        said = " ".join(s.text for s in storage.segments("killed-call"))
    assert recording.status == "interrupted" and Path(recording.path).is_file()
    assert 0 < recording.duration_s <= len(pcm) / 16000
    import wave

    with wave.open(recording.path) as wav:  # a valid header over the audio that was written
        assert wav.getnframes() == round(recording.duration_s * 8000)
    assert said and not list(data.rglob("*.part"))
