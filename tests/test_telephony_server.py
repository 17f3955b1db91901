"""The telephony adapters end to end over real sockets, with the real Vosk model: each platform's
published message sequence carries a spoken call (Korean speech, a deny-list policy so that
detections really happen) into the server; finals are masked and stored, the recording is
redacted, and subscribers and the signed webhook get masked text only. DTMF (platform events
and in-band tones) and pause/resume are checked here too."""
from __future__ import annotations

import base64
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from audio.codecs import Resampler, encode_pcm16
from audio.dtmf import DtmfDetector
from benchmarks.dtmf_bench import tone
from telephony import audiohook, twilio, webhook
from tests.live import SENT_PII, SENT_WORDS, receive_until, start_server, vosk_replies
from tests.speech import g711_encode, read_wav, with_line_noise, words_heard
from tests.test_server_call import wait_for

CARD = "4532015112830366"
CLIENT_SECRET = base64.b64encode(b"audiohook-client-secret-0123456").decode()
TWILIO_TOKEN = "twilio-auth-token-for-tests"
HOOK_SECRET = "webhook-secret-for-tests"


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hook():
    http = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_address[1]}/hook"
    http.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory, speech_model, korean_call, hook):
    import server as server_module
    from redactor import Redactor, RedactorConfig

    _, terms = korean_call
    SENT_WORDS.update(terms)
    SENT_PII.add(CARD)
    data = tmp_path_factory.mktemp("telephony-data")
    settings = server_module.Settings(
        port=0, db=str(data / "redactor.db"), data_dir=data, max_sessions=8,
        twilio_auth_token=TWILIO_TOKEN, audiohook_client_secret=CLIENT_SECRET,
        webhook_url=hook, webhook_secret=HOOK_SECRET, vosk_open=True)
    config = RedactorConfig.from_dict({"entities": {"EMPLOYEE_NAME": {"deny_list": list(terms)}}})
    live = start_server(settings, Redactor(config), speech_model)
    yield live
    live.stop()
    live.app.close()


class Subscription:
    """A /v1/subscribe client reading on its own thread."""

    def __init__(self, server, call_id: str | None) -> None:
        query = f"?call_id={call_id}" if call_id else ""
        self.ws = server.connect(f"/v1/subscribe{query}", legacy=True)
        assert json.loads(self.ws.recv(timeout=10)) == {"type": "subscribed", "call_id": call_id}
        self.messages: list[dict] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while True:
                self.messages.append(json.loads(self.ws.recv()))
        except Exception:
            pass

    def close(self) -> list[dict]:
        time.sleep(1.0)  # the last messages published as the call ended
        self.ws.close()
        self.thread.join(5)
        return self.messages


def finished_call(server, call_id: str):
    def complete():
        recording = server.app.storage.recording(call_id)
        return recording if recording is not None and recording.status == "complete" else None

    recording = wait_for(complete, timeout=180)
    return server.app.storage.segments(call_id), recording


def entity_spans(finals: list[dict], entity: str | None = None) -> list[tuple[float, float]]:
    return [(w["start"], w["end"]) for f in finals for w in f["words"]
            if "entity" in w and (entity is None or w["entity"] == entity)]


def assert_silent(samples: np.ndarray, spans, rate: int) -> None:
    for start, end in spans:
        assert not samples[round(start * rate) : round(end * rate)].any(), f"audio left in {start:.2f}-{end:.2f}"


def webhook_finals(call_id: str) -> list[dict]:
    out = []
    for headers, body in Receiver.received:
        assert webhook.verify(HOOK_SECRET, body, headers.get("x-redactor-timestamp"), headers.get("x-redactor-signature"))
        message = json.loads(body)
        if message["call_id"] == call_id:
            out.append(message)
    return out


# --- Twilio Media Streams ----------------------------------------------------------------------

def twilio_url(server) -> str:
    return f"ws://127.0.0.1:{server.port}/twilio"


