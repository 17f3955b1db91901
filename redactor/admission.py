"""Admission control of the live server, with no I/O: who may open a chat session or a call,
how far recognition is behind, and which call to shed when it falls too far behind.

Policy (README, "Limits"):

* A chat session or a call needs a free slot of ``max_sessions`` (both kinds) and of its API
  key's quota; a call also needs a free slot of ``max_calls`` (what the cores can recognise in
  real time) and a recognition backlog under half of ``max_backlog_s``. Otherwise it is
  refused at once, with a code the client can act on: calls already admitted keep their pace.
* A session or call id is live on one connection at a time (``session_in_use`` elsewhere):
  two writers of one session would both number their messages from the same seq.
* Backlog: for each call, the time since the server last caught up with it (waited for its
  next frame) minus the audio recognised since; the server's backlog is the largest. When it stays over
  ``max_backlog_s``, the newest call is shed (finalised, stored, told ``overloaded``), one at a
  time with ``shed_cooldown_s`` between, and never the last one: the oldest calls, whose
  customers have waited longest, are the ones kept.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .errors import ProtocolError

Kind = Literal["chat", "call"]
CALLS_PER_CORE = 4  # what two cores sustained in real time with a small Vosk model (benchmarks/)


def default_max_calls(cores: int | None = None) -> int:
    return CALLS_PER_CORE * max(cores or os.cpu_count() or 1, 1)


def share(limit: int) -> int:
    """The default per-key quota: three quarters of a limit, so that one key never takes it
    all (raise it for a deployment with a single key)."""
    return max(1, limit * 3 // 4)


@dataclass(frozen=True)
class Limits:
    max_sessions: int = 200
    max_calls: int = field(default_factory=default_max_calls)
    max_sessions_per_key: int | None = None  # None: share(max_sessions)
    max_calls_per_key: int | None = None  # None: share(max_calls)
    max_backlog_s: float = 2.0
    shed_cooldown_s: float = 5.0

    @property
    def sessions_per_key(self) -> int:
        return self.max_sessions_per_key or share(self.max_sessions)

    @property
    def calls_per_key(self) -> int:
        return self.max_calls_per_key or share(self.max_calls)


IDLE_GAP_S = 0.002  # a wait for the next frame this long: none was queued, we had caught up


@dataclass(eq=False)
class Ticket:
    """One admitted chat session or call. For a call, its recognition lag: since the last time
    the server had caught up with it (it waited for the client's next frame, none queued), the
    wall-clock time passed minus the audio recognised. A client's pauses are not lag, and nor is
    a burst that is recognised faster than it came."""

    kind: Kind
    key_id: str
    session: str
    admitted_at: float
    audio_done_s: float = 0.0  # seconds of this call's audio recognised so far
    _caught_up_at: float = 0.0
    _done_then: float = 0.0
    _waiting_since: float | None = None

    def __post_init__(self) -> None:
        self._caught_up_at = self.admitted_at

    def waiting(self, now: float) -> None:
        self._waiting_since = now

    def received(self, now: float) -> None:
        if self._waiting_since is not None and now - self._waiting_since > IDLE_GAP_S:
            self._caught_up_at, self._done_then = now, self.audio_done_s
        self._waiting_since = None

    def lag(self, now: float) -> float:
        if self.kind != "call" or self._waiting_since is not None:
            return 0.0
        return max(0.0, now - self._caught_up_at - (self.audio_done_s - self._done_then))


class Admission:
    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._tickets: list[Ticket] = []  # in admission order: the last call is the newest
        self._live: set[tuple[Kind, str]] = set()
        self._per_key: Counter[tuple[Kind, str]] = Counter()
        self._last_shed = float("-inf")

    # --- counts ----------------------------------------------------------------------------

    def count(self, kind: Kind | None = None) -> int:
        return sum(kind is None or t.kind == kind for t in self._tickets)

    @property
    def calls(self) -> list[Ticket]:
        return [t for t in self._tickets if t.kind == "call"]

    def backlog_s(self) -> float:
        now = self._clock()
        return max((t.lag(now) for t in self.calls), default=0.0)

    @property
    def degraded(self) -> bool:
        return self.backlog_s() > self.limits.max_backlog_s

    # --- admission ---------------------------------------------------------------------------

    def refusal(self, kind: Kind, key_id: str) -> ProtocolError | None:
        """Why a new session of ``kind`` would be refused now (also asked at the handshake)."""
        limits = self.limits
        if self.count() >= limits.max_sessions:
            return ProtocolError("too_many_sessions", "the server is at its session limit; retry later")
        if kind == "call":
            if self.count("call") >= limits.max_calls:
                return ProtocolError("capacity", f"the server is at its call capacity ({limits.max_calls}); retry later")
            if self.backlog_s() > limits.max_backlog_s / 2:
                return ProtocolError("capacity", "speech recognition is behind; retry later")
            if self._per_key[("call", key_id)] >= limits.calls_per_key:
                return ProtocolError("key_quota", f"this API key has {limits.calls_per_key} calls open, its quota")
        elif self._per_key[("chat", key_id)] >= limits.sessions_per_key:
            return ProtocolError("key_quota", f"this API key has {limits.sessions_per_key} chat sessions open, its quota")
        return None

    def admit(self, kind: Kind, key_id: str, session: str) -> Ticket:
        """A ticket for a new chat session or call, or ProtocolError saying why not."""
        if (kind, session) in self._live:
            raise ProtocolError("session_in_use", f"this {'session' if kind == 'chat' else 'call'} is "
                                "open on another connection; end it there first")
        if refusal := self.refusal(kind, key_id):
            raise refusal
        ticket = Ticket(kind, key_id, session, self._clock())
        self._tickets.append(ticket)
        self._live.add((kind, session))
        self._per_key[(kind, key_id)] += 1
        return ticket

    def release(self, ticket: Ticket) -> None:
        if ticket in self._tickets:
            self._tickets.remove(ticket)
            self._live.discard((ticket.kind, ticket.session))
            self._per_key[(ticket.kind, ticket.key_id)] -= 1

    # --- calls' progress -----------------------------------------------------------------------

    def waiting(self, ticket: Ticket) -> None:
        """The connection waits for the client's next frame."""
        ticket.waiting(self._clock())

    def received(self, ticket: Ticket) -> None:
        ticket.received(self._clock())

    def audio_recognised(self, ticket: Ticket, total_s: float) -> None:
        ticket.audio_done_s = total_s

    def to_shed(self) -> Ticket | None:
        """The call to shed now, if recognition is too far behind: the newest, never the last."""
        now = self._clock()
        calls = self.calls
        if len(calls) < 2 or now - self._last_shed < self.limits.shed_cooldown_s:
            return None
        if max(t.lag(now) for t in calls) <= self.limits.max_backlog_s:
            return None
        self._last_shed = now
        return calls[-1]
