"""Names said again: confirmed, spelled, corrected (redactor/name_echo.py), and the titles and
cues that find them in calls."""
from __future__ import annotations

import re

import pytest

from redactor import Redactor
from redactor.name_echo import (
    cased_run_ons,
    corrected_names,
    echoes,
    joining_particles,
    name_run_ons,
    name_words,
    pieces_after_backchannels,
    unknown_word_pairs,
    words_said_in_pieces,
)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


# (text, words that must be masked). Call transcripts as ASR writes them, one turn a line.
SAID_AGAIN = [
    # confirmed in the next turns, with no cue of their own
    ("agent: atas nama siapa bu\ncustomer: nama saya Bunga Lestari\nagent: bunga ya bu",
     ["Bunga", "Lestari", "bunga"]),
    ("this is joanna speaking\nmorning joanna", ["joanna", "joanna"]),
    # spelled, with Indonesian letter names, next to the name they spell
    ("a: be u de i budi\nb: be u de i ya pak", ["be u de i", "budi", "be u de i"]),
    ("es i te i siti\nsiti apa bu\nsiti nurhaliza", ["es i te i", "siti", "siti", "siti"]),
    ("iya chaniago pake ce ha a en i a ge o", ["chaniago", "ce ha a en i a ge o"]),
    ("agent: the last name please\ncustomer: emm a l h a r b i\nagent: baik a l h a r b i",
     ["a l h a r b i"]),
    ("nama saya lamhot siregar saya eja ya el a em ha o te spasi es i er e ge a er\n"
     "he eh lamhot siregar", ["lamhot", "siregar", "el a em ha o te spasi es i er e ge a er"]),
    ("bukan eh apa fenny\nf e double n y pakai huruf inggris", ["fenny", "f e double n y"]),
    # and with English letter names, as ASR writes them
    ("my name is james\nokay can you spell it please\njei ei em i es", ["james", "jei", "ei", "es"]),
    ("nama saya kevin tan ti ei en\ntan ya pak", ["kevin", "tan", "ti", "ei", "en"]),
    ("panggil aja frans pak ef ar ei en es", ["frans", "ef", "ar", "ei", "en", "es"]),
    # split by ASR when said again
    ("atas nama dewi wulandari\nbaik bu dewi wulan dari ya", ["dari"]),
    ("penerimanya mbak nurhidayah\nnur hi dayah ya kak", ["hi"]),
    # corrected
    ("nama saya bambang\niya\nbambang eh bambang sugiharto", ["bambang", "sugiharto"]),
    ("ini saya dodi mbak dodi eh bukan dody pake ye\ndody ya pak", ["dodi", "dody"]),
    # titles and cues of calls
    ("mau daftar ke dokter anak mbak dokter lusiana", ["lusiana"]),
    ("nama pasiennya mbah kromo mbak umurnya udah delapan puluh", ["kromo"]),
    ("he delivered it to someone named bob but i dont know any bob", ["bob", "bob"]),
    ("I think her name was Puji, she was really helpful", ["Puji"]),
    ("kk nya atas nama sy zulkifli sikumbang", ["zulkifli", "sikumbang"]),
    ("customer: beta pu nama stevy sahetapy", ["stevy", "sahetapy"]),
    ("baik dengan bli i gede pasek ya", ["gede", "pasek"]),
    ("customer: ibu saya eh apa putri ayu lestari\nagent: iya terima kasih",
     ["putri", "ayu", "lestari"]),
]


@pytest.mark.parametrize(("text", "names"), SAID_AGAIN)
def test_a_name_said_again_is_masked_every_time(redactor, text, names):
    masked = redactor.redact(text).text
    for name in set(names):
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", masked), masked
    assert masked.count("<PERSON>") >= 1


def test_a_name_from_earlier_turns_is_masked_in_the_next_message(redactor):
    context = "agent: boleh tahu nama lengkapnya?\ncustomer: nama saya Bunga Lestari"
    assert redactor.redact("bunga ya bu", context=context).text == "<PERSON> ya bu"


# Readable: letters that spell no word nearby, ordinary words after titles, the titles and
# function words around an echoed name.
STAY_READABLE = [
    "saya mau es teh ya, te ka es",
    "saya pilih opsi a b c",
    "saya mau ke dokter gigi besok",
    "dokter umum atau dokter spesialis",
    "mbah putri saya sakit",
    "eyang kakung lagi di rumah sakit",
    "agent: ada lagi yang bisa dibantu\ncustomer: sebentar ya\nagent: mhm\ncustomer: udah itu aja",
    "nama saya budi eh maaf nomor hp saya dulu ya",
    "saya punya nama di aplikasi salah",
]


