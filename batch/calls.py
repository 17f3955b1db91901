"""One call recording through the live call pipeline: streamed from its WAV file in the live
server's 100 ms batches, transcribed by Vosk, masked, stored, and written as a redacted WAV
(same rate and channels) as it goes. Memory holds a few seconds of audio, whatever the length.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from audio.pipeline import CallPipeline
from audio.recording import RedactedRecording
from audio.transcriber import SpeechModel
from redactor import Redactor
from redactor.protocol import SPEAKERS, CallStart
from redactor.storage import Segment
from redactor.transcript import CallTranscript

from .wav import WavError, read_wav_info, stream_audio
from .worker import CALL_CHUNK_S, WorkerSettings


def call_speakers(channels: int, configured: Sequence[str]) -> tuple[str, ...]:
    """Channel -> speaker: the configured map, else the live server's default (customer,
    agent), else ``channel-N``."""
    if configured:
        if len(configured) != channels:
            raise WavError(f"recording has {channels} channel(s) but --call-speakers names "
                           f"{len(configured)}")
        return tuple(configured)
    if channels <= len(SPEAKERS):
        return SPEAKERS[:channels]
    return tuple(f"channel-{n + 1}" for n in range(channels))


def redact_call(
    path: Path, call_id: str, redactor: Redactor, model: SpeechModel, recording_path: Path,
    store: Callable[[Segment], None], settings: WorkerSettings,
) -> dict[str, Any]:
    info = read_wav_info(path)
    speakers = call_speakers(info.channels, settings.call_speakers)
    start = CallStart(call_id, info.sample_rate, info.encoding, info.channels, speakers,
                      settings.lang)
    recording_path.parent.mkdir(parents=True, exist_ok=True)
    recording = RedactedRecording(recording_path, info.sample_rate, info.channels,
                                  mode=settings.audio_redaction)  # type: ignore[arg-type]
    transcript = CallTranscript(call_id, redactor, speakers, settings.lang)  # type: ignore[arg-type]
    # No partials: nobody watches a batch call; the finals and the recording are the same.
    pipeline = CallPipeline(start, model, transcript, recording, store, partials=False)
    try:
        for chunk in stream_audio(path, info, CALL_CHUNK_S):
            pipeline.feed(chunk)
        _, written = pipeline.finish()
    except BaseException:
        try:
            recording.discard()  # nothing of an unfinished call stays on disk
        except ValueError:
            pass  # already closed: finish() failed after writing the whole recording
        raise
    assert written is not None
    return {
        "audio_s": info.duration_s,
        "truncated": info.truncated,
        "recording": {"call_id": call_id, "sample_rate": written.sample_rate,
                      "channels": written.channels, "duration_s": written.duration_s,
                      "mode": written.mode, "spans": [list(span) for span in written.spans]},
    }
