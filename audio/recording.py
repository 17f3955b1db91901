"""The redacted call recording: every PII word's time span replaced by silence or a tone.

Raw audio never reaches the disk. :class:`RedactedRecording` keeps appended audio in memory
until the caller :meth:`~RedactedRecording.commit`\\ s a point in time whose words are final;
only then is that audio written, with every span already applied. Long calls therefore use
bounded memory, and a crash leaves at most a ``.part`` file of redacted audio, never a file
that looks complete.

Sample-exact rule: a span ``(start_s, end_s)`` replaces the samples ``i`` with
``round(start_s * rate) <= i < round(end_s * rate)`` on every channel (crosstalk and echo
can carry the other party's words); every other sample is written unchanged.

Encryption at rest: given a :class:`RecordingSeal` (the conversation's data key), the file is
a sealed stream (:mod:`redactor.crypto_at_rest`), named ``.wav.enc``: each commit's redacted
PCM is one AES-256-GCM chunk, nothing on disk is playable, and :func:`read_wav` turns it back
into WAV bytes for the console and the CLI.
"""
from __future__ import annotations

import io
import math
import os
import struct
import wave
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np

from redactor.crypto_at_rest import (
    STREAM_MAGIC, StorageKeyError, SealedStreamWriter, is_sealed_stream, open_stream, stream_layout)

from .codecs import AudioFormatError, encode_pcm16

#: The suffix a sealed recording gets after ``.wav``: its content is not a WAV.
SEALED_SUFFIX = ".enc"

RedactionMode = Literal["silence", "tone"]
REDACTION_MODES: tuple[str, ...] = ("silence", "tone")
#: Tone amplitude: 0.2 of full scale, clearly audible without clipping or startling.
TONE_AMPLITUDE = 0.2 * 32767

# A span as sample indices [start, end), on the recording's timeline.
_IndexSpan = tuple[int, int]


@dataclass(frozen=True)
class RecordingInfo:
    """What :meth:`RedactedRecording.close` wrote. ``spans`` are merged, clipped to the audio,
    in seconds on sample boundaries."""

    path: Path
    sample_rate: int
    channels: int
    duration_s: float
    spans: tuple[tuple[float, float], ...]
    mode: RedactionMode


@dataclass(frozen=True)
class RecordingSeal:
    """Encrypt a recording with its conversation's data key; ``conversation`` binds the file
    to it (the stored call id)."""

    data_key: bytes
    conversation: str

    @property
    def context(self) -> str:
        return recording_context(self.conversation)


def recording_context(conversation: str) -> str:
    return f"recording\x00{conversation}"


def _stream_info(sample_rate: int, channels: int) -> bytes:
    return struct.pack("<IH", sample_rate, channels)


def _check_mode(mode: str, tone_hz: float, sample_rate: int) -> None:
    if mode not in REDACTION_MODES:
        raise ValueError(f"unknown redaction mode {mode!r}; expected one of {REDACTION_MODES}")
    if mode == "tone" and not 0 < tone_hz < sample_rate / 2:
        raise ValueError(
            f"tone_hz must be between 0 and the Nyquist frequency ({sample_rate / 2} Hz), "
            f"got {tone_hz}"
        )


def _to_index_span(start_s: float, end_s: float, sample_rate: int) -> _IndexSpan:
    if not (math.isfinite(start_s) and math.isfinite(end_s)) or start_s < 0 or end_s < start_s:
        raise ValueError(f"invalid span ({start_s}, {end_s}): need 0 <= start_s <= end_s")
    return round(start_s * sample_rate), round(end_s * sample_rate)


def _merge(spans: Iterable[_IndexSpan]) -> list[_IndexSpan]:
    """Sorted, non-empty spans with overlapping and adjacent ones joined."""
    merged: list[_IndexSpan] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _redact_block(
    samples: np.ndarray,
    first_index: int,
    spans: Iterable[_IndexSpan],
    mode: RedactionMode,
    tone_hz: float,
    sample_rate: int,
) -> np.ndarray:
    """Copy of ``(frames, channels)`` samples starting at stream index ``first_index``, redacted.

    The tone's phase counts from its span's start, so a span cut by a commit continues
    seamlessly in the next block.
    """
    redacted = samples.copy()
    block_end = first_index + len(samples)
    for span_start, span_end in spans:
        start, end = max(span_start, first_index), min(span_end, block_end)
        if start >= end:
            continue
        if mode == "silence":
            redacted[start - first_index : end - first_index] = 0
        else:
            since_span_start = np.arange(start - span_start, end - span_start)
            tone = TONE_AMPLITUDE * np.sin(2 * np.pi * tone_hz / sample_rate * since_span_start)
            tone_column = np.rint(tone).astype(np.int16)[:, None]  # same on every channel
            redacted[start - first_index : end - first_index] = tone_column
    return redacted


