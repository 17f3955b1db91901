"""Hostile clients over real sockets: each finding of the hardening probe (issue 9), reproduced
against a live server and answered with a clear error, nothing lost and nothing raw stored."""
from __future__ import annotations

import json
import os
import re
import socket
import stat
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

import server
from redactor.keys import create_key, keyed_id
from tests.live import SENT_PII, receive_until, start_server
from tests.test_server_call import completed_recording, wait_for
from tests.test_server_chat import end, message, redacted
from tests.test_server_http import get

CARD = "4532015112830366"
SENT_PII.update([CARD, "budi.santoso@example.com"])


def start_frame(call_id: str, **fields) -> str:
    return json.dumps({"type": "start", "call_id": call_id, **fields})


def recording_files(live) -> set[Path]:
    """The recording files, once earlier calls have finished renaming theirs."""
    wait_for(lambda: live.app.active == 0)
    return set((live.app.settings.data_dir / "recordings").glob("*"))


# --- 1, 2: speakers and text fields ------------------------------------------------------------

def test_a_speaker_that_is_not_a_role_is_refused_and_nothing_is_stored(live_server):
    with live_server.connect("/v1/call") as ws:
        ws.send(start_frame("spk", speakers=[f"budi.santoso@example.com {CARD}"]))
        reply = json.loads(ws.recv(timeout=10))
        assert reply["code"] == "invalid_field" and CARD not in reply["message"]
        ws.send(start_frame("spk", speakers=["agent"]))
        assert receive_until(ws, "started")[-1]["call_id"] == "spk"
        ws.send(json.dumps({"type": "stop"}))
        receive_until(ws, "stopped")
    assert live_server.app.storage.recording("spk").status == "complete"


def test_a_lone_surrogate_or_nul_in_chat_text_affects_only_its_own_message(live_server):
    texts = ["halo \ud800 kak", "a\x00b", "satu", "dua", "tiga", "empat"]
    with live_server.connect("/v1/chat") as ws:
        for text in texts:
            ws.send(json.dumps({"type": "message", "session": "chat-surrogate", "speaker": "customer",
                                "text": text}))  # ensure_ascii: the surrogate goes as \ud800
        replies = redacted(ws, len(texts))
        ws.send(end("chat-surrogate"))
        assert receive_until(ws, "ended")[-1]["messages"] == len(texts)
    assert [r["text"] for r in replies] == ["halo \ufffd kak", "a b", "satu", "dua", "tiga", "empat"]
    stored = live_server.app.storage.segments("chat-surrogate")
    assert [s.text for s in stored] == [r["text"] for r in replies]  # nothing storage_failed


def test_a_lone_surrogate_in_a_speaker_is_refused_and_the_connection_goes_on(live_server):
    with live_server.connect("/v1/call") as ws:
        ws.send(start_frame("spk-surrogate", speakers=["\ud800x"]))
        assert json.loads(ws.recv(timeout=10))["code"] == "invalid_field"
        ws.send(start_frame("spk-surrogate"))
        receive_until(ws, "started")


# --- 3, 10: ids never reach file names; one file per call at most --------------------------------

@pytest.mark.parametrize("query", ["call_id=a%00b", "call_id=" + "x" * 300, "call_id="])
def test_a_bad_vosk_call_id_is_refused_at_the_handshake_and_leaves_no_file(live_server, query):
    before = recording_files(live_server)
    with pytest.raises(InvalidStatus) as refused:
        live_server.connect(f"/?{query}")
    assert refused.value.response.status_code == 400
    assert b"x" * 20 not in refused.value.response.body
    assert recording_files(live_server) == before


