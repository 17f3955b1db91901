"""Telephony audio codecs and a streaming resampler, in pure Python + numpy.

* :func:`decode` turns a payload (16-bit little-endian PCM, G.711 μ-law or A-law) into an
  ``int16`` array of shape ``(frames, channels)``; :func:`encode_pcm16` goes back to bytes.
* :class:`Resampler` converts one channel between sample rates chunk by chunk, with the same
  result whatever the chunk sizes, and keeps output time-aligned with input: word timings
  from speech recognition on the resampled audio are mapped back onto the original audio.

``audioop`` is not used: it was removed from the standard library in Python 3.13.
Error messages give sizes and names only, never audio content.
"""
from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Encoding = Literal["pcm_s16le", "mulaw", "alaw"]
ENCODINGS: tuple[str, ...] = ("pcm_s16le", "mulaw", "alaw")

# Sinc lobes kept on each side of the kernel, counted at the lower of the two rates, and the
# Kaiser window's shape. Measured response, relative to the lower Nyquist frequency: -0.3 dB
# at 0.9x, -30 dB at 1.1x, about -84 dB from 1.25x; 32 taps per output when upsampling.
_ZERO_CROSSINGS = 16
_KAISER_BETA = 8.0
# Bounds the coefficient table (phases x taps): 44.1k <-> 48k needs 160 phases, 8k <-> 44.1k
# needs 441; a ratio needing thousands of phases is a misconfigured rate, not a real stream.
_MAX_PHASES = 4096
# Outputs computed per vectorised step: bounds the temporary window matrix on long inputs.
_OUTPUT_BLOCK = 8192


class AudioFormatError(ValueError):
    """Audio bytes or parameters that do not fit the declared format."""


def _mulaw_table() -> np.ndarray:
    """G.711 μ-law: complemented code, 3-bit segment, 4-bit step, bias 0x84 (132)."""
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    segment = (codes >> 4) & 0x07
    step = codes & 0x0F
    magnitude = (((step << 3) + 0x84) << segment) - 0x84
    return np.where(codes & 0x80, -magnitude, magnitude).astype(np.int16)


def _alaw_table() -> np.ndarray:
    """G.711 A-law: even bits inverted (xor 0x55), segment 0 is linear, sign bit set = positive."""
    codes = np.arange(256, dtype=np.int32) ^ 0x55
    segment = (codes & 0x70) >> 4
    step_value = ((codes & 0x0F) << 4) + 8  # middle of the quantisation step
    magnitude = np.where(
        segment == 0, step_value, (step_value + 0x100) << np.maximum(segment - 1, 0)
    )
    return np.where(codes & 0x80, magnitude, -magnitude).astype(np.int16)


# Built once at import, read-only so no caller can corrupt them for every other stream.
_MULAW_TO_PCM = _mulaw_table()
_ALAW_TO_PCM = _alaw_table()
_MULAW_TO_PCM.flags.writeable = False
_ALAW_TO_PCM.flags.writeable = False


def _describe_encoding(encoding: object) -> str:
    # A wrong argument might be the payload itself: name its type rather than echoing it.
    if isinstance(encoding, str) and len(encoding) <= 32:
        return repr(encoding)
    return f"of type {type(encoding).__name__}"


def _check_channels(channels: int) -> None:
    if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
        raise AudioFormatError(f"channels must be a positive integer, got {channels!r}")


def decode(payload: bytes, encoding: Encoding, channels: int = 1) -> np.ndarray:
    """Decode interleaved ``payload`` into ``int16`` samples of shape ``(frames, channels)``.

    Column ``c`` is channel ``c``. ``pcm_s16le`` is read as little-endian on any host.
    """
    _check_channels(channels)
    raw = memoryview(payload).cast("B")  # accepts bytes, bytearray and memoryview alike
    if encoding == "pcm_s16le":
        if len(raw) % 2:
            raise AudioFormatError(
                f"pcm_s16le payload has an odd number of bytes ({len(raw)}); "
                "16-bit samples take 2 bytes each"
            )
        samples = np.frombuffer(raw, dtype="<i2").astype(np.int16)
        bytes_per_frame = 2 * channels
    elif encoding in ("mulaw", "alaw"):
        table = _MULAW_TO_PCM if encoding == "mulaw" else _ALAW_TO_PCM
        samples = table[np.frombuffer(raw, dtype=np.uint8)]
        bytes_per_frame = channels
    else:
        raise AudioFormatError(
            f"unknown encoding {_describe_encoding(encoding)}; "
            f"expected one of {', '.join(ENCODINGS)}"
        )
    if len(raw) % bytes_per_frame:
        raise AudioFormatError(
            f"{encoding} payload of {len(raw)} bytes is not a whole number of frames "
            f"for {channels} channels ({bytes_per_frame} bytes per frame)"
        )
    return samples.reshape(-1, channels)


def encode_pcm16(samples: np.ndarray) -> bytes:
    """Little-endian 16-bit PCM of ``int16`` samples; ``(frames, channels)`` is interleaved."""
    if samples.dtype != np.int16:
        raise AudioFormatError(f"expected int16 samples, got {samples.dtype}")
    return np.ascontiguousarray(samples, dtype="<i2").tobytes()


def deinterleave(samples: np.ndarray) -> list[np.ndarray]:
    """One contiguous 1-D ``int16`` array per channel of ``(frames, channels)`` samples."""
    if samples.ndim != 2:
        raise AudioFormatError(f"expected (frames, channels) samples, got {samples.ndim}-D")
    return [np.ascontiguousarray(samples[:, channel]) for channel in range(samples.shape[1])]


