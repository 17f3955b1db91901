"""The websocket protocols, frame by frame, without sockets."""
from __future__ import annotations

import json

import pytest

from redactor.errors import ProtocolError, RedactorError
from redactor.protocol import (
    MAX_AUDIO_FRAME_BYTES,
    Audio,
    CallPause,
    CallResume,
    CallStart,
    CallStop,
    ChatEnd,
    ChatMessage,
    VoskConfig,
    VoskEof,
    VoskReset,
    check_audio,
    error_reply,
    parse_call,
    parse_chat,
    parse_vosk,
    vosk_call_id,
)


def frame(**fields) -> str:
    return json.dumps(fields)


@pytest.mark.parametrize("raw, expected", [
    (frame(type="message", session="s1", speaker="customer", text="kartu saya 4532"),
     ChatMessage("s1", "customer", "kartu saya 4532")),
    (frame(type="message", session="s1", speaker="agent", text=""), ChatMessage("s1", "agent", "")),
    (frame(type="end", session="s1"), ChatEnd("s1")),
    (b'{"type": "end", "session": "s1"}'.decode(), ChatEnd("s1")),
])
def test_chat_frames_parse(raw, expected):
    assert parse_chat(raw) == expected


@pytest.mark.parametrize("raw, code", [
    ("not json", "bad_json"),
    ("[1, 2]", "bad_json"),
    ('"message"', "bad_json"),
    (b"\x00\x01", "unexpected_binary"),
    (frame(type="hello", session="s1"), "unknown_type"),
    (frame(session="s1", text="hi"), "unknown_type"),
    (frame(type="message", speaker="customer", text="hi"), "missing_field"),
    (frame(type="message", session="", speaker="customer", text="hi"), "missing_field"),
    (frame(type="message", session=7, speaker="customer", text="hi"), "missing_field"),
    (frame(type="message", session="s" * 129, speaker="customer", text="hi"), "invalid_field"),
    (frame(type="message", session="s1", speaker="robot", text="hi"), "invalid_field"),
    (frame(type="message", session="s1", text="hi"), "missing_field"),
    (frame(type="message", session="s1", speaker="customer"), "missing_field"),
    (frame(type="message", session="s1", speaker="customer", text=["a"]), "missing_field"),
    (frame(type="message", session="s1", speaker="customer", text="x" * 20_001), "invalid_field"),
    (frame(type="end"), "missing_field"),
])
def test_bad_chat_frames_are_clear_errors(raw, code):
    with pytest.raises(ProtocolError) as caught:
        parse_chat(raw)
    assert caught.value.code == code
    assert isinstance(caught.value, RedactorError)  # one exception tree


def test_error_messages_never_echo_what_the_client_sent():
    secret = "4532015112830366"
    for raw in (frame(type=secret), frame(type="message", session="s", speaker=secret, text="x"), secret):
        with pytest.raises(ProtocolError) as caught:
            parse_chat(raw)
        assert secret not in error_reply(caught.value)


def test_error_reply_shape():
    reply = json.loads(error_reply(ProtocolError("bad_json", "frame is not valid JSON")))
    assert reply == {"type": "error", "code": "bad_json", "message": "frame is not valid JSON"}


@pytest.mark.parametrize("fields, expected", [
    ({"call_id": "c1"}, CallStart("c1", 8000, "pcm_s16le", 1, ("customer",), "auto")),
    ({"call_id": "c1", "sample_rate": 16000, "encoding": "mulaw", "channels": 2,
      "speakers": ["customer", "agent"], "language": "id"},
     CallStart("c1", 16000, "mulaw", 2, ("customer", "agent"), "id")),
    ({"call_id": "c1", "channels": 2}, CallStart("c1", 8000, "pcm_s16le", 2, ("customer", "agent"))),
    ({"call_id": "c1", "encoding": "alaw", "language": "en"},
     CallStart("c1", 8000, "alaw", 1, ("customer",), "en")),
])
def test_call_start_parses_with_defaults(fields, expected):
    assert parse_call(frame(type="start", **fields), started=False) == expected


@pytest.mark.parametrize("fields, code", [
    ({}, "missing_field"),
    ({"call_id": "c1", "sample_rate": 44100}, "invalid_field"),
    ({"call_id": "c1", "sample_rate": "8000"}, "invalid_field"),
    ({"call_id": "c1", "encoding": "opus"}, "invalid_field"),
    ({"call_id": "c1", "channels": 3}, "invalid_field"),
    ({"call_id": "c1", "channels": True}, "invalid_field"),
    ({"call_id": "c1", "channels": 2, "speakers": ["customer"]}, "invalid_field"),
    ({"call_id": "c1", "speakers": "customer"}, "invalid_field"),
    ({"call_id": "c1", "speakers": [""]}, "invalid_field"),
    ({"call_id": "c1", "language": "fr"}, "invalid_field"),
])
def test_bad_call_start_is_a_clear_error(fields, code):
    with pytest.raises(ProtocolError) as caught:
        parse_call(frame(type="start", **fields), started=False)
    assert caught.value.code == code