# Names masked, and the words beside them that a name must not run on into.
WORDS_BESIDE_NAMES = [
    ("nama saya ee rini eh bukan rina maksudnya rina wulandari", "maksudnya"),
    ("nama saya sri har ya ni / sriharyani digabung ya bu", "digabung"),
    ("bukan pak lumban gaol dipisah", "dipisah"),
    ("istri saya fatimah assegaf dirawat di rs premier", "dirawat"),
    ("Nama Pasien: An. Kirana Zahra Putri Umur: 4 th", "Pasien"),
    ("customer: nama saya tiara spelled t i a r a", "spelled"),
    ("pelanggan: nama saya jaya spelled j a y a", "spelled"),
]


@pytest.mark.parametrize(("text", "word"), WORDS_BESIDE_NAMES)
def test_words_beside_a_name_stay_readable(redactor, text, word):
    masked = redactor.redact(text).text
    assert "<PERSON>" in masked and re.search(rf"(?<!\w){word}(?!\w)", masked), masked


@pytest.mark.parametrize("text", STAY_READABLE)
def test_look_alikes_stay_readable(redactor, text):
    masked = redactor.redact(text).text
    expected = text.replace("budi", "<PERSON>")
    assert masked == expected


@pytest.mark.parametrize(("text", "people", "words"), [
    ("pak budi santoso", [(4, 17)], {"budi", "santoso", "budisantoso"}),  # also written as one
    ("pak budi santoso", [(0, 8)], {"budi"}),  # "pak" is a form of address
    ("b u d i", [(0, 7)], {"budi", "b u d i"}),  # the word spelled, and its spelling
    ("f e double n y", [(0, 14)], {"fenny", "f e double n y"}),
    ("ni luh ayu", [(0, 10)], {"luh", "ayu", "luhayu", "niluhayu"}),  # short words only glued
    ("el", [(0, 2)], set()),  # a name that is also a letter's name is no spelling
])
def test_name_words(text, people, words):
    assert name_words(text, people) == words


def test_echoes_are_whole_words_outside_the_names_found():
    text = "nama saya rina\nrina ya bu, karina bukan"
    assert echoes(text, [(10, 14)]) == [(15, 19)]


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("lukas eh lukas tanoto", (0, 5), "lukas tanoto"),
    ("wati eh watik pake ka", (0, 4), "watik"),
    ("dodi eh bukan dody ya", (0, 4), "dody"),
    ("budi eh nomor saya", (0, 4), None),
    ("budi ya pak", (0, 4), None),
])
def test_corrected_names(text, name, expected):
    found = [text[start:end] for start, end in corrected_names(text, [name])]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(("text", "people", "expected"), [
    ("Aminah binti Alwi", [(0, 6), (13, 17)], ["binti"]),
    ("Anna van Dijk", [(0, 4), (9, 13)], ["van"]),
    ("Budi dan Rina", [(0, 4), (9, 13)], []),  # two people, no particle
    ("Budi binti", [(0, 4)], []),  # a particle after one name only
])
def test_joining_particles(text, people, expected):
    assert [text[start:end] for start, end in joining_particles(text, people)] == expected


