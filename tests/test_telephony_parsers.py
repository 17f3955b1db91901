"""The telephony parsers, fed frames: Twilio Media Streams (and its variants), Genesys
AudioHook v2, FreeSWITCH mod_audio_fork / jambonz listen. Every bad input is a clear
ProtocolError that does not echo what was sent."""
from __future__ import annotations

import base64
import json
import time

import numpy as np
import pytest

from audio.codecs import decode
from redactor.errors import ProtocolError, RedactorError
from telephony import audiohook, fork, twilio

SECRET_DIGITS = "4532015112830366"


# --- Twilio ----------------------------------------------------------------------------------

def twilio_start(**start) -> str:
    body = {"accountSid": "AC1", "streamSid": "MZ1", "callSid": "CA1", "tracks": ["inbound", "outbound"],
            "customParameters": {"token": "rk_x"},
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}, **start}
    return json.dumps({"event": "start", "sequenceNumber": "1", "start": body, "streamSid": "MZ1"})


def media(track: str, chunk: int, timestamp: int, payload: bytes) -> twilio.Media:
    return twilio.Media(track, payload, timestamp, chunk)


def test_twilio_message_sequence_parses_to_typed_events():
    assert twilio.parse('{"event": "connected", "protocol": "Call", "version": "1.0.0"}') == twilio.Connected()
    start = twilio.parse(twilio_start())
    assert start == twilio.Start("MZ1", "CA1", ("inbound", "outbound"), "mulaw", 8000, {"token": "rk_x"})
    frame = json.dumps({"event": "media", "sequenceNumber": "3", "streamSid": "MZ1", "media": {
        "track": "outbound", "chunk": "2", "timestamp": "20", "payload": base64.b64encode(b"\xff" * 160).decode()}})
    assert twilio.parse(frame) == twilio.Media("outbound", b"\xff" * 160, 20, 2)
    dtmf = twilio.parse(json.dumps({"event": "dtmf", "streamSid": "MZ1", "dtmf": {"track": "inbound_track", "digit": "7"}}))
    assert dtmf.track == "inbound" and dtmf.digit == "7" and "7" not in repr(dtmf)
    assert twilio.parse(json.dumps({"event": "mark", "mark": {"name": "m1"}})) == twilio.Mark("m1")
    assert twilio.parse(json.dumps({"event": "stop", "stop": {"callSid": "CA1"}})) == twilio.Stop()


def test_telnyx_spelling_is_read_too():
    frame = json.dumps({"event": "start", "sequence_number": "1", "stream_id": "s-9", "start": {
        "call_control_id": "v3:abc", "media_format": {"encoding": "PCMA", "sample_rate": 8000, "channels": 1}}})
    assert twilio.parse(frame) == twilio.Start("s-9", "v3:abc", ("inbound",), "alaw", 8000, {})
    assert twilio.parse(json.dumps({"event": "dtmf", "stream_id": "s-9", "dtmf": {"digit": "#"}})).track == "inbound"


@pytest.mark.parametrize("frame, code", [
    (b"\x00\x01", "unexpected_binary"),
    ("{nope", "bad_json"),
    ("[1]", "bad_json"),
    ('{"event": "ring"}', "unknown_type"),
    ("{}", "unknown_type"),
    ('{"event": "start"}', "missing_field"),
    ('{"event": "start", "start": {"tracks": ["inbound"]}}', "missing_field"),
    (twilio_start(tracks=["both_tracks"]), "invalid_field"),
    (twilio_start(mediaFormat={"encoding": "audio/x-l16", "sampleRate": 16000, "channels": 1}), "invalid_field"),
    ('{"event": "media", "media": {"track": "inbound", "payload": "!!"}}', "bad_audio"),
    ('{"event": "media", "media": {"track": "inbound"}}', "missing_field"),
    ('{"event": "media", "media": {"track": "sideways", "payload": ""}}', "invalid_field"),
    ('{"event": "media", "media": {"track": "inbound", "payload": "", "timestamp": "soon"}}', "invalid_field"),
    ('{"event": "dtmf", "dtmf": {"digit": "' + SECRET_DIGITS + '"}}', "invalid_field"),
])
def test_twilio_bad_frames_get_clear_errors(frame, code):
    with pytest.raises(ProtocolError) as error:
        twilio.parse(frame)
    assert error.value.code == code and isinstance(error.value, RedactorError)
    assert SECRET_DIGITS not in error.value.message