def test_twilio_media_stream_with_dtmf_events(server, korean_call):
    speech, terms = korean_call
    call_id = "CA" + uuid.uuid4().hex
    url = twilio_url(server)
    inbound = g711_encode(speech.samples, "mulaw")
    chunks = [inbound[i : i + 160] for i in range(0, len(inbound), 160)]
    subscriber = Subscription(server, call_id)
    everyone = Subscription(server, None)
    with connect(url, additional_headers={"X-Twilio-Signature": twilio.expected_signature(TWILIO_TOKEN, url)}) as ws:
        send = lambda obj: ws.send(json.dumps(obj))  # noqa: E731
        send({"event": "connected", "protocol": "Call", "version": "1.0.0"})
        send({"event": "start", "sequenceNumber": "1", "streamSid": "MZ1", "start": {
            "accountSid": "AC1", "streamSid": "MZ1", "callSid": call_id, "tracks": ["inbound", "outbound"],
            "customParameters": {"token": server.key},
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}})
        keys_at = range(400, 400 + 16 * 10, 10)  # the customer keys the card at 8.0-11.2 s
        for i, chunk in enumerate(chunks):
            payload = base64.b64encode(chunk).decode()
            send({"event": "media", "streamSid": "MZ1", "media": {
                "track": "inbound", "chunk": str(i + 1), "timestamp": str(20 * i), "payload": payload}})
            if not 100 <= i < 150:  # the agent's track loses a second of chunks
                send({"event": "media", "streamSid": "MZ1", "media": {
                    "track": "outbound", "chunk": str(i + 1), "timestamp": str(20 * i),
                    "payload": base64.b64encode(b"\xff" * 160).decode()}})
            if i in keys_at:
                send({"event": "dtmf", "streamSid": "MZ1", "dtmf": {"track": "inbound_track",
                                                                     "digit": CARD[keys_at.index(i)]}})
        send({"event": "mark", "streamSid": "MZ1", "mark": {"name": "done"}})
        send({"event": "stop", "streamSid": "MZ1", "stop": {"callSid": call_id}})
    segments, recording = finished_call(server, call_id)
    texts = [s.text for s in segments]
    assert [t for t in texts if t == "<DTMF>"] == ["<DTMF>"], "a run of keys is one entry"
    dtmf = next(s for s in segments if s.text == "<DTMF>")
    assert (dtmf.speaker, dtmf.start_s, dtmf.end_s) == ("customer", pytest.approx(8.02), pytest.approx(11.02))
    stored = " ".join(texts)
    assert "<EMPLOYEE_NAME>" in stored and not words_heard(stored, terms) and CARD not in stored
    assert not any(re.search(r"\d{2,}", t) for t in texts)  # (Vosk may write a lone digit)
    assert recording.channels == 2 and recording.duration_s == pytest.approx(len(chunks) * 0.02, abs=0.02)
    finals = [m for m in subscriber.close() if m["type"] == "final"]
    assert sorted(f["seq"] for f in finals) == sorted(s.seq for s in segments)
    assert any(m["call_id"] == call_id for m in everyone.close())
    written, _ = read_wav(Path(recording.path))
    assert_silent(written, entity_spans(finals), 8000)
    assert written[:, 0].any() and not written[:, 1].any()  # the agent's track was silence
    hooked = wait_for(lambda: len(webhook_finals(call_id)) >= len(segments) and webhook_finals(call_id), 60)
    assert sorted(f["seq"] for f in hooked) == sorted(s.seq for s in segments)
    assert not words_heard(json.dumps(hooked, ensure_ascii=False), terms)


