"""The redacted recording: spans exact to the sample in the WAV on disk, never raw audio on disk."""
from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from audio import AudioFormatError, RecordingInfo, RedactedRecording, redact_samples

RATE = 8000
TONE_HZ = 1000.0
TONE_PEAK = 0.2 * 32767


def call_audio(frames: int, channels: int) -> np.ndarray:
    """Distinct non-zero samples on every channel, so any redaction or mix-up shows."""
    rng = np.random.default_rng(channels)
    magnitudes = rng.integers(1000, 30000, (frames, channels))
    return (magnitudes * rng.choice([-1, 1], (frames, channels))).astype(np.int16)


def read_wav(path: Path) -> tuple[int, np.ndarray]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        raw = wav.readframes(wav.getnframes())
        return wav.getframerate(), np.frombuffer(raw, dtype="<i2").reshape(-1, wav.getnchannels())


def expected_audio(audio: np.ndarray, index_spans, mode: str) -> np.ndarray:
    """The sample-exact rule, written out independently of the code under test."""
    expected = audio.copy()
    for start, end in index_spans:
        if mode == "silence":
            expected[start:end] = 0
        else:
            since_start = np.arange(end - start)
            tone = TONE_PEAK * np.sin(2 * np.pi * TONE_HZ * since_start / RATE)
            expected[start:end] = np.rint(tone).astype(np.int16)[:, None]
    return expected


def assert_redacted_exactly(written: np.ndarray, audio: np.ndarray, index_spans, mode: str) -> None:
    expected = expected_audio(audio, index_spans, mode)
    untouched = np.ones(len(audio), dtype=bool)
    for start, end in index_spans:
        untouched[start:end] = False
    assert written.shape == audio.shape
    np.testing.assert_array_equal(written[untouched], audio[untouched])  # byte-identical
    # The tone may differ by rounding only; silence must be exact zeros.
    tolerance = 0 if mode == "silence" else 1
    assert np.abs(written.astype(np.int32) - expected).max(initial=0) <= tolerance


# Each case: operations in call order, then the merged sample ranges [start, end) redacted.
# ("append", n) appends the next n frames of the call; 8000 frames = 1 s in all.
WHOLE_CALL = ("append", 8000)
FRAMES_OF_20_MS_WITH_COMMITS = [
    op for i in range(50) for op in (("append", 160), ("commit", i * 0.02))
]
SPAN_CASES = [
    pytest.param([WHOLE_CALL, ("redact", 0.1, 0.2)], [(800, 1600)], id="one span"),
    pytest.param([WHOLE_CALL, ("redact", 0.10007, 0.19993)], [(801, 1599)], id="round up"),
    pytest.param([WHOLE_CALL, ("redact", 0.10006, 0.20006)], [(800, 1600)], id="round down"),
    pytest.param([WHOLE_CALL, ("redact", 0.0, 0.05)], [(0, 400)], id="first sample"),
    pytest.param([WHOLE_CALL, ("redact", 0.9, 1.0)], [(7200, 8000)], id="last sample"),
    pytest.param([WHOLE_CALL, ("redact", 0.9, 1.5)], [(7200, 8000)], id="clipped at the end"),
    pytest.param([WHOLE_CALL, ("redact", 2.0, 3.0)], [], id="wholly past the end"),
    pytest.param([WHOLE_CALL, ("redact", 0.5, 0.5)], [], id="empty"),
    pytest.param(
        [WHOLE_CALL, ("redact", 0.1, 0.2), ("redact", 0.15, 0.3)], [(800, 2400)], id="overlap"
    ),
    # Spans of a whole number of tone periods would hide a tone restarting at the join.
    pytest.param(
        [WHOLE_CALL, ("redact", 0.2001, 0.3), ("redact", 0.1, 0.2001)], [(800, 2400)], id="adjacent"
    ),
    pytest.param(
        [WHOLE_CALL, ("redact", 0.1, 0.5), ("redact", 0.2, 0.3)], [(800, 4000)], id="nested"
    ),
    pytest.param(
        [WHOLE_CALL, ("redact", 0.1, 0.2), ("redact", 0.6, 0.7)],
        [(800, 1600), (4800, 5600)],
        id="two apart",
    ),
    pytest.param(
        [WHOLE_CALL, ("redact", 0.1, 0.3), ("commit", 0.2)],
        [(800, 2400)],
        id="commit in the middle of a span",
    ),
    pytest.param(
        [WHOLE_CALL, ("redact", 0.1, 0.3), ("commit", 0.1), ("commit", 0.15003)]
        + [("commit", 0.29999)],
        [(800, 2400)],
        id="commits at odd points through a span",
    ),
    pytest.param(
        [("redact", 0.5, 0.6), *FRAMES_OF_20_MS_WITH_COMMITS],
        [(4000, 4800)],
        id="span ahead of the audio, 20 ms frames and commits",
    ),
    pytest.param(
        [WHOLE_CALL, ("redact", 0.1, 0.2), ("commit", 0.15), ("redact", 0.18, 0.3)],
        [(800, 2400)],
        id="span extended after the commit passed its start",
    ),
    pytest.param(
        [WHOLE_CALL, ("redact", 0.1, 0.2001), ("commit", 0.2001), ("redact", 0.2001, 0.25)],
        [(800, 2000)],
        id="adjacent to a span ending at the committed point",
    ),
    pytest.param(
        [("append", 4000), ("commit", 0.9), ("redact", 0.5, 0.6), ("append", 4000)],
        [(4000, 4800)],
        id="commit beyond the audio, then more audio",
    ),
    pytest.param(
        [WHOLE_CALL, ("commit", 0.5), ("commit", 0.2), ("redact", 0.6, 0.7)],
        [(4800, 5600)],
        id="commit backwards is a no-op",
    ),
]