def _check_rate(name: str, rate: int) -> None:
    if isinstance(rate, bool) or not isinstance(rate, int) or rate <= 0:
        raise AudioFormatError(f"unsupported {name} {rate!r}: expected a positive integer in Hz")


def _polyphase_taps(up: int, down: int, half_width: int) -> np.ndarray:
    """Kaiser-windowed sinc low-pass, one row of ``2 * half_width`` input taps per output phase.

    Row ``p`` serves outputs that fall ``p / up`` of an input sample after input ``i0``; tap
    ``j`` weighs input ``i0 - half_width + 1 + j``. The kernel is centred on the output's exact
    position, so the filter adds no delay.
    """
    relative_cutoff = min(1.0, up / down)  # the lower Nyquist, as a fraction of the input's
    offsets = np.arange(up)[:, None] / up + (half_width - 1) - np.arange(2 * half_width)[None, :]
    window_arg = np.clip(1.0 - (offsets / half_width) ** 2, 0.0, None)
    window = np.i0(_KAISER_BETA * np.sqrt(window_arg)) / np.i0(_KAISER_BETA)
    taps = relative_cutoff * np.sinc(relative_cutoff * offsets) * window
    # Exactly unit DC gain for every phase: the truncated kernel's sums differ by ~3e-5 between
    # phases, which turns a loud constant into a 1 LSB ripple at the phase rate.
    taps /= taps.sum(axis=1, keepdims=True)
    taps.flags.writeable = False
    return taps


class Resampler:
    """Streaming rational-ratio resampler for one channel of ``int16`` audio.

    Feed chunks of any size to :meth:`process`, then call :meth:`flush` once at the end of
    the stream: the concatenated outputs equal a single call on the whole signal (within
    1 LSB), total ``ceil(n_in * to_rate / from_rate)`` samples, and output sample ``n`` is
    the signal at time ``n / to_rate`` (no filter delay). Output lags input by
    ``~16 / min(rates)`` seconds (2 ms at 8 kHz) until :meth:`flush`, which also resets
    the resampler for a new stream. Not thread-safe: one instance per stream and channel.
    """

    def __init__(self, from_rate: int, to_rate: int) -> None:
        _check_rate("from_rate", from_rate)
        _check_rate("to_rate", to_rate)
        common = math.gcd(from_rate, to_rate)
        self._up = to_rate // common
        self._down = from_rate // common
        self._passthrough = from_rate == to_rate
        if self._up > _MAX_PHASES:
            raise AudioFormatError(
                f"unsupported rate ratio {from_rate} -> {to_rate} Hz: needs {self._up} filter "
                f"phases (at most {_MAX_PHASES})"
            )
        self._half_width = math.ceil(_ZERO_CROSSINGS / min(1.0, self._up / self._down))
        self._taps = (
            None if self._passthrough else _polyphase_taps(self._up, self._down, self._half_width)
        )
        self._reset()

    def _reset(self) -> None:
        # Silence before the stream gives the first outputs a full window of inputs.
        self._history = np.zeros(self._half_width, dtype=np.float64)
        self._history_start = -self._half_width  # stream index of self._history[0]
        self._inputs_seen = 0
        self._outputs_emitted = 0

    def process(self, samples: np.ndarray) -> np.ndarray:
        """Resample the next chunk; returns every output whose input window is now complete."""
        if samples.dtype != np.int16 or samples.ndim != 1:
            raise AudioFormatError(
                f"expected 1-D int16 samples, got {samples.ndim}-D {samples.dtype}"
            )
        if self._passthrough:
            return samples.copy()
        self._history = np.concatenate((self._history, samples))
        self._inputs_seen += len(samples)
        # Output n needs inputs up to floor(n * down / up) + half_width.
        complete_until = self._history_start + len(self._history) - self._half_width
        return self._emit_until(-(-complete_until * self._up // self._down))

    def flush(self) -> np.ndarray:
        """Emit the outputs still waiting for future input (treated as silence), then reset."""
        if self._passthrough:
            return np.zeros(0, dtype=np.int16)
        self._history = np.concatenate((self._history, np.zeros(self._half_width)))
        total_outputs = -(-self._inputs_seen * self._up // self._down)
        tail = self._emit_until(total_outputs)
        self._reset()
        return tail

    def _emit_until(self, end: int) -> np.ndarray:
        """Compute outputs ``[outputs_emitted, end)`` and drop history no later output needs."""
        blocks = [
            self._compute(np.arange(start, min(end, start + _OUTPUT_BLOCK), dtype=np.int64))
            for start in range(self._outputs_emitted, end, _OUTPUT_BLOCK)
        ]
        self._outputs_emitted = max(end, self._outputs_emitted)
        self._drop_consumed_history()
        if not blocks:
            return np.zeros(0, dtype=np.int16)
        values = np.concatenate(blocks)
        return np.clip(np.rint(values), -32768, 32767).astype(np.int16)

    def _compute(self, outputs: np.ndarray) -> np.ndarray:
        positions = outputs * self._down  # in units of 1/up input samples
        first_inputs = positions // self._up - self._half_width + 1 - self._history_start
        windows = sliding_window_view(self._history, 2 * self._half_width)[first_inputs]
        return np.einsum("ij,ij->i", windows, self._taps[positions % self._up])

    def _drop_consumed_history(self) -> None:
        next_first_input = self._outputs_emitted * self._down // self._up - self._half_width + 1
        consumed = next_first_input - self._history_start
        if consumed > 0:
            self._history = self._history[consumed:]
            self._history_start = next_first_input