def test_twilio_refuses_a_bad_signature_and_a_missing_key(server):
    url = twilio_url(server)
    with pytest.raises(InvalidStatus) as refused:
        connect(url, additional_headers={"X-Twilio-Signature": "bm90IGl0"})
    assert refused.value.response.status_code == 403
    with connect(url, additional_headers={"X-Twilio-Signature": twilio.expected_signature(TWILIO_TOKEN, url)}) as ws:
        ws.send(json.dumps({"event": "start", "streamSid": "MZ2", "start": {
            "streamSid": "MZ2", "callSid": "CA-nokey", "tracks": ["inbound"], "customParameters": {}}}))
        with pytest.raises(Exception):
            ws.recv(timeout=10)
    assert ws.close_code == 1008 and server.app.storage.segments("CA-nokey") == []


# --- Genesys AudioHook -------------------------------------------------------------------------

def test_audiohook_session_with_ping_pause_update_and_close(server, korean_call, monkeypatch):
    speech, terms = korean_call
    languages = []  # the language each final was analysed in
    analyze = server.app.redactor.analyze

    def recording_analyze(text, lang="auto", **kwargs):
        languages.append(lang)
        return analyze(text, lang, **kwargs)

    monkeypatch.setattr(server.app.redactor, "analyze", recording_analyze)
    session_id, conversation = str(uuid.uuid4()), str(uuid.uuid4())
    headers = {"audiohook-organization-id": str(uuid.uuid4()), "audiohook-session-id": session_id,
               "audiohook-correlation-id": str(uuid.uuid4()), "x-api-key": server.key}
    authority = f"127.0.0.1:{server.port}"
    signed = {**headers, **audiohook.sign(headers, "/audiohook", authority, server.key, CLIENT_SECRET, int(time.time()))}
    customer = g711_encode(speech.samples, "mulaw")
    stereo = np.column_stack([np.frombuffer(customer, np.uint8), np.full(len(customer), 0xFF, np.uint8)]).tobytes()
    seq, position = 0, 0.0
    subscriber = Subscription(server, conversation)

    def message(kind: str, serverseq: int, **parameters) -> str:
        nonlocal seq
        seq += 1
        return json.dumps({"version": "2", "id": session_id, "type": kind, "seq": seq, "serverseq": serverseq,
                           "position": audiohook.duration(position), "parameters": parameters})

    half = len(stereo) // 2 // 1600 * 1600
    with connect(f"ws://{authority}/audiohook", additional_headers=signed) as ws:
        ws.send(message("open", 0, organizationId=headers["audiohook-organization-id"], conversationId=conversation,
                        participant={"id": str(uuid.uuid4()), "ani": "+6281234567890", "aniName": "", "dnis": "+62215550000"},
                        media=[{"type": "audio", "format": "PCMU", "channels": ["external", "internal"], "rate": 8000}],
                        language="id-ID"))
        opened = json.loads(ws.recv(timeout=30))
        assert (opened["type"], opened["seq"], opened["clientseq"], opened["id"]) == ("opened", 1, 1, session_id)
        assert opened["parameters"]["media"][0]["channels"] == ["external", "internal"]
        for i in range(0, half, 1600):  # 100 ms frames
            ws.send(stereo[i : i + 1600])
            position += 0.1
        ws.send(message("ping", 1, rtt="PT0.02S"))
        pong = json.loads(ws.recv(timeout=30))
        assert (pong["type"], pong["seq"], pong["clientseq"]) == ("pong", 2, 2)
        paused_at = position
        ws.send(message("paused", 2))
        ws.send(message("resumed", 2, start=audiohook.duration(paused_at), discarded="PT2S"))
        wait_for(lambda: languages, 60)
        ws.send(message("update", 2, language="en-US"))  # the conversation went on in English
        wait_for(lambda: server.app.calls[conversation].pipeline._transcript._lang == "en", 30)
        before_update = len(languages)
        for i in range(half, len(stereo) - len(stereo) % 2, 1600):
            ws.send(stereo[i : i + 1600])
            position += 0.1
        ws.send(message("close", 2, reason="end"))
        closed = json.loads(ws.recv(timeout=120))
        assert (closed["type"], closed["seq"], closed["clientseq"]) == ("closed", 3, 6)
    assert set(languages[:before_update]) == {"id"} and set(languages[before_update:]) == {"en"}
    segments, recording = finished_call(server, conversation)
    pause = [s for s in segments if s.text == "<PAUSED>"]
    assert len(pause) == 1 and (pause[0].start_s, pause[0].end_s) == (pytest.approx(paused_at), pytest.approx(paused_at + 2.0))
    stored = " ".join(s.text for s in segments)
    assert "<EMPLOYEE_NAME>" in stored and not words_heard(stored, terms)
    assert "+628" not in stored and recording.channels == 2
    assert recording.duration_s == pytest.approx(len(customer) / 8000 + 2.0, abs=0.02)
    written, _ = read_wav(Path(recording.path))
    assert_silent(written, [(paused_at, paused_at + 2.0)], 8000)
    assert written[round((paused_at - 1) * 8000) : round(paused_at * 8000)].any()  # speech just before
    finals = [m for m in subscriber.close() if m["type"] == "final"]
    assert_silent(written, entity_spans(finals), 8000)
    assert not words_heard(json.dumps(finals, ensure_ascii=False), terms)


