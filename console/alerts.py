"""Access-anomaly alerts: detected from the audit log (:mod:`console.anomaly`), kept in
``console_alerts``, audited, acknowledged by supervisors and sent to a webhook.

One row per (user, hour, kind): a later scan of the same hour updates its count and never raises
it again. Every alert raised is an ``anomaly_alert`` audit entry by ``system``; every
acknowledgement an ``alert_ack`` by the supervisor; every webhook outcome an ``alert_webhook``.

The webhook body holds no PII: the console user's name, the kind, the hour, the count, the
threshold and the baseline it departed from. It is signed as the server's call webhook is
(:mod:`telephony.webhook`: ``X-Redactor-Timestamp``, ``X-Redactor-Signature``) when a secret is
set. Delivery is at least once: a POST without an answer, or answered 5xx, 408 or 429, is tried
again after ``RETRY_DELAYS_S``; its state is in the table, so retries survive a restart.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from telephony import webhook as signing

from . import anomaly
from .audit import AuditLog
from .db import Database

logger = logging.getLogger("redactor.console")

RECENT = timedelta(days=1)  # the window judged
HISTORY = timedelta(days=30)  # the baseline learnt, before the window
RETRY_DELAYS_S = (30.0, 60.0, 120.0, 300.0, 900.0, 1800.0)  # about an hour of receiver outage
_COLUMNS = ("id, actor, hour, kind, count, threshold, usual, baseline, raised_at, acknowledged_by, acknowledged_at,"
            " delivery, attempts, last_status")


@dataclass(frozen=True)
class StoredAlert:
    id: int
    actor: str
    hour: str
    kind: str
    count: int
    threshold: float
    usual: float
    baseline: str
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    delivery: str  # "pending", "delivered", "failed", or "off" (no webhook configured)
    attempts: int
    last_status: str

    def payload(self) -> dict[str, object]:
        """The webhook body: who, what, how many, against which baseline; never a conversation."""
        return {"type": "access_anomaly", "alert_id": self.id, "user": self.actor, "kind": self.kind,
                "hour": f"{self.hour}:00Z", "count": self.count, "threshold": round(self.threshold, 1),
                "baseline": {"source": self.baseline, "usual": round(self.usual, 1)},
                "raised_at": self.raised_at.isoformat(timespec="seconds")}


class AlertWebhook:
    """POSTs an alert's payload; the receiver's HTTP status, or None when it did not answer."""

    def __init__(self, url: str, secret: str = "", retry_delays_s: Sequence[float] = RETRY_DELAYS_S,
                 timeout_s: float = 5.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("the alert webhook URL must start with https:// or http://")
        self.url, self.secret, self.timeout_s = url, secret, timeout_s
        self.retry_delays_s = tuple(retry_delays_s)

    def send(self, payload: dict[str, object]) -> int | None:
        body = json.dumps(payload, sort_keys=True).encode()
        headers = signing.headers(self.secret, body) if self.secret else {"Content-Type": "application/json"}
        return signing.post(self.url, body, headers, self.timeout_s)


class Alerts:
    def __init__(self, db: Database, audit: AuditLog, hook: AlertWebhook | None = None) -> None:
        self.db, self.audit, self.hook = db, audit, hook

    def scan(self, now: datetime | None = None) -> list[StoredAlert]:
        """Judge the last 24 h against the 30 days before; store and audit each new alert.
        Returns the alerts raised by this scan."""
        now = now or datetime.now(timezone.utc)
        since, month = (now - RECENT).isoformat(), (now - RECENT - HISTORY).isoformat()
        rows = self.db.rows("SELECT at, actor, action FROM console_audit WHERE at >= ? AND actor <> 'system'", (month,))
        history = anomaly.hour_counts(row for row in rows if row[0] < since)
        recent = anomaly.hour_counts(row for row in rows if row[0] >= since)
        raised = [stored for alert in anomaly.detect(history, recent) if (stored := self._keep(alert, now))]
        for alert in raised:
            self.audit.append("system", "anomaly_alert", f"{alert.actor}@{alert.hour}:{alert.kind}", "",
                              alert_id=alert.id, count=alert.count, threshold=round(alert.threshold, 1),
                              usual=round(alert.usual, 1), baseline=alert.baseline)
        return raised

    def _keep(self, alert: anomaly.Alert, now: datetime) -> StoredAlert | None:
        """Insert a new alert (returned), or raise the count of the one already kept (None)."""
        inserted = self.db.run(
            "INSERT INTO console_alerts (actor, hour, kind, count, threshold, usual, baseline, raised_at, delivery,"
            " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (actor, hour, kind) DO NOTHING",
            (alert.actor, alert.hour, alert.kind, alert.count, alert.threshold, alert.usual, alert.baseline,
             self.db.time(now), "pending" if self.hook else "off", self.db.time(now)))
        if not inserted:
            self.db.run("UPDATE console_alerts SET count = ? WHERE actor = ? AND hour = ? AND kind = ? AND count < ?",
                        (alert.count, alert.actor, alert.hour, alert.kind, alert.count))
            return None
        return self._select(" WHERE actor = ? AND hour = ? AND kind = ?", (alert.actor, alert.hour, alert.kind))[0]

    def recent(self, days: int = 7) -> list[StoredAlert]:
        """Open alerts first, then those acknowledged; latest first."""
        since = self.db.time(datetime.now(timezone.utc) - timedelta(days=days))
        found = self._select(" WHERE raised_at >= ? OR acknowledged_at IS NULL ORDER BY raised_at DESC, id DESC LIMIT 500",
                             (since,))
        return sorted(found, key=lambda a: a.acknowledged_by is not None)

    def get(self, alert_id: int) -> StoredAlert | None:
        found = self._select(" WHERE id = ?", (alert_id,))
        return found[0] if found else None

    def acknowledge(self, alert_id: int, username: str, client: str = "") -> StoredAlert | None:
        """Mark an open alert seen by ``username`` (audited); None when there is no such open alert."""
        changed = self.db.run("UPDATE console_alerts SET acknowledged_by = ?, acknowledged_at = ?"
                              " WHERE id = ? AND acknowledged_by IS NULL", (username, self.db.now(), alert_id))
        if not changed:
            return None
        alert = self.get(alert_id)
        assert alert is not None
        self.audit.append(username, "alert_ack", f"{alert.actor}@{alert.hour}:{alert.kind}", client, alert_id=alert_id)
        return alert

    def deliver_due(self, now: datetime | None = None) -> int:
        """POST every alert whose delivery is due; how many were delivered."""
        if self.hook is None:
            return 0
        now = now or datetime.now(timezone.utc)
        due = self._select(" WHERE delivery = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 100", (self.db.time(now),))
        delivered = 0
        for alert in due:
            status = self.hook.send(alert.payload())
            attempts = alert.attempts + 1
            shown = str(status) if status is not None else "no answer"
            if signing.delivered(status):
                outcome = "delivered"
            elif signing.worth_retrying(status) and attempts <= len(self.hook.retry_delays_s):
                outcome = "pending"
            else:
                outcome = "failed"
            later = now + timedelta(seconds=self.hook.retry_delays_s[attempts - 1]) if outcome == "pending" else None
            self.db.run("UPDATE console_alerts SET delivery = ?, attempts = ?, next_attempt_at = ?, last_status = ?"
                        " WHERE id = ?", (outcome, attempts, later and self.db.time(later), shown, alert.id))
            if outcome != "pending":
                self.audit.append("system", "alert_webhook", f"{alert.actor}@{alert.hour}:{alert.kind}", "",
                                  alert_id=alert.id, outcome=outcome, status=shown, attempts=attempts)
            if outcome == "failed":
                logger.error("alert webhook: alert %d not delivered after %d attempt(s), last: %s", alert.id, attempts, shown)
            delivered += outcome == "delivered"
        return delivered

    def _select(self, where: str, params: tuple) -> list[StoredAlert]:
        return [StoredAlert(int(i), actor, hour, kind, int(count), float(threshold), float(usual), baseline,
                            self.db.read_time(raised), ack_by, self.db.read_time(ack_at) if ack_at else None,
                            delivery, int(attempts), status)
                for i, actor, hour, kind, count, threshold, usual, baseline, raised, ack_by, ack_at, delivery, attempts, status
                in self.db.rows(f"SELECT {_COLUMNS} FROM console_alerts{where}", params)]


class Watcher:
    """The console's background work, every ``interval_s`` on its own thread: summarise new
    conversations, compute their compliance flags, scan for access anomalies, deliver alerts.
    A failing step is logged (its exception type only) and tried again next round."""

    def __init__(self, steps: Sequence[tuple[str, Callable[[], object]]], interval_s: float) -> None:
        self.steps, self.interval_s = tuple(steps), interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="console-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> None:
        for name, step in self.steps:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - the loop must outlive one bad round
                logger.error("background %s failed (%s); retrying in %.0f s", name, type(error).__name__, self.interval_s)

    def _loop(self) -> None:
        self.run_once()  # at start-up too: a backlog of flags, alerts raised while the console was down
        while not self._stop.wait(self.interval_s):
            self.run_once()