@pytest.mark.parametrize("raw, started, code", [
    (b"\x00" * 320, False, "audio_before_start"),
    (frame(type="stop"), False, "not_started"),
    (frame(type="start", call_id="c2"), True, "already_started"),
    (b"\x00" * (MAX_AUDIO_FRAME_BYTES + 2), True, "frame_too_large"),
    (frame(type="pause"), False, "not_started"),
    (frame(type="rewind"), True, "unknown_type"),
    ("{", True, "bad_json"),
])
def test_call_frames_out_of_order_or_oversized(raw, started, code):
    with pytest.raises(ProtocolError) as caught:
        parse_call(raw, started=started)
    assert caught.value.code == code


def test_call_audio_and_stop_after_start():
    assert parse_call(b"\x01\x02", started=True) == Audio(b"\x01\x02")
    assert parse_call(frame(type="stop"), started=True) == CallStop()
    assert parse_call(frame(type="pause"), started=True) == CallPause()
    assert parse_call(frame(type="resume"), started=True) == CallResume()


@pytest.mark.parametrize("size, bytes_per_frame, ok", [
    (320, 2, True), (321, 2, False), (640, 4, True), (642, 4, False), (161, 1, True), (161, 2, False),
])
def test_audio_must_hold_whole_sample_frames(size, bytes_per_frame, ok):
    if ok:
        check_audio(b"\x00" * size, bytes_per_frame)
    else:
        with pytest.raises(ProtocolError) as caught:
            check_audio(b"\x00" * size, bytes_per_frame)
        assert caught.value.code == "bad_audio_size"


@pytest.mark.parametrize("raw, expected", [
    ('{"eof" : 1}', VoskEof()),  # vosk-server's own spelling
    ('{"eof": 1}', VoskEof()),
    ('{ "eof":1 }', VoskEof()),
    ('{\n  "eof" : 1\n}', VoskEof()),
    ('{"reset" : 1}', VoskReset()),
    ('{"config" : {"sample_rate" : 16000}}', VoskConfig(16000, None)),
    ('{"config": {"sample_rate": 8000.0, "words": false}}', VoskConfig(8000, False)),
    ('{"config": {"words": 1, "max_alternatives": 0, "phrase_list": ["a"]}}', VoskConfig(None, True, ("a",), 0)),
    # vosk-server reads sample_rate with float() and max_alternatives with int()
    ('{"config": {"sample_rate": "16000", "max_alternatives": "20"}}', VoskConfig(16000, None, None, 20)),
    ('{"config" : { "max_alternatives" : 20, "sample_rate" : 8000.0 } }', VoskConfig(8000, None, None, 20)),
    # test.py sends the WAV's own rate: 24 kHz speech synthesis, 12 kHz Opus
    ('{ "config" : { "sample_rate" : 24000 } }', VoskConfig(24000, None)),
    ('{ "config" : { "sample_rate" : 12000 } }', VoskConfig(12000, None)),
    (b"\x00\x00" * 1600, Audio(b"\x00\x00" * 1600)),
])
def test_vosk_frames_parse(raw, expected):
    assert parse_vosk(raw) == expected


@pytest.mark.parametrize("raw, code", [
    ('{"eof" : 0}', "unknown_type"),
    ('{"hello": 1}', "unknown_type"),
    ("eof", "bad_json"),
    ('{"config": 16000}', "invalid_field"),
    ('{"config": {"sample_rate": 12345}}', "invalid_field"),
    ('{"config": {"sample_rate": "fast"}}', "invalid_field"),
    ('{"config": {"sample_rate": "NaN"}}', "invalid_field"),
    ('{"config": {"max_alternatives": -1}}', "invalid_field"),
    ('{"config": {"max_alternatives": 1000}}', "invalid_field"),
    ('{"config": {"phrase_list": "one two"}}', "invalid_field"),
    ('{"config": {"phrase_list": ["ok", 3]}}', "invalid_field"),
    ('{"config": {"sample_rate": 8000.5}}', "invalid_field"),
    ('{"config": {"words": "yes"}}', "invalid_field"),
])
def test_bad_vosk_frames_are_clear_errors(raw, code):
    with pytest.raises(ProtocolError) as caught:
        parse_vosk(raw)
    assert caught.value.code == code


# --- hostile frames: every one is a clear error, never an exception of another kind -------------

