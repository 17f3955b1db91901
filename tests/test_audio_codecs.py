"""Audio codecs: G.711 tables, PCM decoding, format errors, and the streaming resampler."""
from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

from audio import AudioFormatError, Resampler, decode, deinterleave, encode_pcm16

# --- G.711 -----------------------------------------------------------------------------------

KNOWN_G711_VALUES = [
    # ITU-T G.711 reference points
    ("mulaw", 0xFF, 0),
    ("mulaw", 0x7F, 0),
    ("mulaw", 0x00, -32124),
    ("mulaw", 0x80, 32124),
    ("mulaw", 0xFE, 8),  # sign bit set = positive
    ("mulaw", 0x7E, -8),
    ("mulaw", 0xEF, 132),  # segment 1 starts where segment 0 ends: (0x84 << 1) - 0x84
    ("alaw", 0xD5, 8),
    ("alaw", 0x55, -8),
    ("alaw", 0x2A, -32256),
    ("alaw", 0xAA, 32256),
    ("alaw", 0xC5, 264),  # segment 1 starts where segment 0 (linear) ends
]


@pytest.mark.parametrize(("encoding", "code", "expected"), KNOWN_G711_VALUES)
def test_g711_known_values(encoding, code, expected):
    assert decode(bytes([code]), encoding)[0, 0] == expected


def stdlib_audioop():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pytest.importorskip("audioop")  # gone in Python 3.13


@pytest.mark.parametrize(("encoding", "reference"), [("mulaw", "ulaw2lin"), ("alaw", "alaw2lin")])
def test_g711_table_matches_stdlib_audioop(encoding, reference):
    every_code = bytes(range(256))
    expected = np.frombuffer(getattr(stdlib_audioop(), reference)(every_code, 2), dtype="<i2")
    np.testing.assert_array_equal(decode(every_code, encoding)[:, 0], expected)


@pytest.mark.parametrize("encoding", ["mulaw", "alaw"])
def test_g711_is_sign_symmetric_and_monotonic_per_sign(encoding):
    values = decode(bytes(range(256)), encoding)[:, 0].astype(np.int32)
    positives = np.sort(values[values > 0])
    negatives = np.sort(-values[values < 0])
    np.testing.assert_array_equal(positives, negatives)
    assert len(np.unique(values)) >= 255  # μ-law has two zeros, A-law none


# --- decoding --------------------------------------------------------------------------------

DECODES = [
    # little-endian whatever the host
    (b"\x01\x00\xff\x7f\x00\x80\xff\xff", "pcm_s16le", 1, [[1], [32767], [-32768], [-1]]),
    # interleaved stereo: L0 R0 L1 R1, columns are channels
    (b"\x01\x00\x02\x00\x03\x00\x04\x00", "pcm_s16le", 2, [[1, 2], [3, 4]]),
    (b"\x03\x00\x04\x00\x05\x00", "pcm_s16le", 3, [[3, 4, 5]]),
    (bytes([0xFF, 0x00, 0x7E, 0x80]), "mulaw", 2, [[0, -32124], [-8, 32124]]),
    (bytes([0xD5, 0x55]), "alaw", 2, [[8, -8]]),
    (b"", "pcm_s16le", 2, np.zeros((0, 2))),
    (b"", "alaw", 1, np.zeros((0, 1))),
]


@pytest.mark.parametrize(("payload", "encoding", "channels", "expected"), DECODES)
def test_decode(payload, encoding, channels, expected):
    samples = decode(payload, encoding, channels)
    assert samples.dtype == np.int16
    np.testing.assert_array_equal(samples, np.asarray(expected).reshape(-1, channels))


@pytest.mark.parametrize(
    "payload", [bytearray(b"\x01\x00\x02\x00"), memoryview(b"\x01\x00\x02\x00")]
)
def test_decode_accepts_any_bytes_like(payload):
    np.testing.assert_array_equal(decode(payload, "pcm_s16le"), [[1], [2]])


SECRET = b"SECRET-CARD-4532"  # stands for audio content: must never show up in a message

