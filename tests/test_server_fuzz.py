"""Fuzzing every websocket endpoint over real sockets, with a fixed seed: thousands of random and
mutated frames. Whatever comes in, the server answers with clear errors, never closes with
1011 or logs a traceback, keeps answering, and releases every session it opened."""
from __future__ import annotations

import json
import logging
import random
import threading

import pytest
from websockets.exceptions import ConnectionClosed

import server
from tests.live import start_server
from tests.test_server_call import wait_for
from tests.test_server_http import get

SEED = 20261204
FRAMES_PER_ENDPOINT = 1500
FRAMES_PER_CONNECTION = 150
WORDS = ["halo", "kartu", "4532", "0151", "nik", "saya", "budi", "@", ".", "0812", "terima", "kasih"]
ODD_VALUES = [None, True, False, 0, -1, 2**63, 1e308, -0.0, 8000.0, "", "x" * 300, "\ud800", "\x00",
              "customer", "agent", [], {}, [[[]]], {"a": {"b": {}}}, "😀", "٣", "\u202e"]
KNOWN_CODES = {
    "bad_json", "unknown_type", "missing_field", "invalid_field", "unexpected_binary",
    "audio_before_start", "already_started", "not_started", "bad_audio_size", "bad_audio",
    "frame_too_large", "too_many_sessions", "capacity", "key_quota", "session_in_use",
    "config_after_audio", "storage_failed", "model_unavailable", "idle_timeout", "overloaded",
}


def audio(rng: random.Random) -> bytes:
    size = rng.choice([0, 1, 2, 3, 160, 320, 641, 1600, 3200, rng.randrange(1, 8000)])
    return rng.randbytes(size) if rng.random() < 0.5 else bytes(size)


def valid_frame(rng: random.Random, path: str, serial: int) -> dict | bytes:
    if path == "/v1/chat":
        session = rng.choice(["fz-a", "fz-b", "fz-c"])
        if rng.random() < 0.1:
            return {"type": "end", "session": session}
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 6)))
        return {"type": "message", "session": session, "speaker": rng.choice(["customer", "agent"]), "text": text}
    if path == "/v1/call":
        roll = rng.random()
        if roll < 0.15:
            channels = rng.choice([1, 2])
            return {"type": "start", "call_id": f"fz-call-{serial}", "sample_rate": rng.choice([8000, 16000]),
                    "encoding": rng.choice(["pcm_s16le", "mulaw", "alaw"]), "channels": channels,
                    "speakers": ["customer", "agent"][:channels], "language": rng.choice(["id", "en", "auto"])}
        return {"type": "stop"} if roll < 0.2 else audio(rng)
    roll = rng.random()
    if roll < 0.1:
        return {"config": {"sample_rate": rng.choice([8000, 16000, 44100]), "words": rng.choice([True, False])}}
    if roll < 0.13:
        return {"reset": 1}
    return {"eof": 1} if roll < 0.15 else audio(rng)


def mutated(rng: random.Random, frame: dict | bytes) -> str | bytes:
    """One of: the frame as it is, a field changed or dropped, its text cut or garbled, deep
    nesting, or noise."""
    roll = rng.random()
    if isinstance(frame, bytes):
        return frame if roll < 0.8 else rng.choice([json.dumps(list(frame[:20])), frame + b"\x00"])
    frame = dict(frame)
    if roll < 0.3:
        return json.dumps(frame)  # ensure_ascii: lone surrogates travel as \ud800 escapes
    if roll < 0.55 and frame:
        key = rng.choice(list(frame))
        frame[key] = rng.choice(ODD_VALUES)
        return json.dumps(frame)
    if roll < 0.6 and frame:
        del frame[rng.choice(list(frame))]
        return json.dumps(frame)
    text = json.dumps(frame)
    if roll < 0.8:
        cut = rng.randrange(len(text) + 1)
        garble = "".join(rng.choice('{}[]":,\\ 0e-.nNaI\u00e9') for _ in range(rng.randrange(0, 4)))
        return text[:cut] + garble + text[cut + rng.randrange(0, 3):]
    if roll < 0.85:
        depth = rng.choice([10, 1000, 100_000])
        return "[" * depth + "]" * depth if rng.random() < 0.5 else '{"a":' * depth + "1" + "}" * depth
    if roll < 0.9:
        return rng.choice(["NaN", "1e400", '{"config": {"sample_rate": 1e400}}', '{"type": "start", "call_id": "n", '
                           '"sample_rate": NaN}', "null", '"message"', "[]", "{}"])
    return rng.randbytes(rng.randrange(0, 64)) if rng.random() < 0.5 else "".join(
        chr(rng.randrange(0x20, 0xD7FF)) for _ in range(rng.randrange(0, 40)))


