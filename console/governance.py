"""Retention and erasure as the console sees them: the retention periods an admin set (they
override the policy file's), the console's own rows of a purged or erased conversation, the
audit log's own retention, and an audit entry with counts for every purge and erasure.

Used by the console's admin pages, ``redactor storage purge``, ``redactor erase`` and the
server's background purge: one code path, whoever runs it.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from redactor.config import RedactorConfig, RetentionPolicy
from redactor.erasure import (ErasureRequest, Finder, anonymise_conversations, erase_conversations,
                              erasure_key, make_receipt)
from redactor.retention import PurgeResult, cutoff, purge
from redactor.storage import open_storage

from .audit import ANCHOR_SETTING, AuditLog
from .db import Database

RETENTION_SETTING = "retention"
RECEIPTS_SETTING_PREFIX = "erasure_receipt:"


def effective_retention(db: Database, policy: RetentionPolicy) -> RetentionPolicy:
    """The policy file's periods, overridden by those an admin set in the console."""
    rows = db.rows("SELECT value FROM console_settings WHERE name = ?", (RETENTION_SETTING,))
    if not rows:
        return policy
    return replace(policy, **{name: value for name, value in json.loads(rows[0][0]).items()})


def save_retention(db: Database, periods: Mapping[str, float | None]) -> RetentionPolicy:
    """Store the console's periods (None: the policy file's); refuses bad values (ConfigError)."""
    chosen = RetentionPolicy(**{name: value for name, value in periods.items() if value is not None})
    stored = {name: value for name, value in chosen.as_dict().items() if value is not None}
    with db.transaction():
        db.run("DELETE FROM console_settings WHERE name = ?", (RETENTION_SETTING,))
        db.run("INSERT INTO console_settings (name, value) VALUES (?, ?)", (RETENTION_SETTING, json.dumps(stored)))
    return chosen


def forget_conversations(db: Database, conversations: Sequence[tuple[str, str]]) -> int:
    """The console's rows derived from these conversations: summaries, search text, scorecards,
    compliance flags."""
    removed = 0
    for session_id, kind in conversations:
        for table in ("console_conversations", "console_scorecards", "console_compliance",
                      "console_compliance_state"):
            removed += db.run(f"DELETE FROM {table} WHERE session_id = ? AND kind = ?", (session_id, kind))
        if not db.postgres:
            removed += db.run("DELETE FROM console_text WHERE session_id = ? AND kind = ?", (session_id, kind))
    return removed


def purge_audit_log(db: Database, days: float | None, now: datetime) -> int:
    """Audit entries older than ``days``. The chain still verifies: the hash of the last
    entry removed is kept as its anchor (:data:`console.audit.ANCHOR_SETTING`), so removing
    any other entry still breaks it."""
    if days is None:
        return 0
    before = cutoff(days, now).isoformat(timespec="microseconds")
    with db.transaction():
        last = db.rows("SELECT hash FROM console_audit WHERE at < ? ORDER BY id DESC LIMIT 1", (before,))
        if not last:
            return 0
        removed = db.run("DELETE FROM console_audit WHERE at < ?", (before,))
        db.run("DELETE FROM console_settings WHERE name = ?", (ANCHOR_SETTING,))
        db.run("INSERT INTO console_settings (name, value) VALUES (?, ?)", (ANCHOR_SETTING, last[0][0]))
    return removed


def run_purge(db_url: str, config: RedactorConfig, recordings_dir: Path | None, actor: str,
              keyring: Any = None, now: datetime | None = None, audit_empty: bool = True) -> dict[str, Any]:
    """Purge what has expired, everywhere; audited with the counts (``audit_empty``: also
    when nothing had expired). Returns the counts."""
    now = now or datetime.now(timezone.utc)
    db = Database(db_url)
    try:
        policy = effective_retention(db, config.retention)
        with open_storage(db_url, keyring) as storage:
            result: PurgeResult = purge(storage, policy, recordings_dir, now)
        counts = result.as_dict()
        counts["console_rows"] = forget_conversations(db, result.conversations)
        counts["audit_entries"] = purge_audit_log(db, policy.audit_log_days, now)
        if audit_empty or result.anything or counts["console_rows"] or counts["audit_entries"]:
            AuditLog(db).append(actor, "retention_purge", "storage", **counts)
        return counts
    finally:
        db.close()


def run_erasure(db_url: str, config: RedactorConfig, request: ErasureRequest, actor: str,
                environ: Mapping[str, str], id_key: str | None = None, keyring: Any = None,
                client: str = "", anonymise: bool = False) -> dict[str, Any]:
    """Find the subject's conversations, delete them everywhere, and return the signed
    receipt; the receipt is kept (console settings) and the erasure audited with counts."""
    key = erasure_key(environ, config.erasure_key_env)  # before anything is deleted
    finder = Finder(config, environ, id_key)
    db = Database(db_url)
    try:
        with open_storage(db_url, keyring) as storage:
            conversations = finder.find(storage, request)
            counts = (anonymise_conversations if anonymise else erase_conversations)(storage, conversations)
        counts.console_rows = forget_conversations(db, conversations)
        index = finder.index() if request.kind in ("phone", "nik", "email") else None
        receipt = make_receipt(key, request, index, actor, conversations, counts,
                               action="anonymise" if anonymise else "delete")
        db.run("INSERT INTO console_settings (name, value) VALUES (?, ?)",
               (RECEIPTS_SETTING_PREFIX + receipt["receipt_id"], json.dumps(receipt)))
        AuditLog(db).append(actor, "erasure", receipt["receipt_id"], client, by=request.kind,
                            mode=receipt["request"]["action"],
                            **receipt["removed"])
        return receipt
    finally:
        db.close()

