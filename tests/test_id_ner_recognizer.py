"""The Indonesian/English NER model and its recognizer: names without cues, in any casing,
and the banks, places and chat words that must stay readable."""
from __future__ import annotations

import pytest
from faker import Faker

from recognizers.id_ner_model import (DEFAULT_MODEL_PATH, DEFAULT_PERSON_BIAS, MODEL_ENV, PERSON_BIAS_ENV,
                                      FluentReading, IdNerModel, shared_model)
from recognizers.id_ner_recognizer import IdNerRecognizer
from recognizers.person_cue_recognizer import PersonCueRecognizer
from recognizers.vocabulary import names_a_place
from redactor import Redactor

REDACTOR = Redactor()


def person_spans(text: str) -> list[str]:
    return [text[e.start : e.end] for e in REDACTOR.analyze(text) if e.entity_type == "PERSON"]


def masked(text: str, name: str) -> bool:
    """Every character of ``name`` (first occurrence) lies inside a detected PERSON."""
    start = text.index(name)
    entities = [e for e in REDACTOR.analyze(text) if e.entity_type == "PERSON"]
    return all(any(e.start <= i < e.end for e in entities) for i in range(start, start + len(name)))


# The misses quoted in issue 8: lowercase names with no cue, a name opening a data line.
ISSUE_MISSES = [
    ("sy andi baso tenri mau blokir", "andi baso tenri"),
    ("under jessica tjandra", "jessica tjandra"),
    ("Bapak/Ibu siapa? Customer: bambang kuncoro", "bambang kuncoro"),
    ("nama ibu kandung customer: syamsuddin", "syamsuddin"),
    ("sukirman setiawan - +62 898 7765 4321", "sukirman setiawan"),
]


@pytest.mark.parametrize(("text", "name"), ISSUE_MISSES)
def test_names_the_cues_missed_are_masked(text, name):
    assert masked(text, name), person_spans(text)


# The false positives quoted in issue 8: banks and chat words taken for people.
ISSUE_FALSE_POSITIVES = [
    ("saya pakai Jago, bisa transfer ke sana?", "Jago"),
    ("transfer dari SEABANK belum masuk", "SEABANK"),
    ("kak barusan saya transfer tapi saldo belum berubah", "barusan"),
    ("kak pesenan saya belum sampai dari kemarin", "pesenan"),
    ("hp laa rusak lagi, mau klaim garansi", "laa"),
]


@pytest.mark.parametrize(("text", "word"), ISSUE_FALSE_POSITIVES)
def test_banks_and_chat_words_are_not_people(text, word):
    assert not any(word in span for span in person_spans(text))


# Names per naming tradition, none of them in the augmentation's name lists (ner/names.py),
# each in a message without a name cue. Written as typed (cased), as ASR and lowercase chat
# write them, and as an ALL CAPS data line.
NAMES = [
    ("javanese", "Sutarno Hadiprojo"),
    ("javanese", "Ngadiyem Sastrowardoyo"),
    ("sundanese", "Atang Sutarya"),
    ("sundanese", "Yayah Rohayati"),
    ("balinese", "I Komang Suarjana"),
    ("balinese", "Ni Kadek Ayu Lestari"),
    ("batak", "Martahan Hutabarat"),
    ("batak", "Rotua Sitompul"),
    ("chinese-indonesian", "Lukas Tjiptadi"),
    ("chinese-indonesian", "Meliana Kosasih"),
    ("bugis", "Andi Tenri Mappaselle"),
    ("minang/arabic", "Nurhasanah Harun"),
    ("eastern", "Yakobus Matulessy"),
    ("eastern", "Fransiska Letsoin"),
    ("english", "Brandon Whitaker"),
]
FRAMES = [
    "{} mau tanya status refund saya",
    "tolong cek dulu kak, {} yang kemarin chat",
    "Customer: {}, 0812 3344 5566",
    "the order is under {}",
]
CASINGS = {"cased": str, "lowercase": str.lower, "caps": str.upper}
#: Where the model (and no cue) misses a name today: lowercase and ALL CAPS names opening a
#: message or after "kak,". Strict: a fix makes these fail until they are taken off the list.
#: 23 of 180 with the models of 2026-12-05; 13 with the model of 2026-12-06, whose training
#: copies carry names from every Faker locale and from the training news; 10 with its PERSON
#: bias (recognizers/id_ner_model.py); 7 once names run on into unknown words (name_echo); 6
#: once given names of many countries were no longer taken for ordinary words ("Brandon"); 1
#: once two unknown words in a row were read as a name (name_echo.unknown_word_pairs); none
#: with the model of 2026-12-07, which also learnt from hand-written text (ner/written/).
KNOWN_MISSES: set[tuple[str, str, str]] = set()