FORMAT_ERRORS = [
    (SECRET + b"!", "pcm_s16le", 1, "odd number of bytes (17)"),
    (SECRET[:6], "pcm_s16le", 2, "6 bytes is not a whole number of frames for 2 channels"),
    (SECRET[:5], "mulaw", 2, "5 bytes is not a whole number of frames for 2 channels"),
    (SECRET[:7], "alaw", 4, "7 bytes is not a whole number of frames for 4 channels"),
    (SECRET, "mp3", 1, "unknown encoding 'mp3'"),
    (SECRET, SECRET, 1, "unknown encoding of type bytes"),  # arguments swapped by mistake
    (SECRET, "pcm_s16le", 0, "channels must be a positive integer"),
]


@pytest.mark.parametrize(("payload", "encoding", "channels", "message"), FORMAT_ERRORS)
def test_decode_format_errors(payload, encoding, channels, message):
    with pytest.raises(AudioFormatError, match=re.escape(message)) as error:
        decode(payload, encoding, channels)
    assert isinstance(error.value, ValueError)
    assert "SECRET" not in str(error.value)


# --- encoding and channels -------------------------------------------------------------------

def test_encode_pcm16_is_little_endian_and_interleaved():
    stereo = np.array([[1, -2], [32767, -32768]], dtype=np.int16)
    assert encode_pcm16(stereo) == b"\x01\x00\xfe\xff\xff\x7f\x00\x80"
    np.testing.assert_array_equal(decode(encode_pcm16(stereo), "pcm_s16le", 2), stereo)


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8])
def test_encode_pcm16_rejects_other_sample_types(dtype):
    with pytest.raises(AudioFormatError, match="expected int16"):
        encode_pcm16(np.zeros(4, dtype=dtype))


def test_deinterleave_gives_one_contiguous_array_per_channel():
    channels = deinterleave(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int16))
    assert [c.tolist() for c in channels] == [[1, 4], [2, 5], [3, 6]]
    assert all(c.flags.c_contiguous and c.dtype == np.int16 for c in channels)


# --- resampler -------------------------------------------------------------------------------

RATE_PAIRS = [
    (8000, 16000), (16000, 8000), (44100, 16000), (48000, 16000), (16000, 48000), (8000, 44100)
]


def sine(frequency: float, rate: int, seconds: float, amplitude: float = 8000.0) -> np.ndarray:
    phase = 2 * np.pi * frequency * np.arange(round(seconds * rate)) / rate
    return np.rint(amplitude * np.sin(phase)).astype(np.int16)


def resample_in_chunks(samples: np.ndarray, from_rate: int, to_rate: int, chunk: int) -> np.ndarray:
    resampler = Resampler(from_rate, to_rate)
    parts = [resampler.process(samples[i : i + chunk]) for i in range(0, len(samples), chunk)]
    return np.concatenate([*parts, resampler.flush()])


def noise(seconds: float, rate: int) -> np.ndarray:
    return np.random.default_rng(7).integers(-20000, 20000, round(seconds * rate)).astype(np.int16)


@pytest.mark.parametrize(("from_rate", "to_rate"), RATE_PAIRS)
@pytest.mark.parametrize("chunk", [1600, 7, 1, 160, 10**6])
def test_resampler_output_does_not_depend_on_chunk_sizes(from_rate, to_rate, chunk):
    signal = noise(0.5, from_rate)
    whole = resample_in_chunks(signal, from_rate, to_rate, len(signal))
    chunked = resample_in_chunks(signal, from_rate, to_rate, chunk)
    assert len(chunked) == len(whole)
    assert np.abs(chunked.astype(np.int32) - whole).max() <= 1


@pytest.mark.parametrize(("from_rate", "to_rate"), RATE_PAIRS)
@pytest.mark.parametrize("input_length", [0, 1, 2, 3, 441, 1000, 16001])
def test_resampler_total_length(from_rate, to_rate, input_length):
    output = resample_in_chunks(noise(3, from_rate)[:input_length], from_rate, to_rate, 160)
    assert abs(len(output) - round(input_length * to_rate / from_rate)) <= 1


