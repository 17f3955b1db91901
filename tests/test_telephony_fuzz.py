"""Fuzzing the telephony endpoints over real sockets (fixed seed): mutated Twilio, AudioHook and
fork frames never make the server close with 1011 or log a traceback, and every call a stream
opened is released."""
from __future__ import annotations

import base64
import json
import logging
import random

import pytest

from tests.test_server_call import wait_for
from tests.test_server_fuzz import fuzz_server, mutated, run_connection  # noqa: F401 (a fixture)
from tests.test_server_http import get

FRAMES = 600
PER_CONNECTION = 60


def valid_frame(rng: random.Random, path: str, serial: int) -> dict | bytes:
    roll = rng.random()
    if path == "/twilio":
        if roll < 0.1:
            return {"event": "start", "streamSid": "MZ", "start": {
                "streamSid": "MZ", "callSid": f"fz-tw-{serial}", "tracks": rng.choice([["inbound"], ["inbound", "outbound"]]),
                "customParameters": {}, "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}}
        if roll < 0.15:
            return {"event": "dtmf", "dtmf": {"track": "inbound_track", "digit": rng.choice("0123456789#")}}
        if roll < 0.18:
            return {"event": rng.choice(["connected", "mark", "stop"])}
        return {"event": "media", "media": {"track": rng.choice(["inbound", "outbound"]), "chunk": str(serial),
                                            "timestamp": str(20 * serial + rng.choice([0, 0, 0, -40, 60, 9000])),
                                            "payload": base64.b64encode(rng.randbytes(160)).decode()}}
    if path == "/audiohook":
        if roll < 0.6:
            return rng.randbytes(rng.choice([0, 1, 320, 1600]))
        return {"version": "2", "id": "fz", "type": rng.choice(["open", "ping", "paused", "resumed", "discarded", "update", "close"]),
                "seq": serial % 5, "serverseq": 0, "position": "PT1S",
                "parameters": {"conversationId": f"fz-ah-{serial}", "start": "PT0S", "discarded": "PT1S",
                               "media": [{"type": "audio", "format": "PCMU", "channels": ["external"], "rate": 8000}]}}
    if roll < 0.1:
        return {"call_id": f"fz-fork-{serial}", "sample_rate": rng.choice([8000, 16000, "16k"]),
                "mix_type": rng.choice(["mono", "stereo", "mixed"])}
    if roll < 0.15:
        return {"event": "dtmf", "dtmf": rng.choice("0123456789")}
    return rng.randbytes(rng.choice([0, 1, 2, 3, 320, 641, 1280]))


@pytest.mark.parametrize("path", ["/twilio", "/audiohook", "/fork"])
def test_fuzzed_platform_frames_leave_nothing_open(fuzz_server, caplog, path):  # noqa: F811
    live = fuzz_server
    rng = random.Random(f"telephony{path}")
    frames = [mutated(rng, valid_frame(rng, path, i)) for i in range(FRAMES)]
    caplog.set_level(logging.INFO)
    closes, done = [], 0
    while done < len(frames):
        wait_for(lambda: live.app.active == 0, timeout=60)
        _, close, sent = run_connection(live, path, frames[done:done + PER_CONNECTION])
        done += max(sent, 1)
        closes.append(close)
    assert 1011 not in closes and -1 not in closes, closes
    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert tracebacks == []
    wait_for(lambda: live.app.active == 0 and not live.app.calls, timeout=60)
    assert get(live.http + "/healthz")[2] == "ok\n"
