"""Admission control without sockets: limits, quotas, the recognition backlog and shedding."""
from __future__ import annotations

import pytest

from redactor.admission import Admission, Limits, default_max_calls
from redactor.errors import ProtocolError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def admission(**limits) -> tuple[Admission, Clock]:
    clock = Clock()
    return Admission(Limits(**{"max_calls": 3, **limits}), clock), clock


def refused(admit, code: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        admit()
    assert caught.value.code == code


def test_default_capacity_follows_the_cores():
    assert default_max_calls(2) == 8 and default_max_calls(8) == 32


def test_limits_quotas_and_one_live_connection_per_session():
    gate, _ = admission(max_sessions=5, max_calls_per_key=2, max_sessions_per_key=2)
    gate.admit("call", "k1", "c1"), gate.admit("call", "k1", "c2")
    refused(lambda: gate.admit("call", "k1", "c3"), "key_quota")
    third = gate.admit("call", "k2", "c3")
    refused(lambda: gate.admit("call", "k2", "c4"), "capacity")
    refused(lambda: gate.admit("call", "k2", "c1"), "session_in_use")
    gate.admit("chat", "k1", "s1"), gate.admit("chat", "k1", "s2")
    refused(lambda: gate.admit("chat", "k1", "s3"), "too_many_sessions")
    gate.release(third)
    gate.release(third)  # twice is harmless
    assert gate.count("call") == 2 and gate.admit("call", "k2", "c4")


def test_backlog_is_time_behind_since_the_server_last_caught_up():
    gate, clock = admission()
    call = gate.admit("call", "k", "c")
    gate.waiting(call)
    clock.now += 0.02
    gate.received(call)  # the server waited for this frame: it had caught up
    clock.now += 3.0  # busy for 3 s, frames queued behind, nothing recognised yet
    assert gate.backlog_s() == pytest.approx(3.0)
    gate.audio_recognised(call, 2.5)
    gate.waiting(call)
    gate.received(call)  # the next frame was already queued: still behind
    assert gate.backlog_s() == pytest.approx(0.5)
    gate.waiting(call)
    clock.now += 60  # the client paused: while we wait for it, nothing is behind
    assert gate.backlog_s() == 0.0
    gate.received(call)
    clock.now += 0.2
    assert gate.backlog_s() == pytest.approx(0.2)  # counted from the wait, not from the start


def test_a_burst_recognised_faster_than_it_came_is_no_backlog():
    gate, clock = admission()
    call = gate.admit("call", "k", "c")
    clock.now += 1.0
    gate.audio_recognised(call, 5.0)  # 5 s of uploaded audio in 1 s
    assert gate.backlog_s() == 0.0


def test_the_newest_call_is_shed_one_at_a_time_and_never_the_last():
    gate, clock = admission(max_calls=4, max_calls_per_key=4, max_backlog_s=2.0, shed_cooldown_s=5.0)
    calls = [gate.admit("call", "k", f"c{i}") for i in range(3)]
    assert gate.to_shed() is None
    clock.now += 1.5  # over half the limit behind: no new call, none shed yet
    refused(lambda: gate.admit("call", "k", "c9"), "capacity")
    assert gate.to_shed() is None
    clock.now += 1.0  # 2.5 s behind
    assert gate.degraded and gate.to_shed() is calls[2]
    gate.release(calls[2])
    assert gate.to_shed() is None  # cooling down
    clock.now += 5.0
    assert gate.to_shed() is calls[1]
    gate.release(calls[1])
    clock.now += 10.0
    assert gate.to_shed() is None  # the last call is never shed
