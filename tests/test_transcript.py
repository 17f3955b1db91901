"""Call transcripts: recognizer words in, masked finals (with word timings) and partials out.

These feed word lists, as a recognizer returns them, to the pure transcript logic; the audio
path with the real Vosk recognizer is tested in test_call_audio.py and test_server_call.py."""
from __future__ import annotations

import re

import pytest

from redactor import Redactor, RedactorConfig
from redactor.errors import DetectionError
from redactor.transcript import CallTranscript, Word

NUMBER_WORDS = re.compile(
    r"\b(nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|"
    r"zero|oh|one|two|three|four|five|six|seven|eight|nine)\b"
)


def words(sentence: str, start: float = 0.0, step: float = 0.4) -> list[Word]:
    return [Word(w, start + i * step, start + i * step + 0.3) for i, w in enumerate(sentence.split())]


@pytest.fixture
def transcript(redactor) -> CallTranscript:
    return CallTranscript("call-1", redactor, ["customer", "agent"], lang="auto")


def test_spoken_card_in_one_result_is_one_masked_token_with_its_times(transcript):
    said = words("kartu saya empat lima tiga dua nol satu lima satu satu dua delapan tiga nol tiga enam enam ya")
    final = transcript.final(0, said)
    assert final.segment.text == "kartu saya <CREDIT_CARD> ya"
    token = final.words[2]
    assert (token.text, token.entity) == ("<CREDIT_CARD>", "CREDIT_CARD")
    assert (token.start, token.end) == (said[2].start, said[17].end)
    assert final.redacted_spans == ((said[2].start, said[17].end),)
    [entity] = final.segment.entities
    assert final.segment.text[entity.start : entity.end] == "<CREDIT_CARD>"
    assert (final.segment.start_s, final.segment.end_s) == (said[0].start, said[-1].end)
    assert [w.text for w in final.words] == ["kartu", "saya", "<CREDIT_CARD>", "ya"]


@pytest.mark.parametrize("first, second", [
    ("nomor kartu saya empat lima tiga dua nol satu lima satu",
     "satu dua delapan tiga nol tiga enam enam"),
    ("my card number is four five three two",
     "zero one five one one two eight three zero three six six"),
    ("nik saya tiga satu tujuh empat nol lima lima dua",
     "nol tiga sembilan nol nol nol nol dua"),
])
def test_spoken_number_split_over_two_results_is_masked_in_both(transcript, first, second):
    one = transcript.final(0, words(first))
    two = transcript.final(0, words(second, start=8.0))
    for final in (one, two):
        assert not NUMBER_WORDS.search(final.segment.text.replace("my card number is", "")), final.segment.text
        assert final.redacted_spans


def test_the_agents_question_on_the_other_channel_cues_the_answer(transcript):
    transcript.final(1, words("boleh saya minta nomor rekening bca bapak"))
    final = transcript.final(0, words("satu dua tiga empat lima enam tujuh delapan sembilan nol", 5.0))
    assert final.segment.text == "<BANK_ACCOUNT>"
    assert final.segment.speaker == "customer"


@pytest.mark.parametrize("question, answer, expected", [
    ("kode otp yang kami kirim lewat sms tadi boleh dibacakan pelan pelan ya bu jangan dibagikan ke "
     "orang lain selain kami", "empat empat satu tujuh", "<OTP>"),
    ("could you read me the pin you set up last week slowly please i have to type it into the "
     "verification screen on my side", "five five two one", "<PIN>"),
])
def test_a_long_questions_cue_still_reaches_the_answer(transcript, question, answer, expected):
    transcript.final(1, words(question))
    assert transcript.final(0, words(answer, 30.0)).segment.text == expected