def test_recordings_are_named_by_the_server_and_private(live_server, korean_call):
    call_id = "+62 812-3456-7890/../../etc"  # an id that is a phone number, with path tricks
    with live_server.connect("/v1/call") as ws:
        ws.send(start_frame(call_id))
        receive_until(ws, "started")
        ws.send(korean_call[0].pcm[:16000])
        ws.send(json.dumps({"type": "stop"}))
        receive_until(ws, "stopped")
    recording = completed_recording(live_server, call_id)  # the client's id is in the database
    path = Path(recording.path)
    assert re.fullmatch(r"[0-9a-f]{32}\.wav", path.name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_call_whose_start_fails_in_storage_leaves_no_file(live_server, monkeypatch):
    from redactor.errors import StorageError

    def broken(*args):
        raise StorageError("save recording failed (OperationalError)")

    before = recording_files(live_server)
    monkeypatch.setattr(live_server.app.storage, "start_recording", broken)
    with live_server.connect("/vosk?call_id=db-down") as ws:
        for _ in range(20):  # each frame tries to start the call again
            ws.send(b"\x00\x00" * 1600)
            assert json.loads(ws.recv(timeout=10))["code"] == "storage_failed"
    assert recording_files(live_server) == before
    wait_for(lambda: live_server.app.active == 0)


def test_hashed_ids_store_no_client_id(tmp_path, redactor):
    import sqlite3

    settings = server.Settings(port=0, db=str(tmp_path / "r.db"), data_dir=tmp_path, id_key="k" * 32)
    live = start_server(settings, redactor, None)
    try:
        with live.connect("/v1/chat") as ws:
            ws.send(message("+6281234567890", "halo"))
            assert redacted(ws, 1)[0]["session"] == "+6281234567890"  # the client sees its own id
    finally:
        live.close()
    with sqlite3.connect(tmp_path / "r.db") as db:
        stored = [row[0] for row in db.execute("SELECT session_id FROM segments")]
    assert stored == [keyed_id("k" * 32, "+6281234567890")]


# --- 8, 9: frames that used to raise, and the 404 ------------------------------------------------

@pytest.mark.parametrize("path, frame, code", [
    ("/v1/chat", "[" * 50_000 + "]" * 50_000, "bad_json"),
    ("/v1/call", start_frame("c", sample_rate=8000.0), "invalid_field"),
    ("/v1/call", start_frame("c", channels=2.0), "invalid_field"),
    ("/vosk", '{"config": {"sample_rate": NaN}}', "bad_json"),
    ("/vosk", '{"config": {"sample_rate": 1e400}}', "bad_json"),
])
def test_frames_that_used_to_crash_the_handler_get_clear_errors(live_server, path, frame, code):
    with live_server.connect(path) as ws:
        ws.send(frame)
        reply = json.loads(ws.recv(timeout=10))
        assert reply["type"] == "error" and reply["code"] == code
        ws.send("{")  # the connection is still served
        assert json.loads(ws.recv(timeout=10))["code"] == "bad_json"


def test_404_never_echoes_the_path(live_server):
    status, _, body = get(f"{live_server.http}/{CARD}")
    assert status == 404 and CARD not in body and "/v1/chat" in body


# --- 7, 12: one session, one connection; ended counts the whole session ----------------------------

def test_a_session_live_on_another_connection_is_refused_and_nothing_acknowledged_is_lost(live_server):
    with live_server.connect("/v1/chat") as first, live_server.connect("/v1/chat") as second:
        first.send(message("chat-twice", "satu"))
        redacted(first, 1)
        second.send(message("chat-twice", "dua"))
        reply = json.loads(second.recv(timeout=10))
        assert reply["type"] == "error" and reply["code"] == "session_in_use"
        first.send(message("chat-twice", "tiga"))
        redacted(first, 1)
        first.send(end("chat-twice"))
        receive_until(first, "ended")
        second.send(message("chat-twice", "empat"))  # free again: it continues the numbering
        assert redacted(second, 1)[0]["seq"] == 2
    stored = live_server.app.storage.segments("chat-twice")
    assert [(s.seq, s.text) for s in stored] == [(0, "satu"), (1, "tiga"), (2, "empat")]


def test_ended_counts_the_whole_resumed_session(live_server):
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-ended-count", "satu"))
        redacted(ws, 1)
    wait_for(lambda: live_server.app.storage.segments("chat-ended-count"))
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-ended-count", "dua"))
        redacted(ws, 1)
        ws.send(end("chat-ended-count"))
        assert receive_until(ws, "ended")[-1]["messages"] == 2


# --- 4, 5, 6: capacity, quotas, idle and dead peers ---------------------------------------------------

@pytest.fixture
def small_server(tmp_path, redactor, speech_model):
    """A server with room for one call and two chat sessions per key."""
    settings = server.Settings(port=0, db=str(tmp_path / "r.db"), data_dir=tmp_path / "data",
                               max_sessions=4, max_calls=1, max_sessions_per_key=2, max_calls_per_key=1,
                               idle_timeout_s=2.0)
    live = start_server(settings, redactor, speech_model)
    yield live
    live.close()


def test_a_call_beyond_capacity_is_refused_clearly_and_the_admitted_one_goes_on(small_server, korean_call):
    live = small_server
    pcm = korean_call[0].pcm
    with live.connect("/v1/call") as admitted, live.connect("/v1/call") as late:
        admitted.send(start_frame("cap-1"))
        receive_until(admitted, "started")
        late.send(start_frame("cap-2"))
        reply = json.loads(late.recv(timeout=10))
        assert reply == {"type": "error", "code": "capacity", "message": reply["message"]}
        with pytest.raises(InvalidStatus) as refused:  # vosk clients: 503 at the handshake
            live.connect("/vosk")
        assert refused.value.response.status_code == 503
        admitted.send(pcm[:32000])
        admitted.send(json.dumps({"type": "stop"}))
        receive_until(admitted, "stopped")
    assert completed_recording(live, "cap-1").duration_s == pytest.approx(2.0)


def test_one_key_cannot_take_every_slot(small_server):
    live = small_server
    other = create_key(live.app.storage, name="other tenant")
    with live.connect("/v1/chat") as greedy:
        for i in range(2):
            greedy.send(message(f"greedy-{i}", "halo"))
        redacted(greedy, 2)
        greedy.send(message("greedy-2", "halo"))
        assert json.loads(greedy.recv(timeout=10))["code"] == "key_quota"
        with live.connect("/v1/chat", key=other) as polite:
            polite.send(message("polite", "halo"))
            assert redacted(polite, 1)[0]["session"] == "polite"


def test_an_idle_session_is_ended_and_an_idle_call_stopped(small_server):
    live = small_server
    with live.connect("/v1/chat") as chat, live.connect("/v1/call") as call:
        chat.send(message("idle-chat", "halo"))
        redacted(chat, 1)
        call.send(start_frame("idle-call"))
        receive_until(call, "started")
        call.send(b"\x00\x00" * 8000)
        assert receive_until(chat, "ended", timeout=15)[-1] == {
            "type": "ended", "session": "idle-chat", "messages": 1}
        replies = receive_until(call, "stopped", timeout=15)
        assert any(r.get("code") == "idle_timeout" for r in replies)
    assert completed_recording(live, "idle-call").duration_s == pytest.approx(1.0)


def _raw_websocket(port: int, path: str, key: str) -> socket.socket:
    """A handshake by hand, so that the test can then fall silent like a vanished peer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  f"Authorization: Bearer {key}\r\n\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(4096)
    assert response.startswith(b"HTTP/1.1 101")
    return sock


def _masked_text_frame(text: str) -> bytes:
    payload, mask = text.encode(), os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + masked


def test_a_peer_that_vanishes_releases_its_sessions_promptly(small_server):
    live = small_server
    wait_for(lambda: live.app.active == 0)
    silent = _raw_websocket(live.port, "/v1/chat", live.key)
    silent.sendall(_masked_text_frame(message("vanished", "halo")))
    wait_for(lambda: live.app.active == 1)
    # Never answers a ping again (no FIN, no RST): the keepalive gives up on it.
    assert wait_for(lambda: live.app.active == 0, timeout=server.PING_INTERVAL_S + server.PING_TIMEOUT_S + 10)
    assert [s.text for s in live.app.storage.segments("vanished")] == ["halo"]
    silent.close()


def test_a_reset_connection_releases_its_sessions_at_once(small_server):
    live = small_server
    wait_for(lambda: live.app.active == 0)
    sock = _raw_websocket(live.port, "/v1/chat", live.key)
    sock.sendall(_masked_text_frame(message("reset", "halo")))
    wait_for(lambda: live.app.active == 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # RST
    assert wait_for(lambda: live.app.active == 0, timeout=5)


def test_handshakes_do_not_queue_behind_recognition(small_server):
    live = small_server
    release = threading.Event()
    stuck = ThreadPoolExecutor(1)
    monkey = live.app._pool
    live.app._pool = stuck  # every recognition thread is busy
    try:
        stuck.submit(release.wait, 60)
        started = time.monotonic()
        with live.connect("/v1/chat"):
            pass
        assert time.monotonic() - started < 5  # the key check did not wait for the busy pool
    finally:
        release.set()
        live.app._pool = monkey
        stuck.shutdown()


def test_healthz_says_degraded_when_recognition_is_behind(small_server, monkeypatch):
    live = small_server
    assert get(live.http + "/healthz")[2] == "ok\n"
    monkeypatch.setattr(live.app.admission, "backlog_s", lambda: 7.5)
    status, _, body = get(live.http + "/healthz")
    assert status == 503 and body.startswith("degraded") and "7.5 s" in body  # balancers look elsewhere
    metrics = get(live.http + "/metrics")[2]
    assert "redactor_recognition_backlog_seconds" in metrics


@pytest.mark.parametrize("state, body", [("starting", "starting\n"), ("draining", "draining\n")])
def test_healthz_turns_new_sessions_away_while_starting_or_draining(small_server, monkeypatch, state, body):
    live = small_server
    if state == "starting":
        monkeypatch.setattr(live.app, "ready", False)
    else:
        monkeypatch.setattr(live.app, "draining", True)
    assert get(live.http + "/healthz")[0:3:2] == (503, body)


def metric_value(live, name: str) -> float:
    line = next(line for line in get(live.http + "/metrics")[2].splitlines() if line.startswith(name + " "))
    return float(line.split()[1])


def test_call_capacity_is_measured_from_the_speech_model_on_this_machine(tmp_path, redactor, speech_model,
                                                                          korean_call):
    """With no --max-calls, the capacity follows the CPU the model took per second of audio."""
    from redactor.admission import TARGET_UTILISATION, default_max_calls

    settings = server.Settings(port=0, db=str(tmp_path / "r.db"), data_dir=tmp_path / "data")
    live = start_server(settings, redactor, speech_model)
    try:
        assert metric_value(live, "redactor_call_capacity") == default_max_calls()  # the guess
        pcm = korean_call[0].pcm
        with live.connect("/v1/call") as ws:
            ws.send(start_frame("measured"))
            receive_until(ws, "started")
            for i in range(0, len(pcm), 1600):
                ws.send(pcm[i : i + 1600])
            ws.send(json.dumps({"type": "stop"}))
            receive_until(ws, "stopped")
        cost = metric_value(live, "redactor_recognition_cpu_seconds_per_audio_second")
        assert 0 < cost < 1  # the small Korean model is faster than real time
        expected = max(1, int((os.cpu_count() or 1) * TARGET_UTILISATION / cost))
        assert metric_value(live, "redactor_call_capacity") == live.app.admission.call_capacity() == expected
    finally:
        live.close()


def test_the_newest_call_is_shed_when_recognition_falls_behind(tmp_path, redactor, speech_model, korean_call):
    """Both calls are admitted, then the backlog limit drops below any lag (how the lag is
    measured is tested in test_admission.py): the newest is told ``overloaded``, gets its finals and ``stopped``, and is closed with 1013;
    the oldest goes on to its own ``stop``."""
    from dataclasses import replace

    settings = server.Settings(port=0, db=str(tmp_path / "r.db"), data_dir=tmp_path / "data",
                               max_calls=4, max_calls_per_key=4)
    live = start_server(settings, redactor, speech_model)
    admission = live.app.admission
    both_started = threading.Barrier(
        2, action=lambda: setattr(admission, "limits", replace(admission.limits, max_backlog_s=-1.0)))
    pcm = korean_call[0].pcm
    outcome: dict[str, list[dict]] = {}

    def call(call_id: str) -> None:
        messages: list[dict] = []
        with live.connect("/v1/call", close_timeout=30) as ws:
            ws.send(start_frame(call_id))
            messages += receive_until(ws, "started")
            both_started.wait(30)
            try:
                for i in range(0, 8000 * 2 * 6, 320):  # 6 s at the real-time pace, 20 ms frames
                    ws.send(pcm[i : i + 320])
                    time.sleep(0.02)
                ws.send(json.dumps({"type": "stop"}))
            except ConnectionClosed:
                pass  # shed: what the server said before closing is still to be read
            try:
                while True:
                    messages.append(json.loads(ws.recv(timeout=30)))
            except ConnectionClosed as closed:
                messages.append({"closed": closed.rcvd.code if closed.rcvd else None})
        outcome[call_id] = messages

    old = threading.Thread(target=call, args=("shed-old",))
    old.start()
    wait_for(lambda: admission.count("call") == 1)
    try:
        call("shed-new")
        old.join(60)
    finally:
        live.close()
    old_messages, new_messages = outcome["shed-old"], outcome["shed-new"]
    assert not any(m.get("code") == "overloaded" for m in old_messages), "the oldest call is kept"
    assert any(m.get("type") == "stopped" for m in old_messages)
    assert any(m.get("code") == "overloaded" for m in new_messages)
    assert any(m.get("type") == "stopped" for m in new_messages) and new_messages[-1] == {"closed": 1013}