def run_operations(recording: RedactedRecording, operations, audio: np.ndarray) -> None:
    appended = 0
    for operation, *args in operations:
        if operation == "append":
            recording.append(audio[appended : appended + args[0]])
            appended += args[0]
        else:
            getattr(recording, operation)(*args)


@pytest.mark.parametrize(("operations", "index_spans"), SPAN_CASES)
@pytest.mark.parametrize("mode", ["silence", "tone"])
@pytest.mark.parametrize("channels", [1, 2])
def test_spans_are_exact_to_the_sample_in_the_written_wav(
    tmp_path, operations, index_spans, mode, channels
):
    audio = call_audio(8000, channels)
    recording = RedactedRecording(tmp_path / "call.wav", RATE, channels, mode, TONE_HZ)
    run_operations(recording, operations, audio)
    recording.close()
    rate, written = read_wav(tmp_path / "call.wav")
    assert rate == RATE
    assert_redacted_exactly(written, audio, index_spans, mode)


@pytest.mark.parametrize("mode", ["silence", "tone"])
def test_redact_samples_applies_the_same_rule_without_a_file(mode):
    audio = call_audio(8000, 1)
    spans = [(0.1, 0.2), (0.15, 0.3), (0.9, 1.5)]
    redacted = redact_samples(audio[:, 0], RATE, spans, mode, TONE_HZ)
    assert redacted.shape == (8000,)
    assert_redacted_exactly(redacted[:, None], audio, [(800, 2400), (7200, 8000)], mode)
    assert np.all(audio != 0)  # the input is left alone


def test_tone_is_a_sine_at_the_requested_pitch_and_level():
    redacted = redact_samples(np.zeros(8000, dtype=np.int16), RATE, [(0.0, 1.0)], "tone", 440.0)
    spectrum = np.abs(np.fft.rfft(redacted))
    assert np.argmax(spectrum) == 440  # 1 Hz bins over one second
    assert abs(int(np.abs(redacted).max()) - 6553) <= 1  # 0.2 of full scale


def test_part_file_never_holds_audio_that_is_not_committed(tmp_path):
    audio = call_audio(8000, 2)
    recording = RedactedRecording(tmp_path / "call.wav", RATE, 2)
    recording.append(audio)
    recording.redact(0.1, 0.2)
    part = tmp_path / "call.wav.part"
    assert not (tmp_path / "call.wav").exists()
    assert audio.tobytes()[:64] not in part.read_bytes()  # appended is not written

    recording.commit(0.25)
    written_bytes = part.read_bytes()
    rate, written = read_wav(part)  # the header is kept valid: a crash leaves a readable file
    assert len(written) == 2000
    assert_redacted_exactly(written, audio[:2000], [(800, 1600)], "silence")
    assert audio[2000:].tobytes()[:64] not in written_bytes
    assert audio[800:1600].tobytes()[:64] not in written_bytes
    assert not (tmp_path / "call.wav").exists()
    recording.close()
    assert not part.exists()


def test_span_starting_in_committed_audio_is_refused(tmp_path):
    audio = call_audio(8000, 1)
    recording = RedactedRecording(tmp_path / "call.wav", RATE, 1)
    recording.append(audio)
    recording.commit(0.5)
    with pytest.raises(ValueError, match="before the committed point 0.500 s"):
        recording.redact(0.45, 0.6)
    recording.redact(0.5, 0.6)  # from the committed point on is fine
    recording.close()
    assert_redacted_exactly(read_wav(tmp_path / "call.wav")[1], audio, [(4000, 4800)], "silence")


