"""Calls end to end over real sockets, with the real Vosk model: /v1/call and the vosk-server
protocol produce masked finals, stored segments and a redacted recording."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from websockets.exceptions import ConnectionClosed

from audio.codecs import decode, encode_pcm16
from tests.live import receive_until, vosk_replies
from tests.speech import VOSK_FRAME_BYTES, g711_stereo, read_wav, words_heard

FRAME_SAMPLES = 1600  # 200 ms at 8 kHz


def stream_call(live_server, call_id: str, payload: bytes, **start) -> list[dict]:
    """Send a whole call to /v1/call in 200 ms frames; return every message the server sent."""
    bytes_per_sample = start.get("channels", 1) * (2 if start.get("encoding") == "pcm_s16le" else 1)
    step = FRAME_SAMPLES * bytes_per_sample
    with live_server.connect("/v1/call") as ws:
        ws.send(json.dumps({"type": "start", "call_id": call_id, "sample_rate": 8000, **start}))
        messages = receive_until(ws, "started")
        for i in range(0, len(payload), step):
            ws.send(payload[i : i + step])
        ws.send(json.dumps({"type": "stop"}))
        messages += receive_until(ws, "stopped", timeout=60)
    return messages


def flagged_spans(finals: list[dict]) -> list[tuple[float, float]]:
    return [(w["start"], w["end"]) for f in finals for w in f["words"] if "entity" in w]


def assert_redacted_exactly(path: Path, original: np.ndarray, spans, rate: int) -> None:
    """Samples over the flagged words are silent; every other sample is untouched."""
    written, written_rate = read_wav(path)
    assert written_rate == rate and written.shape == original.shape
    hidden = np.zeros(len(original), dtype=bool)
    for start, end in spans:
        hidden[round(start * rate) : round(end * rate)] = True
    assert hidden.any()
    assert not written[hidden].any(), "audio of a flagged word survived"
    assert np.array_equal(written[~hidden], original[~hidden]), "audio outside PII was changed"


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def completed_recording(live_server, call_id: str):
    """The call's recording once its connection has closed it (it is registered at the start)."""
    def complete():
        recording = live_server.app.storage.recording(call_id)
        return recording if recording is not None and recording.status == "complete" else None
    return wait_for(complete)


def test_call_through_v1_call_is_masked_stored_and_recorded(live_server, korean_call):
    speech, terms = korean_call
    messages = stream_call(live_server, "call-pcm", speech.pcm, encoding="pcm_s16le",
                           speakers=["customer"], language="auto")
    finals = [m for m in messages if m["type"] == "final"]
    assert finals and any(m["type"] == "partial" for m in messages)
    sent_text = json.dumps(messages, ensure_ascii=False)
    assert not words_heard(sent_text, terms), "a masked word went out raw"
    assert "<EMPLOYEE_NAME>" in " ".join(f["text"] for f in finals)
    for final in finals:
        assert final["call_id"] == "call-pcm" and final["speaker"] == "customer"
        assert [w["start"] for w in final["words"]] == sorted(w["start"] for w in final["words"])
        for entity in final["entities"]:
            assert final["text"][entity["start"] : entity["end"]] == f"<{entity['type']}>"

    stored = live_server.app.storage.segments("call-pcm")
    assert [(s.seq, s.text, s.start_s, s.end_s) for s in stored] == [
        (f["seq"], f["text"], f["start"], f["end"]) for f in finals
    ]
    recording = live_server.app.storage.recording("call-pcm")
    assert recording is not None and recording.sample_rate == 8000 and recording.channels == 1
    expected = flagged_spans(finals)  # the recording keeps them rounded to whole samples
    assert len(recording.spans) == len(expected)
    for stored_span, span in zip(recording.spans, expected):
        assert stored_span == pytest.approx(span, abs=1 / 8000)
    original = speech.samples.reshape(-1, 1)
    assert_redacted_exactly(Path(recording.path), original, flagged_spans(finals), 8000)


