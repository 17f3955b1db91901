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
def server_process(tmp_path, korean_call):
    """The command with a policy masking the test call's distinctive words (see conftest)."""
    data = tmp_path / "data"  # the policy (naming the words) stays outside what is scanned
    DATA_PLACES.append(data)
    policy = tmp_path / "policy.toml"
    terms = json.dumps(list(korean_call[1]), ensure_ascii=False)
    policy.write_text(f"[entities.EMPLOYEE_NAME]\ndeny_list = {terms}\n", encoding="utf-8")
    process = subprocess.Popen(
        [str(SERVER), "--port", "0", "--db", str(data / "redactor.db"), "--config", str(policy),
         "--data-dir", str(data), "--holdback", "60"],
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
        for ws in (chat, call):
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    ws.recv(timeout=60)
            assert closed.value.rcvd.code == 1001  # going away
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
