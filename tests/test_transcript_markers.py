"""Transcript entries the telephony path adds: words over keypad tones masked by time, every
n-best alternative masked at least where the best one was, and <DTMF>/<PAUSED> markers."""
from __future__ import annotations

from audio.codecs import Resampler, encode_pcm16
from audio.transcriber import Final, StreamingTranscriber
from redactor.transcript import Word
from tests.test_transcript import transcript, words  # noqa: F401 (a fixture)


def test_words_over_a_keypad_tone_are_masked_as_dtmf(transcript):
    said = words("oke saya tekan bip bop sudah")  # Vosk made words of the tones at 1.2-2.0 s
    final = transcript.final(0, said, forced=[(1.25, 1.9, "DTMF")])
    assert final.segment.text == "oke saya tekan <DTMF> sudah"
    assert final.redacted_spans == ((said[3].start, said[4].end),)


def test_alternatives_are_masked_where_the_best_one_was_and_by_their_own_analysis(transcript):
    best = words("kartu saya empat lima tiga dua nol satu lima satu satu dua delapan tiga nol tiga enam enam")
    final = transcript.final(0, best)
    assert final.segment.text == "kartu saya <CREDIT_CARD>"
    other = words("kartu sayang empat lima tiga duo nol satu lima satu satu dua delapan tiga nol tiga enam enam")
    alt = transcript.alternative(0, other, 0.7, final)
    assert "empat" not in alt.text and "duo" not in alt.text and alt.text.startswith("kartu sayang <")
    heard_differently = [Word("tolong", 0.0, 0.3), Word("cek", 0.4, 0.7), Word("ku", 0.8, 1.3), Word("aman", 8.0, 8.3)]
    alt = transcript.alternative(0, heard_differently, 0.1, final)
    assert alt.text == "tolong cek <CREDIT_CARD> aman"  # "ku" sits where the card was said
    assert transcript.final(0, words("baik")).segment.seq == 1  # alternatives take no seq


def test_markers_take_a_seq_and_carry_their_times(transcript):
    transcript.final(0, words("halo"))
    marker = transcript.marker("customer", "DTMF", 3.5, 9.25)
    assert (marker.segment.seq, marker.segment.text, marker.segment.start_s, marker.segment.end_s) == (1, "<DTMF>", 3.5, 9.25)
    assert marker.segment.entities[0].as_json() == {"type": "DTMF", "start": 0, "end": 6}
    assert marker.redacted_spans == ((3.5, 9.25),)


def run(model, samples, **options) -> list[Final]:
    recognizer, resampler = StreamingTranscriber(model, **options), Resampler(8000, model.sample_rate)
    results = []
    for i in range(0, len(samples), 1600):
        results += recognizer.accept(encode_pcm16(resampler.process(samples[i : i + 1600])))
    return [r for r in results + recognizer.finish() if isinstance(r, Final) and r.words]


def test_vosk_alternatives_and_phrase_list_with_the_real_model(speech_model, korean_call):
    speech, _ = korean_call
    finals = run(speech_model, speech.samples, max_alternatives=3)
    # Up to 3 each: Kaldi's n-best of a short utterance may hold a single path, and which one
    # does varies between identical runs (the last, 3-word final of this call: 1 or 2 of them).
    assert finals and all(1 <= len(f.alternatives) <= 3 for f in finals)
    assert any(len(f.alternatives) == 3 for f in finals)
    assert all(f.words == f.alternatives[0].words for f in finals)
    phrases = ["카드 번호", "감사합니다", "[unk]"]
    heard = {w.text for f in run(speech_model, speech.samples, phrases=phrases) for w in f.words}
    assert heard and heard <= {"카드", "번호", "감사합니다", "[unk]"}


def test_a_vosk_phrase_list_never_reaches_the_log(speech_model, capfd):
    """vosk-server's test_words.py sends words the model lacks; Kaldi warns about each one by
    name on stderr, and a client's phrase list may hold customers' names."""
    capfd.readouterr()
    StreamingTranscriber(speech_model, phrases=["zero one", "budisantoso", "[unk]"])
    logged = capfd.readouterr()
    assert "budisantoso" not in logged.err + logged.out and "zero" not in logged.err
