"""Chat sessions: PII split across messages is caught, held-back messages go out in order."""
from __future__ import annotations

import re

import pytest

from redactor.chat import ChatSession, could_continue
from redactor.errors import DetectionError


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.fixture
def session(redactor) -> ChatSession:
    return ChatSession("s1", redactor, holdback_s=1.5)


def converse(session: ChatSession, messages: list[tuple[str, str]]) -> list:
    out = []
    for now, (speaker, text) in enumerate(messages):
        out += session.accept(speaker, text, float(now))
    return out + session.flush()


@pytest.mark.parametrize("messages, secret", [
    ([("customer", "kartu saya 4532 0151"), ("customer", "1283 0366")], "4532015112830366"),
    ([("customer", "kartu saya 4532"), ("customer", "0151 1283"), ("customer", "0366 ya")],
     "4532015112830366"),
    ([("customer", "NIK saya 3174055203"), ("customer", "900002")], "3174055203900002"),
    ([("customer", "nik saya 3174 0552"), ("customer", "0390 0002")], "3174055203900002"),
    ([("agent", "boleh nomor hp-nya?"), ("customer", "0812 3456"), ("customer", "7890")],
     "081234567890"),
    ([("customer", "nomor kartu saya empat lima tiga dua nol satu lima satu"),
      ("customer", "satu dua delapan tiga nol tiga enam enam")], None),
])
def test_pii_split_across_messages_is_masked_in_every_part(session, messages, secret):
    out = converse(session, messages)
    assert [s.seq for s in out] == list(range(len(messages)))  # nothing dropped, in order
    masked = "\n".join(s.text for s in out)
    if secret:
        for part in re.findall(r"\d{3,}", " ".join(text for _, text in messages)):
            assert part not in masked, f"{part!r} leaked in {masked!r}"
        assert digits(masked) == ""
    else:  # spoken: no number word of the card survives
        assert not re.search(r"\b(empat|lima|tiga|dua|nol|satu|delapan|enam)\b", masked)


def test_message_ending_in_digits_is_held_until_the_next(session):
    assert session.accept("customer", "kartu saya 4532 0151", now=10.0) == []
    assert session.deadline == pytest.approx(11.5)
    out = session.accept("customer", "1283 0366", now=10.5)
    assert [(s.seq, s.text) for s in out] == [(0, "kartu saya <CREDIT_CARD>"), (1, "<CREDIT_CARD>")]
    assert session.deadline is None


def test_a_chain_of_bursts_stays_held_while_it_may_continue(session):
    assert session.accept("customer", "kartu saya 4532", now=0.0) == []
    assert session.accept("customer", "0151 1283", now=1.0) == []
    assert session.deadline == pytest.approx(2.5)
    out = session.accept("customer", "0366 ya", now=2.0)
    assert [s.text for s in out] == ["kartu saya <CREDIT_CARD>", "<CREDIT_CARD>", "<CREDIT_CARD> ya"]


@pytest.mark.parametrize("text, expected", [
    ("kartu saya 4532 0151", "kartu saya <CREDIT_CARD>"),  # open after a cue: masked, typed by it
    ("yang tadi 98765432", "yang tadi <NUMBER>"),  # long enough without a cue
    ("transfer ke 1234567890", "transfer ke <BANK_ACCOUNT>"),
    ("harga 50000", "harga 50000"),  # a price stays
    ("besok pukul 10.30", "besok pukul 10.30"),  # so does a time
])
def test_held_message_goes_out_when_its_delay_runs_out(session, text, expected):
    assert session.accept("customer", text, now=0.0) == []
    out = session.flush()
    assert [(s.seq, s.text) for s in out] == [(0, expected)]
    assert session.flush() == []  # nothing twice
    assert session.deadline is None


@pytest.mark.parametrize("parts, expected", [
    (["email saya budi.santoso", "@gmail.com"], ["email saya <EMAIL_ADDRESS>", "<EMAIL_ADDRESS>"]),
    (["nama saya Budi", "Santoso"], ["nama saya <PERSON>", "<PERSON>"]),
])
def test_words_split_across_bubbles_are_read_as_one(session, parts, expected):
    assert [s.text for s in converse(session, [("customer", p) for p in parts])] == expected