def _tradition_cases():
    for frame in FRAMES:
        for tradition, name in NAMES:
            for casing in CASINGS:
                marks = [pytest.mark.xfail(strict=True, reason="known miss")] if (
                    frame, name, casing) in KNOWN_MISSES else []
                yield pytest.param(frame, tradition, name, casing, marks=marks)


@pytest.mark.parametrize(("frame", "tradition", "name", "casing"), list(_tradition_cases()))
def test_names_of_every_tradition_and_casing_are_masked(frame, tradition, name, casing):
    text = frame.format(CASINGS[casing](name))
    assert masked(text, CASINGS[casing](name)), person_spans(text)


# Words that look like names after a form of address, or are banks, brands and places:
# they must stay readable for QA.
LOOK_ALIKES = [
    ("kak barusan udah aku bayar ya", "barusan"),
    ("pak sinyal di rumah jelek banget", "sinyal"),
    ("mas kurirnya belum datang", "kurirnya"),
    ("mbak tolong dicek ya", "tolong"),
    ("bu, cicilan saya bulan ini udah masuk?", "cicilan"),
    ("kak voucher saya hangus", "voucher"),
    ("saya nasabah Bank Jago cabang Medan", "Jago"),
    ("saya nasabah Bank Jago cabang Medan", "Medan"),
    ("top up ShopeePay gagal terus", "ShopeePay"),
    ("paket dari SiCepat nyangkut di Surabaya", "SiCepat"),
    ("paket dari SiCepat nyangkut di Surabaya", "Surabaya"),
    ("KARTU BRI SAYA DIBLOKIR", "BRI"),
    ("refund ke OVO aja kak", "OVO"),
    ("sy tinggal di cibubur, kirim ke sana bisa?", "cibubur"),
    # chat words that end the model's span are no part of a name
    ("ini kurirnya galak bgt kak", "bgt"),
    ("ongkir ke Nabire brp ya? penerima Yulianus Kogoya", "brp"),
    ("wkwk maap kak, td yg bales adek sy", "maap"),
    # places and institutions named after people
    ("paket sy nyangkut di gudang Bandara Soekarno-Hatta ya?", "Soekarno"),
    ("RSUP Dr. Sardjito nerima BPJS kelas 1 ga ya?", "Sardjito"),
    ("mau daftar S2 di Universitas Gadjah Mada", "Gadjah"),
    ("konsernya di Stadion Gelora Bung Karno kak", "Karno"),
]


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("gudang Bandara Soekarno-Hatta", "Soekarno-Hatta", True),
    ("RSUP Dr. Sardjito", "Sardjito", True),
    ("cabang Jl. Ahmad Yani", "Ahmad Yani", True),
    ("Universitas Gadjah Mada", "Universitas Gadjah Mada", True),
    ("nama saya Ahmad Yani", "Ahmad Yani", False),
    ("dirawat dr. Budi di RS", "Budi", False),
])
def test_names_of_places_named_after_people(text, name, expected):
    start = text.index(name)
    assert names_a_place(text, start, start + len(name)) is expected


@pytest.mark.parametrize(("text", "word"), LOOK_ALIKES)
def test_look_alike_words_stay_readable(text, word):
    assert not any(word in span for span in person_spans(text))


