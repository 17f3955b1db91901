"""Access-anomaly alerts over the real database (SQLite and PostgreSQL): raised once and
audited, acknowledged and audited, POSTed to a webhook (signed, retried while the receiver
fails, no PII in the body), raised by the background watcher without anyone opening the page."""
from __future__ import annotations

import json
import re
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from console.alerts import Alerts, AlertWebhook
from console.app import Settings, create_app
from console.audit import AuditLog
from console.db import Database
from telephony import webhook as signing
from tests.console_data import KEY, KEY_ENV, RAW_NIK, cheap_hasher, field, seed
from tests.pg import db_url  # noqa: F401
from tests.test_console_app import audit_actions, logged_in

SECRET = "alert-webhook-secret-for-tests"
NOW = datetime(2026, 12, 5, 10, 30, tzinfo=timezone.utc)


class Receiver(BaseHTTPRequestHandler):
    """Answers each POST with the next status of ``script`` (then 204), keeping what came."""

    script: list[int] = []
    received: list[tuple[dict, bool]] = []  # body, signature valid

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        valid = signing.verify(SECRET, body, self.headers.get(signing.TIMESTAMP_HEADER),
                               self.headers.get(signing.SIGNATURE_HEADER))
        Receiver.received.append((json.loads(body), valid))
        self.send_response(Receiver.script.pop(0) if Receiver.script else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.script, Receiver.received = [], []
    http = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_address[1]}/alerts"
    http.shutdown()


@pytest.fixture
def db(db_url):  # noqa: F811
    opened = Database(db_url)
    yield opened
    opened.close()


def write_audit(db: Database, rows: list[tuple[datetime, str, str]]) -> None:
    """Backdated audit entries (the hash chain is not what these tests look at)."""
    for at, actor, action in rows:
        db.run("INSERT INTO console_audit (at, actor, action, target, detail, client, prev_hash, hash)"
               " VALUES (?, ?, ?, 'chat:c1', '{}', '', '', '')", (at.isoformat(timespec="microseconds"), actor, action))


def normal_month(actor: str = "rina", per_hour: int = 6) -> list[tuple[datetime, str, str]]:
    rows = []
    for day in range(2, 30):
        for hour in range(9, 17):
            start = NOW - timedelta(days=day)
            moment = start.replace(hour=hour, minute=0)
            rows += [(moment + timedelta(minutes=5 * n), actor, "view") for n in range(per_hour)]
    return rows


def burst(actor: str, action: str, count: int, hour: int = 10) -> list[tuple[datetime, str, str]]:
    moment = NOW.replace(hour=hour, minute=0)
    return [(moment + timedelta(seconds=20 * n), actor, action) for n in range(count)]


@pytest.mark.parametrize("action, count, kind", [
    ("view", 60, "views"),  # ten times her usual 6 an hour
    ("download", 12, "downloads"),
    ("decrypt", 6, "decrypts"),
    ("login_failed", 9, "failed_logins"),
])
def test_each_kind_is_raised_once_and_audited(db, action, count, kind):
    write_audit(db, normal_month() + burst("rina", action, count))
    alerts = Alerts(db, AuditLog(db))
    raised = alerts.scan(NOW)
    assert [(a.actor, a.kind, a.count) for a in raised] == [("rina", kind, count)]
    assert raised[0].baseline == "own" and raised[0].delivery == "off"
    assert alerts.scan(NOW + timedelta(minutes=5)) == []  # the next round raises nothing new
    entries = AuditLog(db).entries(action="anomaly_alert")
    assert [(e.actor, e.target) for e in entries] == [("system", f"rina@2026-12-05T10:{kind}")]
    assert entries[0].detail["alert_id"] == raised[0].id and entries[0].detail["usual"] >= 0


def test_off_hours_access_is_raised(db):
    write_audit(db, normal_month() + burst("rina", "view", 5, hour=2))
    raised = Alerts(db, AuditLog(db)).scan(NOW)
    assert [(a.kind, a.hour) for a in raised] == [("off_hours", "2026-12-05T02")]


