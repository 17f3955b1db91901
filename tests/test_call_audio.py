"""The audio path without sockets, with the real Vosk model: finding and loading a model,
streaming recognition, and a call pipeline writing its redacted recording as it goes."""
from __future__ import annotations

import json

import numpy as np
import pytest

from audio.pipeline import CallPipeline, MaskedPartial
from audio.recording import RedactedRecording
from audio.transcriber import (
    MODEL_ENV,
    Final,
    ModelUnavailableError,
    SpeechModel,
    StreamingTranscriber,
    find_model_path,
    installed_model_path,
    model_sample_rate,
)
from redactor import Redactor, RedactorConfig
from redactor.protocol import CallStart
from redactor.errors import ProtocolError
from redactor.transcript import CallTranscript, MaskedFinal
from tests.speech import read_wav, reference_words, words_heard


def test_model_is_found_by_flag_then_environment_then_installed_package(tmp_path):
    installed = installed_model_path()
    assert installed is not None and (installed / "am" / "final.mdl").is_file()
    assert find_model_path("/models/a", {MODEL_ENV: "/models/b"}) == tmp_path.joinpath("/models/a")
    assert str(find_model_path(None, {MODEL_ENV: "/models/b"})) == "/models/b"
    assert find_model_path(None, {}) == installed


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p])
def test_a_bad_model_path_is_a_clear_error(tmp_path, make):
    with pytest.raises(ModelUnavailableError, match=str(tmp_path)):
        SpeechModel.load(make(tmp_path))


@pytest.mark.parametrize("conf, rate", [
    ("--use-energy=false\n--sample-frequency=8000\n", 8000),
    ("--use-energy=false\n", 16000),
    (None, 16000),
])
def test_model_rate_comes_from_its_feature_config(tmp_path, conf, rate):
    if conf is not None:
        (tmp_path / "conf").mkdir()
        (tmp_path / "conf" / "mfcc.conf").write_text(conf)
    assert model_sample_rate(tmp_path) == rate


def test_the_test_model_hears_the_same_audio_the_same_way_every_time(speech_model, korean_call):
    """What the policies of the audio tests mask is what a reference pass heard (conftest)."""
    speech, _ = korean_call
    assert reference_words(speech.samples, 8000, speech_model) == speech.words


def test_streaming_recognition_gives_partials_then_timed_finals(speech_model, korean_call):
    speech, _ = korean_call
    from audio.codecs import Resampler, encode_pcm16

    recognizer, resampler = StreamingTranscriber(speech_model), Resampler(8000, 16000)
    results = []
    for i in range(0, len(speech.samples), 1600):
        results += recognizer.accept(encode_pcm16(resampler.process(speech.samples[i : i + 1600])))
    results += recognizer.finish()
    words = [w for r in results if isinstance(r, Final) for w in r.words]
    assert any(not isinstance(r, Final) and r.text for r in results)  # partials came first
    assert words and [w.start for w in words] == sorted(w.start for w in words)
    duration = len(speech.samples) / 8000
    assert all(0 <= w.start < w.end <= duration + 0.1 for w in words)


def run_call(speech_model, redactor, speech, recording, frame=1600, partials=True):
    stored = []
    start = CallStart("pipeline-call", 8000, "pcm_s16le", 1, ("customer",), "auto")
    transcript = CallTranscript(start.call_id, redactor, start.speakers)
    pipeline = CallPipeline(start, speech_model, transcript, recording, stored.append, partials=partials)
    events, committed = [], []
    pcm = speech.pcm
    for i in range(0, len(pcm), frame * 2):
        events += pipeline.feed(pcm[i : i + frame * 2])
        committed.append(recording.committed_s)
    finals, info = pipeline.finish()
    return events + finals, stored, info, committed


def test_pipeline_masks_stores_and_writes_the_recording_while_the_call_goes(
    speech_model, korean_call, tmp_path
):
    speech, terms = korean_call
    redactor = Redactor(RedactorConfig.from_dict({"entities": {"EMPLOYEE_NAME": {"deny_list": list(terms)}}}))
    recording = RedactedRecording(tmp_path / "call.wav", 8000, 1, mode="tone")
    events, stored, info, committed = run_call(speech_model, redactor, speech, recording)
    finals = [e for e in events if isinstance(e, MaskedFinal)]
    assert [f.segment for f in finals] == stored
    assert all(isinstance(e, (MaskedFinal, MaskedPartial)) for e in events)
    assert not words_heard(" ".join(s.text for s in stored), terms)
    assert 0 < max(committed) < len(speech.samples) / 8000  # written during the call, not at the end
    spans = [span for f in finals for span in f.redacted_spans]
    assert spans and info.mode == "tone"
    written = read_wav(info.path)[0][:, 0]
    for start, end in spans:  # a tone, not the speech, over every flagged word
        hidden = written[round(start * 8000) : round(end * 8000)]
        original = speech.samples[round(start * 8000) : round(end * 8000)]
        assert hidden.any() and not np.array_equal(hidden, original)


def test_a_finals_only_pipeline_stores_and_silences_exactly_what_the_live_one_does(
    speech_model, korean_call, tmp_path
):
    """Batch asks for no partials: nobody watches them, and Kaldi's partial traceback is
    work. What is stored and written must not change."""
    speech, terms = korean_call
    redactor = Redactor(RedactorConfig.from_dict({"entities": {"EMPLOYEE_NAME": {"deny_list": list(terms)}}}))
    runs = {}
    for partials in (True, False):
        recording = RedactedRecording(tmp_path / f"call-{partials}.wav", 8000, 1, mode="silence")
        runs[partials] = run_call(speech_model, redactor, speech, recording, partials=partials)
    (live_events, live_stored, live_info, _), (events, stored, info, _) = runs[True], runs[False]
    assert any(isinstance(e, MaskedPartial) for e in live_events)
    assert not any(isinstance(e, MaskedPartial) for e in events)
    assert stored == live_stored and any(s.entities for s in stored)
    assert info.spans == live_info.spans and info.spans
    assert read_wav(info.path)[0].tobytes() == read_wav(live_info.path)[0].tobytes()


def test_pipeline_refuses_partial_samples_and_keeps_going(speech_model, korean_call, redactor, tmp_path):
    speech, _ = korean_call
    start = CallStart("c", 8000, "pcm_s16le", 1, ("customer",), "auto")
    pipeline = CallPipeline(start, speech_model, CallTranscript("c", redactor, ["customer"]),
                            RedactedRecording(tmp_path / "c.wav", 8000, 1), lambda s: None)
    with pytest.raises(ProtocolError):
        pipeline.feed(b"\x00\x01\x02")
    pipeline.feed(speech.pcm[:32000])
    _, info = pipeline.finish()
    assert info.duration_s == pytest.approx(2.0)