def test_a_name_said_turns_ago_is_masked_where_it_comes_back(transcript):
    assert transcript.final(0, words("halo nama saya bunga citra mau tanya pesanan")).segment.text.count("<PERSON>")
    for clock in (5.0, 12.0, 19.0):  # the introduction leaves the context
        transcript.final(1, words("baik mohon ditunggu sebentar ya saya cek dulu data pesanannya di sistem", clock))
    final = transcript.final(0, words("tolong kabari bunga kalau sudah sampai", 26.0))
    assert "bunga" not in final.segment.text.split(), final.segment.text


@pytest.mark.parametrize("question, answer, readable", [
    ("boleh nomor resinya kak", "satu dua tiga empat lima enam tujuh delapan sembilan kosong", True),
    ("nomor order nya berapa", "dua empat kosong lima satu dua tiga empat lima enam", True),
    ("boleh nomor rekeningnya kak", "satu dua tiga empat lima enam tujuh delapan sembilan kosong", False),
])
def test_the_agents_allow_cue_on_the_other_channel_keeps_a_benign_number_readable(transcript, question,
                                                                                   answer, readable):
    transcript.final(1, words(question))
    final = transcript.final(0, words(answer, 5.0))
    assert (final.segment.text == answer) is readable
    assert readable or not re.search(r"satu|dua|tiga|empat|lima", final.segment.text)


@pytest.mark.parametrize("partial", [
    "four five three two",
    "kartu saya empat lima tiga dua",
    "nomor saya nol delapan satu dua",
    "4532 0151",
])
def test_partials_never_show_a_number_being_said(transcript, partial):
    masked = transcript.partial(0, partial)
    assert not NUMBER_WORDS.search(masked) and not re.search(r"\d", masked), masked


def test_a_partial_continuing_an_open_number_is_masked_from_its_first_digit(transcript):
    transcript.final(0, words("kartu saya empat lima tiga dua nol satu lima satu"))
    assert transcript.partial(0, "satu dua") == "<CREDIT_CARD>"  # typed by the card cue
    assert transcript.partial(1, "dua orang") == "dua orang"  # the other channel is not open


@pytest.mark.parametrize("sentence", [
    "saya mau pesan dua",
    "jam tiga sore ya",
    "saya datang jam sepuluh tiga puluh",  # a time ending the utterance is not a fragment
    "harganya dua ratus ribu",
    "terima kasih banyak",
])
def test_ordinary_speech_is_left_alone(transcript, sentence):
    final = transcript.final(0, words(sentence))
    assert final.segment.text == sentence and final.redacted_spans == ()
    assert transcript.partial(0, sentence) == sentence


def test_detection_failure_masks_the_whole_segment_and_all_its_audio(transcript, redactor, monkeypatch):
    def fail(*args, **kwargs):
        raise DetectionError("analysis exceeded its time budget")

    monkeypatch.setattr(redactor, "analyze", fail)
    said = words("nama saya budi santoso")
    final = transcript.final(0, said)
    assert (final.segment.text, final.segment.failed) == ("<REDACTED>", True)
    assert final.redacted_spans == ((said[0].start, said[-1].end),)
    assert transcript.partial(0, "nama saya budi") == "<REDACTED>"


def test_finals_are_numbered_per_call_across_channels(transcript):
    seqs = [transcript.final(ch, words("halo")).segment.seq for ch in (0, 1, 0)]
    assert seqs == [0, 1, 2]


def test_remove_policy_leaves_no_gap_but_still_hides_the_audio():
    redactor = Redactor(RedactorConfig.from_dict({"entities": {"CREDIT_CARD": {"operator": "remove"}}}))
    transcript = CallTranscript("c", redactor, ["customer"])
    said = words("kartu 4532 0151 1283 0366 ya")
    final = transcript.final(0, said)
    assert final.segment.text == "kartu ya"
    assert final.redacted_spans == ((said[1].start, said[4].end),)