def lag_in_output_samples(output: np.ndarray, frequency: float, rate: int) -> float:
    """How far ``output`` trails the ideal sine, from its phase over a whole number of periods."""
    window = np.arange(rate // 10, rate // 10 + rate // 2)  # skip the edges, 500 periods at 1 kHz
    angle = 2 * np.pi * frequency * window / rate
    in_phase = np.dot(output[window], np.sin(angle))
    quadrature = np.dot(output[window], np.cos(angle))
    return -math.atan2(quadrature, in_phase) / (2 * np.pi * frequency / rate)


@pytest.mark.parametrize(("from_rate", "to_rate"), RATE_PAIRS)
def test_resampler_output_is_time_aligned_with_input(from_rate, to_rate):
    # Word timings found on resampled audio are mapped back onto the original: no delay allowed.
    output = resample_in_chunks(sine(1000, from_rate, 1), from_rate, to_rate, 1600)
    assert abs(lag_in_output_samples(output.astype(np.float64), 1000, to_rate)) < 0.05
    ideal = sine(1000, to_rate, 1)
    assert np.abs(output[100:-100] - ideal[: len(output)][100:-100]).max() <= 3


@pytest.mark.parametrize(
    ("from_rate", "to_rate", "frequency"),
    [(16000, 8000, 5000), (16000, 8000, 6000), (48000, 16000, 10000), (44100, 16000, 12000)],
)
def test_resampler_removes_frequencies_above_the_lower_nyquist(from_rate, to_rate, frequency):
    output = resample_in_chunks(sine(frequency, from_rate, 1, 20000), from_rate, to_rate, 1600)
    rms = np.sqrt(np.mean(output[200:-200].astype(np.float64) ** 2))
    assert rms < 20000 / np.sqrt(2) * 10 ** (-60 / 20)  # more than 60 dB down: no aliasing


@pytest.mark.parametrize(("from_rate", "to_rate"), RATE_PAIRS)
@pytest.mark.parametrize("level", [30000, -32768])
def test_resampler_keeps_a_constant_constant(from_rate, to_rate, level):
    constant = np.full(from_rate // 2, level, dtype=np.int16)
    output = resample_in_chunks(constant, from_rate, to_rate, 1600)
    steady = output[to_rate // 100 : -to_rate // 100]  # away from the silence around the stream
    assert steady.min() == steady.max() == level


def test_resampler_streams_rather_than_holding_audio_until_flush():
    resampler = Resampler(8000, 16000)
    emitted = sum(len(resampler.process(noise(1, 8000)[i : i + 160])) for i in range(0, 8000, 160))
    assert 16000 - 40 <= emitted < 16000  # only the filter's look-ahead (2 ms) waits for flush


def test_resampler_flush_resets_for_a_new_stream():
    resampler = Resampler(44100, 16000)
    signal = noise(0.2, 44100)
    first = np.concatenate([resampler.process(signal), resampler.flush()])
    second = np.concatenate([resampler.process(signal), resampler.flush()])
    np.testing.assert_array_equal(first, second)


def test_resampler_same_rate_is_a_copy():
    resampler = Resampler(8000, 8000)
    signal = noise(0.1, 8000)
    output = resampler.process(signal)
    np.testing.assert_array_equal(output, signal)
    assert not np.shares_memory(output, signal)
    assert len(resampler.flush()) == 0


@pytest.mark.parametrize(
    ("from_rate", "to_rate"), [(0, 8000), (8000, -1), (8000.0, 16000), (True, 8000), (8001, 16000)]
)
def test_resampler_rejects_unsupported_rates(from_rate, to_rate):
    with pytest.raises(AudioFormatError, match="unsupported"):
        Resampler(from_rate, to_rate)


@pytest.mark.parametrize(
    "samples", [np.zeros(4, dtype=np.float32), np.zeros((4, 2), dtype=np.int16)]
)
def test_resampler_rejects_other_than_mono_int16(samples):
    with pytest.raises(AudioFormatError, match="expected 1-D int16"):
        Resampler(8000, 16000).process(samples)
