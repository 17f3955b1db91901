"""In-band DTMF detection: where a caller keyed digits, never which digits.

A keypad tone is one frequency of the low group (697, 770, 852, 941 Hz) plus one of the high
group (1209, 1336, 1477, 1633 Hz). Card numbers keyed on a phone leave these tones in the call
audio, where anyone can decode them from a recording, so every call's audio goes through
:class:`DtmfDetector` and the tones' time spans are silenced before anything hears or keeps
them (see :mod:`audio.guard`).

The detector is Goertzel's algorithm at the eight frequencies (and their second harmonics) on
25.6 ms windows (205 samples at 8 kHz, as in the classic receiver: the frequencies then sit
within a quarter bin of a DFT bin) every 6.4 ms, with the checks of an ITU-T Q.24 receiver:

* each tone at least ``MIN_TONE_DBM0`` (-30 dBm0);
* twist: the low group may exceed the high group by 8 dB ("normal"), the high group the low
  one by 4 dB ("reverse");
* the strongest tone of each group at least 8 dB above the others of its group;
* the two tones carry most of the window's energy (speech spreads its energy), and the high
  tone's second harmonic is weak (voiced speech is rich in harmonics);
* duration: a digit is reported after ``MIN_HITS`` consecutive windows agree. Q.24 accepts
  tones of 40 ms and more and rejects those under 23 ms (to keep speech from "talking off" a
  receiver). Here three windows are enough, which also takes tones of ~15 ms: for redaction a
  short tone silenced costs nothing and a missed one leaks, and speech still raised no false
  alarm in ``benchmarks/dtmf_results.md`` (five windows would reject < 23 ms and miss 11% of
  the tones keyed under loud speech instead of 7%).

The digit is kept inside the detector only to tell one key from the next; a :class:`ToneSpan`
carries it out of repr and comparison so it never reaches a log by accident, and the call
path drops it at once. Pure numpy, blocking, one detector per channel.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

LOW_GROUP_HZ = (697.0, 770.0, 852.0, 941.0)
HIGH_GROUP_HZ = (1209.0, 1336.0, 1477.0, 1633.0)
KEYPAD = ("123A", "456B", "789C", "*0#D")  # KEYPAD[low][high]

WINDOW_S = 205 / 8000  # 25.6 ms
HOP_S = WINDOW_S / 4
MIN_HITS = 3  # consecutive windows of one digit (see the duration note above)
# 0 dBm0 is a sine of amplitude ~22 700 on the 16-bit scale G.711 decodes to (+3.17 dBm0 is
# full scale); Q.24 receivers accept down to -25 or -30 dBm0 per tone depending on the country.
DBM0_AMPLITUDE = 22_700.0
MIN_TONE_DBM0 = -30.0
NORMAL_TWIST_DB = 8.0  # low group above high group
REVERSE_TWIST_DB = 4.0  # high group above low group
RELATIVE_PEAK_DB = 8.0
MIN_TONE_FRACTION = 0.5  # of the window's energy in the two tones
MAX_HARMONIC_DB = -15.0  # second harmonic relative to its fundamental


@dataclass(frozen=True)
class ToneSpan:
    """Where a keypad tone sounded, in seconds from the start of the stream."""

    start: float
    end: float
    channel: int = 0
    digit: str = field(default="", repr=False, compare=False)  # never logged, never stored


def _db(ratio: float) -> float:
    return 10.0 ** (ratio / 10.0)


class DtmfDetector:
    """Streaming detector for one channel: feed ``int16`` samples, get finished tone spans."""

    def __init__(
        self, sample_rate: int, channel: int = 0, min_fraction: float = MIN_TONE_FRACTION,
        min_hits: int = MIN_HITS, min_tone_dbm0: float = MIN_TONE_DBM0,
    ) -> None:
        """``min_fraction``, ``min_hits`` and ``min_tone_dbm0`` loosen or tighten the checks:
        the guard mutes what a looser detector finds, and the benchmark decodes our output with
        looser ones still, as someone decoding a recording would."""
        if sample_rate < 4000:
            raise ValueError(f"DTMF needs at least 4000 Hz audio, got {sample_rate}")
        self.sample_rate = sample_rate
        self.channel = channel
        self._n = round(WINDOW_S * sample_rate)
        self._hop = max(1, round(HOP_S * sample_rate))
        freqs = np.array(LOW_GROUP_HZ + HIGH_GROUP_HZ)
        # The high group's second harmonics; the low group's (1394-1882 Hz) sit next to high
        # group frequencies, where Goertzel cannot tell them apart.
        freqs = np.concatenate([freqs, 2 * np.array(HIGH_GROUP_HZ)])
        phase = 2 * np.pi * np.outer(np.arange(self._n), freqs) / sample_rate
        self._cos, self._sin = np.cos(phase), np.sin(phase)
        self._min_tone_energy = self._n * (DBM0_AMPLITUDE * 10 ** (min_tone_dbm0 / 20)) ** 2 / 2
        self._buffer = np.zeros(0)
        self._offset = 0  # absolute index of _buffer[0]; also where the next window starts
        self._min_fraction, self._min_hits = min_fraction, min_hits
        self._run: tuple[str, int, int, int] | None = None  # digit, first start, last end, hits

    @property
    def settled_until(self) -> int:
        """Sample index before which no tone can still be reported (future windows start at
        or after it, and a run in progress may extend back to its first window)."""
        return min(self._offset, self._run[1]) if self._run else self._offset

    def process(self, samples: np.ndarray) -> list[ToneSpan]:
        self._buffer = np.concatenate([self._buffer, samples.astype(np.float64)])
        if len(self._buffer) < self._n:
            return []
        windows = sliding_window_view(self._buffer, self._n)[:: self._hop]
        digits = self._classify(windows)
        spans: list[ToneSpan] = []
        for i, digit in enumerate(digits):
            start = self._offset + i * self._hop
            spans += self._advance(digit, start, start + self._n)
        consumed = len(digits) * self._hop
        self._buffer = self._buffer[consumed:]
        self._offset += consumed
        return spans

    def flush(self) -> list[ToneSpan]:
        """End of stream: report a tone still sounding."""
        spans = self._advance("", self._offset, self._offset)
        self._offset += len(self._buffer)
        self._buffer = np.zeros(0)
        return spans

    def _advance(self, digit: str, start: int, end: int) -> list[ToneSpan]:
        run = self._run
        if digit and run and run[0] == digit:
            self._run = (digit, run[1], end, run[3] + 1)
            return []
        self._run = (digit, start, end, 1) if digit else None
        if run and run[3] >= self._min_hits:
            return [ToneSpan(run[1] / self.sample_rate, run[2] / self.sample_rate, self.channel, run[0])]
        return []

    def _classify(self, windows: np.ndarray) -> list[str]:
        """The digit each window holds, or ``""``."""
        power = (windows @ self._cos) ** 2 + (windows @ self._sin) ** 2
        tone = power * 2 / self._n  # energy of a sinusoid at that frequency over the window
        total = np.einsum("ij,ij->i", windows, windows)
        low, high = tone[:, :4], tone[:, 4:8]
        li, hi = low.argmax(axis=1), high.argmax(axis=1)
        rows = np.arange(len(windows))
        lp, hp = low[rows, li], high[rows, hi]
        ok = (lp >= self._min_tone_energy) & (hp >= self._min_tone_energy)
        ok &= (lp <= hp * _db(NORMAL_TWIST_DB)) & (hp <= lp * _db(REVERSE_TWIST_DB))
        ok &= (lp + hp) >= self._min_fraction * total
        for group, peak, index in ((low, lp, li), (high, hp, hi)):
            others = group.copy()
            others[rows, index] = 0.0
            ok &= others.max(axis=1) * _db(RELATIVE_PEAK_DB) <= peak
        ok &= tone[rows, 8 + hi] <= hp * _db(MAX_HARMONIC_DB)
        return [KEYPAD[l][h] if good else "" for l, h, good in zip(li, hi, ok)]


@dataclass
class KeypadRuns:
    """Groups keypad activity into runs: a card number keyed digit by digit is one entry in the
    transcript, not sixteen. A run closes once ``gap_s`` passes without another key."""

    gap_s: float = 3.0
    _open: dict[int, tuple[float, float]] = field(default_factory=dict)  # channel -> span

    def add(self, channel: int, start: float, end: float) -> list[tuple[int, float, float]]:
        closed = self.close_before(start)
        span = self._open.get(channel)
        self._open[channel] = (min(span[0], start), max(span[1], end)) if span else (start, end)
        return closed

    def close_before(self, now: float) -> list[tuple[int, float, float]]:
        """Runs whose last key is more than ``gap_s`` before ``now``."""
        done = [(ch, s, e) for ch, (s, e) in self._open.items() if now - e > self.gap_s]
        for channel, _, _ in done:
            del self._open[channel]
        return done

    def flush(self) -> list[tuple[int, float, float]]:
        done = [(ch, s, e) for ch, (s, e) in sorted(self._open.items())]
        self._open.clear()
        return done