def test_plain_messages_go_out_at_once_with_offsets_into_the_masked_text(session):
    out = session.accept("customer", "email saya budi.santoso@gmail.com ya, makasih", now=0.0)
    assert len(out) == 1
    segment = out[0]
    assert segment.session_id == "s1" and segment.kind == "chat" and segment.speaker == "customer"
    assert "budi.santoso" not in segment.text
    [entity] = segment.entities
    assert segment.text[entity.start : entity.end] == f"<{entity.type}>"


def test_the_agents_question_cues_the_customers_answer(session):
    converse(session, [("agent", "Boleh saya minta nomor rekening BCA Anda?")])
    out = session.accept("customer", "1234567890 pak", now=5.0)
    assert out and "1234567890" not in out[0].text
    assert out[0].entities[0].type == "BANK_ACCOUNT"


@pytest.mark.parametrize("question, answer, hidden", [
    ("kode OTP yang kami kirim lewat SMS tadi boleh dibacakan pelan-pelan ya bu, jangan dibagikan "
     "ke orang lain selain kami", "4417", "4417"),
    ("Baik Bapak, untuk proses penggantian dokumen, boleh dibantu nomor paspor lama Bapak? Mohon "
     "disebutkan lengkap dengan hurufnya ya Pak", "B1234567", "1234567"),
    ("Baik Bapak, sebelum kami lanjutkan proses pemblokiran, boleh saya tahu nama lengkap Bapak "
     "sesuai dengan yang tertera di KTP untuk keperluan verifikasi data?", "putra", "putra"),
])
def test_a_long_questions_cue_still_reaches_the_answer(session, question, answer, hidden):
    out = converse(session, [("agent", question), ("customer", answer)])
    assert hidden not in out[-1].text, out[-1].text


@pytest.mark.parametrize("question, answer", [
    ("boleh sebutkan pin atm nya?", "dua ribu dua puluh empat"),
    ("kode otp nya berapa bu?", "tujuh ribu delapan ratus sembilan puluh satu"),
    ("what's your pin?", "two thousand twenty four"),
])
def test_a_code_asked_for_and_read_as_an_amount_is_masked(session, question, answer):
    out = converse(session, [("agent", question), ("customer", answer)])
    assert out[-1].entities and out[-1].text.startswith("<"), out[-1].text


@pytest.mark.parametrize("messages", [
    [("agent", "otp nya bu"), ("customer", "sebentar ya"), ("customer", "lima"), ("customer", "dua"),
     ("customer", "tujuh sembilan")],
    [("agent", "nomor kartunya pak"), ("customer", "empat"), ("agent", "iya"), ("customer", "lima tiga dua")],
])
def test_the_first_digit_of_a_number_read_out_one_by_one_is_masked(session, messages):
    out = converse_slowly(session, messages)  # each piece seconds after the one before
    digits = [m.text for (speaker, _), m in zip(messages, out) if speaker == "customer" and m.text != "sebentar ya"]
    assert all(text.startswith("<") for text in digits), digits


def test_a_short_answer_to_a_question_with_no_identifier_stays_readable(session):
    out = converse(session, [("agent", "berapa orang yang ikut pak?"), ("customer", "lima")])
    assert out[-1].text == "lima"


def test_an_amount_asked_for_stays_readable(session):
    out = converse(session, [("agent", "berapa yang mau ditransfer?"), ("customer", "dua ribu dua puluh empat")])
    assert out[-1].text == "dua ribu dua puluh empat"


#: Long enough to push the introduction out of the context a message is read with.
SMALL_TALK = [
    ("agent", "baik kak, mohon ditunggu sebentar ya, saya cek dulu data pesanannya di sistem kami"),
    ("customer", "oke kak ditunggu"),
    ("agent", "terima kasih sudah menunggu, pesanannya sudah dikirim kemarin sore lewat kurir reguler"),
]


