"""PersonCueRecognizer: PERSON names from Indonesian/English conversational cues."""
from __future__ import annotations

import random
import time

import pytest
from faker import Faker

from recognizers.base import ANALYZER_LANGUAGE
from recognizers.person_cue_recognizer import PersonCueRecognizer

RECOGNIZER = PersonCueRecognizer()


def spans(text: str, recognizer: PersonCueRecognizer = RECOGNIZER) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["PERSON"])]


def scores(text: str) -> dict[str, float]:
    return {text[r.start : r.end]: r.score for r in RECOGNIZER.analyze(text, ["PERSON"])}


# (text, exact name spans found)
POSITIVES = [
    # Indonesian strong cues, written chat
    ("nama saya Budi", ["Budi"]),
    ("Nama saya Siti Nurhaliza, mau tanya kak", ["Siti Nurhaliza"]),
    ("Halo kak, nama sy Rina Marlina. Kartu saya ketelen", ["Rina Marlina"]),
    ("namaku Muhammad Rizky Pratama", ["Muhammad Rizky Pratama"]),
    ("Nama lengkap saya: Agus Salim", ["Agus Salim"]),
    ("Nama lengkap sesuai KTP: Muhammad Rizky Pratama", ["Muhammad Rizky Pratama"]),
    ("nama saya adalah Fitriani, tinggal di Bekasi", ["Fitriani"]),
    ("nama lengkap saya I Gusti Ayu Putu Sari", ["I Gusti Ayu Putu Sari"]),
    ("nama saya Ni Luh Putu Ayu", ["Ni Luh Putu Ayu"]),
    ("nama saya Made Wirawan", ["Made Wirawan"]),
    ("atas nama Ahmad bin Abdullah ya kak", ["Ahmad bin Abdullah"]),
    ("atas nama Siti Aisyah binti Ahmad", ["Siti Aisyah binti Ahmad"]),
    ("transfer ke rek 1234567890 a.n. Hendra Gunawan", ["Hendra Gunawan"]),
    ("refund ke BCA 123 456 7890 an. Yuliana ya", ["Yuliana"]),
    ("a/n Dewi Sartika", ["Dewi Sartika"]),
    ("a.n. BUDI SANTOSO", ["BUDI SANTOSO"]),
    ("penerimanya Siti Aminah", ["Siti Aminah"]),
    ("nama penerima: Slamet Riyadi", ["Slamet Riyadi"]),
    ("pemilik rekening Joko Widodo", ["Joko Widodo"]),
    ("nama ibu kandung saya Sumarni", ["Sumarni"]),
    ("nama ibu kandung: Kartini", ["Kartini"]),
    ("Nama saya M. Yusuf", ["M. Yusuf"]),
    ("Nama saya Budi S.", ["Budi S"]),
    ("nama: Budi Santoso\nalamat: Jl. Melati 5", ["Budi Santoso"]),
    ("anaknya bernama Agus Salim", ["Agus Salim"]),
    ("panggil saja Ucok", ["Ucok"]),
    # Indonesian, ASR form (lowercase, no punctuation, digits)
    ("nama saya budi santoso nomor hp saya 081234567890", ["budi santoso"]),
    ("halo selamat pagi nama saya dewi lestari mau tanya soal kartu kredit", ["dewi lestari"]),
    ("nama saya i gusti ngurah made oka", ["i gusti ngurah made oka"]),
    ("nama saya muh. rizky", ["muh. rizky"]),
    ("rekening bca saya 1234567890 atas nama paramita sihombing", ["paramita sihombing"]),
    ("atas nama lanjar kala setiawan", ["lanjar kala setiawan"]),
    ("nama saya budi tinggal di jalan melati", ["budi"]),
    ("namaku rizal, mau tanya", ["rizal"]),
    # agent greeting "dengan X"
    ("selamat pagi, dengan Rina, ada yang bisa dibantu?", ["Rina"]),
    ("Selamat siang, dengan Putri di sini, ada yang bisa saya bantu?", ["Putri"]),
    ("terima kasih telah menghubungi bank abc dengan rina ada yang bisa saya bantu", ["rina"]),
    ("dengan bapak siapa? dengan budi", ["budi"]),
    ("iya dengan ibu sulastri", ["sulastri"]),
    # self-introduction
    ("Saya Budi, mau tanya soal kartu", ["Budi"]),
    ("Ini Andi, pelanggan lama", ["Andi"]),
    ("Perkenalkan, saya Rudi Hartono dari Surabaya", ["Rudi Hartono"]),
    ("sy Bayu kak, mau tanya", ["Bayu"]),
    ("halo selamat pagi saya budi santoso mau tanya soal kartu kredit", ["budi santoso"]),
    ("Budi ini, mau tanya", ["Budi"]),
    ("halo kak, Oni Puspita ini mau komplain", ["Oni Puspita"]),
    ("iya saya sendiri yance winarsih nomor hp nya 0819", ["yance winarsih"]),
    # honorifics (the honorific is not part of the span)
    ("Bapak Budi sudah transfer", ["Budi"]),
    ("Pak Joko sudah transfer tadi", ["Joko"]),
    ("bu siti tolong dicek", ["siti"]),
    ("Mas Agus, paketnya sudah sampai?", ["Agus"]),
    ("makasih kak Nadia", ["Nadia"]),
    ("Bpk. Hartono Wijaya", ["Hartono Wijaya"]),
    ("baik bapak lanjar setiawan mohon ditunggu sebentar ya", ["lanjar setiawan"]),
    # relations
    ("bisa hubungi suami sy Edi Maulana di 0857 kak", ["Edi Maulana"]),
    ("you can reach my wife Teresa Burton on +62 878", ["Teresa Burton"]),
    ("it's under my husband's name Harjasa Pudjiastuti", ["Harjasa Pudjiastuti"]),
    # English
    ("My name is John Smith and I need help", ["John Smith"]),
    ("my name is robert cain ive sent the form", ["robert cain"]),
    ("My name is Christopher Lee, I'd like to dispute a charge", ["Christopher Lee"]),
    ("this is Sarah speaking", ["Sarah"]),
    ("hi, this is Jennifer from the billing team", ["Jennifer"]),
    ("I'm Kevin, calling about my card", ["Kevin"]),
    ("name on the account is Michael Gibson", ["Michael Gibson"]),
    ("the name on the card is Robert Downey.", ["Robert Downey"]),
    ("account holder: Maria Gonzalez", ["Maria Gonzalez"]),
    ("my mother's maiden name is Johnson", ["Johnson"]),
    ("her name is Stephanie", ["Stephanie"]),
    ("Mr. Smith called earlier", ["Smith"]),
    ("Mrs. Patterson called earlier", ["Patterson"]),
    ("thank you mister john parker ive updated your phone number", ["john parker"]),
    ("can I speak with Andrew please", ["Andrew"]),
    ("Hi Alex, I can see the payment", ["Alex"]),
    ("nama saya Dan Brown", ["Dan Brown"]),
    # code-mixed
    ("hi kak, my name is Dewi Lestari, mau tanya", ["Dewi Lestari"]),
    ("halo kak, nama saya Argono Uwais, mau tanya soal tagihan", ["Argono Uwais"]),
    ("ok kak, account holder nya Sinta Dewi", ["Sinta Dewi"]),
    # names followed by more information
    ("nama saya Budi Santoso 081234567890", ["Budi Santoso"]),
    ("atas nama Yohanes Kurniawan ya kak, nomor rek 0123", ["Yohanes Kurniawan"]),
    ("nama saya Budi Santoso Jl. Melati no 5", ["Budi Santoso"]),
    # casing: a strong cue keeps a lowercase surname, an honorific does not
    ("Nama saya Budi santoso", ["Budi santoso"]),
    ("Pak Budi sudah transfer", ["Budi"]),
    ("hi kak, saya Rina 😊 mau tanya", ["Rina"]),
    ("NAMA SAYA BUDI SANTOSO MAU TANYA", ["BUDI SANTOSO"]),
    ("nama saya Nur-Aini Rahma", ["Nur-Aini Rahma"]),
    ("nama saya O'Brien", ["O'Brien"]),
]


