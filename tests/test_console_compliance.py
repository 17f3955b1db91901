"""Agent-compliance flags stored per conversation over the real database (SQLite and
PostgreSQL): computed as segments arrive and by the backfill command, recomputed when a chat goes
on or the policy's rules change, never holding a value; per agent and week on the Compliance page
(an inline SVG chart), and pre-filling the scorecard's SOP items."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from console.app import Settings, create_app
from console.cli import backfill_compliance
from console.compliance import UNATTRIBUTED, ComplianceStore
from console.conversations import Conversations
from console.db import Database
from console.scorecards import DEFAULT_CHECKLIST, Scorecards, sop_prefill
from redactor.config import CompliancePolicy, RedactorConfig
from redactor.errors import ConfigError
from redactor.storage import Segment, StoredEntity, open_storage
from tests.console_data import KEY, KEY_ENV, cheap_hasher, field, seed
from tests.pg import db_url, raw_rows  # noqa: F401
from tests.test_console_app import audit_actions, logged_in


def entity(text: str, label: str) -> tuple[StoredEntity, ...]:
    start = text.index(f"<{label}>")
    return (StoredEntity(label, start, start + len(label) + 2),)


def save_sop_breach_chat(url: str, session: str = "chat-sop-1") -> None:
    with open_storage(url) as storage:
        storage.save_segment(Segment(session, "chat", 0, "agent", "Mohon berikan kode OTP Anda", ()))
        text = "ini kartu saya <CREDIT_CARD>"
        storage.save_segment(Segment(session, "chat", 1, "customer", text, entity(text, "CREDIT_CARD")))


@pytest.fixture
def db(db_url):  # noqa: F811
    opened = Database(db_url)
    yield opened
    opened.close()


def store(db: Database, tmp_path, policy: CompliancePolicy = CompliancePolicy()) -> ComplianceStore:
    return ComplianceStore(db, Conversations(db, tmp_path), policy)


def test_flags_are_stored_per_conversation_and_recomputed_when_it_goes_on(db, db_url, tmp_path):  # noqa: F811
    save_sop_breach_chat(db_url)
    flags = store(db, tmp_path)
    assert flags.for_conversation("chat-sop-1", "chat")
    stored = raw_rows(db_url, "SELECT seq, speaker, flag, detail FROM console_compliance WHERE session_id = 'chat-sop-1'")
    assert sorted(map(tuple, stored)) == [(0, "agent", "secret_request", "secret"),
                                          (1, "customer", "forbidden_channel", "CREDIT_CARD")]
    text = "Baik, kartu <CREDIT_CARD> sudah kami blokir"
    with open_storage(db_url) as storage:
        storage.save_segment(Segment("chat-sop-1", "chat", 2, "agent", text, entity(text, "CREDIT_CARD")))
    assert ("read_back", "CREDIT_CARD", 2) in {(f.kind, f.detail, f.seq) for f in flags.for_conversation("chat-sop-1", "chat")}
    state = raw_rows(db_url, "SELECT flags FROM console_compliance_state WHERE session_id = 'chat-sop-1'")
    assert state[0][0] == 3


def test_backfill_computes_existing_conversations_and_the_policy_decides_the_rules(db_url, tmp_path):  # noqa: F811
    seed(db_url, tmp_path / "data")
    save_sop_breach_chat(db_url)
    assert backfill_compliance(db_url, tmp_path, RedactorConfig()) >= 3
    rows = raw_rows(db_url, "SELECT session_id, flag, detail FROM console_compliance ORDER BY session_id, flag")
    assert ("chat-sop-1", "forbidden_channel", "CREDIT_CARD") in set(map(tuple, rows))
    # The call's customer said a card number: allowed on a call unless the policy forbids it.
    assert not any(row[0].startswith("call-") for row in rows)
    on_calls_too = RedactorConfig.from_dict({"compliance": {"forbidden_in_call": ["credit_card"]}})
    backfill_compliance(db_url, tmp_path, on_calls_too)
    rows = raw_rows(db_url, "SELECT session_id, flag, detail FROM console_compliance")
    assert any(row[0].startswith("call-") and row[1:] == ("forbidden_channel", "CREDIT_CARD") for row in rows)


def test_a_change_of_rules_recomputes_every_conversation(db, db_url, tmp_path):  # noqa: F811
    save_sop_breach_chat(db_url)
    store(db, tmp_path).for_conversation("chat-sop-1", "chat")
    relaxed = store(db, tmp_path, CompliancePolicy(forbidden_in_chat=()))
    assert {f.kind for f in relaxed.for_conversation("chat-sop-1", "chat")} == {"secret_request"}


@pytest.mark.parametrize("spec, message", [
    ({"forbidden_in_sms": ["OTP"]}, "unknown keys in 'compliance'"),
    ({"read_back": "CREDIT_CARD"}, "must be a list of entity types"),
    (["CREDIT_CARD"], "'compliance' must be a mapping"),
])
def test_bad_compliance_policies_are_refused_clearly(spec, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        RedactorConfig.from_dict({"compliance": spec})


def test_per_agent_records_follow_the_latest_scorecard_and_weeks(db, db_url, tmp_path):  # noqa: F811
    save_sop_breach_chat(db_url, "chat-a")
    save_sop_breach_chat(db_url, "chat-b")
    with open_storage(db_url) as storage:
        storage.save_segment(Segment("chat-clean", "chat", 0, "agent", "Selamat siang, ada yang bisa dibantu?", ()))
    flags = store(db, tmp_path)
    flags.conversations.refresh()
    flags.refresh()
    cards = Scorecards(db)
    cards.add("chat-a", "chat", "budi", "rina", set(), "")
    cards.add("chat-a", "chat", "dewi", "rina", set(), "")  # re-scored: dewi's now
    cards.add("chat-clean", "chat", "dewi", "rina", set(DEFAULT_CHECKLIST), "")
    records = {r.agent: r for r in flags.per_agent(datetime.now(timezone.utc) - timedelta(days=7))}
    assert set(records) == {"dewi", UNATTRIBUTED}
    dewi = records["dewi"]
    assert (dewi.conversations, dewi.flagged, dewi.totals["secret_request"], dewi.totals["forbidden_channel"]) == (2, 1, 1, 1)
    (week,) = dewi.weeks.values()
    assert week["conversations"] == 2 and week["secret_request"] == 1
    assert records[UNATTRIBUTED].conversations == 1


def test_sop_items_are_answered_by_the_flags():
    from console.compliance import Flag

    flags = [Flag("c", 3, "agent", "read_back", "CREDIT_CARD")]
    prefill = sop_prefill(list(DEFAULT_CHECKLIST) + ["Tidak meminta PIN nasabah", "Opinion given politely"], flags)
    assert prefill == {"No sensitive data read back by the agent": ["read back CREDIT_CARD in segment 4"],
                       "No forbidden request (OTP, PIN, password)": [], "Tidak meminta PIN nasabah": []}


# The console.

@pytest.fixture
def console(db_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr("console.auth._HASHER", cheap_hasher())
    monkeypatch.setenv(KEY_ENV, KEY)
    seed(db_url, tmp_path / "data")
    save_sop_breach_chat(db_url)
    app = create_app(Settings(db_url, tmp_path / "data", encryption_key_env=KEY_ENV, watch_interval_s=0))
    with TestClient(app) as client:
        client.app_state = app.state.console
        yield client


def test_scorecard_is_prefilled_from_the_stored_flags_and_an_override_is_audited(console):
    logged_in(console, "rina", {"reviewer"})
    page = console.get("/conversation?kind=chat&id=chat-sop-1").text
    assert 'class="prefill flagged">flagged: secret request secret in segment 1' in page
    read_back = re.search(r'<input type="checkbox" name="item(\d)"( checked)?><span>No sensitive data read back', page)
    secret = re.search(r'<input type="checkbox" name="item(\d)"( checked)?><span>No forbidden request', page)
    assert read_back.group(2) and not secret.group(2)  # no read-back: passes; a secret asked: fails
    form = {"kind": "chat", "id": "chat-sop-1", "agent": "dewi", "csrf": field(page, "csrf"),
            f"item{read_back.group(1)}": "on", f"item{secret.group(1)}": "on", "comment": ""}
    console.post("/conversation/score", data=form)
    entry = console.app_state.audit.entries(action="scorecard")[0]
    assert entry.detail["passed_despite_flags"] == ["No forbidden request (OTP, PIN, password)"]


def test_compliance_page_charts_flags_per_agent_for_supervisors_only(console):
    logged_in(console, "rina", {"reviewer"})
    assert console.get("/compliance").status_code == 403
    console.cookies.clear()
    logged_in(console, "sup", {"supervisor"})
    page = console.get("/compliance")
    assert page.status_code == 200
    assert 'id="agent-charts"' in page.text and page.text.count("<svg") == 1  # one agent so far: not yet scored
    assert "chat-sop-1" in page.text
    console.app_state.scorecards.add("chat-sop-1", "chat", "dewi", "sup", set(), "")
    page = console.get("/compliance").text
    assert page.count('class="chart compliance-chart"') == 2 and "<h3>dewi</h3>" in page
    assert re.search(r"<title>week of [^<]*1 secret asked, 1 forbidden channel</title>", page)
    assert ("sup", "compliance_view", "") in audit_actions(console)


def test_an_otp_read_back_on_a_call_is_stored_as_its_type(db_url, tmp_path):  # noqa: F811
    with open_storage(db_url) as storage:
        text = "Kode OTP Anda <OTP>, benar?"
        storage.save_segment(Segment("call-otp", "call", 0, "agent", text, entity(text, "OTP")))
    backfill_compliance(db_url, tmp_path, RedactorConfig())
    rows = raw_rows(db_url, "SELECT * FROM console_compliance") + raw_rows(db_url, "SELECT * FROM console_compliance_state")
    assert ("call-otp", "call", 0, "agent", "read_back", "OTP") in set(map(tuple, rows))


def test_the_background_round_stores_flags_of_new_conversations_without_a_page_view(db_url, tmp_path):  # noqa: F811
    import time

    seed(db_url, tmp_path / "data")
    app = create_app(Settings(db_url, tmp_path / "data", watch_interval_s=0.2))
    with TestClient(app):
        save_sop_breach_chat(db_url, "chat-live")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not raw_rows(
                db_url, "SELECT flag FROM console_compliance WHERE session_id = 'chat-live'"):
            time.sleep(0.1)
        rows = raw_rows(db_url, "SELECT flag, detail FROM console_compliance WHERE session_id = 'chat-live' ORDER BY flag")
        assert [tuple(row) for row in rows] == [("forbidden_channel", "CREDIT_CARD"), ("secret_request", "secret")]
