"""What nobody may hear of a call: keypad tones and the spans an agent paused.

:class:`CallGuard` sits in front of speech recognition and the recording. Audio goes in as it
arrives; it comes out a few tens of milliseconds later with every DTMF tone (found by
:class:`audio.dtmf.DtmfDetector` on every channel) and every paused span replaced by silence on
all channels (a tone keyed on the customer's line echoes on the agent's).

Two detectors listen on each channel. The strict one (ITU-T Q.24 checks) reports keys: they
become ``<DTMF>`` entries. A looser one (``MUTE_*``) only silences, and only while a keypad is
in use (from ``KEYPAD_S`` before a key the strict one found, as far as the audio is still held,
to ``KEYPAD_S`` after the last). Audio after a find of the looser detector is held up to
``MAYBE_WAIT_S`` for a key to follow, so the first key of a number, too weak for Q.24, is
silenced once the second is found: a tone under loud speech, quieter than Q.24 accepts, or the
first and last windows of a tone still carry the digit to anyone who decodes the recording
with a tolerant decoder. Outside keypad use the looser detector would mute syllables of speech
that look like tones, so there it stays silent itself. The delay is what the
detectors need to be sure a tone has started, plus ``TONE_PAD_S`` (about 0.15 s in all), and up
to ``MAYBE_WAIT_S`` more after something tone-like: audio is released only once no tone can
still be found in it. Recognition never hears a tone, so it makes no words of one, and the recording
never holds one. Times are seconds from the start of the call; pure and blocking.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .dtmf import DtmfDetector, ToneSpan

# Silenced on each side of a key: its onset and tail, which windows blur and speech over them
# hides from the detector (found up to 85 ms late in benchmarks/dtmf_results.md). A tone cut
# short is worse than one left alone: the silence around a remnant makes it stand out to a
# decoder, so the pads reach past the detector's edges.
TONE_PAD_S = 0.1
MUTE_PAD_S = 0.08  # on each side of what only the muting detector found
KEYPAD_S = 3.0  # keys of one number come at most this far apart
MAYBE_WAIT_S = 0.5  # how long audio after a find of the muting detector waits for a key
# The muting detector: a tone needs only this share of the window's energy, two windows, and
# this level per frequency (benchmarks/dtmf_results.md: what it costs on speech).
MUTE_FRACTION = 0.15
MUTE_HITS = 2
MUTE_DBM0 = -36.0


@dataclass(frozen=True)
class PauseSpan:
    start: float
    end: float


@dataclass(frozen=True)
class Released:
    """Audio safe to recognise and record (``(n, channels)`` int16, starting at ``start``
    seconds), the tones found since the last call, and pauses that ended."""

    frames: np.ndarray
    start: float
    tones: list[ToneSpan] = field(default_factory=list)
    pauses: list[PauseSpan] = field(default_factory=list)


class CallGuard:
    def __init__(self, sample_rate: int, channels: int, detect_tones: bool = True) -> None:
        self.sample_rate = sample_rate
        self.channels = channels
        self._detectors = [DtmfDetector(sample_rate, ch) for ch in range(channels)] if detect_tones else []
        self._muters = [DtmfDetector(sample_rate, ch, MUTE_FRACTION, MUTE_HITS, MUTE_DBM0)
                        for ch in range(channels)] if detect_tones else []
        self._held = np.zeros((0, channels), dtype=np.int16)
        self._released = 0  # sample index of _held[0]
        self._pad = round(TONE_PAD_S * sample_rate)
        self._mute_pad = round(MUTE_PAD_S * sample_rate)
        self._keypad = round(KEYPAD_S * sample_rate)
        self._maybe_wait = round(MAYBE_WAIT_S * sample_rate)
        self._keypad_until = -1  # sample index: the looser detector mutes up to here
        self._maybe_tones: list[tuple[int, int]] = []  # its finds before any key, still held
        self._hidden: list[tuple[int, int]] = []  # sample spans to silence, not yet released
        self._paused_at: int | None = None
        self._pauses: list[PauseSpan] = []

    @property
    def received(self) -> int:
        return self._released + len(self._held)

    @property
    def position_s(self) -> float:
        """Seconds of call audio received so far."""
        return self.received / self.sample_rate

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def pause(self) -> bool:
        """Audio from now on is silence until :meth:`resume`; False when already paused."""
        if self._paused_at is not None:
            return False
        self._paused_at = self.received
        return True

    def resume(self) -> bool:
        """End the pause; the paused span is reported by the next :meth:`push` or :meth:`flush`."""
        if self._paused_at is None:
            return False
        self._close_pause()
        return True

    def push(self, frames: np.ndarray) -> Released:
        """Take ``(n, channels)`` int16 audio; return what can be released now."""
        frames = frames.reshape(len(frames), self.channels)
        tones = [span for det in self._detectors for span in det.process(frames[:, det.channel])]
        self._held = np.concatenate([self._held, frames])
        self._hide_tones(tones)
        self._hide_maybe_tones([span for det in self._muters for span in det.process(frames[:, det.channel])])
        detectors = self._detectors + self._muters
        safe = min((det.settled_until for det in detectors), default=self.received) - self._pad
        return self._release(max(min(safe, self._awaiting_key()), self._released), tones)

    def flush(self) -> Released:
        """End of call: release everything (a pause still open ends here)."""
        tones = [span for det in self._detectors for span in det.flush()]
        self._hide_tones(tones)
        self._hide_maybe_tones([span for det in self._muters for span in det.flush()])
        if self._paused_at is not None:
            self._close_pause()
        return self._release(self.received, tones)

    def _awaiting_key(self) -> int:
        """Where the oldest find of the muting detector starts while a key may still follow it
        (it is silenced if one does), else the end of the audio received."""
        waiting = [lo for lo, hi in self._maybe_tones if self.received - hi < self._maybe_wait]
        return min(waiting, default=self.received)

    def _close_pause(self) -> None:
        assert self._paused_at is not None
        start, end = self._paused_at, self.received
        self._paused_at = None
        self._pauses.append(PauseSpan(start / self.sample_rate, end / self.sample_rate))
        if end > start:
            self._hidden.append((start, end))

    def _hide_tones(self, tones: list[ToneSpan]) -> None:
        for tone in tones:
            start, end = round(tone.start * self.sample_rate), round(tone.end * self.sample_rate)
            self._hidden.append((max(start - self._pad, self._released), end + self._pad))
            # A keypad is in use: what the looser detector found near this key is muted too.
            self._keypad_until = max(self._keypad_until, end + self._keypad)
            near = [span for span in self._maybe_tones if span[1] >= start - self._keypad]
            self._hidden += near
            self._maybe_tones = [span for span in self._maybe_tones if span not in near]

    def _hide_maybe_tones(self, tones: list[ToneSpan]) -> None:
        for tone in tones:
            start = round(tone.start * self.sample_rate) - self._mute_pad
            span = (max(start, self._released), round(tone.end * self.sample_rate) + self._mute_pad)
            (self._hidden if span[0] <= self._keypad_until else self._maybe_tones).append(span)

    def _release(self, until: int, tones: list[ToneSpan]) -> Released:
        start = self._released
        count = min(until, self.received) - start
        out = self._held[:count].copy()
        self._held = self._held[count:]
        self._released += count
        open_pause = [(self._paused_at, self.received)] if self._paused_at is not None else []
        for lo, hi in self._hidden + open_pause:
            lo, hi = max(lo, start), min(hi, start + count)
            if hi > lo:
                out[lo - start : hi - start] = 0
        self._hidden = [(lo, hi) for lo, hi in self._hidden if hi > self._released]
        self._maybe_tones = [(lo, hi) for lo, hi in self._maybe_tones if hi > self._released]
        pauses, self._pauses = self._pauses, []
        return Released(out, start / self.sample_rate, tones, pauses)
