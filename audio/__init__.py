"""Audio for the live redactor: telephony codecs, resampling and the redacted call recording.

Raw audio stays in memory; only redacted audio is ever written (see :mod:`audio.recording`).
"""
from __future__ import annotations

from .codecs import (
    ENCODINGS,
    AudioFormatError,
    Encoding,
    Resampler,
    decode,
    deinterleave,
    encode_pcm16,
)
from .recording import (
    REDACTION_MODES,
    RecordingInfo,
    RedactedRecording,
    RedactionMode,
    redact_samples,
)

__all__ = [
    "ENCODINGS",
    "AudioFormatError",
    "Encoding",
    "REDACTION_MODES",
    "RecordingInfo",
    "RedactedRecording",
    "RedactionMode",
    "Resampler",
    "decode",
    "deinterleave",
    "encode_pcm16",
    "redact_samples",
]
