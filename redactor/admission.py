"""Admission control of the live server, with no I/O: who may open a chat session or a call,
how far recognition is behind, and which call to shed when it falls too far behind.

Policy (README, "Limits"):

* A chat session or a call needs a free slot of ``max_sessions`` (both kinds) and of its API
  key's quota; a call also needs a free slot of the call capacity and a recognition backlog
  under half of ``max_backlog_s``. Otherwise it is refused at once, with a code the client can
  act on: calls already admitted keep their pace.
* Call capacity: what the cores can recognise in real time with *this* model on *this*
  machine. Users bring their own Vosk model, and a large one costs ten times a small one, so
  the capacity is measured, not assumed: the CPU seconds that recognition, masking and the
  recording take per second of call audio (an exponentially weighted mean), and
  ``TARGET_UTILISATION`` of the cores divided by it. Until enough audio has been measured it is
  ``CALLS_PER_CORE`` per core. ``max_calls`` set by the operator fixes it instead.
* Worker processes (``--workers``): the limits and quotas are the machine's, whose cores
  every worker's threads share; each worker counts what the others hold open, in all and per
  key (``others``, read from memory they share), with its own, and ``publish``-es its own.
* A session or call id is live on one connection at a time (``session_in_use`` elsewhere):
  two writers of one session would both number their messages from the same seq.
* Backlog: for each call, the time since the server last caught up with it (waited for its
  next frame) minus the audio recognised since; the server's backlog is the largest. When it
  goes over ``max_backlog_s`` (another machine's jobs took the cores, say), the newest calls
  are shed at once, as many as the measured pace of recognition says do not fit (finalised,
  stored, told ``overloaded``), never the last one: the oldest calls, whose customers have
  waited longest, are the ones kept. The capacity then stays at what was kept, and grows back
  by one call per ``RECOVERY_S`` while the backlog stays low.
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
CALLS_PER_CORE = 4  # the guess before measuring: two cores sustained 8 with a small model
TARGET_UTILISATION = 0.75  # of the cores for calls; the rest is for chat, the event loop, the OS
MIN_MEASURED_AUDIO_S = 3.0  # audio recognised before the measured cost replaces the guess
COST_HALF_LIFE_AUDIO_S = 120.0  # the cost follows the model's recent audio, not its first call
KEEP_MARGIN = 0.8  # shed down to this share of what the measured pace says still fits
RECOVERY_S = 30.0  # after shedding, the capacity grows back one call per this many quiet seconds


def default_max_calls(cores: float | None = None) -> int:
    return max(1, round(CALLS_PER_CORE * (cores or os.cpu_count() or 1)))


def share(limit: int) -> int:
    """The default per-key quota: three quarters of a limit, so that one key never takes it
    all (raise it for a deployment with a single key)."""
    return max(1, limit * 3 // 4)


@dataclass(frozen=True)
class Limits:
    max_sessions: int = 200
    max_calls: int | None = None  # None: measured (see the module's docstring)
    max_sessions_per_key: int | None = None  # None: share(max_sessions)
    max_calls_per_key: int | None = None  # None: share(the call capacity)
    max_backlog_s: float = 2.0
    shed_cooldown_s: float = 2.0  # time for the backlog to show what the last shedding did
    cores: float = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def sessions_per_key(self) -> int:
        return self.max_sessions_per_key or share(self.max_sessions)



class RecognitionCost:
    """CPU seconds per second of call audio, weighted toward the most recent audio."""

    def __init__(self) -> None:
        self._cpu_s = self._audio_s = self.measured_audio_s = 0.0

    def add(self, cpu_s: float, audio_s: float) -> None:
        if audio_s <= 0:
            return
        decay = 0.5 ** (audio_s / COST_HALF_LIFE_AUDIO_S)
        self._cpu_s = self._cpu_s * decay + cpu_s
        self._audio_s = self._audio_s * decay + audio_s
        self.measured_audio_s += audio_s

    @property
    def per_audio_s(self) -> float | None:
        if self.measured_audio_s < MIN_MEASURED_AUDIO_S:
            return None
        return self._cpu_s / self._audio_s


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
    cpu_s: float = 0.0  # CPU seconds its audio took so far
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

    def pace(self, now: float) -> float:
        """Audio recognised per second of wall time since the server last caught up."""
        elapsed = max(now - self._caught_up_at, 1.0)  # a fraction of a second says little
        return min(1.0, (self.audio_done_s - self._done_then) / elapsed)


class Admission:
    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic,
                 others: Callable[[Kind, str | None], int] = lambda kind, key_id: 0,
                 publish: Callable[[Kind, str, int], None] = lambda kind, key_id, delta: None) -> None:
        """``others(kind, key_id)``: what the other worker processes hold open (of that key;
        None: in all); ``publish(kind, key_id, +1 or -1)`` tells them what this one opened or
        closed."""
        self.limits = limits
        self._clock = clock
        self._others, self._publish = others, publish
        self._tickets: list[Ticket] = []  # in admission order: the last call is the newest
        self._live: set[tuple[Kind, str]] = set()
        self._per_key: Counter[tuple[Kind, str]] = Counter()
        self._last_shed = float("-inf")
        self.cost = RecognitionCost()
        self._ceiling: int | None = None  # after shedding: the calls that were kept
        self._ceiling_since = 0.0

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

    @property
    def saturated(self) -> bool:
        """No room for another call: at capacity, or recognition behind."""
        return self.count_everywhere("call") >= self.call_capacity() or self.backlog_s() > self.limits.max_backlog_s / 2

    def call_capacity(self) -> int:
        """Calls recognised at once in real time (see the module's docstring)."""
        limits = self.limits
        if limits.max_calls is not None:
            capacity = limits.max_calls
        elif (cost := self.cost.per_audio_s) is None or cost <= 0:
            capacity = default_max_calls(limits.cores)
        else:
            capacity = max(1, int(limits.cores * TARGET_UTILISATION / cost))
        self._recover()
        return capacity if self._ceiling is None else min(capacity, self._ceiling)

    def calls_per_key(self) -> int:
        return self.limits.max_calls_per_key or share(self.call_capacity())

    def count_everywhere(self, kind: Kind | None = None) -> int:
        """Open here and in the other worker processes."""
        return self.count(kind) + sum(self._others(k, None) for k in ("chat", "call") if kind in (None, k))

    def _of_key(self, kind: Kind, key_id: str) -> int:
        return self._per_key[(kind, key_id)] + self._others(kind, key_id)

    def _recover(self) -> None:
        now = self._clock()
        if self._ceiling is None or now - self._ceiling_since < RECOVERY_S:
            return
        if self.backlog_s() <= self.limits.max_backlog_s / 2:
            self._ceiling += 1
        self._ceiling_since = now

    # --- admission ---------------------------------------------------------------------------

    def refusal(self, kind: Kind, key_id: str) -> ProtocolError | None:
        """Why a new session of ``kind`` would be refused now (also asked at the handshake)."""
        limits = self.limits
        if self.count_everywhere() >= limits.max_sessions:
            return ProtocolError("too_many_sessions", "the server is at its session limit; retry later")
        if kind == "call":
            if self.count_everywhere("call") >= (capacity := self.call_capacity()):
                return ProtocolError("capacity", f"the server is at its call capacity ({capacity}); retry later")
            if self.backlog_s() > limits.max_backlog_s / 2:
                return ProtocolError("capacity", "speech recognition is behind; retry later")
            if self._of_key("call", key_id) >= (quota := self.calls_per_key()):
                return ProtocolError("key_quota", f"this API key has {quota} calls open, its quota")
        elif self._of_key("chat", key_id) >= limits.sessions_per_key:
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
        self._publish(kind, key_id, 1)
        return ticket

    def release(self, ticket: Ticket) -> None:
        if ticket in self._tickets:
            self._tickets.remove(ticket)
            self._live.discard((ticket.kind, ticket.session))
            self._per_key[(ticket.kind, ticket.key_id)] -= 1
            self._publish(ticket.kind, ticket.key_id, -1)
    # --- calls' progress -----------------------------------------------------------------------

    def waiting(self, ticket: Ticket) -> None:
        """The connection waits for the client's next frame."""
        ticket.waiting(self._clock())

    def received(self, ticket: Ticket) -> None:
        ticket.received(self._clock())

    def audio_recognised(self, ticket: Ticket, total_s: float, total_cpu_s: float | None = None) -> None:
        """``total_s`` of the call's audio recognised so far, which took ``total_cpu_s``."""
        if total_cpu_s is not None:
            self.cost.add(total_cpu_s - ticket.cpu_s, total_s - ticket.audio_done_s)
            ticket.cpu_s = total_cpu_s
        ticket.audio_done_s = total_s

    def to_shed(self) -> list[Ticket]:
        """The calls to shed now, if recognition is too far behind: the newest ones, as many as
        the pace of recognition says do not fit, never the last one."""
        now = self._clock()
        calls = self.calls
        if len(calls) < 2 or now - self._last_shed < self.limits.shed_cooldown_s:
            return []
        behind = [t for t in calls if t.lag(now) > self.limits.max_backlog_s]
        if not behind:
            return []
        # Recognition keeps up with a share of the calls equal to its pace on the lagging ones.
        pace = sorted(t.pace(now) for t in behind)[len(behind) // 2]
        keep = max(1, min(len(calls) - 1, int(len(calls) * pace * KEEP_MARGIN)))
        self._last_shed = self._ceiling_since = now
        self._ceiling = keep
        return calls[keep:]
