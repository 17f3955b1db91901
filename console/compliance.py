"""Agent compliance flags computed from masked segments with speaker attribution.

Works only on masked text and entity labels, so a flag never carries a value:
- ``read_back``: an agent segment holding a full identifier placeholder (card, NIK, account, OTP);
- ``secret_request``: an agent asking for an OTP, PIN, password, or (on chat) the full card number;
- ``forbidden_channel``: a customer typing PII that the channel's policy forbids (a card in chat).

Which identifiers count as read back and which types each channel forbids come from the policy
file's ``[compliance]`` table (:class:`redactor.config.CompliancePolicy`). :class:`ComplianceStore`
keeps the flags per conversation in the database, recomputed whenever a conversation gains
segments, and sums them per agent and week for the chart.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from typing import Iterable

from redactor.config import CompliancePolicy
from redactor.storage import Segment

from .conversations import Conversations
from .db import Database

DEFAULT_POLICY = CompliancePolicy()
AGENT_SPEAKERS = frozenset({"agent", "agen", "cs"})

_ASK = r"(?:boleh|bisa|mohon|tolong|sebutkan|berikan|kasih|minta|please|can you|could you|tell me|give me|what is|what's|read me|send)"
_SECRET = r"(?:otp|kode (?:verifikasi|otp)|pin|password|kata sandi|sandi|passcode|one[- ]time)"
_SECRET_REQUEST = re.compile(rf"\b{_ASK}\b[^.?!]{{0,40}}\b{_SECRET}\b|\b{_SECRET}\b[^.?!]{{0,25}}(?:nya|anda|kamu|your)?\b[^.?!]{{0,15}}\?",
                             re.IGNORECASE)
_FULL_CARD = re.compile(r"\b(?:nomor kartu(?: kredit| debit)? (?:lengkap|lengkapnya)|full card number|"
                        r"(?:all|semua) (?:16|enam belas) (?:digit|angka))", re.IGNORECASE)

# "Never give your OTP to anyone" is the SOP warning, not a request.
_WARNING = re.compile(r"\b(?:jangan|never|do not|don't|tidak perlu|tidak pernah)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    session_id: str
    seq: int
    speaker: str
    kind: str  # read_back | secret_request | forbidden_channel
    detail: str  # an entity type or the secret asked for; never a value

    def as_json(self) -> dict[str, object]:
        return {"session_id": self.session_id, "seq": self.seq, "speaker": self.speaker,
                "kind": self.kind, "detail": self.detail}


def is_agent(speaker: str) -> bool:
    return speaker.strip().lower().split(":")[0] in AGENT_SPEAKERS


def flags(segments: Iterable[Segment], policy: CompliancePolicy = DEFAULT_POLICY) -> list[Flag]:
    found = []
    for segment in segments:
        found.extend(segment_flags(segment, policy))
    return found


def segment_flags(segment: Segment, policy: CompliancePolicy = DEFAULT_POLICY) -> list[Flag]:
    types = {entity.type for entity in segment.entities}
    flag = lambda kind, detail: Flag(segment.session_id, segment.seq, segment.speaker, kind, detail)  # noqa: E731
    if is_agent(segment.speaker):
        out = [flag("read_back", kind) for kind in sorted(types & set(policy.read_back))]
        if _SECRET_REQUEST.search(segment.text) and not _WARNING.search(segment.text):
            out.append(flag("secret_request", "secret"))
        if segment.kind == "chat" and _FULL_CARD.search(segment.text):
            out.append(flag("secret_request", "full_card_number"))
        return out
    return [flag("forbidden_channel", kind) for kind in sorted(types & policy.forbidden(segment.kind))]


FLAG_KINDS = ("read_back", "secret_request", "forbidden_channel")
FLAG_LABELS = {"read_back": "read back", "secret_request": "secret asked", "forbidden_channel": "forbidden channel"}
FLAG_COLOURS = {"read_back": "#e5484d", "secret_request": "#f76b15", "forbidden_channel": "#8e4ec6"}
#: Speakers are stored by role, never by name: a conversation is an agent's once a scorecard names them.
UNATTRIBUTED = "not yet scored"
BATCH = 2000  # conversations computed per refresh


@dataclass
class AgentRecord:
    """One agent's conversations and flags, in total and per week (Monday)."""

    agent: str
    conversations: int = 0
    flagged: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FLAG_KINDS, 0))
    weeks: dict[date, dict[str, int]] = field(default_factory=dict)  # week -> {flag kind: n, "conversations": n}

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.conversations if self.conversations else 0.0


