"""/v1/chat end to end over real sockets (the live server holds messages back 0.5 s)."""
from __future__ import annotations

import json
import re
import time

import pytest
from websockets.exceptions import InvalidStatus

from tests.live import SENT_PII, receive_until
from tests.test_server_call import wait_for


def message(session: str, text: str, speaker: str = "customer") -> str:
    SENT_PII.update(re.findall(r"\d[\d ]{6,}\d", text))  # numbers as typed, for the final scan
    return json.dumps({"type": "message", "session": session, "speaker": speaker, "text": text})


def end(session: str) -> str:
    return json.dumps({"type": "end", "session": session})


def redacted(ws, count: int, timeout: float = 10) -> list[dict]:
    replies = [json.loads(ws.recv(timeout=timeout)) for _ in range(count)]
    assert all(r["type"] == "redacted" for r in replies), replies
    return replies


def test_card_number_typed_in_two_messages_is_caught(live_server):
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-card", "kartu saya 4532 0151"))
        ws.send(message("chat-card", "1283 0366"))
        replies = redacted(ws, 2)
        ws.send(end("chat-card"))
        assert receive_until(ws, "ended")[-1] == {"type": "ended", "session": "chat-card", "messages": 2}
    assert [(r["seq"], r["text"]) for r in replies] == [
        (0, "kartu saya <CREDIT_CARD>"), (1, "<CREDIT_CARD>")]
    assert replies[0]["entities"] == [{"type": "CREDIT_CARD", "start": 11, "end": 24}]
    stored = live_server.app.storage.segments("chat-card")
    assert [(s.seq, s.speaker, s.text) for s in stored] == [
        (r["seq"], r["speaker"], r["text"]) for r in replies]


def test_nik_typed_in_two_bursts_is_caught(live_server):
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-nik", "Boleh NIK-nya bu?", speaker="agent"))
        ws.send(message("chat-nik", "3174 0552"))
        ws.send(message("chat-nik", "0390 0002"))
        texts = [r["text"] for r in redacted(ws, 3)]
    assert texts == ["Boleh NIK-nya bu?", "<ID_NIK>", "<ID_NIK>"]


def test_a_held_message_goes_out_after_the_delay_alone(live_server):
    with live_server.connect("/v1/chat") as ws:
        sent = time.monotonic()
        ws.send(message("chat-delay", "nomor hp saya 0812 3456 7890"))
        [reply] = redacted(ws, 1)
        waited = time.monotonic() - sent
    assert reply["text"] == "nomor hp saya <PHONE_NUMBER>"
    assert waited >= 0.5  # held for the configured delay: it could have gone on


def test_order_is_kept_and_nothing_dropped_across_sessions(live_server):
    lines = ["halo", "kartu 4532", "0151 1283 0366", "oke", "nik 3174055203900002", "makasih"]
    with live_server.connect("/v1/chat") as ws:
        for text in lines:
            for session in ("chat-a", "chat-b"):
                ws.send(message(session, text))
        for session in ("chat-a", "chat-b"):
            ws.send(end(session))
        replies = []
        while len([r for r in replies if r["type"] == "ended"]) < 2:
            replies.append(json.loads(ws.recv(timeout=10)))
    for session in ("chat-a", "chat-b"):
        mine = [r for r in replies if r.get("session") == session and r["type"] == "redacted"]
        assert [r["seq"] for r in mine] == list(range(len(lines)))
        assert [r["text"] for r in mine] == [
            "halo", "kartu <CREDIT_CARD>", "<CREDIT_CARD>", "oke", "nik <ID_NIK>", "makasih"]


@pytest.mark.parametrize("frame, code", [
    ("{not json", "bad_json"),
    (json.dumps({"type": "typing", "session": "x"}), "unknown_type"),
    (json.dumps({"type": "message", "session": "x", "speaker": "bot", "text": "hi"}), "invalid_field"),
    (b"\x00\x01binary", "unexpected_binary"),
])
def test_bad_chat_frames_get_an_error_and_the_session_goes_on(live_server, frame, code):
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-errors", "halo"))
        ws.send(frame)
        ws.send(message("chat-errors", "masih di sini"))
        replies = [json.loads(ws.recv(timeout=10)) for _ in range(3)]
    assert [r["type"] for r in replies] == ["redacted", "error", "redacted"]
    assert replies[1]["code"] == code and replies[1]["message"]