def test_tracks_are_aligned_by_timestamp_and_gaps_become_silence():
    aligner = twilio.TrackAligner(("inbound", "outbound"))
    out = aligner.add(media("inbound", 1, 0, b"\x01" * 160))
    assert out == b""  # outbound has not reached it yet
    out += aligner.add(media("outbound", 1, 0, b"\x02" * 160))
    out += aligner.add(media("inbound", 3, 40, b"\x03" * 160))  # chunk 2 lost: 20 ms of silence
    out += aligner.add(media("outbound", 2, 20, b"\x04" * 320))
    out += aligner.add(media("outbound", 2, 20, b"\x04" * 160))  # a repeat: dropped
    out += aligner.flush()
    frames = np.frombuffer(out, dtype=np.uint8).reshape(-1, 2)
    assert len(frames) == 480 and aligner.position_s == pytest.approx(0.06)
    assert (frames[:160] == [1, 2]).all()
    assert (frames[160:320, 0] == 0xFF).all() and (frames[320:, 0] == 3).all()
    assert (frames[160:, 1] == 4).all()
    assert not decode(bytes([0xFF]), "mulaw").any()  # the filler is silence


def test_a_silent_track_is_not_waited_for_beyond_the_skew():
    aligner = twilio.TrackAligner(("inbound", "outbound"))
    out = b"".join(aligner.add(media("inbound", i + 1, 20 * i, b"\x05" * 160)) for i in range(100))
    frames = np.frombuffer(out, dtype=np.uint8).reshape(-1, 2)
    assert len(frames) == 16000 - 8000  # released up to one second behind the live track
    assert (frames[:, 1] == 0xFF).all()


def test_media_on_an_unannounced_track_or_a_wild_timestamp_is_refused():
    aligner = twilio.TrackAligner(("inbound",))
    with pytest.raises(ProtocolError):
        aligner.add(media("outbound", 1, 0, b"\x00"))
    with pytest.raises(ProtocolError):
        aligner.add(media("inbound", 1, 10**9, b"\x00"))


def test_twilio_signature():
    url = "wss://redactor.example.com/twilio?token=abc"
    signature = twilio.expected_signature("auth-token", url)
    assert twilio.signature_valid("auth-token", url, signature)
    assert twilio.signature_valid("auth-token", "wss://redactor.example.com:443/twilio?token=abc", signature)
    assert not twilio.signature_valid("other-token", url, signature)
    assert not twilio.signature_valid("auth-token", url + "x", signature)
    assert not twilio.signature_valid("auth-token", url, None)
    # Twilio's documented example (a POST with parameters) still computes the same way
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
              "From": "+12349013030", "To": "+18005551212"}
    assert twilio.expected_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) \
        == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


# --- AudioHook -------------------------------------------------------------------------------

SESSION = "e160e428-53e2-487c-977d-96989bf5c99d"
OFFER = [{"type": "audio", "format": "PCMU", "channels": ["external", "internal"], "rate": 8000},
         {"type": "audio", "format": "PCMU", "channels": ["external"], "rate": 8000}]