class ComplianceStore:
    """Flags per conversation in ``console_compliance``, kept up to date from the segments.

    A conversation is (re)computed when its highest segment id differs from the one its flags were
    computed at, so a chat that goes on after a first computation is computed again, whole. When the
    policy's ``[compliance]`` rules change, every conversation is computed again."""

    def __init__(self, db: Database, conversations: Conversations, policy: CompliancePolicy = DEFAULT_POLICY) -> None:
        self.db, self.conversations, self.policy = db, conversations, policy
        self._forget_if_policy_changed()

    def refresh(self, limit: int | None = BATCH) -> int:
        """Compute the flags of new or grown conversations, the latest first, at most ``limit``
        of them (a large backlog is worked through round by round); how many were computed."""
        stale = self.db.rows(
            "SELECT c.session_id, c.kind, c.max_id, c.first_at FROM console_conversations c"
            " LEFT JOIN console_compliance_state s ON s.session_id = c.session_id AND s.kind = c.kind"
            " WHERE s.max_id IS NULL OR s.max_id <> c.max_id ORDER BY c.last_at DESC"
            + (f" LIMIT {int(limit)}" if limit else ""))
        for session_id, kind, max_id, first_at in stale:
            self._store(session_id, kind, int(max_id), first_at,
                        flags(self.conversations.segments(session_id, kind), self.policy))
        return len(stale)

    def backfill(self) -> int:
        """Every conversation computed again (existing data, or after a change of the rules)."""
        self.conversations.refresh()
        self.db.run("DELETE FROM console_compliance_state")
        return self.refresh(limit=None)

    def for_conversation(self, session_id: str, kind: str) -> list[Flag]:
        """This conversation's stored flags, computed first if it is new or grew."""
        self.conversations.refresh()
        stale = self.db.rows(
            "SELECT c.max_id, c.first_at FROM console_conversations c LEFT JOIN console_compliance_state s"
            " ON s.session_id = c.session_id AND s.kind = c.kind WHERE c.session_id = ? AND c.kind = ?"
            " AND (s.max_id IS NULL OR s.max_id <> c.max_id)", (session_id, kind))
        if stale:
            self._store(session_id, kind, int(stale[0][0]), stale[0][1],
                        flags(self.conversations.segments(session_id, kind), self.policy))
        return [Flag(session_id, int(seq), speaker, flag, detail) for seq, speaker, flag, detail in self.db.rows(
            "SELECT seq, speaker, flag, detail FROM console_compliance WHERE session_id = ? AND kind = ?"
            " ORDER BY seq, flag, detail", (session_id, kind))]

    def flagged(self, limit: int = 30) -> list[tuple[str, str, datetime, int]]:
        """The latest flagged conversations: (session id, kind, when, flags)."""
        return [(sid, kind, self.db.read_time(at), int(n)) for sid, kind, at, n in self.db.rows(
            "SELECT session_id, kind, at, flags FROM console_compliance_state WHERE flags > 0"
            f" ORDER BY at DESC, session_id LIMIT {int(limit)}")]

    def per_agent(self, since: datetime) -> list[AgentRecord]:
        """Conversations since ``since`` by agent (the one their latest scorecard names), with
        their flags per kind and per week; the unattributed ones last."""
        agents = {(sid, kind): agent for sid, kind, agent in self.db.rows(
            "SELECT session_id, kind, agent FROM console_scorecards ORDER BY created_at, id")}
        counts: dict[tuple[str, str], dict[str, int]] = {}
        for sid, kind, flag, n in self.db.rows(
                "SELECT f.session_id, f.kind, f.flag, COUNT(*) FROM console_compliance f JOIN console_compliance_state s"
                " ON s.session_id = f.session_id AND s.kind = f.kind WHERE s.at >= ? GROUP BY f.session_id, f.kind, f.flag",
                (self.db.time(since),)):
            counts.setdefault((sid, kind), {})[flag] = int(n)
        records: dict[str, AgentRecord] = {}
        for sid, kind, at in self.db.rows("SELECT session_id, kind, at FROM console_compliance_state WHERE at >= ?",
                                          (self.db.time(since),)):
            agent = agents.get((sid, kind), UNATTRIBUTED)
            record = records.setdefault(agent, AgentRecord(agent))
            moment = self.db.read_time(at).date()
            week = record.weeks.setdefault(moment - timedelta(days=moment.weekday()),
                                           dict.fromkeys((*FLAG_KINDS, "conversations"), 0))
            found = counts.get((sid, kind), {})
            record.conversations += 1
            record.flagged += bool(found)
            week["conversations"] += 1
            for flag, n in found.items():
                record.totals[flag] = record.totals.get(flag, 0) + n
                week[flag] = week.get(flag, 0) + n
        return sorted(records.values(), key=lambda r: (r.agent == UNATTRIBUTED, r.agent))

    def _store(self, session_id: str, kind: str, max_id: int, at: object, found: list[Flag]) -> None:
        unique = sorted({(f.seq, f.speaker, f.kind, f.detail) for f in found})
        with self.db.transaction():
            self.db.run("DELETE FROM console_compliance WHERE session_id = ? AND kind = ?", (session_id, kind))
            self.db.run("DELETE FROM console_compliance_state WHERE session_id = ? AND kind = ?", (session_id, kind))
            for seq, speaker, flag, detail in unique:
                self.db.run("INSERT INTO console_compliance (session_id, kind, seq, speaker, flag, detail)"
                            " VALUES (?, ?, ?, ?, ?, ?)", (session_id, kind, seq, speaker, flag, detail))
            self.db.run("INSERT INTO console_compliance_state (session_id, kind, max_id, at, flags) VALUES (?, ?, ?, ?, ?)",
                        (session_id, kind, max_id, at, len(unique)))

    def _forget_if_policy_changed(self) -> None:
        rules = json.dumps(asdict(self.policy), sort_keys=True)
        rows = self.db.rows("SELECT value FROM console_settings WHERE name = 'compliance_policy'")
        if rows and rows[0][0] == rules:
            return
        with self.db.transaction():
            self.db.run("DELETE FROM console_compliance_state")
            self.db.run("DELETE FROM console_settings WHERE name = 'compliance_policy'")
            self.db.run("INSERT INTO console_settings (name, value) VALUES ('compliance_policy', ?)", (rules,))


