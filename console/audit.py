"""The audit log: append-only, hash-chained, never holding raw PII.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own fields in a
canonical JSON form, so editing, deleting or reordering any entry breaks every hash after it;
:func:`verify` finds the first break. Details hold ids, counts, entity types and reasons
(themselves scrubbed of numbers and e-mail addresses), never a transcript's text.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

import regex as re

from .db import Database

GENESIS = "0" * 64
#: console_settings row holding the hash of the last entry removed by retention (the chain's start).
ANCHOR_SETTING = "audit_anchor"
#: A run of 5+ digits (with separators; a ticket number like QA-1182 stays), an e-mail address: a person's number or address
#: typed into a free-text field (a decrypt reason, a comment) is kept out of the database.
_FREE_TEXT_PII = re.compile(r"\d(?:[\d\s.\-/]*\d){4,}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict
    client: str
    prev_hash: str
    hash: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
                "target": self.target, "detail": self.detail, "client": self.client,
                "prev_hash": self.prev_hash, "hash": self.hash}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    broken_at: int | None = None  # id of the first entry whose hash does not match
    reason: str = ""


def scrub(text: str, limit: int = 500) -> str:
    """Free text fit to store: numbers of 5+ digits and e-mail addresses masked, bounded."""
    return _FREE_TEXT_PII.sub("[masked]", text.strip())[:limit]


def entry_hash(prev_hash: str, at: str, actor: str, action: str, target: str,
               detail: Mapping[str, object], client: str) -> str:
    body = json.dumps([prev_hash, at, actor, action, target, detail, client],
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def append(self, actor: str, action: str, target: str = "", client: str = "",
               **detail: object) -> None:
        at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        detail_json = json.dumps(detail, sort_keys=True, ensure_ascii=False)
        detail = json.loads(detail_json)  # the form it is read back in
        with self.db.transaction():
            rows = self.db.rows("SELECT hash FROM console_audit ORDER BY id DESC LIMIT 1")
            prev = rows[0][0] if rows else GENESIS
            digest = entry_hash(prev, at, actor, action, target, detail, client)
            self.db.run("INSERT INTO console_audit (at, actor, action, target, detail, client, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (at, actor, action, target, detail_json, client, prev, digest))

    def entries(self, limit: int | None = None, offset: int = 0, actor: str = "",
                action: str = "") -> list[Entry]:
        where, params = _filters(actor, action)
        sql = f"SELECT id, at, actor, action, target, detail, client, prev_hash, hash FROM console_audit{where} ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [_entry(row) for row in self.db.rows(sql, params)]

    def count(self, actor: str = "", action: str = "") -> int:
        where, params = _filters(actor, action)
        return int(self.db.rows(f"SELECT COUNT(*) FROM console_audit{where}", params)[0][0])

    def chronological(self) -> Iterator[Entry]:
        last = 0
        while True:  # in pages: a long log is never all in memory
            rows = self.db.rows("SELECT id, at, actor, action, target, detail, client, prev_hash, hash"
                                " FROM console_audit WHERE id > ? ORDER BY id LIMIT 1000", (last,))
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            last = rows[-1][0]

    def verify(self) -> Verdict:
        anchor = self.db.rows("SELECT value FROM console_settings WHERE name = ?", (ANCHOR_SETTING,))
        prev, count = (anchor[0][0] if anchor else GENESIS), 0
        for entry in self.chronological():
            count += 1
            if entry.prev_hash != prev:
                return Verdict(False, count, entry.id, "does not follow the entry before it (one was removed or reordered)")
            expected = entry_hash(prev, entry.at, entry.actor, entry.action, entry.target, entry.detail, entry.client)
            if expected != entry.hash:
                return Verdict(False, count, entry.id, "its content was changed after it was written")
            prev = entry.hash
        return Verdict(True, count)

    def export_jsonl(self) -> Iterator[str]:
        for entry in self.chronological():
            yield json.dumps(entry.as_json(), ensure_ascii=False) + "\n"

    def export_csv(self) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "at", "actor", "action", "target", "detail", "client", "prev_hash", "hash"])
        for entry in self.chronological():
            writer.writerow([entry.id, entry.at, entry.actor, entry.action, entry.target,
                             json.dumps(entry.detail, sort_keys=True, ensure_ascii=False),
                             entry.client, entry.prev_hash, entry.hash])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()


def _filters(actor: str, action: str) -> tuple[str, tuple]:
    clauses, params = [], []
    if actor:
        clauses.append("actor = ?")
        params.append(actor)
    if action:
        clauses.append("action = ?")
        params.append(action)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _entry(row: tuple) -> Entry:
    entry_id, at, actor, action, target, detail, client, prev_hash, digest = row
    try:
        parsed = json.loads(detail)
    except ValueError:
        parsed = {"unparseable": detail[:80]}
    return Entry(int(entry_id), at, actor, action, target, parsed, client, prev_hash, digest)


def verify_command(db_url: str, out) -> int:
    """``redactor audit verify``: 0 when the chain holds, 1 with the first broken entry."""
    db = Database(db_url)
    try:
        verdict = AuditLog(db).verify()
    finally:
        db.close()
    if verdict.ok:
        out.write(f"audit log OK: {verdict.entries} entries, hash chain intact\n")
        return 0
    out.write(f"audit log BROKEN at entry {verdict.broken_at}: {verdict.reason}\n")
    return 1
