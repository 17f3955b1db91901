"""The DTMF detector and the call guard: keypad tones found at Q.24 levels and twists, mixed
with speech, and silenced before recognition and the recording; pauses silenced too."""
from __future__ import annotations

import numpy as np
import pytest

from audio.dtmf import DtmfDetector, KeypadRuns
from audio.guard import MAYBE_WAIT_S, MUTE_PAD_S, TONE_PAD_S, CallGuard
from benchmarks.dtmf_bench import mulaw_line, tone

CARD = "4532015112830366"


def keyed(digits: str, rate: int = 8000, on: float = 0.08, off: float = 0.08, dbm0: float = -8,
          twist: float = 2.0) -> tuple[np.ndarray, list[tuple[float, float]]]:
    pieces, spans, t = [np.zeros(round(0.3 * rate))], [], 0.3
    for digit in digits:
        pieces += [tone(digit, on, dbm0, twist, rate), np.zeros(round(off * rate))]
        spans.append((t, t + on))
        t += on + off
    return np.concatenate(pieces), spans


def detect(samples: np.ndarray, rate: int = 8000, chunk: int = 160) -> list:
    detector = DtmfDetector(rate)
    spans = []
    for i in range(0, len(samples), chunk):  # 20 ms frames, as telephony sends them
        spans += detector.process(samples[i : i + chunk])
    return spans + detector.flush()


@pytest.mark.parametrize("rate", [8000, 16000])
def test_a_keyed_card_number_is_found_digit_by_digit_at_the_right_times(rate):
    samples, keys = keyed(CARD, rate)
    spans = detect(mulaw_line(samples) if rate == 8000 else samples.astype(np.int16), rate)
    assert "".join(s.digit for s in spans) == CARD
    for span, (start, end) in zip(spans, keys):
        assert start - 0.03 <= span.start <= start + 0.01 and end - 0.01 <= span.end <= end + 0.03


def test_the_digit_never_shows_in_a_span_repr():
    span = detect(mulaw_line(keyed("7")[0]))[0]
    assert span.digit == "7" and "7" not in repr(span).replace("channel=0", "")


@pytest.mark.parametrize("dbm0, twist, found", [
    (-4, 2, True), (-25, 0, True), (-40, 0, False),  # Q.24 level range
    (-10, -7, True), (-10, 3.5, True),               # within normal / reverse twist
    (-10, -10, False), (-10, 6, False),               # beyond them
])
def test_q24_level_and_twist_limits(dbm0, twist, found):
    samples, _ = keyed("5", dbm0=dbm0, twist=twist)
    assert bool(detect(mulaw_line(samples))) is found


def test_tones_under_speech_level_noise_are_found(korean_call):
    speech, _ = korean_call
    voice = speech.samples.astype(np.float64)
    samples, keys = keyed(CARD)
    mixed = np.zeros(max(len(voice), len(samples)))
    mixed[: len(voice)] += voice * 0.3
    mixed[: len(samples)] += samples
    spans = detect(mulaw_line(mixed))
    assert "".join(s.digit for s in spans) == CARD


def test_speech_alone_raises_no_alarm(korean_call):
    speech, _ = korean_call
    assert detect(mulaw_line(speech.samples.astype(np.float64))) == []
    assert detect(mulaw_line(speech.samples * 3.0)) == []  # a loud talker, clipping