# Cue rules cut once the model was trained (``python -m benchmarks.cue_rules`` showed they
# added no recall beside it): "perkenalkan saya X", "I'm X", "saya sendiri X", "kirim ke X",
# "is this X", "under X", "kurir (X)", mail headers, "CS Tri:"; on 2026-12-06 also "X here",
# Capitalised message openers ("Agus Salim udah transfer"), "0812... (Lestari)" and
# an agent's list of fields answered in order; on 2026-12-07 "this is X" / "it's X", verbs
# that take a person ("hubungi X", "bilang ke X") and roles ("kepala keluarga X", "penumpang
# X"). Their test cases, from tests/test_person_cue_recognizer.py, must still be masked.
FOUND_NOW_BY_THE_MODEL = [
    ("halo kak, Yunita here", ["Yunita"]),
    ("Hello! Marco here, calling about my order", ["Marco"]),
    ("Agus Salim udah transfer belum ya?", ["Agus Salim"]),
    ("Rudi Hartono sdh bayar kak", ["Rudi Hartono"]),
    ("Amanda Clarke, 42 Baker Street", ["Amanda Clarke"]),
    ("WA ayah saya 081912345678 (Arsipatra)", ["Arsipatra"]),
    ("nomor istri saya 0812-3456-7890 (Lestari) kak", ["Lestari"]),
    ("agent: mohon nik paspor nomor hp dan email hadi nik 5271010101010001", ["hadi"]),
    ("sebutkan nama bank dan nomor rekening fitri darmawan bank syariah indonesia 7123456789",
     ["fitri darmawan"]),
    ("nama sesuai yang tertera di kartu ya ahmad firmansyah baik pak ahmad",
     ["ahmad firmansyah", "ahmad"]),
    ('iya saya sendiri yance winarsih nomor hp nya 0819', ['yance winarsih']),
    ("I'm Kevin, calling about my card", ['Kevin']),
    ('kirim ke Rahmat Hidayat, Jl. Kenanga 12', ['Rahmat Hidayat']),
    ('kirim ke indra gunawan 0812 3456 7890', ['indra gunawan']),
    ('kurir (andri) udah di depan', ['andri']),
    ('From: Arya <itsarya@gmail.com>', ['Arya']),
    ('To: Budi Santoso <budi.s@gmail.com>', ['Budi Santoso']),
    ('From: "Wulan Sari" <wulan@x.id>\nSubject: refund', ['Wulan Sari']),
    ('is this anthony phillips yes speaking', ['anthony phillips']),
    ('is this Anthony Phillips? yes', ['Anthony Phillips']),
    ('i have a savings account at bank jago under citra pattinama', ['citra pattinama']),
    ('the account under Fajar Nugroho was closed', ['Fajar Nugroho']),
    ('my card under ratna sari, right?', ['ratna sari']),
    ('CS Tri: halo kak ada yang bisa dibantu', ['Tri']),
    ('Agent Rina: selamat pagi', ['Rina']),
    ('admin budi: siap kak', ['budi']),
    ('this is Sarah speaking', ['Sarah']),
    ('hi, this is Jennifer from the billing team', ['Jennifer']),
    ("so uh it's michelle again", ['michelle']),
    ('this is rachel, i called yesterday', ['rachel']),
    ('this is pedro', ['pedro']),
    ("hi it's jason heere", ['jason']),
    ('hubungi wulan di 0812 3456 7890', ['wulan']),
    ('menghubungi Yogi Pratama, katanya sudah', ['Yogi Pratama']),
    ('kontak Rani aja kak', ['Rani']),
    ('tolong wa Andi di 0812 3456 7890', ['Andi']),
    ('chat sama Fikri, katanya barang udah dikirim', ['Fikri']),
    ('report ke Yosef katanya besok', ['Yosef']),
    ('aku udah bilang ke dimas katanya mau dicek', ['dimas']),
    ('tadi sudah ditelepon Citra Kirana dari kantor', ['Citra Kirana']),
    ('agent: thank you for calling this uh is jessica speaking how may i help', ['jessica']),
    ('this is jacob walker, following up on my case', ['jacob walker']),
    ('customer care this is jefri hi i moved to a new place', ['jefri']),
    ('kepala keluarganya agus setiawan', ['agus setiawan']),
    ('kepala keluarga bambang wijaya nik 3174012345670001', ['bambang wijaya']),
    ('penumpang budi santoso sama rina wati', ['budi santoso', 'rina wati']),
    ('Penumpang Budi Santoso & Rina Wati', ['Budi Santoso', 'Rina Wati']),
    ('nasabah saya hendra gunawan', ['hendra gunawan']),
    ('halo this is andreas dwi sondakh soal refund order', ['andreas dwi sondakh']),
    ('tambah anggota keluarga tari nik 7501010101010001', ['tari']),
    ('thank you for calling customer care this is jefri\nhi i moved to a new apartment', ['jefri']),
]


#: Known misses of the model (strict: a fix makes them fail until taken off).
KNOWN_CUT_CUE_MISSES = {
    ("is this anthony phillips yes speaking", "as typed"),
    ("CS Tri: halo kak ada yang bisa dibantu", "as typed"),
    ("CS Tri: halo kak ada yang bisa dibantu", "caps"),
    ("tambah anggota keluarga tari nik 7501010101010001", "as typed"),
    ("tambah anggota keluarga tari nik 7501010101010001", "caps"),
}