_WAV_HEADER_BYTES = 44  # what the wave module writes for 16-bit PCM


def recover_partial(partial_path: Path) -> RecordingInfo:
    """Finish a ``.part`` file that a killed process left: its WAV header still says 0 frames,
    but every frame in it was written redacted. The sizes are patched to the whole frames
    present and the file moved into place. Masked spans are not known (they lived in memory):
    ``spans`` is empty. Raises ``AudioFormatError`` for a file that is not our WAV."""
    partial_path = Path(partial_path)
    with open(partial_path, "r+b") as file:
        if is_sealed_stream(file.read(len(STREAM_MAGIC))):
            return _recover_sealed(partial_path, file)
        file.seek(0)
        header = file.read(_WAV_HEADER_BYTES)
        if (len(header) < _WAV_HEADER_BYTES or header[:4] != b"RIFF" or header[8:16] != b"WAVEfmt "
                or header[36:40] != b"data"):
            raise AudioFormatError(f"{partial_path.name} is not a 16-bit PCM WAV written by a recording")
        channels = int.from_bytes(header[22:24], "little")
        sample_rate = int.from_bytes(header[24:28], "little")
        bits = int.from_bytes(header[34:36], "little")
        if channels < 1 or sample_rate < 1 or bits != 16:
            raise AudioFormatError(f"{partial_path.name} has an unusable WAV header")
        frame_bytes = 2 * channels
        data_bytes = (os.fstat(file.fileno()).st_size - _WAV_HEADER_BYTES) // frame_bytes * frame_bytes
        file.truncate(_WAV_HEADER_BYTES + data_bytes)  # a frame cut by the kill is dropped
        file.seek(4)
        file.write((36 + data_bytes).to_bytes(4, "little"))
        file.seek(40)
        file.write(data_bytes.to_bytes(4, "little"))
        file.flush()
        os.fsync(file.fileno())
    path = partial_path.with_name(partial_path.name.removesuffix(".part"))
    os.replace(partial_path, path)
    return RecordingInfo(path=path, sample_rate=sample_rate, channels=channels,
                         duration_s=data_bytes / frame_bytes / sample_rate, spans=(), mode="silence")


def _recover_sealed(partial_path: Path, file: BinaryIO) -> RecordingInfo:
    """A sealed ``.part`` needs no key to recover: a chunk cut by the kill is dropped, the
    whole chunks stay (readable as an unclosed stream, see :func:`read_wav`)."""
    try:
        layout = stream_layout(file)
        sample_rate, channels = struct.unpack("<IH", layout.info)
    except (StorageKeyError, struct.error):
        raise AudioFormatError(f"{partial_path.name} is not a sealed recording") from None
    if channels < 1 or sample_rate < 1:
        raise AudioFormatError(f"{partial_path.name} has an unusable header")
    file.truncate(layout.complete_bytes)
    file.flush()
    os.fsync(file.fileno())
    path = partial_path.with_name(partial_path.name.removesuffix(".part"))
    os.replace(partial_path, path)
    frames = layout.plaintext_bytes // (2 * channels)
    return RecordingInfo(path=path, sample_rate=sample_rate, channels=channels,
                         duration_s=frames / sample_rate, spans=(), mode="silence")