@pytest.mark.parametrize("text, expected", POSITIVES)
def test_finds_exact_name_span(text, expected):
    assert spans(text) == expected


NEGATIVES = [
    "nama produk",
    "nama produknya apa kak?",
    "atas nama perusahaan?",
    "atas nama PT Maju Jaya",
    "atas nama saya sendiri",
    "atas nama siapa ya?",
    "nama saya tidak muncul di aplikasi",
    "nama saya salah ketik",
    "nama ibu kandung?",
    "Untuk verifikasi, boleh disebutkan nomor KTP dan nama ibu kandung?",
    "namanya juga usaha",
    "saya mau tanya",
    "saya sudah transfer",
    "saya bingung, gimana ya",
    "saya udah coba berkali-kali",
    "saya transfer tadi pagi",
    "saya sendiri kurang paham",
    "iya saya sendiri",
    "ibu saya sakit",
    "suami saya kerja di luar kota",
    "bapak ibu sekalian",
    "bapak/ibu mohon menunggu",
    "dengan senang hati",
    "dengan cepat",
    "dengan hormat, saya ingin mengajukan",
    "bisa dibayar dengan kartu kredit",
    "bayar dengan ovo.",
    "dengan siapa saya berbicara?",
    "ini nomor saya",
    "ini gimana ya kak",
    "ini bukti transfernya",
    "pak, saya mau komplain",
    "Pak, ini nomor rekeningnya",
    "kak mau tanya",
    "kak pesanan saya belum sampai",
    "Kak Admin tolong",
    "mas kurir nya belum datang",
    "pak rt sudah tanda tangan",
    "ibu kota jakarta macet",
    "baik ibu, akan kami proses",
    "mohon ditunggu ya bapak",
    "kak plaese refund ke rek bca",
    "apakah benar nik bapak delapan belas tiga puluh satu",
    "alamat: jl. dr. djunjunan no. 198",
    "perumahan villa melati mas blok h satu",
    "this is great",
    "this is my third time calling",
    "I'm calling about my card",
    "I'm sorry, that's wrong",
    "i'm waiting for the refund",
    "I'm good thanks",
    "Mr. ",
    "Mr.",
    "i miss you so much",
    "speak to a manager please",
    "i want to ask for a refund",
    "my husband said he paid",
    "Dear valued customer",
    "nama saya Budi123",
    "email nama saya budi_s@gmail.com",
    "kak fitur transfer nya error terus",
    "pak sinyal di rumah saya jelek",
    "Bapak Ibu Yth",
    "thank you so much",
    "hello, is anyone there?",
    "",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_produce_nothing(text):
    assert spans(text) == []


SCORES = [
    ("nama saya Budi Santoso", "Budi Santoso", 0.85),
    ("atas nama budi santoso", "budi santoso", 0.85),
    ("a.n. Hendra Gunawan", "Hendra Gunawan", 0.85),
    ("name on the account is Michael Gibson", "Michael Gibson", 0.85),
    ("my mother's maiden name is Johnson", "Johnson", 0.85),
    ("Pak Joko sudah transfer", "Joko", 0.75),
    ("Mrs. Patterson called", "Patterson", 0.75),
    ("bu siti tolong dicek", "siti", 0.6),
    ("selamat pagi, dengan Rina, ada yang bisa dibantu?", "Rina", 0.6),
    ("Saya Budi, mau tanya", "Budi", 0.6),
    ("Ini Andi, pelanggan lama", "Andi", 0.6),
]


@pytest.mark.parametrize("text, name, score", SCORES)
def test_scores(text, name, score):
    assert scores(text) == {name: score}


def test_results_are_presidio_results():
    text = "Halo, nama saya Dewi Lestari."
    (result,) = RECOGNIZER.analyze(text, ["PERSON"], None)
    assert result.entity_type == "PERSON"
    assert text[result.start : result.end] == "Dewi Lestari"
    assert result.recognition_metadata["recognizer_name"] == "PersonCueRecognizer"
    assert RECOGNIZER.supported_language == ANALYZER_LANGUAGE
    assert RECOGNIZER.get_supported_entities() == ["PERSON"]


def test_other_entities_requested():
    assert RECOGNIZER.analyze("nama saya Budi", ["PHONE_NUMBER"]) == []


def test_min_score_filters_weak_cues():
    strict = PersonCueRecognizer(min_score=0.7)
    assert spans("bu siti tolong dicek", strict) == []
    assert spans("nama saya Budi", strict) == ["Budi"]


# --- Faker names in cue templates ------------------------------------------------------------

TEMPLATES = [  # (template, locale, lowercase the name as ASR would)
    ("Halo kak, nama saya {name}, mau tanya soal tagihan", "id_ID", False),
    ("tolong refund ke rek BCA 1234567890 a.n. {name} ya kak", "id_ID", False),
    ("Selamat pagi, dengan {name}, ada yang bisa dibantu?", "id_ID", False),
    ("nama saya {name} nomor hp saya 081234567890", "id_ID", True),
    ("My name is {name} and I need help with my card", "en_US", False),
    ("thank you mister {name} ive updated your phone number", "en_US", True),
]


def _faker_names(locale: str, count: int, seed: int) -> list[str]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    rng = random.Random(seed)
    names = []
    for _ in range(count):
        words = [fake.first_name()]
        if locale == "id_ID" and rng.random() < 0.3:
            words.append(fake.first_name())
        if rng.random() < 0.85:
            words.append(fake.last_name())
        names.append(" ".join(words))
    return names


def test_faker_names_in_cue_templates():
    total, misses = 0, []
    for i, (template, locale, lowercase) in enumerate(TEMPLATES):
        for name in _faker_names(locale, 50, seed=i):
            name = name.lower() if lowercase else name
            text = template.format(name=name)
            total += 1
            if name not in spans(text):
                misses.append((text, spans(text)))
    assert total == 300
    assert len(misses) / total <= 0.05, misses


def test_fast_enough():
    messages = [text for text, _ in POSITIVES] + NEGATIVES
    start = time.perf_counter()
    for _ in range(20):
        for text in messages:
            RECOGNIZER.analyze(text, ["PERSON"])
    per_message = (time.perf_counter() - start) / (20 * len(messages))
    assert per_message < 0.001  # well under a millisecond per chat message


def test_no_catastrophic_backtracking_on_long_input():
    text = "nama saya " * 5000 + "pak " + " " * 5000 + "a" * 20000
    start = time.perf_counter()
    RECOGNIZER.analyze(text, ["PERSON"])
    assert time.perf_counter() - start < 2.0