def _cut_cue_cases():
    for text, names in FOUND_NOW_BY_THE_MODEL:
        for casing, change in (("as typed", str), ("caps", str.upper)):
            marks = ([pytest.mark.xfail(strict=True, reason="known miss")]
                     if (text, casing) in KNOWN_CUT_CUE_MISSES else [])
            yield pytest.param(text, names, change, marks=marks, id=f"{text}-{casing}")


@pytest.mark.parametrize(("text", "names", "casing"), list(_cut_cue_cases()))
def test_names_of_the_cut_cue_rules_are_still_masked(text, names, casing):
    for name in names:
        assert masked(casing(text), casing(name)), person_spans(casing(text))


@pytest.mark.parametrize(
    ("template", "locale", "lowercase"),
    [("kirim ke {} 0812 3456 7890 ya kak", "id_ID", False),
     ("kirim ke {} 0812 3456 7890 ya kak", "id_ID", True),
     ("{} mau tanya status refund", "id_ID", False), ("{} mau tanya status refund", "id_ID", True),
     ("sy {} mau blokir kartu", "id_ID", False), ("sy {} mau blokir kartu", "id_ID", True),
     ("tolong hubungi {} di 0812 3456 7890", "id_ID", False),
     ("tolong hubungi {} di 0812 3456 7890", "id_ID", True),
     ("the order is under {}", "en_US", False),
     ("the order is under {}", "en_US", True)],
)
def test_faker_names_without_cues(template, locale, lowercase):
    fake = Faker(locale)
    fake.seed_instance(7)
    misses = []
    for _ in range(40):
        name = f"{fake.first_name()} {fake.last_name()}"
        name = name.lower() if lowercase else name
        text = template.format(name)
        if not masked(text, name):
            misses.append((text, person_spans(text)))
    # 3 of 40 with the width-48 model: two surnames after a first name it caught ("ikhsan
    # firgantoro", "raihan hidayat") and one whole lowercase name; 2 with the width-96 model.
    assert len(misses) <= 3, misses


def test_recognizer_reports_person_spans_trimmed_of_forms_of_address():
    recognizer = IdNerRecognizer()
    text = "tadi sudah dibantu pak Sutarno Hadiprojo dari cabang Bandung"
    found = [text[r.start : r.end] for r in recognizer.analyze(text, ["PERSON"])]
    assert found == ["Sutarno Hadiprojo"]


def test_model_tags_places_and_organisations():
    model = shared_model()
    text = "saya nasabah BCA cabang Surabaya"
    labels = {text[s:e]: label for s, e, label in model.entities(text)}
    assert labels.get("BCA") == "ORGANIZATION"
    assert labels.get("Surabaya") == "LOCATION"


def test_weak_cue_on_a_bank_is_vetoed_by_the_model():
    text = "hi Superbank"
    with_model = PersonCueRecognizer()
    without_model = PersonCueRecognizer()
    without_model.ner_model = None
    spans_without = [text[r.start : r.end] for r in without_model.analyze(text, ["PERSON"])]
    assert spans_without == ["Superbank"]  # the weak "hi X" cue alone takes it for a name
    assert with_model.analyze(text, ["PERSON"]) == []


def test_model_can_be_switched_off(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "off")
    assert shared_model() is None
    assert IdNerRecognizer().analyze("under jessica tjandra", ["PERSON"]) == []


@pytest.mark.parametrize("text, name", [
    ("koh aming ya koh\niya saya aming\nbaik koh", "aming"),
    ("bilang aja buat neng ocha kak di depan gang nanti ada yang nerima", "ocha"),
])
def test_person_bias_makes_the_model_open_names_it_was_unsure_of(text, name):
    def people(bias: float) -> list[str]:
        model = IdNerModel(DEFAULT_MODEL_PATH, person_bias=bias)
        return [text[s:e] for s, e, label in model.entities(text) if label == "PERSON"]

    assert not any(name in person for person in people(0.0))
    assert any(name in person for person in people(DEFAULT_PERSON_BIAS))


def test_person_bias_is_read_from_the_environment():
    assert shared_model({PERSON_BIAS_ENV: "0"}) is not shared_model({PERSON_BIAS_ENV: "1.0"})
    assert shared_model({PERSON_BIAS_ENV: str(DEFAULT_PERSON_BIAS)}) is shared_model({})  # the default
    with pytest.raises(ValueError, match=f"{PERSON_BIAS_ENV} must be a number"):
        shared_model({PERSON_BIAS_ENV: "high"})