@pytest.mark.parametrize("introduction, later, name_word", [
    ("halo kak, saya Bunga Citra mau tanya pesanan", "tolong kabari bunga kalau sudah sampai", "bunga"),
    ("halo kak, saya Wulandari Putri mau tanya pesanan", "atas nama wulan dari kemarin", "dari"),
])
def test_a_name_said_turns_ago_is_masked_where_it_comes_back(session, introduction, later, name_word):
    out = converse(session, [("customer", introduction), *SMALL_TALK, ("customer", later)])
    assert "<PERSON>" in out[0].text
    assert name_word not in out[-1].text.split(), out[-1].text


#: An OTP asked for, then four turns about where it went.
OTP_ASKED = [
    ("agent", "Untuk verifikasi, kami kirimkan 4 digit kode verifikasi ke email kakak. Mohon "
              "informasikan kodenya di sini."),
    ("customer", "bentar blm masuk"),
    ("agent", "Baik kak ditunggu"),
    ("customer", "masih blm, udah bener emailnya?"),
    ("agent", "Betul kak. Mohon cek folder spam."),
]


def test_a_secret_asked_for_many_turns_ago_is_still_awaited(session):
    out = converse(session, [*OTP_ASKED, ("customer", "oh ada di spam. 8 3 1 7")])
    assert not re.search(r"\d", out[-1].text), out[-1].text


def test_a_secret_given_is_no_longer_awaited(session):
    given = [OTP_ASKED[0], ("customer", "kodenya 8317"), *OTP_ASKED[1:]]
    out = converse(session, [*given, ("customer", "oh iya, saya mau tanya promo 1234 itu apa")])
    assert out[-1].text.endswith("promo 1234 itu apa")


def test_a_number_read_back_later_is_masked_without_its_cue(session):
    out = converse(session, [
        ("agent", "may i have your passport number please"), ("customer", "p a four eight two"),
        ("agent", "yes"), ("customer", "nine one seven three"),
        ("agent", "thank you, let me check that in our system for a moment please, it may take a while"),
        ("customer", "sure"),
        ("agent", "so that was p a four eight two nine one seven three, correct?"),
    ])
    assert not re.search(r"\b(four|eight|two|nine|one|seven|three)\b", out[-1].text), out[-1].text


def test_a_piece_of_a_number_read_back_later_is_masked_without_its_cue(session):
    out = converse(session, [
        ("agent", "boleh nomor rekening tujuannya bu"), ("customer", "empat lima enam tujuh lima nol tiga"),
        ("agent", "baik, mohon ditunggu sebentar ya bu, saya cek dulu datanya di sistem kami"),
        ("customer", "iya"),
        ("agent", "maaf bu, tadi tujuh lima nol tiga atau tujuh lima nol delapan?"),
    ])
    assert "tujuh lima nol tiga" not in out[-1].text, out[-1].text


def test_context_never_reaches_the_output(session):
    out = converse(session, [("customer", "NIK saya 3174055203900002 ya"), ("customer", "oke")])
    assert [s.text for s in out][1] == "oke"
    assert [e for s in out[1:] for e in s.entities] == []


def test_detection_failure_masks_the_message_whole(session, redactor, monkeypatch):
    def fail(*args, **kwargs):
        raise DetectionError("analysis exceeded its time budget")

    monkeypatch.setattr(redactor, "analyze", fail)
    out = session.accept("customer", "nama saya Budi Santoso, kartu 4532015112830366.", now=0.0)
    assert [(s.text, s.failed) for s in out] == [("<REDACTED>", True)]
    assert out[0].entities[0].type == "REDACTED"


@pytest.mark.parametrize("text, continues", [
    ("kartu saya 4532 0151", True),
    ("nomornya empat lima tiga dua", True),
    ("email saya budi.santoso", True),
    ("nik 3174055203900002", False),  # a whole, valid NIK cannot go on
    ("nama saya Budi", True),  # a name can
    ("nomor saya 0812 3456 7890", True),  # so can a phone number
    ("terima kasih", False),
    ("saya tunggu ya.", False),
    ("", False),
])
def test_could_continue(redactor, text, continues):
    assert could_continue(text, redactor.analyze(text)) is continues