def weeks_back(now: datetime, count: int) -> list[date]:
    """The Mondays of the last ``count`` weeks, oldest first."""
    monday = now.date() - timedelta(days=now.weekday())
    return [monday - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def agent_chart_svg(record: AgentRecord, weeks: list[date], top: int, width: int = 560, height: int = 150) -> str:
    """One agent's flags per week as stacked bars (one colour per kind) on a y scale shared by all
    agents (``top``), with the week's conversation count under each bar. Inline SVG, no script."""
    left, right, upper, lower = 34, 8, 10, 34
    plot_w, plot_h = width - left - right, height - upper - lower
    top = max(top, 1)
    slot = plot_w / max(len(weeks), 1)
    bar = min(28.0, slot * 0.62)
    y = lambda n: upper + plot_h - n / top * plot_h  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart compliance-chart"'
             f' role="img" aria-label="compliance flags per week for {escape(record.agent)}">']
    for value in sorted({0, top // 2, top}):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" class="axis">{value}</text>')
    for index, week in enumerate(weeks):
        counts = record.weeks.get(week, {})
        x = left + index * slot + (slot - bar) / 2
        base = 0
        tip = f"week of {week:%d %b}: {counts.get('conversations', 0)} conversation(s)" + "".join(
            f", {counts.get(kind, 0)} {FLAG_LABELS[kind]}" for kind in FLAG_KINDS)
        parts.append(f'<g><title>{escape(tip)}</title>')
        if not counts.get("conversations"):
            parts.append(f'<rect x="{x:.1f}" y="{y(0) - 1:.1f}" width="{bar:.1f}" height="1" class="empty-week"/>')
        for kind in FLAG_KINDS:
            n = counts.get(kind, 0)
            if n:
                parts.append(f'<rect x="{x:.1f}" y="{y(base + n):.1f}" width="{bar:.1f}" height="{y(base) - y(base + n):.1f}"'
                             f' fill="{FLAG_COLOURS[kind]}" rx="2"/>')
                base += n
        if counts.get("conversations"):
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y(0) + 13:.1f}" text-anchor="middle" class="count">'
                         f'{counts["conversations"]}</text>')
        parts.append("</g>")
        if index % 2 == (len(weeks) - 1) % 2:  # every other week labelled, the latest always
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 4}" text-anchor="middle" class="axis">{week:%d %b}</text>')
    parts.append("</svg>")
    return "".join(parts)