@pytest.mark.parametrize(("text", "name"), [
    ("saya Syarifah Nur binti Salim Al-Habsyi mau klaim", "Syarifah Nur binti Salim Al-Habsyi"),
    ("Hello, I'm Kim Min-jun, working in Jakarta", "Kim Min-jun"),
    ('My card shows my name as "PARK JI-HOON". How can I fix it?', "PARK JI-HOON"),
    ("Subject: Klaim bagasi rusak - LIEM KOK HWA / Hartono Salim", "LIEM KOK HWA"),
    ("gw mau komplain soal driver td, namanya di app Untung P. tapi orangnya beda", "Untung P"),
    ("Halo! Saya Anak Agung Istri Mas Laksmi, pemilik villa di Ubud", "Anak Agung Istri Mas Laksmi"),
    # a word said in pieces and whole is a name, and runs on like one
    ("ini saya o ktavianus ee oktavianus nggo dari kupang", "oktavianus nggo"),
])
def test_names_are_masked_whole_across_particles_and_hyphens(redactor, text, name):
    start = text.index(name)
    people = [e for e in redactor.analyze(text) if e.entity_type == "PERSON"]
    assert all(any(e.start <= i < e.end for e in people) for i in range(start, start + len(name))), people


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("bertha natalia ruruk kariman ( bn )", "bertha natalia", ["ruruk", "kariman"]),
    ("ketua asrorun niam memang", "niam", ["asrorun"]),
    ("budi santoso mau tanya", "budi santoso", []),  # known words end a name
    ("pak budi santoso", "budi santoso", []),  # a form of address is no part of it
    ("kirim ke budi 0812", "budi", []),
    # an ordinary word between name words: a surname that is also a word
    ("atas nama hajar daeng ngai ya", "hajar", ["daeng", "ngai"]),
    ("ini saya budi kok ngga bisa", "budi", []),  # a chat word
    ("nama saya budi pakai ef", "budi", []),  # a letter is no name word
    ("atas nama rahmat pak sinaga", "rahmat", []),  # a form of address
])
def test_name_run_ons(text, name, expected):
    start = text.index(name)
    found = sorted(name_run_ons(text, [(start, start + len(name))]))
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("namanya di app Untung P. tapi orangnya beda", "Untung", ["P"]),  # an initial
    ("klaim bagasi - LIEM KOK HWA / Hartono Salim", "LIEM", ["KOK", "HWA"]),  # a word, in caps
    ("Saya Anak Agung Istri Mas Laksmi, pemilik villa", "Anak Agung", ["Istri", "Mas", "Laksmi"]),
    ("a/n akun St Hajar Daeng Ngai", "St Hajar", ["Daeng", "Ngai"]),
    ("Saya Budi Dari Jakarta mau tanya", "Budi", []),  # a function word, then a place
    ("Bapak Budi Santoso Terima kasih", "Budi Santoso", []),  # function words only
    ("Saya Budi I think", "Budi", []),  # "I" is no initial without its dot
    ("Saya Budi Santoso dari BCA", "Budi Santoso", []),  # lowercase ends it
    ("NAMA SAYA BUDI MAU TANYA SALDO", "BUDI", []),
    ("transfer ke Budi BCA", "Budi", []),  # a bank
    ("saya budi santoso mau tanya", "budi", []),  # no case to go by
])
def test_cased_run_ons(text, name, expected):
    start = text.index(name)
    found = sorted(cased_run_ons(text, [(start, start + len(name))], []))
    assert [text[s:e] for s, e in found] == expected