def test_audiohook_refuses_a_bad_signature_and_disconnects_on_a_protocol_error(server):
    headers = {"audiohook-organization-id": "o", "audiohook-session-id": "s", "audiohook-correlation-id": "c",
               "x-api-key": server.key}
    authority = f"127.0.0.1:{server.port}"
    forged = audiohook.sign(headers, "/audiohook", authority, server.key,
                            base64.b64encode(b"not-the-client-secret-at-all").decode(), int(time.time()))
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://{authority}/audiohook", additional_headers={**headers, **forged})
    assert refused.value.response.status_code == 401
    signed = audiohook.sign(headers, "/audiohook", authority, server.key, CLIENT_SECRET, int(time.time()))
    with connect(f"ws://{authority}/audiohook", additional_headers={**headers, **signed}) as ws:
        ws.send(json.dumps({"version": "2", "id": "s", "type": "ping", "seq": 7, "serverseq": 0,
                            "position": "PT0S", "parameters": {}}))
        reply = json.loads(ws.recv(timeout=10))
    assert reply["type"] == "disconnect" and reply["parameters"]["reason"] == "error"


# --- mod_audio_fork / jambonz, with in-band DTMF ------------------------------------------------

def test_fork_stereo_16k_with_keyed_tones_in_band(server, korean_call):
    speech, terms = korean_call
    call_id = "fs-" + uuid.uuid4().hex[:8]
    rate = 16000
    voice = Resampler(8000, rate).process(speech.samples)
    keys = np.concatenate([np.concatenate([tone(d, 0.09, -8, 2, rate), np.zeros(round(0.11 * rate))]) for d in CARD])
    gap = np.zeros(rate)
    # The line's noise under the gaps too: the undithered model takes digital silence for speech.
    customer = with_line_noise(np.concatenate([voice.astype(np.float64), gap, keys, gap]))
    tones_at = (len(voice) + rate) / rate, (len(voice) + rate + len(keys)) / rate
    agent = np.zeros_like(customer)
    pcm = encode_pcm16(np.column_stack([customer, agent]).reshape(-1))
    subscriber = Subscription(server, call_id)
    with server.connect("/fork", subprotocols=["audio.jambonz.org"]) as ws:
        assert ws.subprotocol == "audio.jambonz.org"
        ws.send(json.dumps({"callSid": call_id, "from": "+6281234567890", "sampleRate": rate, "mixType": "stereo"}))
        for i in range(0, len(pcm), 1280):  # 20 ms of 16 kHz stereo
            ws.send(pcm[i : i + 1280])
    segments, recording = finished_call(server, call_id)
    texts = [s.text for s in segments]
    # No keyed digit in the text ("[10]" is a noise token of the Korean model).
    assert texts.count("<DTMF>") == 1 and not any(re.search(r"\d{2,}", re.sub(r"\[\d+\]", "", t)) for t in texts)
    marker = next(s for s in segments if s.text == "<DTMF>")
    assert marker.start_s == pytest.approx(tones_at[0], abs=0.05) and marker.end_s == pytest.approx(tones_at[1] - 0.11, abs=0.05)
    assert not words_heard(" ".join(texts), terms) and recording.sample_rate == rate
    written, _ = read_wav(Path(recording.path))
    detector = DtmfDetector(rate, min_fraction=0.2, min_hits=2)  # a looser decoder than ours
    decoded = detector.process(written[:, 0].copy()) + detector.flush()
    assert not [d for d in decoded if d.end > tones_at[0] and d.start < tones_at[1]], "a keyed digit is decodable"
    assert_silent(written, [tones_at], rate)
    assert written[: len(voice), 0].any()
    finals = [m for m in subscriber.close() if m["type"] == "final"]
    assert_silent(written, entity_spans(finals), rate)