def test_a_normal_day_raises_nothing(db):
    write_audit(db, normal_month() + burst("rina", "view", 8) + burst("rina", "download", 1, hour=11))
    assert Alerts(db, AuditLog(db)).scan(NOW) == []


def test_a_new_user_is_held_to_the_population_baseline(db):
    write_audit(db, normal_month() + burst("newbie", "view", 12) + burst("mallory", "view", 45))
    raised = Alerts(db, AuditLog(db)).scan(NOW)
    assert [(a.actor, a.kind, a.baseline) for a in raised] == [("mallory", "views", "population")]


def test_a_growing_burst_updates_its_alert_and_is_not_raised_twice(db):
    write_audit(db, normal_month() + burst("rina", "view", 60))
    alerts = Alerts(db, AuditLog(db))
    first = alerts.scan(NOW)
    write_audit(db, [(NOW.replace(minute=40), "rina", "view")] * 30)
    assert alerts.scan(NOW + timedelta(minutes=15)) == []
    assert alerts.get(first[0].id).count == 90
    assert len(AuditLog(db).entries(action="anomaly_alert")) == 1


def test_acknowledging_is_audited_once(db):
    write_audit(db, normal_month() + burst("rina", "download", 20))
    alerts = Alerts(db, AuditLog(db))
    alert = alerts.scan(NOW)[0]
    assert alerts.acknowledge(alert.id, "sup").acknowledged_by == "sup"
    assert alerts.acknowledge(alert.id, "other") is None  # already acknowledged
    acks = AuditLog(db).entries(action="alert_ack")
    assert [(e.actor, e.target, e.detail["alert_id"]) for e in acks] == [("sup", "rina@2026-12-05T10:downloads", alert.id)]


def test_webhook_gets_a_signed_body_without_pii_and_retries_until_delivered(db, receiver):
    write_audit(db, normal_month() + burst("rina", "download", 20))
    alerts = Alerts(db, AuditLog(db), AlertWebhook(receiver, SECRET, retry_delays_s=(60, 120)))
    alert = alerts.scan(NOW)[0]
    Receiver.script = [503, 500]
    assert alerts.deliver_due(NOW) == 0
    assert alerts.get(alert.id).delivery == "pending" and alerts.deliver_due(NOW + timedelta(seconds=30)) == 0
    assert alerts.deliver_due(NOW + timedelta(seconds=61)) == 0  # the second try: 500 again
    assert alerts.deliver_due(NOW + timedelta(seconds=61 + 121)) == 1
    assert alerts.deliver_due(NOW + timedelta(hours=2)) == 0  # delivered: never sent again
    stored = alerts.get(alert.id)
    assert (stored.delivery, stored.attempts, stored.last_status) == ("delivered", 3, "204")
    bodies = [body for body, _ in Receiver.received]
    assert len(bodies) == 3 and all(valid for _, valid in Receiver.received) and bodies[0] == bodies[2]
    assert bodies[0] == {"type": "access_anomaly", "alert_id": alert.id, "user": "rina", "kind": "downloads",
                         "hour": "2026-12-05T10:00Z", "count": 20, "threshold": 5.0,
                         "baseline": {"source": "own", "usual": 0.0}, "raised_at": bodies[0]["raised_at"]}
    outcome = AuditLog(db).entries(action="alert_webhook")
    assert [(e.detail["outcome"], e.detail["attempts"]) for e in outcome] == [("delivered", 3)]


def test_webhook_gives_up_on_a_refusal_and_after_the_last_retry(db, receiver):
    write_audit(db, normal_month() + burst("rina", "download", 20) + burst("rina", "decrypt", 9, hour=11))
    alerts = Alerts(db, AuditLog(db), AlertWebhook(receiver, SECRET, retry_delays_s=(1,)))
    first, second = alerts.scan(NOW)
    Receiver.script = [400, 503, 503]
    alerts.deliver_due(NOW)
    alerts.deliver_due(NOW + timedelta(seconds=2))
    assert alerts.deliver_due(NOW + timedelta(seconds=4)) == 0
    assert (alerts.get(first.id).delivery, alerts.get(first.id).attempts) == ("failed", 1)  # 400: no retry
    assert (alerts.get(second.id).delivery, alerts.get(second.id).attempts) == ("failed", 2)
    assert len(Receiver.received) == 3
    assert {e.detail["outcome"] for e in AuditLog(db).entries(action="alert_webhook")} == {"failed"}


