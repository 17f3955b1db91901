"""Benchmark metrics on tiny hand-made examples, and the shape of the generated dev set."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.dataset import ENTITY_TYPES, PROVINCE_CODES, Span, generate, load, luhn_valid
from benchmarks.run import Pred, _lines, _masked_spans, evaluate_sample, percentile, tokens

ROOT = Path(__file__).resolve().parents[1]

DEVSET = ROOT / "benchmarks" / "devset.jsonl"


# --------------------------------------------------------------------------- metrics

TEXT = "nama saya Budi Santoso, hp 0812 3456 7890 ok"
NAME = Span(10, 22, "PERSON")
PHONE = Span(27, 41, "PHONE_NUMBER")


def test_tokens_are_word_runs() -> None:
    assert [TEXT[a:b] for a, b in tokens(TEXT)] == [
        "nama", "saya", "Budi", "Santoso", "hp", "0812", "3456", "7890", "ok"]


def test_perfect_prediction() -> None:
    ev = evaluate_sample(TEXT, [NAME, PHONE], [Pred(10, 22, "PERSON"), Pred(27, 41, "PHONE_NUMBER")])
    c = ev.counts
    assert (c.pii_tokens, c.leaked, c.other_tokens, c.over) == (5, 0, 4, 0)
    assert c.recalled == Counter({"PERSON": 1, "PHONE_NUMBER": 1})
    assert c.leak_rate == 0.0 and c.over_rate == 0.0


def test_partial_token_cover_is_a_leak_and_fails_recall() -> None:
    # covers "Budi" fully and "Santo" of "Santoso"; the phone is predicted in two pieces (union counts)
    preds = [Pred(10, 19, "PERSON"), Pred(27, 36, "PHONE_NUMBER"), Pred(36, 41, "ID_NIK")]
    ev = evaluate_sample(TEXT, [NAME, PHONE], preds)
    c = ev.counts
    assert c.leaked == 1 and [TEXT[a:b] for _, a, b in ev.leaked_tokens] == ["Santoso"]
    assert c.leaked_by_type == Counter({"PERSON": 1})
    assert c.recall("PERSON") == 0.0
    assert c.recall("PHONE_NUMBER") == 1.0  # any predicted type counts
    assert c.leak_rate == pytest.approx(1 / 5)


def test_over_redaction_counts_any_touched_non_pii_token() -> None:
    # the prediction reaches one character into "hp" and fully into "nama"
    ev = evaluate_sample(TEXT, [NAME, PHONE], [Pred(0, 4, "PERSON"), Pred(10, 22, "PERSON"),
                                              Pred(25, 41, "PHONE_NUMBER")])
    c = ev.counts
    assert c.over == 2 and [TEXT[a:b] for a, b in ev.over_tokens] == ["nama", "hp"]
    assert c.over_rate == pytest.approx(2 / 4)
    assert c.leaked == 0


def test_no_prediction_leaks_everything() -> None:
    c = evaluate_sample(TEXT, [NAME, PHONE], []).counts
    assert c.leak_rate == 1.0 and c.over == 0
    assert c.leaked_by_type == Counter({"PERSON": 2, "PHONE_NUMBER": 3})
    assert c.recall("PERSON") == 0.0 and c.recall("EMAIL_ADDRESS") is None


def test_gold_span_inside_a_token_makes_the_token_pii() -> None:
    text = "email:budi@x.com"
    c = evaluate_sample(text, [Span(6, 16, "EMAIL_ADDRESS")], [Pred(6, 16, "EMAIL_ADDRESS")]).counts
    assert (c.pii_tokens, c.other_tokens, c.leaked, c.over) == (3, 1, 0, 0)


def test_percentile_nearest_rank() -> None:
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0


# --------------------------------------------------------------------------- dataset

@pytest.fixture(scope="module")
def samples():
    return generate(600, seed=5)


def test_generate_is_deterministic() -> None:
    assert generate(80, seed=3) == generate(80, seed=3)
    assert generate(80, seed=3) != generate(80, seed=4)


def test_committed_devset_matches_generator() -> None:
    assert load(DEVSET) == generate(1500, seed=1)


def test_mix(samples) -> None:
    n = len(samples)
    spoken = sum(s.mode == "spoken" for s in samples)
    empty = sum(not s.spans for s in samples)
    assert 0.32 < spoken / n < 0.48
    assert 0.18 < empty / n < 0.32
    assert {s.lang for s in samples} == {"id", "en", "mixed"}
    for mode in ("written", "spoken"):
        assert {sp.type for s in samples if s.mode == mode for sp in s.spans} == set(ENTITY_TYPES)


def test_span_boundaries(samples) -> None:
    for s in samples:
        previous_end = 0
        for sp in s.spans:
            piece = s.text[sp.start:sp.end]
            assert sp.type in ENTITY_TYPES
            assert piece and piece == piece.strip(), (s.id, piece)
            assert re.match(r"[\w+(]", piece) and re.search(r"\w$", piece), (s.id, piece)
            assert sp.start >= previous_end, s.id
            previous_end = sp.end
            # spans never cut a token in two
            assert sp.start == 0 or not (s.text[sp.start - 1].isalnum() and piece[0].isalnum()), (s.id, piece)
            assert sp.end == len(s.text) or not s.text[sp.end].isalnum(), (s.id, piece)


def test_spoken_text_is_asr_like(samples) -> None:
    for s in samples:
        if s.mode == "spoken":
            assert re.fullmatch(r"[a-z ]+", s.text), (s.id, s.text)


def _digits(piece: str) -> str:
    return re.sub(r"\D", "", piece)


WRITTEN_SHAPES = {
    "CARD_CVV": lambda p: re.fullmatch(r"\d{3,4}", p),
    "CARD_EXPIRY": lambda p: re.fullmatch(r"(0?[1-9]|1[0-2]) ?[/-]? ?(\d{2}|20\d{2})", p),
    "ID_KK": lambda p: len(_digits(p)) == 16 and int(_digits(p)[:2]) in PROVINCE_CODES,
    "ID_NPWP": lambda p: len(_digits(p)) in (15, 16),
    "ID_BPJS": lambda p: re.fullmatch(r"0\d{12}", _digits(p)),
    "ID_PASSPORT": lambda p: re.fullmatch(r"[A-Za-z]{1,2} ?\d{6,7}", p),
    "PHONE_NUMBER": lambda p: 9 <= len(_digits(p)) <= 15,
    "BANK_ACCOUNT": lambda p: 8 <= len(_digits(p)) <= 16,
    "EMAIL_ADDRESS": lambda p: re.fullmatch(r"[\w.]+@[a-z]+(\.[a-z]+)+", p),
    "PERSON": lambda p: re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", p),
    "ADDRESS": lambda p: len(p.split()) >= 2,
}


def test_written_spans_have_the_entity_shape(samples) -> None:
    for s in samples:
        if s.mode != "written":
            continue
        for sp in s.spans:
            piece = s.text[sp.start:sp.end]
            if sp.type == "CREDIT_CARD":
                assert 13 <= len(_digits(piece)) <= 19 and luhn_valid(piece), (s.id, piece)
            elif sp.type == "ID_NIK":
                nik = _digits(piece)
                assert len(nik) == 16 and int(nik[:2]) in PROVINCE_CODES, (s.id, piece)
                assert 1 <= int(nik[6:8]) % 40 <= 31 and 1 <= int(nik[8:10]) <= 12, (s.id, piece)
            else:
                assert WRITTEN_SHAPES[sp.type](piece), (s.id, sp.type, piece)


def test_spoken_number_spans_are_words_only(samples) -> None:
    min_words = {"CREDIT_CARD": 3, "ID_NIK": 3, "ID_KK": 3, "ID_NPWP": 3, "ID_BPJS": 3,
                 "PHONE_NUMBER": 3, "BANK_ACCOUNT": 3, "CARD_CVV": 2, "CARD_EXPIRY": 2}
    for s in samples:
        for sp in s.spans:
            if s.mode == "spoken" and sp.type in min_words:
                assert len(s.text[sp.start:sp.end].split()) >= min_words[sp.type], (s.id, sp.type)


@pytest.mark.parametrize("text, expected", [
    ("customer: kartu 4532\nagent: iya", [("customer", "kartu 4532", 10), ("agent", "iya", 28)]),
    ("a: halo\n\nb:   \nb: ok", [("a", "halo", 3), ("b", "ok", 18)]),
    ("no kartu saya 4532 0151", [("customer", "no kartu saya 4532 0151", 0)]),
    # only roles are speakers: a form's field and a chat export's sender are message text
    ("Nama: Budi Santoso\nCS: baik", [("customer", "Nama: Budi Santoso", 0), ("CS", "baik", 23)]),
    ("[08:02, 1/3/2026] Indah: halo", [("customer", "[08:02, 1/3/2026] Indah: halo", 0)]),
])
def test_path_benchmarks_read_one_message_per_speaker_line(text, expected):
    assert _lines(text) == expected


@pytest.mark.parametrize("original, masked, hidden", [
    ("kartu 4532 0151 ya", "kartu <CREDIT_CARD> ya", ["4532", "0151"]),
    ("no order 12345678", "no order 12345678", []),
    ("pin 1234 dan otp 998877", "pin <PIN> dan otp <OTP>", ["1234", "998877"]),
])
def test_path_benchmarks_predict_what_the_masked_message_hides(original, masked, hidden):
    preds = _masked_spans(original, masked, offset=100)
    assert [original[p.start - 100 : p.end - 100] for p in preds] == hidden


def test_names_sets_score_leaks_and_people_taken() -> None:
    from benchmarks.names_sets import DATA, Score, subsets

    score = Score()
    text = "nama saya budi santoso, bank jago"
    score.add(text, ["budi santoso"], [Pred(10, 14, "PERSON"), Pred(29, 33, "PERSON")])
    assert (score.names, score.leaked) == (2, 1)  # "santoso" leaked
    assert (score.other, score.taken) == (4, 1)  # "jago" taken for a person
    # a name is counted where it stands as words, not inside another word
    inside = Score()
    inside.add("customer service, my name is tom", ["tom"], [Pred(29, 32, "PERSON")])
    assert (inside.names, inside.leaked) == (1, 0)
    for path in DATA.glob("*.jsonl"):
        for lines in subsets(path).values():
            assert lines and all(name in line["text"] for line in lines for name in line["names"])


def test_write_section_replaces_only_its_own_section(tmp_path) -> None:
    from benchmarks.real_text import write_section

    out = tmp_path / "results.md"
    out.write_text("# Results\n\n## A\nold a\n\n## B\nold b\n", encoding="utf-8")
    write_section(out, "## A\nnew a\n", "## A")
    write_section(out, "## C\nnew c\n", "## C")
    assert out.read_text(encoding="utf-8") == "# Results\n\n## A\nnew a\n\n## B\nold b\n\n## C\nnew c\n"


def test_blind_conversations_score_pii_tokens_and_leave_role_labels_out():
    from benchmarks.blind_conversations import Score

    text = "agent: nomor kartunya?\ncustomer: 4532 0151 eh 1283 0366\nagent: oke"
    score = Score()
    # the first piece masked, the second not; "nomor" masked by mistake
    score.add(text, ["4532 0151", "1283 0366"], [Pred(7, 12, "X"), Pred(33, 42, "CREDIT_CARD")])
    assert (score.pii, score.leaked) == (4, 2)
    assert (score.other, score.masked) == (4, 1)  # nomor kartunya eh oke; no role label counted
    # a value is looked for after the one listed before it: the piece the agent reads back,
    # not the same digits inside the number the customer said
    readback = Score()
    said = "customer: empat lima enam tujuh lima nol tiga\nagent: tadi tujuh lima nol tiga?"
    readback.add(said, ["empat lima enam tujuh lima nol tiga", "tujuh lima nol tiga"],
                 [Pred(10, 45, "BANK_ACCOUNT")])
    assert (readback.pii, readback.leaked) == (11, 4)
    # with the values' types, the leaks are counted by type as well
    typed = Score()
    typed.add(text, ["4532 0151", "1283 0366"], [Pred(33, 42, "CREDIT_CARD")], ["CARD", "CARD"])
    assert (typed.by_type["CARD"], typed.leaked_by_type["CARD"]) == (4, 2)


class _MasksDigitRuns:
    """A stand-in system: masks every run of digits, nothing else."""

    def redact(self, text: str) -> list[Pred]:
        return [Pred(m.start(), m.end(), "NUMBER") for m in re.finditer(r"\d+", text)]


def test_typed_numbers_slip_one_key_next_to_the_digit() -> None:
    from benchmarks.typed_numbers import NEIGHBOUR_KEYS, Typist

    typist = Typist(3)
    for _ in range(200):
        value, slip = typist.slipped("4532 0151 1283 0366")
        if slip == "neighbour key":
            (i,) = [i for i, (a, b) in enumerate(zip(value, "4532 0151 1283 0366")) if a != b]
            assert value[i] in NEIGHBOUR_KEYS["4532 0151 1283 0366"[i]]


class _MasksNothing:
    def redact(self, text: str) -> list[Pred]:
        return []


def test_typed_numbers_score_digits_left_readable_and_amounts_masked() -> None:
    from benchmarks.typed_numbers import run

    scores = run(200, 5, {"all digits": _MasksDigitRuns(), "nothing": _MasksNothing()})
    everything, nothing = scores["all digits"], scores["nothing"]
    assert everything.values == nothing.values == 200 and everything.negatives == nothing.negatives == 50
    assert (everything.readable, everything.leaked, everything.masked) == (0, 0, 50)
    assert (nothing.readable, nothing.leaked, nothing.masked) == (200, nothing.digits, 0)
    assert nothing.digits > 200 * 9  # phone numbers are the shortest: 11 digits, one maybe dropped


def test_spoken_numbers_mark_every_digit_word_and_nothing_else() -> None:
    from benchmarks.spoken_numbers import ASR_FORMS, DOUBLE, WORDS, Caller

    digit_words = {w for lang in WORDS for w in WORDS[lang]} | {
        form for lang in ASR_FORMS for forms in ASR_FORMS[lang].values() for form in forms} | set(DOUBLE.values())
    caller = Caller(7)
    for _ in range(300):
        text, spans, noise = caller.call()
        assert all(text[start:end] in digit_words for start, end in spans)
        customer = " ".join(line.removeprefix("customer:") for line in text.splitlines() if line.startswith("customer:"))
        said = [w for w in customer.split() if w in digit_words]
        assert len(said) == len(spans) and len(spans) >= 9, (text, noise)


def test_spoken_numbers_score_what_is_left_readable() -> None:
    from benchmarks.spoken_numbers import run

    scores = run(50, 3, {"nothing": _MasksNothing()})["nothing"]
    assert (scores.numbers, scores.readable, scores.leaked) == (50, 50, scores.digit_words)
