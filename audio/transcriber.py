"""Streaming speech recognition with Vosk: one recognizer per channel on one shared model.

Calls here block (Kaldi decoding); the server runs them on worker threads. Vosk's C calls go
through cffi, which releases the GIL, so two streams really decode on two cores.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import vosk

from redactor.transcript import Word

MODEL_ENV = "REDACTOR_VOSK_MODEL"
DEFAULT_MODEL_RATE = 16000  # Kaldi's default --sample-frequency when mfcc.conf sets none
_SAMPLE_FREQUENCY = re.compile(r"^--sample-frequency=(\d+)", re.MULTILINE)

# Kaldi logs to stderr per utterance at -1, and warns at -1 with the words of a phrase list
# the model lacks (a customer's name, say): only its errors reach the log.
vosk.SetLogLevel(-2)


class ModelUnavailableError(RuntimeError):
    """No speech model was configured or found, or it could not be loaded."""


@dataclass(frozen=True)
class Partial:
    text: str


@dataclass(frozen=True)
class Alternative:
    words: tuple[Word, ...]
    confidence: float


@dataclass(frozen=True)
class Final:
    words: tuple[Word, ...]
    # The n-best list when the recognizer was asked for alternatives; the first is ``words``.
    alternatives: tuple[Alternative, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


Recognition = Partial | Final


@dataclass(frozen=True)
class SpeechModel:
    """A loaded Vosk model and the sample rate its features expect."""

    model: vosk.Model
    sample_rate: int
    name: str

    @classmethod
    def load(cls, path: str | Path) -> SpeechModel:
        path = Path(path)
        if not path.is_dir():
            raise ModelUnavailableError(f"Vosk model directory not found: {path}")
        try:
            model = vosk.Model(str(path))
        except Exception as exc:  # vosk raises a bare Exception when Kaldi rejects the files
            raise ModelUnavailableError(f"Vosk could not load the model at {path}: {exc}") from None
        return cls(model, model_sample_rate(path), path.name)

    @classmethod
    def from_vosk(cls, model: vosk.Model, sample_rate: int = DEFAULT_MODEL_RATE) -> SpeechModel:
        """Wrap a model the caller loaded (for example ``vosk.Model(lang="en-us")``)."""
        return cls(model, sample_rate, "vosk.Model")


def model_sample_rate(path: Path) -> int:
    conf = path / "conf" / "mfcc.conf"
    found = _SAMPLE_FREQUENCY.search(conf.read_text()) if conf.is_file() else None
    return int(found.group(1)) if found else DEFAULT_MODEL_RATE


def find_model_path(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """``--vosk-model``, else ``$REDACTOR_VOSK_MODEL``, else an installed ``vosk-model-*`` package."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Path(explicit)
    if environ.get(MODEL_ENV):
        return Path(environ[MODEL_ENV])
    return installed_model_path()


def installed_model_path() -> Path | None:
    """The model directory of the first installed ``vosk-model-*`` distribution, if any."""
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if not name.startswith("vosk-model-"):
            continue
        spec = importlib.util.find_spec(name.replace("-", "_"))
        if spec and spec.submodule_search_locations:
            package_dir = Path(next(iter(spec.submodule_search_locations)))
            if (package_dir / "model").is_dir():
                return package_dir / "model"
    return None


class StreamingTranscriber:
    """One channel's recognizer. Feed 16-bit PCM at the model's rate; get partials and finals.

    ``phrases``: recognise only these (a Vosk grammar, vosk-server's ``phrase_list``; add
    ``"[unk]"`` to let other speech through as unknown). ``max_alternatives``: finals carry
    that many hypotheses (vosk-server's ``max_alternatives``). ``partials=False``: finals only,
    for work nobody watches live (batch); Kaldi then skips the partial hypothesis it would
    trace back after every piece of audio."""

    def __init__(
        self, model: SpeechModel, phrases: Sequence[str] | None = None, max_alternatives: int = 0,
        partials: bool = True,
    ) -> None:
        if phrases:
            grammar = json.dumps(list(phrases), ensure_ascii=False)
            self._recognizer = vosk.KaldiRecognizer(model.model, model.sample_rate, grammar)
        else:
            self._recognizer = vosk.KaldiRecognizer(model.model, model.sample_rate)
        self._recognizer.SetWords(True)
        if max_alternatives:
            self._recognizer.SetMaxAlternatives(max_alternatives)
        self._partials = partials
        self._last_partial = ""

    def accept(self, pcm16: bytes) -> list[Recognition]:
        """A ``Final`` (maybe with no words: an endpoint in silence) when an utterance ended,
        else a ``Partial`` when the partial text changed."""
        if self._recognizer.AcceptWaveform(pcm16):
            self._last_partial = ""
            return [_final(self._recognizer.Result())]
        if not self._partials:
            return []
        partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        if partial == self._last_partial:
            return []
        self._last_partial = partial
        return [Partial(partial)]

    def finish(self) -> list[Recognition]:  # a list, like accept(), for one code path
        """Flush the utterance in progress (end of stream or reset)."""
        self._last_partial = ""
        return [_final(self._recognizer.FinalResult())]


def _final(result_json: str) -> Final:
    result = json.loads(result_json)
    if "alternatives" not in result:
        return Final(_words(result.get("result", [])))
    alternatives = tuple(
        Alternative(_words(a.get("result", [])), float(a.get("confidence", 0.0)))
        for a in result["alternatives"]
    )
    return Final(alternatives[0].words if alternatives else (), alternatives)


def _words(items: list[dict]) -> tuple[Word, ...]:
    return tuple(Word(w["word"], float(w["start"]), float(w["end"]), float(w.get("conf", 1.0))) for w in items)