def test_cased_run_ons_stop_at_places_found():
    text = "a/n akun St Hajar Daeng Ngai"
    start = text.index("Hajar")
    assert cased_run_ons(text, [(start, start + 5)], [(text.index("Daeng"), len(text))]) == []


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("wulandari / wulan dari ya bu", "wulandari", ["wulan dari"]),
    ("nurhidayah / nur hi dayah", "nurhidayah", ["nur hi dayah"]),
    ("lestari / les tari", "lestari", ["les tari"]),
    ("layla nasser / eja n a s s e r", "nasser", ["n a s s e r"]),  # spelled out
    ("tari / ta ri", "tari", []),  # too short to be looked for in pieces
    ("wulandari / wulan dan dari", "wulandari", []),
])
def test_echoes_of_a_name_asr_split_in_pieces(text, name, expected):
    start = text.index(name)
    found = echoes(text, [(start, start + len(name))])
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("nama lengkap saya siti / he eh / nur / iya / haliza", "nur", ["haliza"]),
    ("customer: nama saya yanti\nagent: iya\ncustomer: kusumawardani", "yanti", ["kusumawardani"]),
    ("atas nama bambang\noke\nbaik\nsoetrisno ya pak", "bambang", ["soetrisno"]),
    ("customer: nama saya budi\nagent: iya\ncustomer: mau tanya saldo", "budi", []),
    ("customer: nama saya budi\nagent: baik\ncustomer: blokir", "budi", []),
    ("nama saya rina / oke / makasih", "rina", []),
    ("nama saya rina mau tanya\nhaliza", "rina", []),  # the name does not end its turn
    ("nama saya rina\nagent: rina siapa\ncustomer: hartati", "rina", []),  # a question between
])
def test_pieces_after_backchannels(text, name, expected):
    start = text.index(name)
    found = pieces_after_backchannels(text, [(start, start + len(name))])
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("su ti ya ti sutiyati", ["su ti ya ti sutiyati"]),  # syllables, then the word
    ("atas nama saya bu di san to so budi santoso", ["bu di san to so budi santoso"]),
    ("ini saya o ktavianus ee oktavianus dari kupang", ["o ktavianus ee oktavianus"]),
    ("sutiyati su ti ya ti ya bu", ["sutiyati su ti ya ti"]),  # the word, then syllables
    ("ya ya oke oke baik", []),  # a word said twice is not said in pieces
    ("saya mau tanya tanya soal kartu", []),
    ("nama saya andi an di andi tenri", ["andi an di", "an di andi"]),  # short names too
    ("ta ri tari", ["ta ri tari"]),
    ("ke mana aja", []),
    ("di a dia", []),  # too short to tell from chance
    ("se kali lagi kalau bisa", []),
])
def test_words_said_in_pieces(text, expected):
    assert [text[s:e] for s, e in words_said_in_pieces(text)] == expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("harusnya Wahyuningsih ketulis Wahyuningsi", "Wahyuningsi", ["Wahyuningsih"]),
    ("nama saya sumiyati, di kartu sumiati", "sumiyati", ["sumiati"]),
    ("nama saya santoso, kalau santosa itu adik saya", "santoso", ["santosa"]),
    ("nama saya hendra, hendak transfer", "hendra", []),  # two letters apart
    ("namanya kurniawan, bukan kurniawati", "kurniawan", []),
    ("saya budi, buda itu nama kucing", "budi", []),  # too short to tell a typo from a word
])
def test_echoes_of_a_name_misspelt_by_one_letter(text, name, expected):
    start = text.rindex(name)
    found = echoes(text, [(start, start + len(name))])
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("om jhoni pangemanan / johni pakai ha", "jhoni pangemanan", ["johni"]),
    ("nama saya yohanes, ditulis yohaens di kartu", "yohanes", ["yohaens"]),
    ("nama saya santi, satni itu apa", "santi", ["satni"]),
    ("nama saya andi, adni bukan", "andi", []),  # too short to tell
    ("nama saya bunga, bugna", "bunga", ["bugna"]),
    ("nama saya hendra, hedrna", "hendra", []),  # two swaps
])
def test_echoes_of_a_name_with_two_letters_swapped(text, name, expected):
    start = text.index(name)
    found = echoes(text, [(start, start + len(name))])
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("atas nama kusuma wardhani / iya kusumawardhani digabung", "kusuma wardhani",
     ["kusumawardhani"]),
    ("nama saya nur ainun, nurainun gabung", "nur ainun", ["nurainun"]),
    ("siti nur haliza, ditulis sitinurhaliza", "siti nur haliza", ["sitinurhaliza"]),
    ("bu ani, buani", "bu ani", []),  # a form of address is no part of the name
])
def test_echoes_of_a_name_written_as_one_word(text, name, expected):
    start = text.index(name)
    found = echoes(text, [(start, start + len(name))])
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("anak sy si Rafa Pratama alergi susu", "Rafa Pratama", []),  # the writer's case ends it
    ("driver atas nama Dedi Kurniawan ramah", "Dedi Kurniawan", []),
    ("dr Klaten, sy Dedi Kurniawan", "Dedi Kurniawan", []),
    ("bertha natalia ruruk kariman", "bertha natalia", ["ruruk", "kariman"]),  # caseless: on
    ("sy Dedi Kurniawan Ruruk", "Dedi Kurniawan", ["Ruruk"]),
])
def test_name_run_ons_stop_where_the_writer_s_case_does(text, name, expected):
    start = text.index(name)
    found = sorted(name_run_ons(text, [(start, start + len(name))]))
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("pertandingan , nampaknya slaven bilic memang merancang timnya", ["slaven bilic"]),
    ("bromwich albion after stephane sessegnon put the baggies", ["stephane sessegnon"]),
    ("tadi dianterin sama togar simanjorang ke kantor", ["togar simanjorang"]),
    ("memperdengarkan lagu-lagu daerah", []),  # Indonesian word-building
    ("mau ngajuin restrukturisasi kredit", []),
    ("anak saya Elisabeth Wonda kls 5B", ["Elisabeth Wonda"]),  # the writer's case ends it
    ("kulo Dwi saking Klaten, kartu simbah kulo", []),  # Javanese
    ("the bluetooth speaker is ready", []),  # English words
    ("카드 번호 분실 신고", []),  # a script our word lists do not cover
])
def test_unknown_word_pairs(text, expected):
    assert [text[s:e] for s, e in unknown_word_pairs(text, [])] == expected


def test_unknown_word_pairs_skip_places_and_organisations():
    text = "liburan ke phnom penh bulan depan"
    start = text.index("phnom")
    assert unknown_word_pairs(text, [(start, start + len("phnom penh"))]) == []


@pytest.mark.parametrize(("text", "name"), [
    ("su ti ya ti sutiyati", "sutiyati"),
    ("nama saya ee siti pakai ce ha", "siti"),  # the hesitation stays readable
    ("dengan neng ya neng siapa namanya ee euis", "euis"),
])
def test_spoken_names_are_masked_without_the_hesitations_around_them(redactor, text, name):
    masked = redactor.redact(text).text
    assert name not in masked
    assert masked.count("<PERSON>") == 1
    assert " ee " not in text or " ee " in masked.replace("<PERSON>", " X ")


def test_a_name_said_again_runs_on_into_its_surname(redactor):
    masked = redactor.redact("atas nama eh suharti / iya bu / suharti ningsih").text
    assert "ningsih" not in masked and "suharti" not in masked, masked