def test_an_unreachable_webhook_is_retried_not_lost(db):
    write_audit(db, normal_month() + burst("rina", "download", 20))
    alerts = Alerts(db, AuditLog(db), AlertWebhook("http://127.0.0.1:9/nowhere", retry_delays_s=(5,), timeout_s=1))
    alert = alerts.scan(NOW)[0]
    alerts.deliver_due(NOW)
    stored = alerts.get(alert.id)
    assert (stored.delivery, stored.last_status) == ("pending", "no answer")


# The console: the page, acknowledging, and the background watcher.

@pytest.fixture
def console_app(db_url, tmp_path, monkeypatch, receiver):  # noqa: F811
    monkeypatch.setattr("console.auth._HASHER", cheap_hasher())
    monkeypatch.setenv(KEY_ENV, KEY)
    seed(db_url, tmp_path / "data")

    def make(**settings):
        app = create_app(Settings(db_url, tmp_path / "data", encryption_key_env=KEY_ENV, **settings))
        client = TestClient(app)
        client.app_state = app.state.console
        return client

    return make


def test_supervisor_sees_and_acknowledges_an_alert_and_both_are_audited(console_app):
    with console_app(watch_interval_s=0) as client:
        for n in range(40):
            client.app_state.audit.append("mallory", "download", f"chat:c{n}")
        logged_in(client, "sup", {"supervisor"})
        page = client.get("/alerts").text
        alert_id = int(re.search(r'id="ack-(\d+)"', page).group(1))
        assert "downloads" in page and ">new</span>" in page and "How alerts are raised" in page
        assert client.post("/alerts/ack", data={"alert": alert_id, "csrf": field(page, "csrf")}).status_code == 200
        after = client.get("/alerts").text
        assert "seen by sup" in after and f'id="ack-{alert_id}"' not in after
        again = client.post("/alerts/ack", data={"alert": alert_id, "csrf": field(after, "csrf")})
        assert again.status_code == 404
        actions = audit_actions(client)
        assert [a[1] for a in actions].count("anomaly_alert") == 1
        assert ("sup", "alert_ack", actions[[a[1] for a in actions].index("anomaly_alert")][2]) in actions


def test_a_reviewer_cannot_acknowledge(console_app):
    with console_app(watch_interval_s=0) as client:
        logged_in(client, "rina", {"reviewer"})
        response = client.post("/alerts/ack", data={"alert": 1, "csrf": field(client.get("/account").text, "csrf")})
        assert response.status_code == 403


def test_the_watcher_raises_and_delivers_without_anyone_opening_the_page(console_app, receiver, db_url):  # noqa: F811
    db = Database(db_url)
    for n in range(30):  # all in before the console starts: the first round sees the whole burst
        AuditLog(db).append("mallory", "decrypt", f"call:c{n}")
    db.close()
    with console_app(watch_interval_s=0.2, alert_webhook=receiver, alert_webhook_secret=SECRET) as client:
        deadline = time.monotonic() + 20
        while not Receiver.received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert Receiver.received, "the watcher sent nothing"
        body, valid = Receiver.received[0]
        assert valid and (body["user"], body["kind"], body["count"]) == ("mallory", "decrypts", 30)
        assert RAW_NIK not in json.dumps(body)
        deadline = time.monotonic() + 10
        while not client.app_state.audit.entries(action="alert_webhook") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.app_state.audit.entries(action="alert_webhook")[0].detail["outcome"] == "delivered"
        assert not client.app_state.audit.entries(action="alerts_view")  # nobody opened the page


def test_the_console_refuses_a_webhook_that_is_not_http(tmp_path: Path):
    from console.cli import main

    assert main(["--db", str(tmp_path / "r.db"), "--alert-webhook", "file:///etc/passwd"]) == 2
