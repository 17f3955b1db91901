"""Chat sessions that move between connections and instances sharing one database: leases,
client message ids stored once, resumed seq and masked context. Storage on SQLite and (when
available) PostgreSQL; two in-process servers on one SQLite file over real sockets."""
from __future__ import annotations

import json
import time

import pytest

import server
from redactor.chat import ChatSession
from redactor.errors import StorageError
from redactor.protocol import ChatMessage, parse_chat
from redactor.storage import ChatMoved, Segment, StoredEntity
from tests.live import SENT_PII, receive_until, start_server
from tests.pg import db_url, raw_rows, storage  # noqa: F401  (fixtures)


def segment(session: str, seq: int, text: str = "baik kak", speaker: str = "agent") -> Segment:
    return Segment(session, "chat", seq, speaker, text, ())


# --- protocol ------------------------------------------------------------------------------------

def test_a_message_id_is_optional_and_validated_like_other_ids():
    frame = {"type": "message", "session": "s", "speaker": "customer", "text": "halo"}
    assert parse_chat(json.dumps(frame)) == ChatMessage("s", "customer", "halo", None)
    assert parse_chat(json.dumps({**frame, "id": "m-1"})).id == "m-1"
    for bad, code in (("", "missing_field"), (7, "missing_field"), ("x" * 129, "invalid_field"),
                      ("a\nb", "invalid_field")):
        with pytest.raises(Exception) as error:
            parse_chat(json.dumps({**frame, "id": bad}))
        assert error.value.code == code


# --- storage: leases and message ids ------------------------------------------------------------

def test_one_instance_at_a_time_holds_a_session_until_it_releases_or_its_lease_runs_out(storage):
    first = storage.claim_chat("s1", "A", 30, context=4)
    assert first is not None and first.next_seq == 0 and first.context == ()
    assert storage.claim_chat("s1", "B", 30, context=4) is None
    assert storage.claim_chat("s1", "A", 30, context=4) is not None  # its own: renewed
    storage.save_chat_message(segment("s1", 0), "A", "m-0", "{}")
    with pytest.raises(ChatMoved):  # B never got the lease: it may not write
        storage.save_chat_message(segment("s1", 1), "B", "m-1", "{}")
    storage.release_chat("s1", "A", '{"open_number": {"speaker": "customer", "entity_type": "NUMBER", "digits": 4}}')
    resumed = storage.claim_chat("s1", "B", 30, context=4)
    assert resumed is not None and resumed.next_seq == 1
    assert [s.text for s in resumed.context] == ["baik kak"]
    assert json.loads(resumed.cues)["open_number"]["digits"] == 4
    with pytest.raises(ChatMoved):  # A let go: its late write is refused, nothing stored
        storage.save_chat_message(segment("s1", 1), "A", "m-late", "{}")
    assert [s.seq for s in storage.segments("s1")] == [0]


def test_an_expired_lease_is_taken_over_and_its_renewal_keeps_it(storage):
    assert storage.claim_chat("s2", "A", 0.2, context=0) is not None
    assert storage.renew_chats("A", 0.2) == 1
    assert storage.claim_chat("s2", "B", 30, context=0) is None
    time.sleep(0.3)  # A died: no renewal
    assert storage.claim_chat("s2", "B", 30, context=0) is not None
    assert storage.renew_chats("A", 30) == 0


def test_a_message_id_is_stored_once_and_answers_with_its_segment(storage, db_url):
    storage.claim_chat("s3", "A", 30, context=0)
    stored = Segment("s3", "chat", 0, "customer", "kartu <CREDIT_CARD>", (StoredEntity("CREDIT_CARD", 6, 19),))
    storage.save_chat_message(stored, "A", "m-0", "{}")
    with pytest.raises(StorageError):  # the same id again: all or nothing, no second segment
        storage.save_chat_message(segment("s3", 1), "A", "m-0", "{}")
    assert storage.chat_reply("s3", "m-0") == stored
    assert storage.chat_reply("s3", "m-1") is None
    assert storage.chat_reply("other", "m-0") is None
    assert [s.seq for s in storage.segments("s3")] == [0]
    assert raw_rows(db_url, "SELECT message_id, seq FROM chat_message_ids") == [("m-0", 0)]


def test_two_instances_claiming_at_once_get_one_lease(storage, db_url):
    from redactor.storage import open_storage

    with open_storage(db_url) as other:
        results = [storage.claim_chat("s4", "A", 30, context=0), other.claim_chat("s4", "B", 30, context=0)]
    assert sum(r is not None for r in results) == 1


# --- the chat session resumed from masked state ----------------------------------------------------

def test_a_resumed_session_keeps_an_open_number_without_its_digits(redactor):
    """A card typed in pieces, the session moving between two pieces: the next instance gets
    the cue state (whose number, what type, how many digits), never the digits, and masks the
    rest of the card; without that state, "1283" alone would go out."""
    before = ChatSession("c", redactor, holdback_s=0)
    first = before.accept("customer", "kartu saya 4532 0151", 0.0) or before.flush()
    cues = json.loads(json.dumps(before.cues()))
    assert cues == {"open_number": {"speaker": "customer", "entity_type": "CREDIT_CARD", "digits": 8}}

    def resumed(state, context):
        session = ChatSession("c", redactor, holdback_s=0, first_seq=1, context=context, cues=state)
        return [(s.seq, s.text) for s in session.accept("customer", "1283", 0.0) or session.flush()]

    masked_turns = [(s.speaker, s.text) for s in first]
    assert masked_turns == [("customer", "kartu saya <CREDIT_CARD>")]
    assert resumed(cues, []) == [(1, "<CREDIT_CARD>")]
    assert resumed(None, masked_turns) != [(1, "1283")]  # the masked turn still cues it
    assert resumed(None, []) == [(1, "1283")]  # what a resumed session without either would do
    assert resumed({"open_number": {"speaker": 7}}, []) == [(1, "1283")]  # malformed: ignored