def test_close_returns_what_was_written(tmp_path):
    recording = RedactedRecording(tmp_path / "call.wav", RATE, 2, "tone", TONE_HZ)
    recording.append(call_audio(12000, 2))
    for start, end in [(0.5, 0.75), (0.1, 0.15), (0.7, 0.8), (1.4, 9.0), (0.15, 0.2), (3.0, 4.0)]:
        recording.redact(start, end)
    info = recording.close()
    assert info == RecordingInfo(
        path=tmp_path / "call.wav",
        sample_rate=RATE,
        channels=2,
        duration_s=1.5,
        spans=((0.1, 0.2), (0.5, 0.8), (1.4, 1.5)),
        mode="tone",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["call.wav"]


def test_close_without_audio_writes_an_empty_wav(tmp_path):
    info = RedactedRecording(tmp_path / "call.wav", 16000, 1).close()
    assert info.duration_s == 0.0
    assert read_wav(tmp_path / "call.wav")[1].shape == (0, 1)


def test_discard_removes_the_partial_file(tmp_path):
    recording = RedactedRecording(tmp_path / "call.wav", RATE, 1)
    recording.append(call_audio(800, 1))
    recording.commit(0.05)
    recording.discard()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="closed or discarded"):
        recording.append(call_audio(800, 1))


@pytest.mark.parametrize("operation", ["close", "discard", "commit", "redact"])
def test_a_closed_recording_refuses_further_use(tmp_path, operation):
    recording = RedactedRecording(tmp_path / "call.wav", RATE, 1)
    recording.close()
    arguments = {"commit": (1.0,), "redact": (0.0, 1.0)}.get(operation, ())
    with pytest.raises(ValueError, match="closed or discarded"):
        getattr(recording, operation)(*arguments)
    assert (tmp_path / "call.wav").exists()


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        (np.zeros((10, 1), dtype=np.int16), r"shape \(n, 2\)"),
        (np.zeros(10, dtype=np.int16), r"shape \(n, 2\)"),
        (np.zeros((10, 2), dtype=np.float32), "expected int16"),
    ],
)
def test_append_refuses_audio_of_another_format(tmp_path, frames, message):
    recording = RedactedRecording(tmp_path / "call.wav", RATE, 2)
    with pytest.raises(AudioFormatError, match=message):
        recording.append(frames)
    recording.discard()


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ((RATE, 1, "beep"), ValueError, "unknown redaction mode"),
        ((RATE, 1, "tone", 4000.0), ValueError, "tone_hz"),
        ((0, 1), AudioFormatError, "unsupported sample_rate"),
        ((RATE, 0), AudioFormatError, "channels"),
    ],
)
def test_invalid_recording_settings(tmp_path, arguments, error, message):
    with pytest.raises(error, match=message):
        RedactedRecording(tmp_path / "call.wav", *arguments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("start_s", "end_s"), [(0.3, 0.2), (-0.1, 0.2), (float("nan"), 0.2), (0.1, float("inf"))]
)
def test_invalid_spans_are_refused(tmp_path, start_s, end_s):
    recording = RedactedRecording(tmp_path / "call.wav", RATE, 1)
    with pytest.raises(ValueError, match="invalid span"):
        recording.redact(start_s, end_s)
    recording.discard()


def test_a_part_file_left_by_a_killed_process_is_recovered(tmp_path):
    """kill -9 mid-call: the .part holds every committed frame, redacted, under a header that
    still says 0 frames. Recovery patches the header, moves the file into place, registers it
    with its call as interrupted, and leaves other servers' live rows alone."""
    import stat

    from audio.pipeline import recover_interrupted_recordings
    from redactor.storage import Recording, open_storage

    directory = tmp_path / "recordings"
    directory.mkdir()
    path = directory / "0123abcd.wav"
    recording = RedactedRecording(path, 8000, 2)
    samples = (np.arange(16000, dtype=np.int16) % 2000).reshape(-1, 2)
    recording.append(samples)
    recording.redact(0.25, 0.5)
    recording.commit(0.75)  # 6000 frames written; the rest still in memory when the process dies
    assert stat.S_IMODE(recording.partial_path.stat().st_mode) == 0o600
    with open(recording.partial_path, "ab") as file:
        file.write(b"\x01")  # a frame cut by the kill
    with open_storage(str(tmp_path / "r.db")) as storage:
        storage.start_recording(Recording("call-7", str(path), 8000, 2, 0.0, "silence", ()))
        elsewhere = Recording("call-8", str(tmp_path / "other" / "x.wav"), 8000, 1, 0.0, "silence", ())
        storage.start_recording(elsewhere)
        recovered = recover_interrupted_recordings(storage, directory)
        assert [(r.call_id, r.status, r.duration_s) for r in recovered] == [("call-7", "interrupted", 0.75)]
        assert storage.recording("call-7").status == "interrupted"
        assert storage.recording("call-8").status == "recording"  # another server's live call
    rate, written = read_wav(path)
    assert rate == 8000 and written.shape == (6000, 2)
    assert not written[2000:4000].any() and np.array_equal(written[:2000], samples[:2000])
    assert not list(directory.glob("*.part"))
