"""Test speech synthesised with libespeak-ng (from the PyPI package ``espeakng-loader``: no
program to install), converted with numpy and the project's own codecs, and what the real Vosk
model hears in it.

The only Vosk model on the registries is Korean, so the calls here are Korean speech. What the
model transcribes is read back with real Vosk (``reference_words``), and tests pick words from
that transcript as the "PII" a policy's deny-list must catch, so the audio path is checked with
detections that really happen, whatever the model's exact output.
"""
from __future__ import annotations

import ctypes
import re
import struct
import threading
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.codecs import Resampler, decode, encode_pcm16
from audio.transcriber import Final, SpeechModel, StreamingTranscriber
from redactor.transcript import Word

KOREAN_CALL = (
    "안녕하세요 고객님. 카드 번호를 말씀해 주시겠어요? "
    "제 이름은 이영호 입니다. 주소는 서울시 강남구 테헤란로 입니다. 감사합니다."
)
VOSK_FRAME_BYTES = 3200  # what Asterisk and FreeSWITCH send


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray  # int16, mono
    sample_rate: int
    words: tuple[Word, ...]  # what the model hears, as the server will feed it

    @property
    def pcm(self) -> bytes:
        return encode_pcm16(self.samples)


class _Espeak:
    """libespeak-ng through ctypes, in synchronous mode: ``espeak_Synth`` returns once every
    sample went through the callback. The library is one global state: calls are serialised."""

    _AUDIO_OUTPUT_SYNCHRONOUS = 2
    _RATE_PARAMETER = 1  # espeakRATE, words per minute
    _POS_CHARACTER = 1
    _CHARS_UTF8 = 1
    _CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                                 ctypes.c_void_p)

    def __init__(self) -> None:
        import espeakng_loader

        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self._lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        data = espeakng_loader.get_data_path().encode()
        self.sample_rate = self._lib.espeak_Initialize(self._AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if self.sample_rate <= 0:
            raise RuntimeError("libespeak-ng did not initialise")
        self._chunks: list[np.ndarray] = []
        self._callback = self._CALLBACK(self._collect)  # kept: the library holds a pointer to it
        self._lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()

    def _collect(self, wav, count: int, events) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # go on

    def speak(self, text: str, voice: str, words_per_minute: int) -> np.ndarray:
        encoded = text.encode("utf-8")
        with self._lock:
            self._chunks = []
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise RuntimeError(f"libespeak-ng has no voice {voice!r}")
            self._lib.espeak_SetParameter(self._RATE_PARAMETER, words_per_minute, 0)
            if self._lib.espeak_Synth(encoded, len(encoded) + 1, 0, self._POS_CHARACTER, 0,
                                      self._CHARS_UTF8, None, None) != 0:
                raise RuntimeError("libespeak-ng failed to synthesise")
            self._lib.espeak_Synchronize()
            return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)


_espeak: _Espeak | None = None
_espeak_lock = threading.Lock()


def espeak() -> _Espeak:
    global _espeak
    with _espeak_lock:
        if _espeak is None:
            _espeak = _Espeak()
        return _espeak


def synthesize(text: str, voice: str = "ko", sample_rate: int = 8000, words_per_minute: int = 130,
               pause_s: float = 0.8, pad_s: float = 0.5) -> np.ndarray:
    """Speak ``text`` as a caller would: mono int16 samples at ``sample_rate``, each sentence
    followed by ``pause_s`` of silence (long enough for Vosk to end the utterance), and
    ``pad_s`` of silence before the first."""
    engine = espeak()
    silence = np.zeros(round(pause_s * engine.sample_rate), dtype=np.int16)
    spoken = [np.zeros(round(pad_s * engine.sample_rate), dtype=np.int16)]
    for sentence in re.findall(r"[^.?!]+[.?!]?", text):
        if sentence.strip():
            spoken += [engine.speak(sentence.strip(), voice, words_per_minute), silence]
    resampler = Resampler(engine.sample_rate, sample_rate)
    return np.concatenate([resampler.process(np.concatenate(spoken)), resampler.flush()])