def converse_slowly(session: ChatSession, messages: list[tuple[str, str]], gap_s: float = 3.0) -> list:
    """Each message comes after the hold-back delay of the one before has run out."""
    out, now = [], 0.0
    for speaker, text in messages:
        if session.deadline is not None and now >= session.deadline:
            out += session.flush()
        out += session.accept(speaker, text, now)
        now += gap_s
    return out + session.flush()


@pytest.mark.parametrize("messages", [
    [("customer", "no kartu sy ya kak"), ("customer", "411"), ("customer", "1360877")],
    [("customer", "no hp sy ya kak"), ("customer", "089"), ("customer", "73715"), ("customer", "005")],
    [("agent", "boleh nomor rekeningnya kak?"), ("customer", "470"), ("customer", "951")],
])
def test_a_first_short_piece_after_a_cue_message_is_masked_even_after_a_pause(session, messages):
    out = converse_slowly(session, messages)
    assert [digits(m.text) for m in out] == [""] * len(messages)


@pytest.mark.parametrize("text", [
    "totalnya Rp 593.000", "tgl 10/12/2024", "no order 24031234", "nomor resi 8812345", "diskon 15%",
])
def test_a_benign_number_ending_a_message_stays_readable_when_its_delay_runs_out(session, text):
    out = converse_slowly(session, [("customer", text)])
    assert [m.text for m in out] == [text]


@pytest.mark.parametrize("question, answer, readable", [
    ("boleh nomor resinya kak?", "0123456789012", True),
    ("no order nya berapa kak?", "240512345678", True),
    ("nomor tiketnya kak?", "8812345678", True),
    ("boleh nomor rekeningnya kak?", "0123456789012", False),
    ("nomor ktp nya kak?", "3171019901900003", False),
])
def test_the_agents_allow_cue_keeps_the_customers_number_readable(session, question, answer, readable):
    """The cue is the other speaker's: a tracking number stays readable, an account does not."""
    out = converse_slowly(session, [("agent", question), ("customer", answer)])
    assert (out[-1].text == answer) is readable
    assert readable or digits(out[-1].text) == ""


@pytest.mark.parametrize("messages", [
    [("customer", "no order saya"), ("customer", "240512345678")],
    [("agent", "boleh nomor resinya kak?"), ("customer", "0012345678901")],
    [("agent", "nomor tiketnya berapa kak?"), ("customer", "1234567890")],
    [("customer", "nomor resi 0012345678901 belum sampai")],
])
def test_a_number_after_an_allow_cue_in_an_earlier_message_stays_readable(session, messages):
    out = converse_slowly(session, messages)
    assert [m.text for m in out] == [text for _, text in messages]


@pytest.mark.parametrize("messages", [
    [("customer", "no order saya"), ("customer", "nik saya 3171019901900003")],
    [("agent", "boleh nomor resinya kak?"), ("customer", "081234567890")],
    [("customer", "no order 12345678"), ("customer", "no hp 081234567890")],
])
def test_an_identifier_after_an_allow_cue_message_is_still_masked(session, messages):
    out = converse_slowly(session, messages)
    assert not any(len(digits(m.text)) >= 8 for m in out[1:])


@pytest.mark.parametrize("messages", [
    [("agent", "silakan sebutkan kode OTP yang masuk"), ("customer", "kode verifikasi saya 994"),
     ("agent", "baik"), ("customer", "494")],
    [("customer", "kode OTP nya 457"), ("agent", "iya terus"), ("customer", "962")],
    [("customer", "pin atm saya 22"), ("agent", "iya terus"), ("customer", "tunggu sebentar 0398")],
    [("agent", "boleh nomor kartunya kak?"), ("customer", "47"), ("agent", "oke lanjut"),
     ("customer", "bentar ya 1292-6"), ("agent", "iya kak"), ("customer", "9751")],
])
def test_a_short_first_piece_answered_by_a_backchannel_is_masked(session, messages):
    out = converse_slowly(session, messages, gap_s=0.6)
    assert [digits(m.text) for m in out] == [""] * len(messages)