def read_wav(path: Path, data_key: bytes | None = None, conversation: str = "") -> bytes:
    """A recording as WAV bytes: a plain WAV as it is; a sealed one decrypted with its
    conversation's ``data_key`` (StorageKeyError when it does not open, or no key is given)."""
    blob = Path(path).read_bytes()
    if not is_sealed_stream(blob):
        return blob
    if data_key is None:
        raise StorageKeyError("the recording is encrypted: configure the storage key to play it")
    info, pcm, _closed = open_stream(blob, data_key, recording_context(conversation))
    sample_rate, channels = struct.unpack("<IH", info)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm[: len(pcm) // (2 * channels) * 2 * channels])
    return out.getvalue()


def redact_samples(
    samples: np.ndarray,
    sample_rate: int,
    spans: Iterable[tuple[float, float]],
    mode: RedactionMode = "silence",
    tone_hz: float = 1000.0,
) -> np.ndarray:
    """Redacted copy of ``int16`` samples, 1-D or ``(frames, channels)``; spans in seconds."""
    _check_mode(mode, tone_hz, sample_rate)
    index_spans = _merge(_to_index_span(start, end, sample_rate) for start, end in spans)
    frames = samples.reshape(len(samples), -1)  # a view: 1-D becomes one column
    redacted = _redact_block(frames, 0, index_spans, mode, tone_hz, sample_rate)
    return redacted.reshape(samples.shape)


class RedactedRecording:
    """A 16-bit PCM WAV written incrementally and redacted; raw audio never reaches the disk.

    Use: :meth:`append` audio as it arrives, :meth:`redact` spans as words are found to be PII,
    :meth:`commit` once the words before a time are final, :meth:`close` at the end of the call
    (or :meth:`discard`). The caller must not commit beyond audio whose words are final: a span
    that starts in already written audio can no longer be applied and raises ``ValueError``.
    Memory holds the audio appended but not committed, so commit as finals arrive.
    Not thread-safe: one instance per call, driven by one task.
    """

    def __init__(
        self,
        path: Path,
        sample_rate: int,
        channels: int,
        mode: RedactionMode = "silence",
        tone_hz: float = 1000.0,
        seal: RecordingSeal | None = None,
    ) -> None:
        if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or sample_rate <= 0:
            raise AudioFormatError(
                f"unsupported sample_rate {sample_rate!r}: expected a positive integer in Hz"
            )
        if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
            raise AudioFormatError(f"channels must be a positive integer, got {channels!r}")
        _check_mode(mode, tone_hz, sample_rate)
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.channels = channels
        self.mode: RedactionMode = mode
        self.tone_hz = tone_hz
        # The name says unfinished; it only becomes self.path once the WAV header is final.
        self.partial_path = self.path.with_name(self.path.name + ".part")
        # Owner-only, like the database: it is a call, even with its PII silenced.
        descriptor = os.open(self.partial_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file: BinaryIO | None = os.fdopen(descriptor, "wb")
        self._writer: _Sink = (_WavSink(self._file, sample_rate, channels) if seal is None else
                               _SealedSink(self._file, seal, sample_rate, channels))
        self._pending: deque[np.ndarray] = deque()  # raw audio not yet written, oldest first
        self._pending_frames = 0
        self._written_frames = 0
        self._spans: list[_IndexSpan] = []  # merged, sample indices, not yet wholly written
        self._retired_spans: list[_IndexSpan] = []  # wholly written, kept for RecordingInfo

    @property
    def committed_s(self) -> float:
        """Time up to which audio has been written; spans must not start before it."""
        return self._written_frames / self.sample_rate

    def append(self, frames: np.ndarray) -> None:
        """Buffer ``int16`` audio of shape ``(n, channels)`` (1-D accepted for mono)."""
        self._check_open()
        if frames.dtype != np.int16:
            raise AudioFormatError(f"expected int16 samples, got {frames.dtype}")
        if frames.ndim == 1 and self.channels == 1:
            frames = frames[:, None]
        if frames.ndim != 2 or frames.shape[1] != self.channels:
            raise AudioFormatError(
                f"expected frames of shape (n, {self.channels}), got {frames.shape}"
            )
        self._pending.append(frames.copy())  # the caller may reuse its buffer
        self._pending_frames += len(frames)

    def redact(self, start_s: float, end_s: float) -> None:
        """Mark ``[start_s, end_s)`` for redaction on all channels, even beyond the audio so far."""
        self._check_open()
        start, end = _to_index_span(start_s, end_s, self.sample_rate)
        if start < self._written_frames:
            raise ValueError(
                f"span starting at {start_s:.3f} s begins before the committed point "
                f"{self.committed_s:.3f} s, whose audio is already written unredacted; "
                "commit only audio whose words are final"
            )
        self._spans = _merge([*self._spans, (start, end)])

    def commit(self, until_s: float) -> None:
        """Write the buffered audio before ``until_s``, redacted; an earlier time is a no-op."""
        self._check_open()
        if not math.isfinite(until_s):
            raise ValueError(f"commit time must be finite, got {until_s}")
        self._write_pending(round(until_s * self.sample_rate) - self._written_frames)

    def close(self) -> RecordingInfo:
        """Write all remaining audio redacted, finalise the WAV and move it into place."""
        self._check_open()
        self._write_pending(self._pending_frames)
        assert self._file is not None
        self._writer.close()  # final header or last chunk; leaves our file object open
        self._file.flush()
        os.fsync(self._file.fileno())  # the rename must not land before the data on a crash
        self._file.close()
        self._file = None
        os.replace(self.partial_path, self.path)
        return RecordingInfo(
            path=self.path,
            sample_rate=self.sample_rate,
            channels=self.channels,
            duration_s=self._written_frames / self.sample_rate,
            spans=self._spans_in_seconds(),
            mode=self.mode,
        )

    def discard(self) -> None:
        """Drop buffered audio and delete the partial file; the recording cannot be used after."""
        self._check_open()
        assert self._file is not None
        try:
            self._writer.close()  # else its finaliser later writes a header into a closed file
        except OSError:
            pass  # e.g. disk full: the file is being deleted anyway
        finally:
            self._file.close()
            self._file = None
        self._pending.clear()
        self._pending_frames = 0
        self.partial_path.unlink(missing_ok=True)

    def _check_open(self) -> None:
        if self._file is None:
            raise ValueError(f"recording {self.path.name} is already closed or discarded")

    def _write_pending(self, frame_count: int) -> None:
        """Write the oldest ``frame_count`` buffered frames (fewer if fewer are buffered)."""
        frame_count = min(frame_count, self._pending_frames)
        if frame_count <= 0:
            return
        assert self._file is not None
        block = self._take_pending(frame_count)
        redacted = _redact_block(
            block, self._written_frames, self._spans, self.mode, self.tone_hz, self.sample_rate
        )
        self._writer.write(encode_pcm16(redacted))
        self._file.flush()  # a crashed process then still leaves every committed frame
        self._written_frames += frame_count
        self._retire_written_spans()

    def _take_pending(self, frame_count: int) -> np.ndarray:
        """Remove and return the oldest ``frame_count`` frames, copying only those."""
        taken: list[np.ndarray] = []
        while frame_count > 0:
            oldest = self._pending.popleft()
            if len(oldest) > frame_count:
                self._pending.appendleft(oldest[frame_count:])
                oldest = oldest[:frame_count]
            taken.append(oldest)
            frame_count -= len(oldest)
            self._pending_frames -= len(oldest)
        return np.concatenate(taken)

    def _retire_written_spans(self) -> None:
        # Keeps per-commit work proportional to live spans, not to every span of a long call.
        # A span ending exactly at the written point stays live: a new span adjacent to it
        # must merge with it, so that its tone continues in phase.
        live = [span for span in self._spans if span[1] >= self._written_frames]
        self._retired_spans.extend(span for span in self._spans if span[1] < self._written_frames)
        self._spans = live

    def _spans_in_seconds(self) -> tuple[tuple[float, float], ...]:
        end_of_audio = self._written_frames
        spans = _merge([*self._retired_spans, *self._spans])
        clipped = ((start, min(end, end_of_audio)) for start, end in spans)
        return tuple(
            (start / self.sample_rate, end / self.sample_rate)
            for start, end in clipped
            if end > start
        )


class _Sink:
    """Where redacted PCM goes: a plain WAV or a sealed stream."""

    def write(self, pcm: bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _WavSink(_Sink):
    def __init__(self, file: BinaryIO, sample_rate: int, channels: int) -> None:
        self._wav = wave.open(file, "wb")
        self._wav.setnchannels(channels)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)

    def write(self, pcm: bytes) -> None:
        self._wav.writeframes(pcm)

    def close(self) -> None:
        self._wav.close()  # patches the header's sizes


class _SealedSink(_Sink):
    def __init__(self, file: BinaryIO, seal: RecordingSeal, sample_rate: int, channels: int) -> None:
        self._stream = SealedStreamWriter(file, seal.data_key, seal.context, _stream_info(sample_rate, channels))

    def write(self, pcm: bytes) -> None:
        self._stream.write(pcm)

    def close(self) -> None:
        self._stream.close()