def test_model_loads_from_a_path_with_the_network_blocked(no_network):
    model = IdNerModel(DEFAULT_MODEL_PATH)
    text = "sy martahan hutabarat mau blokir kartu"
    assert ("martahan hutabarat", "PERSON") in [(text[s:e], label) for s, e, label in
                                                 model.entities(text)]
    assert no_network == []


def test_model_fits_its_size_budget():
    size = sum(f.stat().st_size for f in DEFAULT_MODEL_PATH.rglob("*") if f.is_file())
    assert size <= 25 * 1024 * 1024


class CountingModel(IdNerModel):
    """The shipped model, counting the lines it actually runs on."""

    def __init__(self) -> None:
        super().__init__(DEFAULT_MODEL_PATH, shared_model().chat_words)
        self.read: list[str] = []
        self.nlp_runs = 0
        nlp = self.nlp

        def counted(text: str):
            self.nlp_runs += 1
            return nlp(text)

        self.nlp = counted

    def _predict(self, text: str):
        self.read.append(text)
        return super()._predict(text)


@pytest.mark.parametrize(("text", "start", "end", "lines_read"), [
    ("agent: nama?\ncustomer: bambang kuncoro", 0, None, ["agent: nama?", "customer: bambang kuncoro"]),
    ("agent: nama?\ncustomer: bambang kuncoro", 13, None, ["customer: bambang kuncoro"]),
    ("agent: nama?\ncustomer: bambang kuncoro", 7, 11, ["agent: nama?"]),
    ("satu\ndua\ntiga", 5, 8, ["dua"]),
])
def test_model_reads_only_the_lines_asked_for(text, start, end, lines_read):
    model = CountingModel()
    spans = model.entities(text, start, end)
    assert model.read == lines_read
    assert all(text[s:e] for s, e, _ in spans)


@pytest.mark.parametrize(("text", "lines_read"), [
    ("agent: no order nya berapa kak?\ncustomer: bambang kuncoro", ["customer: bambang kuncoro"]),
    ("customer: kartu saya 4532 0151 1283 0366", []),
    ("customer: saya nasabah BCA cabang Surabaya", []),
    ("customer: eja k a d e k", ["customer: eja k a d e k"]),
])
def test_lines_of_chat_words_and_numbers_are_not_read_for_people(text, lines_read):
    model = CountingModel()
    model.entities(text, people_only=True)
    assert model.read == lines_read


def test_a_conversation_line_is_read_once_however_many_messages_carry_it_as_context():
    from redactor.chat import ChatSession

    model = CountingModel()
    redactor = Redactor()
    for recognizer in redactor._analyzer.registry.recognizers:
        if isinstance(recognizer, IdNerRecognizer):
            recognizer.model = model
    session = ChatSession("ner-once", redactor, holdback_s=0)
    turns = [("agent", "selamat pagi, dengan siapa saya bicara?"), ("customer", "bambang kuncoro kak"),
             ("agent", "baik pak bambang, ada yang bisa dibantu?"), ("customer", "mau tanya tagihan")]
    out = [segment for i, (speaker, text) in enumerate(turns)
           for segment in session.accept(speaker, text, now=10.0 * i) + session.flush()]
    assert "kuncoro" not in out[1].text
    # Once each, in order; the last holds only chat words and is not read at all.
    assert model.read == [f"{speaker}: {text}" for speaker, text in turns[:3]]


@pytest.mark.parametrize("text", [
    "anak-anak saya mau daftar, a.n. Budi Santoso, Jl. Merdeka No. 5",
    "sy andi baso tenri mau blokir kartu yg kemarin",
    "Dr. Ratna S.Kom dari PT. Maju Jaya, tlp 0812-3344-5566",
])
def test_model_tokenizes_as_the_tokenizer_it_was_saved_with(text):
    import spacy

    saved = spacy.load(DEFAULT_MODEL_PATH)  # its own tokenizer, read from disk
    assert [t.text for t in shared_model().nlp.make_doc(text)] == [t.text for t in saved.make_doc(text)]


# Letters read aloud before a number are a code's prefix (a JNE or J&T tracking number), which
# the allow-cue keeps readable; spelled names and initials before a phone number stay masked.
@pytest.mark.parametrize(("text", "readable"), [
    ("nomor resinya je en e tujuh satu lima tiga satu dua nol satu empat dua", "je en e"),
    ("no resi saya je en e satu dua tiga empat lima enam tujuh delapan sembilan", "je en e"),
    ("resi je te satu dua tiga empat lima enam tujuh delapan sembilan", "je te"),
])
def test_letters_read_before_a_tracking_number_are_not_a_person(text, readable):
    assert readable in REDACTOR.redact(text).text


