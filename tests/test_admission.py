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


def behind(gate: Admission, clock: Clock, calls: list, seconds: float, pace: float) -> None:
    """``seconds`` pass while each call's audio is recognised at ``pace`` of real time."""
    clock.now += seconds
    for call in calls:
        gate.audio_recognised(call, call.audio_done_s + seconds * pace)


def test_as_many_of_the_newest_calls_are_shed_as_the_pace_says_do_not_fit():
    gate, clock = admission(max_calls=10, max_calls_per_key=10, max_backlog_s=2.0, shed_cooldown_s=2.0)
    calls = [gate.admit("call", "k", f"c{i}") for i in range(10)]
    assert gate.to_shed() == []
    behind(gate, clock, calls, 1.5, pace=0.5)  # 0.75 s behind: no new call, none shed yet
    refused(lambda: gate.admit("call", "k", "c99"), "capacity")
    assert gate.to_shed() == []
    behind(gate, clock, calls, 3.0, pace=0.5)  # 2.25 s behind, at half the real-time pace
    assert gate.degraded
    shed = gate.to_shed()
    assert shed == calls[4:]  # 10 calls x pace 0.5 x margin 0.8: the oldest 4 are kept
    for call in shed:
        gate.release(call)
    assert gate.to_shed() == []  # cooling down while the backlog shows what shedding did
    assert gate.call_capacity() == 4  # and no more calls than were kept, for now


def test_shedding_never_ends_the_last_call():
    gate, clock = admission(max_calls=4, max_calls_per_key=4, max_backlog_s=2.0)
    calls = [gate.admit("call", "k", f"c{i}") for i in range(2)]
    behind(gate, clock, calls, 10.0, pace=0.05)
    assert gate.to_shed() == calls[1:]
    gate.release(calls[1])
    clock.now += 10.0
    assert gate.to_shed() == []


def test_capacity_grows_back_one_call_at_a_time_once_recognition_keeps_up():
    gate, clock = admission(max_calls=8, max_calls_per_key=8, max_backlog_s=2.0)
    calls = [gate.admit("call", "k", f"c{i}") for i in range(8)]
    behind(gate, clock, calls, 5.0, pace=0.5)
    for call in gate.to_shed():
        gate.release(call)
    assert gate.call_capacity() == 3
    for call in calls[:3]:
        gate.waiting(call)  # caught up: the clients' next frames are awaited
    clock.now += 31.0
    assert gate.call_capacity() == 4
    clock.now += 31.0
    assert gate.call_capacity() == 5


@pytest.mark.parametrize("cpu_per_audio_s, cores, capacity", [
    (0.05, 2, 30),  # a small model: 0.75 x 2 cores / 0.05
    (0.2, 2, 7),
    (0.5, 8, 12),
    (1.5, 2, 1),  # slower than real time on one core: still one call, never none
])
def test_capacity_follows_the_measured_cost_of_the_speech_model(cpu_per_audio_s, cores, capacity):
    gate, _ = admission(max_calls=None, cores=cores)
    assert gate.call_capacity() == default_max_calls(cores)  # nothing measured yet: the guess
    call = gate.admit("call", "k", "c")
    for second in range(1, 5):  # the CPU the pipeline reports with each batch of audio
        gate.audio_recognised(call, float(second), second * cpu_per_audio_s)
    assert gate.call_capacity() == capacity
    assert gate.calls_per_key() == max(1, capacity * 3 // 4)


def test_a_configured_max_calls_is_not_overridden_by_the_measurement():
    gate, _ = admission(max_calls=3, cores=2)
    call = gate.admit("call", "k", "c")
    gate.audio_recognised(call, 10.0, 0.1)
    assert gate.call_capacity() == 3


def test_the_cost_follows_the_recent_audio():
    gate, _ = admission(max_calls=None, cores=2)
    call = gate.admit("call", "k", "c")
    gate.audio_recognised(call, 60.0, 6.0)  # 0.1 CPU s per audio s for a minute
    gate.audio_recognised(call, 660.0, 6.0 + 300.0)  # then 0.5 for ten minutes
    assert gate.cost.per_audio_s == pytest.approx(0.5, abs=0.05)
