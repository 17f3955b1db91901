"""Test speech made with espeak-ng and sox, and what the real Vosk model hears in it.

The only Vosk model on the registries is Korean, so the calls here are Korean speech. What the
model transcribes is read back with real Vosk (``reference_words``), and tests pick words from
that transcript as the "PII" a policy's deny-list must catch, so the audio path is checked with
detections that really happen, whatever the model's exact output.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.codecs import Resampler, encode_pcm16
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


def require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"{missing} not installed: .ci/run installs them (apt-get)")


def synthesize(text: str, path: Path, voice: str = "ko", sample_rate: int = 8000) -> np.ndarray:
    """Speak ``text`` into a mono 16-bit WAV at ``sample_rate`` (with half a second of silence
    before and after, as a call has); return its samples."""
    require_tools()
    raw = path.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "130", "-w", str(raw), text], check=True)
    subprocess.run(
        ["sox", str(raw), "-r", str(sample_rate), "-c", "1", "-b", "16", "-e", "signed-integer",
         str(path), "pad", "0.5", "0.5"],
        check=True,
    )
    return read_wav(path)[0][:, 0]


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


def g711_stereo(samples: np.ndarray, path: Path, encoding: str = "mu-law") -> bytes:
    """Two-channel G.711 (sox): silence on the first channel, ``samples`` on the second."""
    require_tools()
    mono = path.with_suffix(".mono.wav")
    with wave.open(str(mono), "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(8000)
        wav.writeframes(encode_pcm16(samples))
    subprocess.run(["sox", str(mono), "-t", "raw", "-e", encoding, "-b", "8", "-c", "2", str(path),
                    "remix", "0", "1"], check=True)
    return path.read_bytes()


def words_heard(text: str, terms) -> set[str]:
    """Which ``terms`` stand as whole words in ``text`` (a term inside a longer word, which the
    deny-list rightly leaves alone, does not count)."""
    return set(re.findall(r"\w+", text)) & set(terms)
