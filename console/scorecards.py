"""QA scorecards: a conversation scored against the checklist, and scores per agent over time."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from html import escape

from .audit import scrub
from .compliance import Flag
from .db import Database

#: A contact centre's SOP, the default checklist (admins change it under Settings).
DEFAULT_CHECKLIST = (
    "Greeting: agent introduced themselves and the company",
    "Identity verified as the policy requires",
    "No sensitive data read back by the agent",
    "No forbidden request (OTP, PIN, password)",
    "Correct closing",
)
#: The checklist items a compliance flag answers, found by words in the item (an admin's own
#: wording in English or Indonesian still matches); the first kind that matches wins.
SOP_FLAG_WORDS = {
    "read_back": ("read back", "read-back", "dibacakan", "membacakan", "baca ulang", "sebut ulang"),
    "secret_request": ("forbidden request", "otp", "pin", "password", "kata sandi", "meminta rahasia"),
    "forbidden_channel": ("forbidden channel", "channel", "kanal"),
}
_PALETTE = ("#5b6fd6", "#e5484d", "#30a46c", "#f76b15", "#8e4ec6", "#0091ff", "#ad7f58", "#d6409f")


@dataclass(frozen=True)
class Scorecard:
    id: int
    session_id: str
    kind: str
    agent: str
    reviewer: str
    answers: dict[str, bool]
    score: float  # percent of items passed
    comment: str
    created_at: datetime


class Scorecards:
    def __init__(self, db: Database) -> None:
        self.db = db

    def checklist(self) -> list[str]:
        rows = self.db.rows("SELECT value FROM console_settings WHERE name = 'checklist'")
        return json.loads(rows[0][0]) if rows else list(DEFAULT_CHECKLIST)

    def set_checklist(self, items: list[str]) -> list[str]:
        items = [item.strip()[:200] for item in items if item.strip()][:30]
        if not items:
            raise ValueError("a checklist needs at least one item")
        value = json.dumps(items, ensure_ascii=False)
        with self.db.transaction():
            self.db.run("DELETE FROM console_settings WHERE name = 'checklist'")
            self.db.run("INSERT INTO console_settings (name, value) VALUES ('checklist', ?)", (value,))
        return items

    def add(self, session_id: str, kind: str, agent: str, reviewer: str, passed: set[str], comment: str) -> Scorecard:
        items = self.checklist()
        answers = {item: item in passed for item in items}
        score = round(100 * sum(answers.values()) / len(items), 1)
        now = self.db.now()
        self.db.run("INSERT INTO console_scorecards (session_id, kind, agent, reviewer, answers, score, comment, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (session_id, kind, agent[:100], reviewer, json.dumps(answers, ensure_ascii=False), score,
                     scrub(comment, 2000), now))
        return self.for_conversation(session_id, kind)[-1]

    def for_conversation(self, session_id: str, kind: str) -> list[Scorecard]:
        return self._select(" WHERE session_id = ? AND kind = ?", (session_id, kind))

    def all(self, reviewer: str | None = None) -> list[Scorecard]:
        return self._select(" WHERE reviewer = ?", (reviewer,)) if reviewer else self._select("", ())

    def _select(self, where: str, params: tuple) -> list[Scorecard]:
        rows = self.db.rows("SELECT id, session_id, kind, agent, reviewer, answers, score, comment, created_at"
                            f" FROM console_scorecards{where} ORDER BY created_at, id", params)
        return [Scorecard(int(i), sid, kind, agent, reviewer, json.loads(answers), float(score), comment,
                          self.db.read_time(created))
                for i, sid, kind, agent, reviewer, answers, score, comment, created in rows]


def sop_prefill(checklist: list[str], flags: list[Flag]) -> dict[str, list[str]]:
    """For each checklist item that a compliance flag kind answers, why it fails (the stored
    flags, as "read back CREDIT_CARD in segment 4"); an empty list: no flag, it passes."""
    answered = {}
    for item in checklist:
        text = item.lower()
        kind = next((kind for kind, words in SOP_FLAG_WORDS.items()
                     if any(re.search(rf"\b{re.escape(word)}\b", text) for word in words)), None)
        if kind:
            answered[item] = [f"{f.kind.replace('_', ' ')} {f.detail} in segment {f.seq + 1}" for f in flags if f.kind == kind]
    return answered


def chart_svg(cards: list[Scorecard], width: int = 760, height: int = 260) -> str:
    """Score (0-100) per agent over time: one coloured line and legend entry per agent."""
    if not cards:
        return ""
    left, right, top, bottom = 40, 160, 12, 28
    first = min(c.created_at for c in cards).timestamp()
    span = max(max(c.created_at for c in cards).timestamp() - first, 1.0)
    x = lambda moment: left + (moment.timestamp() - first) / span * (width - left - right)  # noqa: E731
    y = lambda score: top + (100 - score) / 100 * (height - top - bottom)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img"'
             ' aria-label="scores per agent over time">']
    for score in (0, 50, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(score)}" y2="{y(score)}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y(score) + 4}" text-anchor="end" class="axis">{score}</text>')
    agents = sorted({c.agent for c in cards})
    for index, agent in enumerate(agents):
        colour = _PALETTE[index % len(_PALETTE)]
        points = [(x(c.created_at), y(c.score), c) for c in cards if c.agent == agent]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                     + " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points) + '"/>')
        for px, py, card in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"><title>{escape(agent)}:'
                         f' {card.score:g}% on {card.created_at:%Y-%m-%d %H:%M}</title></circle>')
        legend_y = top + 8 + index * 20
        parts.append(f'<rect x="{width - right + 16}" y="{legend_y - 9}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{width - right + 34}" y="{legend_y + 1}" class="legend">{escape(agent[:18])}</text>')
    start, end = min(c.created_at for c in cards), max(c.created_at for c in cards)
    parts.append(f'<text x="{left}" y="{height - 8}" class="axis">{start:%Y-%m-%d}</text>'
                 f'<text x="{width - right}" y="{height - 8}" text-anchor="end" class="axis">{end:%Y-%m-%d}</text></svg>')
    return "".join(parts)
