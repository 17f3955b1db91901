"""Numbers read or typed in pieces, across the other speaker's backchannels and long pauses."""
from __future__ import annotations

import re

import pytest

from redactor import Redactor, RedactorConfig
from redactor.chat import ChatSession
from redactor.transcript import CallTranscript, Word

CARD = "4532015112830366"
NUMBER_WORDS = re.compile(
    r"\b(nol|kosong|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|"
    r"zero|oh|one|two|three|four|five|six|seven|eight|nine)\b"
)


def pieces(digits: str, count: int) -> list[str]:
    cuts = [round(i * len(digits) / count) for i in range(count + 1)]
    return [digits[cuts[i]:cuts[i + 1]] for i in range(count)]


def words(sentence: str, start: float = 0.0) -> list[Word]:
    return [Word(w, start + i * 0.4, start + i * 0.4 + 0.3) for i, w in enumerate(sentence.split())]


@pytest.mark.parametrize("count", range(2, 13))
@pytest.mark.parametrize("backchannel", [None, "iya kak lanjut"])
def test_chat_number_in_pieces_with_pauses_longer_than_the_holdback(redactor, count, backchannel):
    session = ChatSession("split", redactor, holdback_s=0.5)
    out = []
    for i, piece in enumerate(pieces(CARD, count)):
        out += session.accept("customer", ("kartu saya " if i == 0 else "") + piece, 2.0 * i)
        out += session.flush()  # the pause ran out before the next piece
        if backchannel and i % 2:
            out += session.accept("agent", backchannel, 2.0 * i + 1)
    out += session.flush()
    texts = [s.text for s in out]
    assert len([t for t in texts if t != backchannel]) == count
    assert not any(re.search(r"\d", t) for t in texts), texts


def test_an_open_number_closes_when_the_customer_moves_on(redactor):
    session = ChatSession("moved-on", redactor, holdback_s=0.5)
    out = []
    for i, text in enumerate(["nomor hp saya 0812", "3456", "oke makasih kak, saya pesan 2 buah"]):
        out += session.accept("customer", text, 2.0 * i) + session.flush()
    assert [s.text for s in out] == ["nomor hp saya <PHONE_NUMBER>", "<PHONE_NUMBER>",
                                     "oke makasih kak, saya pesan 2 buah"]


MASK = RedactorConfig.from_dict({"entities": {name: {"operator": "mask"} for name in
                                              ("CREDIT_CARD", "NUMBER", "PHONE_NUMBER")}})


@pytest.mark.parametrize("messages", [
    [("customer", "kartu saya 4532 0151"), ("customer", "1283 0366")],
    [("customer", "kartu saya 4532 0151"), ("agent", "iya kak"), ("customer", "1283 0366")],
    [("customer", "kartu saya 4532"), ("customer", "0151"), ("customer", "1283"), ("customer", "03"),
     ("customer", "66")],
])
@pytest.mark.parametrize("pause", [False, True])
def test_a_split_number_shows_no_more_than_the_whole_number_would(messages, pause):
    session = ChatSession("mask", Redactor(MASK), holdback_s=0.5)
    out = []
    for i, (speaker, text) in enumerate(messages):
        out += session.accept(speaker, text, float(i)) + (session.flush() if pause else [])
    shown = "".join(re.sub(r"\D", "", s.text) for s in (*out, *session.flush()))
    assert len(shown) <= 4 and shown in CARD[-4:], shown


@pytest.mark.parametrize("turns", [
    [(0, "kartu saya empat lima tiga dua"), (1, "iya"), (0, "nol satu lima satu"),
     (1, "he eh lanjut"), (0, "satu dua delapan tiga"), (1, "mhm"), (0, "nol tiga enam enam")],
    [(0, "empat sembilan delapan kosong"), (1, "iya lanjut"), (0, "satu lima satu satu"),
     (1, "ok"), (0, "dua delapan tiga nol")],
    [(0, "my card number is four five three two"), (1, "uh huh"), (0, "zero one five one"),
     (1, "go on"), (0, "one two eight three"), (1, "right"), (0, "zero three six six")],
    # one channel for both speakers (a mono call, a vosk-server stream)
    [(0, "nomor hp saya kosong delapan"), (0, "iya"), (0, "satu dua tiga empat"),
     (0, "terus"), (0, "lima enam tujuh delapan")],
])
def test_call_number_continues_across_backchannels(redactor, turns):
    transcript = CallTranscript("call", redactor, ["customer", "agent"])
    texts = [transcript.final(channel, words(text, 3.0 * i)).segment.text
             for i, (channel, text) in enumerate(turns)]
    customer = [t for (channel, said), t in zip(turns, texts) if NUMBER_WORDS.search(said)]
    assert not any(NUMBER_WORDS.search(t) for t in customer), texts


def test_call_pieces_under_the_mask_policy_show_no_digits():
    transcript = CallTranscript("call", Redactor(MASK), ["customer", "agent"])
    turns = [(0, "kartu saya empat lima tiga dua nol satu lima satu"), (1, "iya"),
             (0, "satu dua delapan tiga nol tiga enam enam")]
    texts = [transcript.final(c, words(t, 3.0 * i)).segment.text for i, (c, t) in enumerate(turns)]
    assert len("".join(re.sub(r"\D", "", t) for t in texts)) <= 4, texts


def test_moving_on_to_another_number_opens_that_one(redactor):
    session = ChatSession("next-number", redactor, holdback_s=0.5)
    out = []
    for i, text in enumerate(["no hp 0812 3456 7890", "terus nik saya 3171 0199", "0190", "0003"]):
        out += session.accept("customer", text, 2.0 * i) + session.flush()
    texts = [s.text for s in out]
    assert not any(re.search(r"\d", t) for t in texts), texts
    assert texts[1] == "terus nik saya <ID_NIK>"