# --- pause and resume on /v1/call, by message and over HTTP --------------------------------------

def post(server, path: str, key: str | None) -> tuple[int, dict | str]:
    request = urllib.request.Request(server.http + path, method="POST",
                                     headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("how", ["message", "http"])
def test_pause_silences_exactly_the_paused_span(server, korean_call, how):
    speech, terms = korean_call
    call_id = f"call-pause-{how}"
    pcm = speech.pcm
    frame = 3200  # 200 ms
    pause_frame, resume_frame = 20, 45  # paused over 4.0-9.0 s
    with server.connect("/v1/call") as ws:
        ws.send(json.dumps({"type": "start", "call_id": call_id, "sample_rate": 8000}))
        messages = receive_until(ws, "started")
        for n, i in enumerate(range(0, len(pcm), frame)):
            if n in (pause_frame, resume_frame):
                action = "pause" if n == pause_frame else "resume"
                if how == "message":
                    ws.send(json.dumps({"type": action}))
                    messages += receive_until(ws, "paused" if action == "pause" else "resumed")
                else:  # the HTTP request is "now": once the server has taken the frames sent so far
                    wait_for(lambda: server.app.calls[call_id].position_s >= n * 0.2 - 1e-6, 60)
                    status, body = post(server, f"/v1/calls/{call_id}/{action}", server.key)
                    assert status == 200 and body["paused"] is (action == "pause")
            ws.send(pcm[i : i + frame])
        ws.send(json.dumps({"type": "stop"}))
        messages += receive_until(ws, "stopped", timeout=120)
    segments, recording = finished_call(server, call_id)
    [pause] = [s for s in segments if s.text == "<PAUSED>"]
    assert (pause.start_s, pause.end_s) == (pytest.approx(4.0), pytest.approx(9.0))
    written, _ = read_wav(Path(recording.path))
    assert not written[32000:72000].any()
    assert written[:32000].any()
    assert written[72000:].any()
    finals = [m for m in messages if m["type"] == "final"]
    assert not any(w["start"] < 9.0 and w["end"] > 4.0 for f in finals for w in f["words"] if "entity" not in w)
    assert not words_heard(json.dumps(finals, ensure_ascii=False), terms)


def test_http_pause_needs_a_key_and_a_live_call(server):
    assert post(server, "/v1/calls/nope/pause", None)[0] == 401
    assert post(server, "/v1/calls/nope/pause", server.key)[0] == 404
    assert post(server, "/v1/calls/nope/rewind", server.key)[0] == 404


def test_subscriptions_and_pause_reach_only_the_calls_of_the_same_key(server, korean_call):
    """A tenant never follows, pauses or even finds another tenant's call."""
    from redactor.keys import create_key

    other = create_key(server.app.storage, name="another tenant")
    call_id = "call-of-the-first-tenant"
    own_all = Subscription(server, None)
    own_one = Subscription(server, call_id)
    with server.connect(f"/v1/subscribe?call_id={call_id}", key=other) as foreign_one, \
            server.connect("/v1/subscribe", key=other) as foreign_all:
        for ws in (foreign_one, foreign_all):
            assert json.loads(ws.recv(timeout=10))["type"] == "subscribed"
        with server.connect("/v1/call") as ws:
            ws.send(json.dumps({"type": "start", "call_id": call_id, "sample_rate": 8000}))
            receive_until(ws, "started")
            ws.send(korean_call[0].pcm[:64000])
            assert post(server, f"/v1/calls/{call_id}/pause", other)[0] == 404
            status, body = post(server, f"/v1/calls/{call_id}/pause", server.key)
            assert status == 200 and body["paused"] is True
            ws.send(json.dumps({"type": "stop"}))
            receive_until(ws, "stopped", timeout=120)
        for ws in (foreign_one, foreign_all):
            with pytest.raises(TimeoutError):
                ws.recv(timeout=1.5)  # not a partial, not a final of another key's call
    for subscription in (own_all, own_one):
        assert any(m.get("call_id") == call_id for m in subscription.close())


# --- vosk-server's own test clients, as they behave ---------------------------------------------

def vosk_client(server, config: str, pcm: bytes, frame_bytes: int) -> list[dict]:
    """What vosk-server's websocket/test*.py do: config, frames, one recv per frame, eof."""
    with connect(f"ws://127.0.0.1:{server.port}") as ws:  # no key: they cannot send one
        ws.send(config)
        return vosk_replies(ws, pcm, frame_bytes, timeout=60)


def test_vosk_test_py_and_test_alternatives_py(server, korean_call):
    speech, terms = korean_call
    rate = 8000
    replies = vosk_client(server, '{ "config" : { "sample_rate" : %d } }' % rate, speech.pcm, int(rate * 0.2) * 2)
    assert any("result" in r for r in replies) and not words_heard(json.dumps(replies, ensure_ascii=False), terms)
    replies = vosk_client(server, '{"config" : { "max_alternatives" : 20, "sample_rate" : %d } }' % rate,
                          speech.pcm, int(rate * 0.2) * 2)
    results = [r for r in replies if "alternatives" in r]
    assert results and all(set(r) <= {"alternatives", "partial"} for r in replies)
    assert any(len(r["alternatives"]) > 1 for r in results)
    everything = json.dumps(results, ensure_ascii=False)
    assert "<EMPLOYEE_NAME>" in everything and not words_heard(everything, terms), "an alternative leaked"
    for r in results:
        for alternative in r["alternatives"]:
            assert set(alternative) <= {"confidence", "result", "text"}


def test_vosk_test_words_py_with_a_phrase_list_and_a_string_rate(server, korean_call):
    speech, _ = korean_call
    pcm16k = encode_pcm16(Resampler(8000, 16000).process(speech.samples))
    config = '''{"config" : 
                    { "phrase_list" : ["zero one two three four five six seven eight nine oh"],
                      "sample_rate" : 16000.0,
                      "words" : 0}}'''
    replies = vosk_client(server, config, pcm16k, 8000)  # wf.readframes(4000)
    assert all(set(r) in ({"partial"}, {"text"}) for r in replies)
    replies = vosk_client(server, '{"config": {"sample_rate": "16000", "phrase_list": ["카드 번호", "감사합니다", "[unk]"]}}',
                          pcm16k, 8000)
    heard = {w["word"] for r in replies for w in r.get("result", [])}
    # Only the phrase list's words, or masks (our Indonesian model may read a Korean word as a name).
    assert heard and {w for w in heard if not re.fullmatch(r"<[A-Z_]+>", w)} <= {"카드", "번호", "감사합니다", "[unk]"}