@pytest.mark.parametrize("question, answer", [
    ((0, "boleh nomor resinya kak"), "nol nol satu dua tiga empat lima enam tujuh delapan sembilan nol satu"),
    ((1, "nomor resinya"), "satu dua tiga empat lima enam tujuh delapan sembilan"),
    ((0, "tracking number please"), "one two three four five six seven eight nine zero"),
])
def test_a_spoken_number_after_an_allow_cue_in_an_earlier_final_stays_readable(transcript, question, answer):
    transcript.final(question[0], words(question[1]))
    assert transcript.final(1, words(answer, 5.0)).segment.text == answer


@pytest.mark.parametrize("question, answer", [
    ((0, "boleh nomor resinya kak"), "kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan"),
    ((1, "nomor resinya"), "nik saya tiga satu tujuh satu nol satu sembilan sembilan nol satu sembilan nol nol nol nol tiga"),
])
def test_an_identifier_after_an_allow_cue_final_is_still_masked(transcript, question, answer):
    transcript.final(question[0], words(question[1]))
    masked = transcript.final(1, words(answer, 5.0)).segment.text
    assert not NUMBER_WORDS.search(masked.replace("saya", ""))


@pytest.mark.parametrize("finals", [
    [(1, "mohon konfirmasi pin nya"), (0, "dua enam"), (0, "satu enam delapan tujuh")],
    [(0, "kode verifikasi saya sembilan sembilan empat"), (1, "baik"), (0, "empat sembilan empat")],
    [(0, "kode otp nya empat lima tujuh"), (1, "iya terus"), (0, "sembilan enam dua")],
    [(0, "pin atm saya dua dua"), (1, "iya terus"), (0, "tunggu sebentar nol tiga sembilan delapan")],
    # The cue word with its suffix -nya, after a greeting that could lead to a name.
    [(0, "halo pinnya dua tujuh dua"), (1, "baik"), (0, "lima enam tujuh")],
    [(0, "halo mbak otpnya delapan delapan"), (1, "lanjut"), (0, "satu dua tiga empat")],
    [(0, "ini nomornya empat lima"), (1, "mhm"), (0, "tiga dua nol satu lima satu satu dua")],
])
def test_the_first_short_piece_of_a_secret_said_over_turns_is_masked(transcript, finals):
    masked = [transcript.final(channel, words(text, 3.0 * i)).segment.text
              for i, (channel, text) in enumerate(finals)]
    assert not any(NUMBER_WORDS.search(text) for text in masked[1:])


@pytest.mark.parametrize("finals", [
    [(1, "please read me the code we just sent"), (0, "three three three to"), (1, "uh huh"), (0, "um for nine")],
    [(0, "my number is zero eight one two"), (1, "okay"), (0, "uh too three four five")],
])
def test_homophones_at_the_edges_of_a_number_said_over_turns_are_masked(transcript, finals):
    masked = [transcript.final(channel, words(text, 3.0 * i)).segment.text
              for i, (channel, text) in enumerate(finals)]
    assert not re.search(r"\b(for|too|to|ate|three|nine|five|four)\b", " ".join(masked[1:]))


@pytest.mark.parametrize("finals", [
    [(0, "hi you can call me at zero eight"), (1, "uh huh"), (0, "one three"), (1, "mhm"),
     (0, "five five six seven eight nine")],
    [(0, "hi my phone number is plus six two eight eight one"), (1, "mhm"), (0, "one"), (1, "mhm"),
     (0, "five five three five four three nine")],
    [(0, "hubungi saya di nol delapan"), (1, "iya"), (0, "satu dua tiga empat lima enam")],
])
def test_a_phone_number_read_out_after_a_contact_cue_is_masked_in_every_piece(transcript, finals):
    masked = [transcript.final(channel, words(text, 3.0 * i)).segment.text
              for i, (channel, text) in enumerate(finals)]
    assert not any(NUMBER_WORDS.search(text) for text in masked), masked


@pytest.mark.parametrize("sentence", [
    "i will call you back at two",
    "the meeting is at ten",
    "this one is fine thanks",
])
def test_times_and_a_lone_one_stay_readable_when_no_number_is_open(transcript, sentence):
    assert transcript.final(0, words(sentence)).segment.text == sentence