class Client:
    """Genesys' side: numbers its messages and tracks the server's seq."""

    def __init__(self) -> None:
        self.seq, self.serverseq, self.position = 0, 0, 0.0

    def message(self, kind: str, **parameters) -> str:
        self.seq += 1
        return json.dumps({"version": "2", "id": SESSION, "type": kind, "seq": self.seq,
                           "serverseq": self.serverseq, "position": audiohook.duration(self.position),
                           "parameters": parameters})

    def read(self, events) -> list[dict]:
        sent = [json.loads(e.text) for e in events if isinstance(e, audiohook.Send)]
        for message in sent:
            self.serverseq = message["seq"]
        return sent


def open_session(media=OFFER, language="id-ID") -> tuple[audiohook.AudioHookSession, Client, list]:
    session, client = audiohook.AudioHookSession(), Client()
    events = session.receive_text(client.message(
        "open", organizationId="d7934305-0972-4844-938e-9060eef73d05", conversationId="090eaa2f-72fa-480a-83e0-8667ff89c0ec",
        participant={"id": "883efee8", "ani": "+6281234567890", "aniName": "Budi", "dnis": "+6221555"},
        media=media, language=language))
    return session, client, events


def test_audiohook_open_ping_pause_resume_close_follow_the_protocol():
    session, client, events = open_session()
    [opened] = client.read(events)
    assert opened == {"version": "2", "type": "opened", "seq": 1, "clientseq": 1, "id": SESSION,
                      "parameters": {"startPaused": False, "media": [OFFER[0]]}}
    assert events[1] == audiohook.SessionOpened("090eaa2f-72fa-480a-83e0-8667ff89c0ec", ("external", "internal"), "id", False)
    assert "+628" not in repr(events)  # the caller's number is read past
    assert session.receive_audio(b"\x7f" * 3200) == b"\x7f" * 3200
    assert session.position_s == pytest.approx(0.2)
    client.position = 0.2
    [pong] = client.read(session.receive_text(client.message("ping", rtt="PT0.05S")))
    assert (pong["type"], pong["seq"], pong["clientseq"]) == ("pong", 2, 2)
    assert session.receive_text(client.message("paused")) == [audiohook.ClientPaused(0.2)]
    with pytest.raises(ProtocolError):
        session.receive_audio(b"\x7f" * 320)  # no audio while paused
    assert session.receive_text(client.message("resumed", start="PT0.2S", discarded="PT3.5S")) \
        == [audiohook.ClientResumed(0.2, 3.5)]
    assert session.receive_text(client.message("discarded", start="PT1M2S", discarded="PT0.4S")) \
        == [audiohook.AudioDiscarded(62.0, 0.4)]
    assert session.receive_text(client.message("update", language="en-US")) == [audiohook.LanguageChanged("en")]
    [pause] = client.read([session.pause()])
    assert (pause["type"], pause["seq"], pause["clientseq"]) == ("pause", 3, 6)
    closing = session.receive_text(client.message("close", reason="end"))
    [closed] = client.read(closing)
    assert (closed["type"], closed["seq"], closed["clientseq"]) == ("closed", 4, 7)
    assert closing[1] == audiohook.SessionClosed("end") and session.state == "closed"
    assert session.disconnect("completed") is None  # nothing after closed


def test_mono_offer_and_the_connection_probe():
    session, client, events = open_session(media=[OFFER[1]], language=None)
    assert client.read(events)[0]["parameters"]["media"] == [OFFER[1]]
    assert events[1].channels == ("external",) and events[1].language == "auto"
    probe = audiohook.AudioHookSession().receive_text(json.dumps({
        "version": "2", "id": SESSION, "type": "open", "seq": 1, "serverseq": 0, "position": "PT0S",
        "parameters": {"organizationId": "o", "conversationId": audiohook.NULL_UUID, "participant": {}, "media": OFFER}}))
    assert probe[1].probe