def test_ending_a_session_that_never_wrote_is_fine(live_server):
    with live_server.connect("/v1/chat") as ws:
        ws.send(end("chat-silent"))
        assert json.loads(ws.recv(timeout=10)) == {"type": "ended", "session": "chat-silent", "messages": 0}


def test_a_reconnected_session_continues_its_numbering(live_server):
    for text in ("pertama", "kedua"):
        with live_server.connect("/v1/chat") as ws:
            ws.send(message("chat-resumed", text))
            redacted(ws, 1)
    assert [s.seq for s in live_server.app.storage.segments("chat-resumed")] == [0, 1]


def test_disconnect_with_a_message_held_back_loses_nothing(live_server):
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-dropped", "halo"))
        redacted(ws, 1)
        ws.send(message("chat-dropped", "kartu saya 4532 0151 1283 0366 dan 5500"))
    stored = wait_for(lambda: len(live_server.app.storage.segments("chat-dropped")) == 2
                      and live_server.app.storage.segments("chat-dropped"))
    assert [s.text for s in stored] == ["halo", "kartu saya <CREDIT_CARD> dan <NUMBER>"]


def test_too_many_sessions_is_refused_and_the_others_keep_working(live_server):
    wait_for(lambda: live_server.app.active == 0)
    limit = live_server.app.settings.max_sessions
    with live_server.connect("/v1/chat") as ws:
        for i in range(limit):
            ws.send(message(f"chat-many-{i}", "halo"))
        redacted(ws, limit)
        ws.send(message("chat-one-too-many", "halo"))
        error = json.loads(ws.recv(timeout=10))
        assert error["type"] == "error" and error["code"] == "too_many_sessions"
        ws.send(message("chat-many-0", "masih bisa"))
        assert redacted(ws, 1)[0]["seq"] == 1
        with pytest.raises(InvalidStatus) as refused:  # a new connection: 503 at the handshake
            with live_server.connect("/v1/chat"):
                pass
        assert refused.value.response.status_code == 503
        ws.send(end("chat-many-0"))
        receive_until(ws, "ended")
        ws.send(message("chat-now-fits", "halo"))
        assert redacted(ws, 1)[0]["session"] == "chat-now-fits"


def test_detection_failure_is_emitted_and_stored_fully_masked(live_server, monkeypatch):
    from redactor.errors import DetectionError

    def fail(*args, **kwargs):
        raise DetectionError("analysis exceeded its time budget")

    monkeypatch.setattr(live_server.app.redactor, "analyze", fail)
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-failed", "nama saya Budi, kartu 4532015112830366 ya"))
        [reply] = redacted(ws, 1)
    assert reply["text"] == "<REDACTED>" and reply["entities"][0]["type"] == "REDACTED"
    [stored] = live_server.app.storage.segments("chat-failed")
    assert stored.failed and stored.text == "<REDACTED>"


def test_chat_is_analysed_on_the_one_chat_thread_never_on_the_recognition_pool(live_server, monkeypatch):
    import threading

    analyse = live_server.app.redactor.analyze
    threads = []

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return analyse(*args, **kwargs)

    monkeypatch.setattr(live_server.app.redactor, "analyze", recorded)
    with live_server.connect("/v1/chat") as ws:
        for i in range(3):
            ws.send(message(f"chat-thread-{i}", "halo kak, mau tanya"))
        redacted(ws, 3)
    assert len(threads) >= 3 and set(threads) == {"redactor-chat_0"}


def test_database_failure_still_answers_masked_and_says_it_was_not_stored(live_server, monkeypatch):
    from redactor.errors import StorageError

    def broken(*args):
        raise StorageError("save chat message failed (OperationalError)")

    monkeypatch.setattr(live_server.app.storage, "save_chat_message", broken)
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-db-down", "kartu 4532015112830366 ya"))
        reply, error = json.loads(ws.recv(timeout=10)), json.loads(ws.recv(timeout=10))
        monkeypatch.undo()
        ws.send(message("chat-db-down", "sudah pulih"))
        assert redacted(ws, 1)[0]["text"] == "sudah pulih"
    assert reply["text"] == "kartu <CREDIT_CARD> ya"
    assert error["code"] == "storage_failed" and "4532" not in error["message"]
    assert [s.text for s in live_server.app.storage.segments("chat-db-down")] == ["sudah pulih"]