def test_the_guard_silences_every_tone_and_leaves_speech_alone(korean_call):
    speech, _ = korean_call
    tones, keys = keyed(CARD)
    call = np.concatenate([speech.samples.astype(np.float64), tones, speech.samples]).astype(np.int16)
    offset = len(speech.samples) / 8000
    guard = CallGuard(8000, 2)
    out, found = [], []
    stereo = np.column_stack([call, call // 4])  # the tone echoes on the agent's line
    for i in range(0, len(stereo), 160):
        released = guard.push(stereo[i : i + 160])
        assert round(released.start * 8000) == sum(len(o) for o in out)
        out.append(released.frames)
        found += released.tones
    final = guard.flush()
    out.append(final.frames)
    found += final.tones
    heard = np.concatenate(out)
    assert heard.shape == stereo.shape
    assert "".join(t.digit for t in found if t.channel == 0) == CARD
    for start, end in keys:
        assert not heard[round((offset + start) * 8000) : round((offset + end) * 8000)].any()
    assert detect(heard[:, 0].copy()) == [] and detect(heard[:, 0], chunk=10**6) == []
    speech_part = slice(0, len(speech.samples) - 800)
    assert np.array_equal(heard[speech_part], stereo[speech_part]), "speech before the tones changed"


def test_a_tone_too_faint_for_a_key_is_still_silenced_while_a_keypad_is_in_use():
    """Below Q.24's -30 dBm0 a receiver reports no key, but a decoder may still read the digit
    from a recording: after keys, the guard mutes it all the same."""
    loud, _ = keyed("4532")
    quiet, quiet_keys = keyed("0151", dbm0=-33.0)
    call = np.concatenate([loud, quiet]).astype(np.int16)
    offset = len(loud) / 8000
    guard = CallGuard(8000, 1)
    out, found = [], []
    for i in range(0, len(call), 160):
        released = guard.push(call[i : i + 160].reshape(-1, 1))
        out.append(released.frames)
        found += released.tones
    heard = np.concatenate([*out, guard.flush().frames])[:, 0]
    assert len(found) == 4  # the loud keys only
    for start, end in quiet_keys:
        assert not heard[round((offset + start) * 8000) : round((offset + end) * 8000)].any()


def guard_frames(call: np.ndarray, frame: int = 160) -> tuple[np.ndarray, list, list[int]]:
    """The guard's output fed 20 ms frames, its keys, and how much it held after each frame."""
    guard = CallGuard(8000, 1)
    out, found, held = [], [], []
    for i in range(0, len(call), frame):
        released = guard.push(call[i : i + frame].reshape(-1, 1))
        out.append(released.frames)
        found += released.tones
        held.append(guard.received - round(released.start * 8000) - len(released.frames))
    return np.concatenate([*out, guard.flush().frames])[:, 0], found, held


@pytest.mark.parametrize("gap_s", [0.08, 0.2, 0.4])
def test_a_first_key_too_faint_for_q24_is_silenced_once_the_next_key_is_found(gap_s):
    """The looser detector's find waits for a key: by the time the second key is found, the
    first (which Q.24 rejects) must still be held back, or a decoder reads it in the recording."""
    faint, faint_keys = keyed("4", dbm0=-33.0, off=gap_s)
    loud, _ = keyed("532", off=gap_s)
    call = np.concatenate([faint, loud[round(0.3 * 8000):]]).astype(np.int16)
    heard, found, _ = guard_frames(call)
    assert len(found) == 3
    (start, end), = faint_keys
    assert not heard[round(start * 8000) : round(end * 8000)].any()


def test_a_tone_like_sound_with_no_key_after_it_is_released_unchanged_after_the_wait():
    faint, _ = keyed("7", dbm0=-33.0)
    call = np.concatenate([faint, np.full(8000, 50.0)]).astype(np.int16)
    heard, found, held = guard_frames(call)
    assert found == [] and np.array_equal(heard, call)
    # the wait after the find, which spans the tone, the muting pads and a detector window
    assert max(held) <= round((MAYBE_WAIT_S + 0.08 + 2 * MUTE_PAD_S + 0.03) * 8000)
    assert held[-1] <= round((TONE_PAD_S + 0.05) * 8000)  # caught up once nothing waits


@pytest.mark.parametrize("speech_gain, dbm0", [(0.3, -8), (1.0, -12), (1.0, -20), (2.0, -16)])
def test_no_keyed_digit_can_be_decoded_from_the_guard_output(korean_call, speech_gain, dbm0):
    """Onsets and tails the detector finds late under speech are silenced too: a decoder looser
    than the guard's own (20% of the energy, two windows) reads no digit back."""
    speech, _ = korean_call
    voice = speech.samples.astype(np.float64) * speech_gain
    tones, keys = keyed(CARD, on=0.06, off=0.06, dbm0=dbm0)
    mixed = np.zeros(max(len(voice), len(tones)))
    mixed[: len(voice)] += voice
    mixed[: len(tones)] += tones
    heard, _, _ = guard_frames(mixed_line := mulaw_line(mixed))
    assert len(heard) == len(mixed_line)
    decoder = DtmfDetector(8000, min_fraction=0.2, min_hits=2)
    decoded = decoder.process(heard) + decoder.flush()
    assert [s for s in decoded if any(s.start < end and s.end > start for start, end in keys)] == []


def test_pause_silences_exactly_the_paused_span():
    guard = CallGuard(8000, 1, detect_tones=False)
    noise = np.random.default_rng(1).integers(-3000, 3000, size=(8000, 1)).astype(np.int16)
    out = [guard.push(noise).frames]
    assert guard.pause() and not guard.pause()
    out.append(guard.push(noise).frames)
    assert guard.resume() and not guard.resume()
    released = guard.push(noise)
    out.append(released.frames)
    assert [(p.start, p.end) for p in released.pauses] == [(1.0, 2.0)]
    out.append(guard.flush().frames)
    heard = np.concatenate(out)[:, 0]
    assert not heard[8000:16000].any()
    assert np.array_equal(heard[:8000], noise[:, 0]) and np.array_equal(heard[16000:], noise[:, 0])


def test_a_pause_open_at_the_end_of_the_call_is_closed_and_reported():
    guard = CallGuard(8000, 1)
    guard.push(np.ones((800, 1), dtype=np.int16))
    guard.pause()
    guard.push(np.ones((800, 1), dtype=np.int16))
    flushed = guard.flush()
    assert [(p.start, p.end) for p in flushed.pauses] == [(0.1, 0.2)]


def test_keypad_runs_make_one_entry_of_a_card_number():
    runs = KeypadRuns(gap_s=2.0)
    closed = []
    for i in range(16):
        closed += runs.add(0, 10 + i * 0.3, 10.1 + i * 0.3)
    assert closed == []
    assert runs.close_before(14.0) == [] and runs.close_before(20.0) == [(0, 10.0, 14.6)]
    runs.add(1, 30.0, 30.1)
    assert runs.add(1, 40.0, 40.1) == [(1, 30.0, 30.1)]
    assert runs.flush() == [(1, 40.0, 40.1)]