@pytest.mark.parametrize("asked, listed", [
    (True, ["id-ID", "en-US"]), (False, None), (None, None), ("yes", None),
])
def test_opened_lists_the_supported_languages_when_open_asks(asked, listed):
    session, client = audiohook.AudioHookSession(), Client()
    extra = {} if asked is None else {"supportedLanguages": asked}
    [opened] = client.read(session.receive_text(client.message(
        "open", organizationId="o", conversationId="090eaa2f-72fa-480a-83e0-8667ff89c0ec",
        participant={}, media=OFFER, **extra)))
    assert opened["parameters"].get("supportedLanguages") == listed


@pytest.mark.parametrize("mutate, code", [
    (lambda m: {**m, "seq": 5}, "invalid_field"),          # not clientseq + 1
    (lambda m: {**m, "serverseq": 9}, "invalid_field"),    # beyond what we sent
    (lambda m: {**m, "id": "other"}, "invalid_field"),
    (lambda m: {**m, "version": "1"}, "invalid_field"),
    (lambda m: {**m, "position": "1.5 seconds"}, "invalid_field"),
    (lambda m: {k: v for k, v in m.items() if k != "seq"}, "missing_field"),
    (lambda m: {**m, "type": "dance"}, "unknown_type"),
    (lambda m: {**m, "type": "open"}, "already_started"),
    (lambda m: {**m, "type": "resumed", "parameters": {"start": "PT1S"}}, "invalid_field"),
])
def test_audiohook_violations_are_fatal_errors(mutate, code):
    session, client, _ = open_session()
    message = mutate(json.loads(client.message("ping")))
    with pytest.raises(ProtocolError) as error:
        session.receive_text(json.dumps(message))
    assert error.value.code == code
    [disconnect] = Client().read([session.disconnect("error", error.value.message)])
    assert disconnect["type"] == "disconnect" and disconnect["parameters"]["reason"] == "error"


@pytest.mark.parametrize("frame, code", [
    (b"\x00", "unexpected_binary"), ("nope", "bad_json"), ("[]", "bad_json"),
    ("x" * 70000, "frame_too_large"),
])
def test_audiohook_malformed_frames(frame, code):
    session = audiohook.AudioHookSession()
    with pytest.raises(ProtocolError) as error:
        session.receive_text(frame) if isinstance(frame, str) else audiohook._message(frame)
    assert error.value.code == code


def test_audiohook_refuses_audio_before_open_and_unsupported_media():
    with pytest.raises(ProtocolError):
        audiohook.AudioHookSession().receive_audio(b"\x00\x00")
    with pytest.raises(ProtocolError) as error:
        open_session(media=[{"type": "audio", "format": "L16", "channels": ["external"], "rate": 16000}])
    assert error.value.code == "invalid_field"
    session, _, _ = open_session()
    with pytest.raises(ProtocolError):
        session.receive_audio(b"\x00" * 3)  # not whole stereo samples


SECRET = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
HEADERS = {"audiohook-organization-id": "d7934305-0972-4844-938e-9060eef73d05",
           "audiohook-session-id": SESSION, "audiohook-correlation-id": "c0ffee", "x-api-key": "rk_key"}


def test_http_message_signature_round_trip_and_tampering():
    now = int(time.time())
    signed = {**HEADERS, **audiohook.sign(HEADERS, "/audiohook", "redactor.example.com", "rk_key", SECRET, now)}
    audiohook.verify_signature(signed, "/audiohook", "redactor.example.com", "rk_key", SECRET, now)
    failures = [
        ({**signed, "audiohook-session-id": "x"}, "/audiohook", "rk_key", SECRET, now),
        (signed, "/other", "rk_key", SECRET, now),
        (signed, "/audiohook", "rk_other", SECRET, now),
        (signed, "/audiohook", "rk_key", base64.b64encode(b"wrong-secret-wrong-secret").decode(), now),
        (signed, "/audiohook", "rk_key", SECRET, now + 600),  # expired
        (HEADERS, "/audiohook", "rk_key", SECRET, now),  # unsigned
        ({**signed, "signature": "sig1=:notbase64!:"}, "/audiohook", "rk_key", SECRET, now),
    ]
    for headers, target, key, secret, at in failures:
        with pytest.raises(ProtocolError) as error:
            audiohook.verify_signature(headers, target, "redactor.example.com", key, secret, at)
        assert error.value.code == "unauthorized"