@pytest.mark.parametrize(("text", "word"), [
    ("halo pinnya dua tujuh dua", "pinnya"),
    ("halo mbak otpnya delapan delapan", "otpnya"),
    ("pak rekeningnya atas nama siapa?", "rekeningnya"),
])
def test_chat_words_with_the_suffix_nya_are_not_people(text, word):
    assert not any(word in span for span in person_spans(text))


@pytest.mark.parametrize(("text", "name"), [
    ("Anya mau tanya status refund", "Anya"),
    ("nama saya de e we i", "de e we i"),
    ("nama saya I Komang 0812 3344 5566", "I Komang"),
])
def test_names_before_numbers_stay_masked(text, name):
    assert masked(text, name), person_spans(text)


@pytest.mark.parametrize(("text", "name"), [
    # the model reads "Endah Pangestu said" as an organisation: a span run on into a
    # lowercase word vetoes no name
    ("here is your reference: order #404034. Endah Pangestu said she already paid",
     "Endah Pangestu"),
    # after a speaker label it reads the whole lowercase message as one organisation
    ("customer: my colleague ahmed al mansoori will call you back tomorrow", "ahmed al mansoori"),
    # ... or "my husband jean pierre dupont" as one, the possessive and the relation with it
    ("customer: my husband jean pierre dupont was admitted last night", "jean pierre dupont"),
])
def test_a_place_or_organisation_the_model_is_confused_about_vetoes_no_name(text, name):
    assert masked(text, name), person_spans(text)


@pytest.mark.parametrize(("text", "word"), [
    ("saya transfer ke Bank of America kemarin", "America"),
    ("tolong kirim ke Jakarta Selatan ya", "Jakarta"),
])
def test_places_and_organisations_with_particles_still_veto(text, word):
    assert not any(word in span for span in person_spans(text))


# Speakers restart a name and hesitate inside it; the model, trained on fluent text, is also
# given the line without the hesitations and with each restart said once.
@pytest.mark.parametrize(("line", "fluent"), [
    ("itu ratna ratna juwita", "itu ratna juwita"),
    ("anak saya eh anu putra putra pratama pratama", "anak saya putra pratama"),
    ("dengan bu made eh bu made sri artini", "dengan bu made sri artini"),
    ("Nama: Budi, Budi Santoso", "Nama: Budi, Budi Santoso"),  # "Budi," is not "Budi"
    ("eh hmm", ""),
])
def test_fluent_reading_drops_hesitations_and_restarts(line, fluent):
    assert FluentReading(line).text == fluent


@pytest.mark.parametrize(("line", "model_span", "line_spans"), [
    # Each restarted word's copy is a name too.
    ("itu ratna ratna juwita", "ratna juwita", ["ratna juwita", "ratna"]),
    # A hesitation inside a name is left readable.
    ("nama saya wati eh watik", "wati watik", ["wati", "watik"]),
])
def test_fluent_reading_maps_spans_back_to_the_line(line, model_span, line_spans):
    reading = FluentReading(line)
    start = reading.text.index(model_span)
    spans = reading.spans((start, start + len(model_span), "PERSON"))
    assert [line[s:e] for s, e, _ in spans] == line_spans


@pytest.mark.parametrize(("text", "name"), [
    ("nama istri saya yang terdaftar itu ratna ratna juwita", "ratna ratna juwita"),
    ("atas nama anak saya bu eh anu putra putra pratama pratama pakai satu a", "putra putra pratama"),
    ("jadi istri saya hmm ai itu anu yang daftar pinjaman pakai ktp saya", "ai"),
])
def test_names_said_with_restarts_and_hesitations_are_masked(text, name):
    assert masked(text, name), person_spans(text)


def test_lines_without_hesitations_or_restarts_are_read_once():
    model = CountingModel()
    model.entities("customer: bambang kuncoro\ncustomer: eh bambang bambang kuncoro\nhmm eh")
    assert model.read == ["customer: bambang kuncoro", "customer: eh bambang bambang kuncoro", "hmm eh"]
    # Once, twice (as said, and fluent), once (nothing is left of it to read fluently).
    assert model.nlp_runs == 4
