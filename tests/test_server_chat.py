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


def test_database_failure_still_answers_masked_and_says_it_was_not_stored(live_server, monkeypatch):
    from redactor.errors import StorageError

    def broken(segment):
        raise StorageError("save segment failed (OperationalError)")

    monkeypatch.setattr(live_server.app.storage, "save_segment", broken)
    with live_server.connect("/v1/chat") as ws:
        ws.send(message("chat-db-down", "kartu 4532015112830366 ya"))
        reply, error = json.loads(ws.recv(timeout=10)), json.loads(ws.recv(timeout=10))
        monkeypatch.undo()
        ws.send(message("chat-db-down", "sudah pulih"))
        assert redacted(ws, 1)[0]["text"] == "sudah pulih"
    assert reply["text"] == "kartu <CREDIT_CARD> ya"
    assert error["code"] == "storage_failed" and "4532" not in error["message"]
    assert [s.text for s in live_server.app.storage.segments("chat-db-down")] == ["sudah pulih"]