@pytest.mark.parametrize("encoding", ["mulaw", "alaw"])
def test_stereo_g711_call_keeps_speakers_apart(live_server, korean_call, encoding):
    speech, terms = korean_call
    payload = g711_stereo(speech.samples, encoding)  # the agent speaks
    call_id = f"call-{encoding}"
    messages = stream_call(live_server, call_id, payload, encoding=encoding, channels=2,
                           speakers=["customer", "agent"])
    finals = [m for m in messages if m["type"] == "final"]
    assert finals and {f["speaker"] for f in finals} == {"agent"}
    assert not words_heard(json.dumps(finals, ensure_ascii=False), terms)
    recording = live_server.app.storage.recording(call_id)
    assert recording.channels == 2
    assert_redacted_exactly(Path(recording.path), decode(payload, encoding, 2), flagged_spans(finals), 8000)


def test_vosk_server_protocol_as_asterisk_speaks_it(live_server, korean_call):
    """No config (8000 Hz by default), 3200-byte frames, subprotocol "ws", key in the query,
    '{"eof" : 1}' spelled as vosk-server clients spell it: one reply per frame."""
    speech, terms = korean_call
    pcm = speech.pcm
    url = f"{live_server.url}/?token={live_server.key}&call_id=asterisk-1"
    from websockets.sync.client import connect

    with connect(url, subprotocols=["ws"], compression=None) as ws:
        assert ws.subprotocol == "ws"
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        replies = vosk_replies(ws, pcm, VOSK_FRAME_BYTES)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)
    assert len(replies) == -(-len(pcm) // VOSK_FRAME_BYTES) + 1
    for reply in replies[:-1]:
        assert set(reply) in ({"partial"}, {"result", "text"}, {"text"})
    assert "text" in replies[-1]
    results = [r for r in replies if "result" in r]
    assert results, "no final result"
    for result in results:
        assert set(result["result"][0]) == {"conf", "end", "start", "word"}
    everything = json.dumps(replies, ensure_ascii=False)
    assert not words_heard(everything, terms)
    assert "<EMPLOYEE_NAME>" in everything
    stored = live_server.app.storage.segments("asterisk-1")
    assert " ".join(s.text for s in stored) == " ".join(r["text"] for r in results if r["text"])
    recording = live_server.app.storage.recording("asterisk-1")
    spans = [(w["start"], w["end"]) for r in results for w in r["result"] if w["word"].startswith("<")]
    assert_redacted_exactly(Path(recording.path), speech.samples.reshape(-1, 1), spans, 8000)


def test_vosk_path_with_config_and_words_off(live_server, korean_call):
    speech, _ = korean_call
    from audio.codecs import Resampler

    pcm16k = encode_pcm16(Resampler(8000, 16000).process(speech.samples))
    with live_server.connect("/vosk") as ws:
        ws.send('{"config" : {"sample_rate" : 16000, "words" : false}}')
        replies = []
        for i in range(0, len(pcm16k), 6400):
            ws.send(pcm16k[i : i + 6400])
            replies.append(json.loads(ws.recv(timeout=30)))
        ws.send('{"eof": 1}')
        replies.append(json.loads(ws.recv(timeout=30)))
    assert not any("result" in r for r in replies)
    assert any(r.get("text") for r in replies)


def test_vosk_test_py_with_a_24_khz_wav(live_server, korean_call):
    """vosk-server's test.py sends its WAV's own rate and 0.2 s frames; a 24 kHz file (speech
    synthesis writes them) must be heard at 24 kHz, not refused and then read as 8 kHz."""
    speech, terms = korean_call
    from audio.codecs import Resampler

    pcm = encode_pcm16(Resampler(8000, 24000).process(speech.samples))
    with live_server.connect("/") as ws:
        ws.send('{ "config" : { "sample_rate" : %d } }' % 24000)
        replies = vosk_replies(ws, pcm, int(24000 * 0.2) * 2)
    assert all("type" not in r for r in replies), replies[0]
    words = [w for r in replies for w in r.get("result", [])]
    assert words and max(w["end"] for w in words) <= len(speech.samples) / 8000 + 0.1
    assert not words_heard(json.dumps(replies, ensure_ascii=False), terms)


def test_disconnect_mid_call_keeps_what_was_sent(live_server, korean_call):
    speech, terms = korean_call
    pcm = speech.pcm
    # The close waits for the server to read what is in flight (however loaded the machine).
    with live_server.connect("/v1/call", close_timeout=120) as ws:
        ws.send(json.dumps({"type": "start", "call_id": "call-dropped"}))
        receive_until(ws, "started")
        for i in range(0, len(pcm), 3200):
            ws.send(pcm[i : i + 3200])
        # no stop: the connection just goes away
    stored = completed_recording(live_server, "call-dropped")
    segments = live_server.app.storage.segments("call-dropped")
    assert segments and "<EMPLOYEE_NAME>" in " ".join(s.text for s in segments)
    assert not words_heard(" ".join(s.text for s in segments), terms)
    assert stored.duration_s == pytest.approx(len(speech.samples) / 8000, abs=0.01)


@pytest.mark.parametrize("frames, code", [
    ([b"\x00\x01" * 100], "audio_before_start"),
    ([json.dumps({"type": "stop"})], "not_started"),
    ([json.dumps({"type": "start"})], "missing_field"),
    ([json.dumps({"type": "start", "call_id": "x", "sample_rate": 44100})], "invalid_field"),
    (["{oops"], "bad_json"),
    ([json.dumps({"type": "dance"})], "unknown_type"),
])
def test_bad_call_frames_get_clear_errors_and_the_connection_lives(live_server, frames, code):
    with live_server.connect("/v1/call") as ws:
        for frame in frames:
            ws.send(frame)
        reply = json.loads(ws.recv(timeout=10))
        assert reply["type"] == "error" and reply["code"] == code and reply["message"]
        ws.send(json.dumps({"type": "start", "call_id": f"after-{code}"}))
        assert receive_until(ws, "started")[-1]["call_id"] == f"after-{code}"


def test_bad_audio_frames_are_refused_and_the_call_goes_on(live_server, korean_call):
    speech, _ = korean_call
    with live_server.connect("/v1/call") as ws:
        ws.send(json.dumps({"type": "start", "call_id": "call-bad-frames", "channels": 2}))
        receive_until(ws, "started")
        ws.send(b"\x00" * 6)  # not whole stereo 16-bit frames
        assert json.loads(ws.recv(timeout=10))["code"] == "bad_audio_size"
        ws.send(b"\x00" * (128 * 1024 + 4))  # over our per-frame limit
        assert json.loads(ws.recv(timeout=10))["code"] == "frame_too_large"
        stereo = np.column_stack([speech.samples, speech.samples]).reshape(-1)
        ws.send(encode_pcm16(stereo[: 8000 * 2]))  # one good second
        ws.send(json.dumps({"type": "start", "call_id": "again"}))
        assert json.loads(ws.recv(timeout=10))["code"] in ("already_started",)
        ws.send(json.dumps({"type": "stop"}))
        receive_until(ws, "stopped", timeout=30)
    recording = live_server.app.storage.recording("call-bad-frames")
    assert recording.duration_s == pytest.approx(1.0)


def test_a_frame_beyond_the_websocket_limit_closes_with_1009(live_server):
    with live_server.connect("/v1/call") as ws:
        ws.send(json.dumps({"type": "start", "call_id": "call-huge"}))
        receive_until(ws, "started")
        ws.send(b"\x00" * (1024 * 1024))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == 1009
    assert completed_recording(live_server, "call-huge").duration_s == 0


def test_detection_failure_during_a_call_masks_and_silences_whole_segments(live_server, korean_call, monkeypatch):
    from redactor.errors import DetectionError

    def fail(*args, **kwargs):
        raise DetectionError("analysis exceeded its time budget")

    speech, terms = korean_call
    monkeypatch.setattr(live_server.app.redactor, "analyze", fail)
    messages = stream_call(live_server, "call-failing", speech.pcm, encoding="pcm_s16le")
    finals = [m for m in messages if m["type"] == "final"]
    partials = [m for m in messages if m["type"] == "partial"]
    assert finals and all(f["text"] == "<REDACTED>" for f in finals)
    assert all(p["text"] in ("", "<REDACTED>") for p in partials)
    assert all(s.failed for s in live_server.app.storage.segments("call-failing"))
    recording = live_server.app.storage.recording("call-failing")
    spans = [(f["start"], f["end"]) for f in finals]  # every word of every segment
    assert_redacted_exactly(Path(recording.path), speech.samples.reshape(-1, 1), spans, 8000)