def run_connection(live, path: str, frames: list) -> tuple[list[dict], int | None, int]:
    """Send ``frames`` while a second thread reads every reply, then close: the replies, the
    close code the server sent (None when the client closed first), and how many frames went
    before the server ended the stream (a stop, an eof)."""
    replies: list[dict] = []
    closed_code: list[int | None] = [None]
    sent = 0
    with live.connect(path, close_timeout=60, max_size=None) as ws:
        def read() -> None:
            try:
                while True:
                    replies.append(json.loads(ws.recv(timeout=120)))
            except ConnectionClosed as closed:
                closed_code[0] = closed.rcvd.code if closed.rcvd else None
            except TimeoutError:
                closed_code[0] = -1

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for frame in frames:
                ws.send(frame)
                sent += 1
                if reader.is_alive() is False:
                    break
        except ConnectionClosed:
            pass
        ws.close()
        reader.join(120)
    return replies, closed_code[0], max(sent, 1)


@pytest.fixture
def fuzz_server(tmp_path, redactor, speech_model):
    settings = server.Settings(port=0, db=str(tmp_path / "r.db"), data_dir=tmp_path / "data",
                               holdback_s=0.2, max_sessions=50, max_calls=4, max_calls_per_key=4,
                               max_sessions_per_key=50)
    live = start_server(settings, redactor, speech_model)
    yield live
    live.close()


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/call", "/vosk"])
def test_fuzzed_frames_get_clear_answers_and_leave_nothing_open(fuzz_server, caplog, path):
    live = fuzz_server
    rng = random.Random(f"{SEED}{path}")
    frames = [mutated(rng, valid_frame(rng, path, i)) for i in range(FRAMES_PER_ENDPOINT)]
    caplog.set_level(logging.INFO)
    codes, closes, done = [], [], 0
    while done < len(frames):  # a stream the server ends (stop, eof) goes on in a new connection
        wait_for(lambda: live.app.active == 0, timeout=60)  # one at a time: no capacity refusals
        replies, close, sent = run_connection(live, path, frames[done:done + FRAMES_PER_CONNECTION])
        done += sent
        closes.append(close)
        codes += [r["code"] for r in replies if r.get("type") == "error"]
    assert 1011 not in closes and -1 not in closes, closes
    assert set(codes) <= KNOWN_CODES, set(codes) - KNOWN_CODES
    assert len(codes) >= 50  # the fuzzing did reach the parser
    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert tracebacks == []
    # Every session it opened is released, and the server still answers.
    wait_for(lambda: live.app.active == 0, timeout=60)
    assert get(live.http + "/healthz")[2] == "ok\n"
    with live.connect("/v1/chat") as ws:
        ws.send(json.dumps({"type": "message", "session": "after-fuzz", "speaker": "agent", "text": "halo"}))
        assert json.loads(ws.recv(timeout=30))["text"] == "halo"
    wait_for(lambda: live.app.active == 0, timeout=60)
    gauges = [line for line in get(live.http + "/metrics")[2].splitlines()
              if line.startswith("redactor_active_sessions{")]
    assert gauges and all(line.endswith(" 0.0") for line in gauges), gauges