HOSTILE = [
    ("[" * 50_000 + "]" * 50_000, "bad_json"),  # RecursionError inside json
    ('{"a":' * 10_000 + "1" + "}" * 10_000, "bad_json"),
    ('{"type": "start", "call_id": "c", "sample_rate": NaN}', "bad_json"),
    ('{"type": "start", "call_id": "c", "sample_rate": 1e400}', "bad_json"),
    ('{"type": "start", "call_id": "c", "sample_rate": -Infinity}', "bad_json"),
    ('{"type": "start", "call_id": "c", "sample_rate": 8000.0}', "invalid_field"),
    ('{"type": "start", "call_id": "c", "channels": 2.0}', "invalid_field"),
    ('{"type": "start", "call_id": "c", "channels": true}', "invalid_field"),
    ('{"type": "start", "call_id": "c", "sample_rate": 1' + "0" * 500 + "}", "invalid_field"),
]


@pytest.mark.parametrize("raw, code", HOSTILE)
def test_hostile_call_frames_are_clear_errors(raw, code):
    with pytest.raises(ProtocolError) as caught:
        parse_call(raw, started=False)
    assert caught.value.code == code


@pytest.mark.parametrize("config, code", [
    ('{"config": {"sample_rate": NaN}}', "bad_json"),
    ('{"config": {"sample_rate": 1e400}}', "bad_json"),
    ('{"config": {"sample_rate": 1' + "0" * 400 + "}}", "invalid_field"),
    ('{"config": {"sample_rate": 8000.000001}}', "invalid_field"),
    ("[" * 50_000 + "]" * 50_000, "bad_json"),
])
def test_hostile_vosk_frames_are_clear_errors(config, code):
    with pytest.raises(ProtocolError) as caught:
        parse_vosk(config)
    assert caught.value.code == code


@pytest.mark.parametrize("speakers", [
    ["budi.santoso@example.com 4532015112830366"],
    ["Budi Santoso"],
    ["\ud800x"],
    ["customer\x00"],
    [1],
])
def test_call_speakers_are_role_labels_only(speakers):
    raw = json.dumps({"type": "start", "call_id": "c", "speakers": speakers})
    with pytest.raises(ProtocolError) as caught:
        parse_call(raw, started=False)
    assert caught.value.code == "invalid_field"
    assert "4532015112830366" not in caught.value.message and "Budi" not in caught.value.message


def test_call_speakers_may_be_any_known_role():
    raw = json.dumps({"type": "start", "call_id": "c", "channels": 2, "speakers": ["ivr", "agent"]})
    assert parse_call(raw, started=False).speakers == ("ivr", "agent")


@pytest.mark.parametrize("text, expected", [
    ("a\ud800b", "a\ufffdb"),  # a lone surrogate: no encoder can write it
    ("\udfff", "\ufffd"),
    ("4532\x000151", "4532 0151"),  # NUL: PostgreSQL cannot store it
    ("a\x1bb\x7f", "a b "),
    ("line\nnext\ttab\r\n", "line\nnext\ttab\r\n"),  # kept
    ("kartu saya 😀", "kartu saya 😀"),  # a real pair is not a lone surrogate
])
def test_chat_text_is_normalised_so_that_storage_can_write_it(text, expected):
    parsed = parse_chat(json.dumps({"type": "message", "session": "s", "speaker": "agent", "text": text}))
    assert parsed.text == expected
    parsed.text.encode("utf-8")  # does not raise


@pytest.mark.parametrize("session", ["s\ud800", "s\x00", "a\u200bb\n"])
def test_ids_with_unwritable_characters_are_refused(session):
    with pytest.raises(ProtocolError) as caught:
        parse_chat(json.dumps({"type": "end", "session": session}))
    assert caught.value.code == "invalid_field"


@pytest.mark.parametrize("path, expected", [
    ("/?token=k&call_id=asterisk-7", "asterisk-7"),
    ("/vosk?token=k", None),
    ("/?call_id=caf%C3%A9", "café"),
    ("/?call_id=%ED%A0%80", "\ufffd" * 3),  # an encoded lone surrogate is not UTF-8: replaced
])
def test_vosk_call_id_from_the_query(path, expected):
    assert vosk_call_id(path) == expected


@pytest.mark.parametrize("path, code", [
    ("/?call_id=a%00b", "invalid_field"),
    ("/?call_id=" + "x" * 129, "invalid_field"),
    ("/?call_id=", "missing_field"),
    ("/?call_id=a&call_id=b", "invalid_field"),
])
def test_bad_vosk_call_ids_are_refused(path, code):
    with pytest.raises(ProtocolError) as caught:
        vosk_call_id(path)
    assert caught.value.code == code