# --- two servers on one database -----------------------------------------------------------------

@pytest.fixture(scope="module")
def twin_servers(tmp_path_factory, redactor):
    data = tmp_path_factory.mktemp("twin-data")
    live = []
    for name in ("a", "b"):
        # One database, inside the first data directory: the end-of-suite scan reads it.
        settings = server.Settings(port=0, db=str(data / "a" / "redactor.db"), data_dir=data / name,
                                   holdback_s=0.3, session_lease_s=1.0)
        live.append(start_server(settings, redactor, None))
    yield live
    for one in live:
        one.close()


def send(ws, session: str, text: str, message_id: str | None = None, speaker: str = "customer") -> None:
    frame = {"type": "message", "session": session, "speaker": speaker, "text": text}
    ws.send(json.dumps(frame if message_id is None else {**frame, "id": message_id}))


def test_a_resent_message_id_gets_the_same_reply_and_is_stored_once(twin_servers):
    a, _ = twin_servers
    SENT_PII.add("0812 3456 7890")
    with a.connect("/v1/chat") as ws:
        send(ws, "idem-1", "nomor saya 0812 3456 7890 ya", "m-1")
        first = json.loads(ws.recv(timeout=10))
        send(ws, "idem-1", "nomor saya 0812 3456 7890 ya", "m-1")
        again = json.loads(ws.recv(timeout=10))
        send(ws, "idem-1", "terima kasih", "m-2")
        assert json.loads(ws.recv(timeout=10))["seq"] == 1
    assert first["id"] == "m-1" and "0812" not in first["text"]
    assert again == {**first, "replayed": True}
    with a.connect("/v1/chat") as ws:  # a new connection: answered from the database
        send(ws, "idem-1", "nomor saya 0812 3456 7890 ya", "m-1")
        assert json.loads(ws.recv(timeout=10)) == {**first, "replayed": True}
    assert [s.seq for s in a.app.storage.segments("idem-1")] == [0, 1]


def test_a_message_resent_while_it_is_held_back_comes_out_once(twin_servers):
    a, _ = twin_servers
    SENT_PII.add("3201 2345")
    with a.connect("/v1/chat") as ws:
        send(ws, "idem-2", "nik saya 3201 2345", "h-1")  # ends in digits: held back 0.3 s
        send(ws, "idem-2", "nik saya 3201 2345", "h-1")
        reply = json.loads(ws.recv(timeout=10))
        send(ws, "idem-2", "sudah ya", "h-2")
        assert json.loads(ws.recv(timeout=10))["id"] == "h-2"
    assert reply["id"] == "h-1" and reply["seq"] == 0 and "3201" not in reply["text"]
    assert [s.seq for s in a.app.storage.segments("idem-2")] == [0, 1]


def test_a_session_moves_to_the_other_instance_and_continues_its_seq(twin_servers):
    a, b = twin_servers
    with a.connect("/v1/chat") as on_a:
        send(on_a, "moving", "halo kak", "x-1", speaker="agent")
        assert json.loads(on_a.recv(timeout=10))["seq"] == 0
        with b.connect("/v1/chat") as on_b:  # still open on A: B waits out the lease, then refuses
            send(on_b, "moving", "ada yang bisa dibantu?", "x-2", speaker="agent")
            refused = json.loads(on_b.recv(timeout=10))
    assert refused["type"] == "error" and refused["code"] == "session_in_use"
    with b.connect("/v1/chat") as on_b:  # A's connection closed: its lease was released
        send(on_b, "moving", "halo kak", "x-1", speaker="agent")  # resent: answered, not redone
        assert json.loads(on_b.recv(timeout=10))["replayed"] is True
        send(on_b, "moving", "ada yang bisa dibantu?", "x-2", speaker="agent")
        moved = json.loads(on_b.recv(timeout=10))
        on_b.send(json.dumps({"type": "end", "session": "moving"}))
        ended = receive_until(on_b, "ended")[-1]
    assert (moved["seq"], moved["id"]) == (1, "x-2") and ended["messages"] == 2
    assert [s.seq for s in b.app.storage.segments("moving")] == [0, 1]


def test_a_session_left_by_a_dead_instance_is_taken_over_when_its_lease_runs_out(twin_servers):
    a, b = twin_servers
    # A crashed holding the session: its lease stays in the database, unrenewed.
    assert a.app.storage.claim_chat("orphan", "dead-instance", 1.0, context=4) is not None
    with b.connect("/v1/chat") as ws:
        began = time.monotonic()
        send(ws, "orphan", "halo", "o-1")
        send(ws, "orphan", "apa kabar", "o-2")  # waits behind the first: order is kept
        replies = [json.loads(ws.recv(timeout=10)) for _ in range(2)]
        waited = time.monotonic() - began
    assert [(r["type"], r["seq"], r["id"]) for r in replies] == [("redacted", 0, "o-1"), ("redacted", 1, "o-2")]
    assert 0.5 < waited < 3
