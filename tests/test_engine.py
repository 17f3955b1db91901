"""The Redactor API: offsets, spoken forms, language, fail-closed, threads, allow-list."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from redactor import (
    ConfigError,
    DetectionError,
    Entity,
    InvalidInputError,
    RedactionResult,
    Redactor,
    RedactorConfig,
)
from redactor.engine import FAIL_CLOSED_TEXT, MAX_CONTEXT_CHARS, _tail, merge_overlaps
from redactor.nlp import names_left_for_ner, worth_running_ner

CARD = "4532 0151 1283 0366"
NIK = "3174054509900003"


def found(result: RedactionResult, text: str) -> list[tuple[str, str]]:
    return [(e.entity_type, text[e.start : e.end]) for e in result.entities]


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"kartu saya {CARD} exp 09/27 cvv 123",
         [("CREDIT_CARD", CARD), ("CARD_EXPIRY", "09/27"), ("CARD_CVV", "123")]),
        (f"nik saya {NIK} ya kak", [("ID_NIK", NIK)]),
        ("nomor kartu saya empat lima tiga dua nol satu lima satu satu dua delapan tiga nol tiga enam enam",
         [("CREDIT_CARD", "empat lima tiga dua nol satu lima satu satu dua delapan tiga nol tiga enam enam")]),
        ("my card is four five three two zero one five one one two eight three zero three six six thanks",
         [("CREDIT_CARD", "four five three two zero one five one one two eight three zero three six six")]),
        ("nik saya tiga satu tujuh empat nol lima empat lima nol sembilan sembilan nol nol nol nol tiga",
         [("ID_NIK", "tiga satu tujuh empat nol lima empat lima nol sembilan sembilan nol nol nol nol tiga")]),
        ("nomor hp saya kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan",
         [("PHONE_NUMBER", "kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan")]),
        ("cvv nya satu dua tiga", [("CARD_CVV", "satu dua tiga")]),
        ("email saya budi dot santoso at gmail dot com", [("EMAIL_ADDRESS", "budi dot santoso at gmail dot com")]),
        ("berlaku sampai juni dua ribu dua puluh enam", [("CARD_EXPIRY", "juni dua ribu dua puluh enam")]),
        ("masa berlaku enam dua ribu tiga puluh satu", [("CARD_EXPIRY", "enam dua ribu tiga puluh satu")]),
        ("the expiry eleven two thousand and thirty two and the cvv",
         [("CARD_EXPIRY", "eleven two thousand and thirty two")]),
        ("masa berlaku dan cvv b: dua belas tiga puluh satu sembilan empat a: terima kasih",
         [("CARD_EXPIRY", "dua belas tiga puluh satu sembilan empat")]),
        ("nomor hp saya em kosong delapan lima lima eh tujuh satu dua tiga empat lima enam tujuh",
         [("PHONE_NUMBER", "kosong delapan lima lima eh tujuh satu dua tiga empat lima enam tujuh")]),
        ("hp kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan "
         "kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan ya",
         [("PHONE_NUMBER", "kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan "
           "kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan")]),
    ],
)
def test_redact_finds_entities_with_source_offsets(redactor, text, expected):
    result = redactor.redact(text)
    assert found(result, text) == expected
    for entity_type, _ in expected:
        assert f"<{entity_type}>" in result.text


@pytest.mark.parametrize(
    "text",
    [
        "harganya dua ratus lima puluh ribu rupiah ya kak",
        "totalnya Rp 250.000, dikirim besok jam tiga sore",
        "the price is forty five dollars and we open at nine thirty",
        "tiket #48213 sudah kami teruskan ke tim terkait",
        "saya mau beli dua tiket untuk tanggal dua belas",
        "Please cek ticket #INC9490622, udah seminggu no update",
        "I have a meeting at 09.30 WIB, so please call after that",
        "It was Rp 2.500.000 last week, is the Samsung Galaxy A54 cheaper now?",
    ],
)
def test_prices_times_and_tickets_survive(redactor, text):
    result = redactor.redact(text)
    assert result.text == text and result.entities == ()


def test_text_outside_entities_is_unchanged(redactor):
    text = f"Halo kak 👋, nik saya {NIK}. Terima kasih!"
    result = redactor.redact(text)
    assert result.text == "Halo kak 👋, nik saya <ID_NIK>. Terima kasih!"


def test_analyze_matches_redact(redactor):
    text = f"kartu {CARD} dan nik {NIK}"
    assert redactor.analyze(text) == list(redactor.redact(text).entities)


@pytest.mark.parametrize("text, language", [
    ("saya mau tanya soal tagihan kartu kredit saya", "id"),
    ("I would like to ask about my credit card bill", "en"),
])
def test_language_is_decided_per_message(redactor, text, language):
    assert redactor.redact(text).language == language


def test_english_ner_finds_names_in_english_messages(redactor):
    text = "Yesterday I spoke with Jonathan Miller about the refund"
    assert ("PERSON", "Jonathan Miller") in found(redactor.redact(text), text)


@pytest.mark.parametrize("text, name", [
    ("Keith Powell udah bayar belum ya kak", "Keith Powell"),
    ("tadi sudah ditelepon Dewi Lestari dari kantor", "Dewi Lestari"),
])
def test_names_without_cues_in_indonesian_messages(redactor, text, name):
    assert ("PERSON", name) in found(redactor.redact(text), text)


@pytest.mark.parametrize("text, expected", [
    ("Keith Powell udah bayar", True),
    ("saya mau tanya soal tagihan", False),
    ("Mohon Maaf Kak, Customer Care sedang sibuk", False),
    ("I would like to ask Mr Jones about my bill", True),
    ("I would like to ask about my bill", False),  # no capitalised word: no name to find
    ("my name is budi and i would like to ask about my bill", False),  # ASR: no capitals
])
def test_ner_runs_only_where_it_pays(text, expected):
    assert worth_running_ner(text) is expected


@pytest.mark.parametrize("text, labelled, expected", [
    ("Keith Powell udah bayar", [], True),
    ("Keith Powell udah bayar", [(0, 12, "PERSON")], False),  # our model has the name
    ("Keith Powell udah bayar", [(0, 5, "PERSON")], True),  # but not all of it
    ("saya nasabah Bank Jago cabang Medan", [(13, 22, "ORG"), (30, 35, "LOC")], False),
    ("I would like to ask Mr Jones about my bill", [], True),
])
def test_english_ner_runs_only_for_capitalised_names_our_model_left(text, labelled, expected):
    assert names_left_for_ner(text, labelled) is expected


def test_explicit_language_is_respected(redactor):
    text = f"my nik is {NIK}"
    assert found(redactor.redact(text, lang="id"), text) == [("ID_NIK", NIK)]
    assert found(redactor.redact(text, lang="en"), text) == [("ID_NIK", NIK)]


@pytest.mark.parametrize("bad_text, bad_lang", [(None, "auto"), (b"bytes", "auto"), ("ok", "fr")])
def test_bad_arguments_raise_clear_errors(redactor, bad_text, bad_lang):
    with pytest.raises(InvalidInputError):
        redactor.redact(bad_text, lang=bad_lang)


def test_empty_message(redactor):
    result = redactor.redact("")
    assert result.text == "" and result.entities == () and not result.failed


def test_fail_closed_when_analysis_raises(monkeypatch, caplog):
    redactor = Redactor()
    secret = f"nik saya {NIK}"

    def explode(*args, **kwargs):
        raise RuntimeError(f"bug while looking at {secret}")

    monkeypatch.setattr(redactor._analyzer, "analyze", explode)
    result = redactor.redact(secret)
    assert result.failed and result.text == FAIL_CLOSED_TEXT
    assert result.entities == (Entity("REDACTED", 0, len(secret), 1.0),)
    assert NIK not in (result.error or "") and "RuntimeError" in result.error
    assert NIK not in caplog.text
    with pytest.raises(DetectionError) as raised:
        redactor.analyze(secret)
    assert NIK not in str(raised.value)


def test_fail_closed_when_analysis_is_too_slow(monkeypatch):
    redactor = Redactor(RedactorConfig(time_budget_ms=50))
    monkeypatch.setattr(redactor._analyzer, "analyze", lambda *a, **k: time.sleep(0.2) or [])
    result = redactor.redact(f"nik saya {NIK}")
    assert result.failed and result.text == FAIL_CLOSED_TEXT
    assert "time budget of 50 ms" in result.error


def test_fail_closed_when_masking_raises(monkeypatch):
    redactor = Redactor()
    monkeypatch.setattr(redactor._operators, "apply", lambda *a: 1 / 0)
    result = redactor.redact(f"nik saya {NIK}")
    assert result.failed and NIK not in result.text


def test_thread_safe_under_concurrency(redactor):
    texts = [f"kartu {CARD} nomor {i}" if i % 2 else f"nik saya {NIK} ke-{i}" for i in range(60)]
    expected = [redactor.redact(t).text for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(lambda t: redactor.redact(t).text, texts)) == expected


def test_allow_list_and_threshold():
    text = "Halo, dengan Bapak Budi Santoso, kartu 4532 0151 1283 0366"
    plain = Redactor().redact(text)
    assert "Budi Santoso" not in plain.text
    allowed = Redactor(RedactorConfig(allow_list=("Budi Santoso",))).redact(text)
    assert "Budi Santoso" in allowed.text and "0366" not in allowed.text
    strict = Redactor(RedactorConfig.from_dict({"entities": {"PERSON": {"score_threshold": 0.99}}}))
    assert "Budi Santoso" in strict.redact(text).text


def test_a_threshold_a_pattern_reaches_without_its_cue_has_every_text_scanned():
    # OTP patterns score 0.1 without their cue; the default threshold skips text with no cue.
    text = "saya tunggu 4417 ya"
    assert Redactor().analyze(text) == []
    lenient = Redactor(RedactorConfig.from_dict({"entities": {"OTP": {"score_threshold": 0.1}}}))
    assert [(e.entity_type, text[e.start:e.end]) for e in lenient.analyze(text)] == [("OTP", "4417")]


def test_disabled_entity_is_not_detected_but_its_digits_stay_masked_as_numbers():
    config = RedactorConfig.from_dict({"entities": {"ID_NIK": {"enabled": False}}})
    redactor = Redactor(config)
    # not as a NIK, not even by the recognizers that find several types (a NIK said twice);
    # the fail-safe still masks 16 digits, under the generic label
    assert redactor.redact(f"nik saya {NIK}").text == "nik saya <NUMBER>"
    assert redactor.redact(f"nik saya {NIK}{NIK}").text == "nik saya <NUMBER>"
    unmasked = Redactor(RedactorConfig.from_dict(
        {"entities": {"ID_NIK": {"enabled": False}, "NUMBER": {"enabled": False}}}))
    assert unmasked.redact(f"nik saya {NIK}").entities == ()


@pytest.mark.parametrize(
    "entities, expected",
    [
        ([Entity("A", 0, 5, 0.6), Entity("B", 3, 9, 0.9)], [Entity("B", 0, 9, 0.9)]),
        ([Entity("A", 0, 5, 0.9), Entity("B", 5, 9, 0.9)], [Entity("A", 0, 5, 0.9), Entity("B", 5, 9, 0.9)]),
        ([Entity("A", 2, 4, 0.9), Entity("B", 0, 9, 0.9)], [Entity("B", 0, 9, 0.9)]),
        # same type, only white space between: one span
        ([Entity("A", 0, 4, 0.7), Entity("A", 5, 9, 0.9)], [Entity("A", 0, 9, 0.9)]),
        # same type with a word between, or another type: kept apart
        ([Entity("A", 0, 4, 0.7), Entity("A", 10, 14, 0.7)], [Entity("A", 0, 4, 0.7), Entity("A", 10, 14, 0.7)]),
        ([Entity("A", 0, 4, 0.7), Entity("B", 5, 9, 0.7)], [Entity("A", 0, 4, 0.7), Entity("B", 5, 9, 0.7)]),
    ],
)
def test_overlapping_detections_merge_into_their_union(entities, expected):
    assert merge_overlaps(entities, "4431 9849 and 1061") == expected


@pytest.mark.parametrize("context, text, expected", [
    # the question on the line before is the cue; only the answer's entity comes back
    ("agent: boleh nomor rekening BCA Anda?", "1234567890 pak", [("BANK_ACCOUNT", 0, 10)]),
    # the first half of a split number is context: the second half is masked too
    ("customer: kartu saya 4532 0151", "1283 0366", [("CREDIT_CARD", 0, 9)]),
    # entities wholly inside the context are not reported
    ("customer: NIK saya 3174055203900002", "oke terima kasih", []),
    ("", "kartu 4532015112830366", [("CREDIT_CARD", 6, 22)]),
])
def test_context_cues_the_text_but_is_never_reported(redactor, context, text, expected):
    found = [(e.entity_type, e.start, e.end) for e in redactor.analyze(text, context=context)]
    assert found == expected
    result = redactor.redact(text, context=context)  # the masked text is the text's alone
    assert [(e.entity_type, e.start, e.end) for e in result.entities] == expected
    assert result.text == redactor.mask(text, list(result.entities))


def test_deny_list_masks_listed_terms_as_their_type():
    config = RedactorConfig.from_dict({"entities": {
        "EMPLOYEE_NAME": {"deny_list": ["Siti Rahma", "이영호"]},
        "PERSON": {"deny_list": ["Pak Joko"]},
    }})
    engine = Redactor(config)
    assert engine.redact("saya siti rahma dari BCA").text == "saya <EMPLOYEE_NAME> dari BCA"
    assert engine.redact("여기 이영호 입니다").text == "여기 <EMPLOYEE_NAME> 입니다"
    assert engine.redact("tanya pak joko saja").text == "tanya <PERSON> saja"
    assert engine.redact("sitirahma bukan nama").text == "sitirahma bukan nama"  # whole words only


@pytest.mark.parametrize("deny_list", ["Siti", [""], [3]])
def test_bad_deny_list_is_a_config_error(deny_list):
    with pytest.raises(ConfigError, match="deny_list"):
        RedactorConfig.from_dict({"entities": {"PERSON": {"deny_list": deny_list}}})


def test_only_the_end_of_a_long_context_is_read(redactor):
    context = "agent: " + "selamat siang, ada yang bisa dibantu? " * 20 + "boleh nomor rekening BCA Anda?"
    assert len(_tail(context, MAX_CONTEXT_CHARS)) <= MAX_CONTEXT_CHARS
    assert _tail(context, MAX_CONTEXT_CHARS).split()[0] in context.split()  # starts at a word
    assert _tail("short", MAX_CONTEXT_CHARS) == "short"
    # the question right before the answer is still within reach
    found = redactor.analyze("1234567890 pak", context=context)
    assert [(e.entity_type, e.start, e.end) for e in found] == [("BANK_ACCOUNT", 0, 10)]


@pytest.mark.parametrize("question, answer, entity_type", [
    ("kode OTP yang kami kirim lewat SMS tadi boleh dibacakan pelan-pelan ya bu, jangan dibagikan "
     "ke orang lain selain kami", "4417", "OTP"),
    ("boleh dibantu nomor paspor Bapak? mohon disebutkan lengkap dengan huruf di depannya sesuai "
     "yang tertera di halaman data ya", "B1234567", "ID_PASSPORT"),
    ("could you read me the PIN you set up last week, slowly please, I have to type it into the "
     "verification screen on my side", "5521", "PIN"),
])
def test_a_long_questions_cue_still_reaches_its_answer(redactor, question, answer, entity_type):
    context = f"agent: {question}"
    assert len(context) > MAX_CONTEXT_CHARS + 20  # the cue lies beyond the end that is read
    found = redactor.analyze(answer, context=context)
    assert [(e.entity_type, e.start, e.end) for e in found] == [(entity_type, 0, len(answer))]


def test_a_secret_asked_for_before_another_question_is_still_awaited(redactor):
    context = ("customer: hey the app keeps asking for otp but nothing comes\n"
               "agent: Sorry about that! Which number is registered on your account?\n"
               "customer: 0878 5512 0099")
    found = redactor.analyze("customer: oh wait it just came, 5521", context=context)
    assert [(e.entity_type, e.start, e.end) for e in found] == [("OTP", 32, 36)]


def test_a_secret_already_given_is_not_awaited_again(redactor):
    context = ("agent: silakan sebutkan kode OTP yang masuk ke hp bapak ya\n"
               "customer: otp yang masuk 7512 maaf salah 759242\n"
               "customer: terima kasih kak")
    assert redactor.analyze("agent: tiket #555647 sudah diproses", context=context) == []


def test_a_long_questions_cue_never_overrides_the_cue_of_the_last_question(redactor):
    context = ("agent: kode OTP yang kami kirim lewat SMS tadi sudah kami terima ya bu, terima kasih\n"
               "agent: sekarang boleh nomor resinya kak?")
    assert redactor.analyze("216444693953", context=context) == []  # a tracking number


def test_a_long_question_without_a_cue_leaves_a_short_number_readable(redactor):
    context = ("agent: berapa banyak barang yang mau dipesan kak? mohon disebutkan ya supaya kami bisa "
               "cek dulu stoknya di gudang")
    assert redactor.analyze("4417", context=context) == []


class _NoContextBoost(LemmaContextAwareEnhancer):
    def enhance_using_context(self, text, raw_results, *args, **kwargs):
        return raw_results


@pytest.mark.parametrize("text, boosted", [
    ("my license is A1234567", True),  # Presidio's US licence recognizer needs its context word
    ("my passport number is 912803456", False),  # our recognizer weighed its context itself
    ("nik saya 3174055203900002, passport A1234567", False),
])
def test_the_context_enhancer_boosts_what_presidios_own_does(redactor, monkeypatch, text, boosted):
    ours = redactor.analyze(text, "en")
    monkeypatch.setattr(redactor._analyzer, "context_aware_enhancer", LemmaContextAwareEnhancer())
    assert redactor.analyze(text, "en") == ours
    monkeypatch.setattr(redactor._analyzer, "context_aware_enhancer", _NoContextBoost())
    assert (redactor.analyze(text, "en") != ours) == boosted


# --- Presidio's analysis, done faster: the same answers ------------------------------------

ANALYSED_TEXTS = [
    f"kartu {CARD} atas nama Budi Santoso, NIK {NIK}",
    "email budi dot santoso at gmail dot com, hp 0812 3456 7890",
    "agent: cvv nya berapa?\ncustomer: 123, exp 08/27",
    "halo kak saya bu sri wahyuni, refund ke rekening BCA 1234567890 ya",
]


@pytest.mark.parametrize("text", ANALYSED_TEXTS)
def test_grouped_context_step_answers_as_presidio_does(redactor, text):
    from presidio_analyzer import AnalyzerEngine

    ours = redactor._analyzer
    presidio = AnalyzerEngine(registry=ours.registry, nlp_engine=ours.nlp_engine,
                              supported_languages=ours.supported_languages,
                              context_aware_enhancer=ours.context_aware_enhancer)
    entities = redactor._entities

    def answer(analyzer):
        return sorted((r.entity_type, r.start, r.end, r.score)
                      for r in analyzer.analyze(text, "id", entities))

    assert answer(ours) == answer(presidio) != []


def test_grouped_context_step_shows_a_recognizer_the_others_results(redactor):
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class RecordingRecognizer(EntityRecognizer):
        """Boosts nothing; records what Presidio's contract hands it."""

        seen: list = []

        def load(self):
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            return [RecognizerResult("TEST_ENTITY", 0, 5, 0.9)]

        def enhance_using_context(self, text, raw_recognizer_results,
                                  other_raw_recognizer_results, nlp_artifacts, context=None):
            self.seen.append(({r.entity_type for r in raw_recognizer_results},
                              {r.entity_type for r in other_raw_recognizer_results}))
            return raw_recognizer_results

    recognizer = RecordingRecognizer(supported_entities=["TEST_ENTITY"], supported_language="id")
    analyzer = redactor._analyzer
    analyzer.registry.add_recognizer(recognizer)
    try:
        found = analyzer.analyze(f"kartu {CARD}", "id", [*redactor._entities, "TEST_ENTITY"])
    finally:
        analyzer.registry.remove_recognizer(recognizer.name)
    assert "TEST_ENTITY" in {r.entity_type for r in found}
    [(own, others)] = RecordingRecognizer.seen
    assert own == {"TEST_ENTITY"} and "CREDIT_CARD" in others


def test_registry_serves_a_recognizer_added_after_it_was_asked(redactor):
    from presidio_analyzer import Pattern, PatternRecognizer

    registry = redactor._analyzer.registry
    before = registry.get_recognizers("id", ["TEST_CODE"] + redactor._entities)
    added = PatternRecognizer("TEST_CODE", name="TestCode", supported_language="id",
                              patterns=[Pattern("code", r"\bZX\d{4}\b", 0.9)])
    registry.add_recognizer(added)
    try:
        after = registry.get_recognizers("id", ["TEST_CODE"] + redactor._entities)
    finally:
        registry.remove_recognizer("TestCode")
    assert added not in before and added in after
    assert added not in registry.get_recognizers("id", redactor._entities)