CARD = "4532015112830367"  # one digit off: Luhn fails, still a card


def pieces(digits: str, count: int) -> list[str]:
    cuts = [round(i * len(digits) / count) for i in range(count + 1)]
    return [digits[cuts[i]:cuts[i + 1]] for i in range(count)]


@pytest.mark.parametrize("counts", [range(2, 8), range(8, 13)])  # the server takes 8 sessions
def test_numbers_in_2_to_12_pieces_with_pauses_longer_than_the_holdback(live_server, counts):
    """Every piece goes out on its own (the 0.5 s hold-back runs out between pieces), the agent
    backchannels in between, and not one digit of the number leaves the server or is stored."""
    wait_for(lambda: live_server.app.active == 0)
    SENT_PII.add(CARD)
    sessions = {count: pieces(CARD, count) for count in counts}
    SENT_PII.update(p for parts in sessions.values() for p in parts if len(p) >= 5)
    with live_server.connect("/v1/chat") as ws:
        for step in range(max(counts)):
            for count, parts in sessions.items():
                if step < count:
                    text = ("kartu saya " if step == 0 else "") + parts[step]
                    ws.send(message(f"chat-pieces-{count}", text))
                    if step % 3 == 1:
                        ws.send(message(f"chat-pieces-{count}", "iya kak, lanjut", speaker="agent"))
            time.sleep(0.7)
        for count in sessions:
            ws.send(end(f"chat-pieces-{count}"))
        replies = []
        while len([r for r in replies if r["type"] == "ended"]) < len(sessions):
            replies.append(json.loads(ws.recv(timeout=20)))
    for count in sessions:
        sent = [r["text"] for r in replies if r.get("session") == f"chat-pieces-{count}"
                and r["type"] == "redacted"]
        stored = [s.text for s in live_server.app.storage.segments(f"chat-pieces-{count}")]
        assert stored == sent and len([t for t in sent if "iya" not in t]) == count
        assert not any(re.search(r"\d", text) for text in sent), sent


@pytest.mark.parametrize("text, masked", [
    ("my card is 4532 0151 1283 0367", "my card is <CREDIT_CARD>"),
    ("nik saya 3171019901900003", "nik saya <ID_NIK>"),
    ("kode OTP nya 858761", "kode OTP nya <OTP>"),
    ("password saya Rahasia123!", "password saya <PASSWORD>"),
    ("my ssn is 123-45-6789", "my ssn is <US_SSN>"),
])
def test_invalid_numbers_and_secrets_are_masked_over_the_wire(live_server, text, masked):
    SENT_PII.update({"Rahasia123!", "858761", "123-45-6789"} & set(text.split()))
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-secrets", text))
        ws.send(end("chat-secrets"))
        replies = receive_until(ws, "ended")
    assert [r["text"] for r in replies if r["type"] == "redacted"] == [masked]


@pytest.mark.parametrize("messages, expected", [
    ([("agent", "silakan sebutkan kode OTP yang masuk"), ("customer", "kode verifikasi saya 994"),
      ("agent", "baik"), ("customer", "494")],
     ["silakan sebutkan kode OTP yang masuk", "kode verifikasi saya <NUMBER>", "baik", "<OTP>"]),
    ([("agent", "boleh nomor resinya kak?"), ("customer", "0047118899031")],
     ["boleh nomor resinya kak?", "0047118899031"]),
    ([("customer", "no order saya"), ("customer", "240512345678")],
     ["no order saya", "240512345678"]),
])
def test_cued_pieces_are_masked_and_allow_cued_numbers_stay_readable_over_the_wire(
        live_server, messages, expected):
    """Each message after the hold-back of the one before ran out: the cue is in an earlier message.
    The reference numbers are meant to be stored readable, so they are not registered as PII."""
    session = f"chat-cues-{len(expected)}-{expected[-1][:3]}"
    with live_server.connect("/v1/chat") as ws:
        for speaker, text in messages:
            ws.send(json.dumps({"type": "message", "session": session, "speaker": speaker, "text": text}))
            time.sleep(0.7)
        ws.send(end(session))
        replies = receive_until(ws, "ended")
    assert [r["text"] for r in replies if r["type"] == "redacted"] == expected
    assert [s.text for s in live_server.app.storage.segments(session)] == expected