def test_signature_must_cover_the_audiohook_headers():
    now = int(time.time())
    params = '("@request-target" "@authority");keyid="rk_key";alg="hmac-sha256";created=%d' % now
    headers = {**HEADERS, "signature-input": f"sig1={params}", "signature": "sig1=:AAAA:"}
    with pytest.raises(ProtocolError, match="cover"):
        audiohook.verify_signature(headers, "/audiohook", "h", "rk_key", SECRET, now)


# --- mod_audio_fork / jambonz ----------------------------------------------------------------

def test_mod_audio_fork_metadata_and_query():
    start = fork.parse_metadata('{"call_id": "fs-1", "sample_rate": "16k", "mix_type": "stereo", "language": "id"}')
    assert start == fork.ForkStart("fs-1", 16000, ("customer", "agent"), "id") and start.channels == 2
    assert fork.parse_metadata("{}", {"sample_rate": "16000", "channels": "2"}).channels == 2
    assert fork.start_from_query({"call_id": "q-1"}) == fork.ForkStart("q-1", 8000, ("customer",))


def test_jambonz_listen_first_frame_and_dtmf():
    frame = json.dumps({"callSid": "9fb35c28", "from": "+6281234567890", "to": "+62215550000",
                        "direction": "inbound", "sampleRate": 8000, "mixType": "mixed",
                        "metadata": {"language": "en-US"}})
    start = fork.parse_metadata(frame)
    assert start == fork.ForkStart("9fb35c28", 8000, ("unknown",), "en")
    assert "+628" not in repr(start)
    dtmf = fork.parse_text('{"event": "dtmf", "dtmf": "5", "duration": "250"}')
    assert dtmf.digit == "5" and "5" not in repr(dtmf)
    assert fork.parse_text('{"event": "something-else"}') is None


@pytest.mark.parametrize("frame, code", [
    ("nope", "bad_json"), ("[]", "bad_json"),
    ('{"sample_rate": 44100}', "invalid_field"), ('{"sampleRate": "fast"}', "invalid_field"),
    ('{"mix_type": "quad"}', "invalid_field"), ('{"channels": 3}', "invalid_field"),
    ('{"call_id": "a\\u0000b"}', "invalid_field"), ('{"call_id": 7}', "invalid_field"),
])
def test_fork_bad_metadata(frame, code):
    with pytest.raises(ProtocolError) as error:
        fork.parse_metadata(frame)
    assert error.value.code == code


def test_fork_bad_dtmf_does_not_echo_it():
    with pytest.raises(ProtocolError) as error:
        fork.parse_text(json.dumps({"event": "dtmf", "dtmf": SECRET_DIGITS}))
    assert SECRET_DIGITS not in error.value.message


# --- the webhook's signature -----------------------------------------------------------------

def test_webhook_signature_verifies_and_rejects_tampering_and_replays():
    from telephony import webhook

    body = b'{"type":"final","text":"kartu saya <CREDIT_CARD>"}'
    sent = webhook.headers("s3cret", body, now=1_700_000_000)
    ts, sig = sent[webhook.TIMESTAMP_HEADER], sent[webhook.SIGNATURE_HEADER]
    assert sig.startswith("v1=") and webhook.verify("s3cret", body, ts, sig, now=1_700_000_010)
    assert not webhook.verify("s3cret", body + b" ", ts, sig, now=1_700_000_010)
    assert not webhook.verify("other", body, ts, sig, now=1_700_000_010)
    assert not webhook.verify("s3cret", body, ts, sig, now=1_700_001_000)  # too old
    assert not webhook.verify("s3cret", body, None, sig)