def with_line_noise(samples: np.ndarray, rms: float = 10.0, seed: int = 0) -> np.ndarray:
    """``samples`` over a quiet line's noise floor (about -70 dBFS). Vosk without dither
    (see ``conftest.speech_model_path``) takes exact digital silence for no silence at all
    and never ends an utterance; a real line is never that quiet."""
    noise = np.random.default_rng(seed).normal(0.0, rms, len(samples))
    return np.clip(samples + noise, -32768, 32767).round().astype(np.int16)


def g711_encode(samples: np.ndarray, encoding: str) -> bytes:
    """μ-law or A-law bytes of int16 samples: each sample gets the code whose decoded value
    (the project's own tables) is nearest."""
    table = decode(bytes(range(256)), encoding)[:, 0].astype(np.int32)  # code -> sample
    order = np.argsort(table, kind="stable")
    levels = table[order]
    flat = samples.reshape(-1).astype(np.int32)
    right = np.clip(np.searchsorted(levels, flat), 1, len(levels) - 1)
    nearer_left = (flat - levels[right - 1]) <= (levels[right] - flat)
    return order[np.where(nearer_left, right - 1, right)].astype(np.uint8).tobytes()


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Samples as (frames, channels) int16, and the sample rate."""
    with wave.open(str(path), "rb") as wav:
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return frames.reshape(-1, wav.getnchannels()), wav.getframerate()


def reference_words(samples: np.ndarray, sample_rate: int, model: SpeechModel) -> tuple[Word, ...]:
    """Real Vosk on the audio, resampled and framed as the server does it."""
    resampler, recognizer = Resampler(sample_rate, model.sample_rate), StreamingTranscriber(model)
    results = []
    step = VOSK_FRAME_BYTES // 2
    for i in range(0, len(samples), step):
        results += recognizer.accept(encode_pcm16(resampler.process(samples[i : i + step])))
    results += recognizer.accept(encode_pcm16(resampler.flush())) + recognizer.finish()
    return tuple(w for r in results if isinstance(r, Final) for w in r.words)


def distinctive_words(words: tuple[Word, ...], count: int = 3) -> tuple[str, ...]:
    """Words heard once, of two or more letters, away from the edges: terms a test policy
    masks as if they were names."""
    texts = [w.text for w in words]
    unique = [t for t in texts[1:-1] if texts.count(t) == 1 and len(t) >= 2 and t.isalpha()]
    return tuple(unique[len(unique) // 3 :][:count])


def g711_stereo(samples: np.ndarray, encoding: str = "mulaw") -> bytes:
    """Two-channel G.711: silence on the first channel, ``samples`` on the second."""
    stereo = np.column_stack([np.zeros_like(samples), samples])
    return g711_encode(stereo, encoding)


def wav_bytes(payload: bytes, tag: int, channels: int, rate: int, bits: int, *, extensible=False,
              declared: int | None = None) -> bytes:
    """A WAV file's bytes, with an odd-sized chunk before the data as recorders write them;
    ``extensible``: WAVE_FORMAT_EXTENSIBLE; ``declared``: the data size the header claims."""
    block = channels * bits // 8
    if extensible:
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * block, block, bits, 22, bits, 3)
        fmt += struct.pack("<H", tag) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    else:
        fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    size = len(payload) if declared is None else declared
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"LIST" + struct.pack("<I", 3) + b"abc\x00"  # an odd-sized chunk, padded
    body += b"data" + struct.pack("<I", size) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def words_heard(text: str, terms) -> set[str]:
    """Which ``terms`` stand as whole words in ``text`` (a term inside a longer word, which the
    deny-list rightly leaves alone, does not count)."""
    return set(re.findall(r"\w+", text)) & set(terms)
