"""The server on PostgreSQL (``--db postgresql://...``): the same endpoints, stored the same way.
Runs when REDACTOR_TEST_POSTGRES is set (``.ci/run`` starts a throwaway server)."""
from __future__ import annotations

import json

import psycopg

import server
from tests.live import SENT_PII, start_server
from tests.speech import words_heard
from tests.pg import POSTGRES_URL, fresh_postgres_schema, needs_postgres
from tests.test_server_call import stream_call

pytestmark = needs_postgres


def test_chat_and_call_are_stored_masked_in_postgresql(tmp_path, korean_call, speech_model):
    from redactor import Redactor, RedactorConfig

    speech, terms = korean_call
    config = RedactorConfig.from_dict({"entities": {"EMPLOYEE_NAME": {"deny_list": list(terms)}}})
    redactor = Redactor(config)
    with fresh_postgres_schema(POSTGRES_URL) as url:
        settings = server.Settings(port=0, db=url, data_dir=tmp_path)
        live = start_server(settings, redactor, speech_model)
        try:
            SENT_PII.add("4532 0151")
            with live.connect("/v1/chat") as ws:
                for text in ("kartu saya 4532 0151", "1283 0366"):
                    ws.send(json.dumps({"type": "message", "session": "pg-chat",
                                        "speaker": "customer", "text": text}))
                replies = [json.loads(ws.recv(timeout=10))["text"] for _ in range(2)]
            messages = stream_call(live, "pg-call", speech.pcm, encoding="pcm_s16le")
            storage = live.app.storage
            assert [s.text for s in storage.segments("pg-chat")] == replies
            assert replies == ["kartu saya <CREDIT_CARD>", "<CREDIT_CARD>"]
            finals = [m["text"] for m in messages if m["type"] == "final"]
            assert [s.text for s in storage.segments("pg-call")] == finals
            assert storage.recording("pg-call").channels == 1
            with psycopg.connect(url) as db:
                rows = str(db.execute("SELECT text, entities, speaker FROM segments").fetchall())
            assert "4532 0151" not in rows and "1283 0366" not in rows
            assert not words_heard(rows, terms)
        finally:
            live.stop()
            live.app.close()
