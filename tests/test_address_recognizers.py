"""ADDRESS recognizers: one span per whole address, Indonesian and US English, written and
normalised-spoken, with look-alikes that must stay untouched."""
from __future__ import annotations

import re

import pytest
from presidio_analyzer import RecognizerResult

from recognizers.base import ANALYZER_LANGUAGE
from recognizers.en_address_recognizer import EnAddressRecognizer
from recognizers.id_address_recognizer import IdAddressRecognizer
from redactor.spoken import normalize_spoken

ID = IdAddressRecognizer()
EN = EnAddressRecognizer()
THRESHOLD = 0.5


def spans(recognizer, text: str) -> list[str]:
    return [
        text[r.start : r.end]
        for r in recognizer.analyze(text, ["ADDRESS"])
        if r.score >= THRESHOLD
    ]


def all_spans(text: str) -> list[str]:
    return spans(ID, text) + spans(EN, text)


# --------------------------------------------------------------------------- Indonesian
ID_VALID = [
    # written chat
    ("kirim ke Jl. Sudirman No. 5 ya kak", "Jl. Sudirman No. 5"),
    ("alamat saya Jl. Merdeka Barat III No. 12A RT 03/RW 05, Kel. Sukamaju, Kec. Cibeunying, "
     "Kota Bandung, Jawa Barat 40121 ya kak makasih",
     "Jl. Merdeka Barat III No. 12A RT 03/RW 05, Kel. Sukamaju, Kec. Cibeunying, Kota Bandung, "
     "Jawa Barat 40121"),
    ("Jl.Melati no.5 rt03/05 kel. sukajadi", "Jl.Melati no.5 rt03/05 kel. sukajadi"),
    ("Jln. Pemuda 17 Semarang", "Jln. Pemuda 17 Semarang"),
    ("jln ahmad dahlan no. 97 kec tampan 96931 😭 cvv nya 355", "jln ahmad dahlan no. 97 kec tampan 96931"),
    ("Jl. Jend. Sudirman Kav. 52-53, Jakarta Selatan 12190",
     "Jl. Jend. Sudirman Kav. 52-53, Jakarta Selatan 12190"),
    ("Jl. Letjen S. Parman Kav. 28, Jakarta Barat 11470 ya",
     "Jl. Letjen S. Parman Kav. 28, Jakarta Barat 11470"),
    ("Jl. K.H. Wahid Hasyim No. 3", "Jl. K.H. Wahid Hasyim No. 3"),
    ("Jl. Kampung Melayu No. 3 dekat pasar", "Jl. Kampung Melayu No. 3"),
    ("Jalan Raya Bogor KM 25, Cibubur, Jakarta Timur 13720",
     "Jalan Raya Bogor KM 25, Cibubur, Jakarta Timur 13720"),
    ("Jalan Raya Setiabudhi No. 203, Kalimantan Tengah", "Jalan Raya Setiabudhi No. 203, Kalimantan Tengah"),
    ("Perum Griya Asri Blok C2 No. 7, Cikarang, Bekasi", "Perum Griya Asri Blok C2 No. 7, Cikarang, Bekasi"),
    ("Komp. Taman Sari Indah Blok C No. 4", "Komp. Taman Sari Indah Blok C No. 4"),
    ("Perumahan Villa Melati Mas Blok A2 No. 28, RT 04/RW 01, Kec Kebayoran Baru, Kota Malang",
     "Perumahan Villa Melati Mas Blok A2 No. 28, RT 04/RW 01, Kec Kebayoran Baru, Kota Malang"),
    ("Apartemen Kalibata City Tower B Lt. 12 No. 05, Jakarta Selatan",
     "Apartemen Kalibata City Tower B Lt. 12 No. 05, Jakarta Selatan"),
    ("Jl. Gatot Subroto No.5, RT.001/RW.002, Kuningan Timur, Setiabudi, Jakarta Selatan, "
     "DKI Jakarta 12950",
     "Jl. Gatot Subroto No.5, RT.001/RW.002, Kuningan Timur, Setiabudi, Jakarta Selatan, "
     "DKI Jakarta 12950"),
    ("Alamat lengkap: Jl. Melati Indah II No. 8\nRT 04/RW 09\nKel. Sukajadi, Kec. Sukajadi\n"
     "Kota Bandung 40162\nmakasih kak",
     "Jl. Melati Indah II No. 8\nRT 04/RW 09\nKel. Sukajadi, Kec. Sukajadi\nKota Bandung 40162"),
    ("saya di Dusun Krajan, Desa Sumberejo, Kecamatan Wonosari, Kabupaten Malang",
     "Dusun Krajan, Desa Sumberejo, Kecamatan Wonosari, Kabupaten Malang"),
    ("Dsn. Krajan RT 002 RW 001 Desa Sumberejo Kec. Wonosari Kab. Malang",
     "Dsn. Krajan RT 002 RW 001 Desa Sumberejo Kec. Wonosari Kab. Malang"),
    ("Gang Peta No. 92, RT 11 RW 12, Kec Cilandak, Kota Depok", "Gang Peta No. 92, RT 11 RW 12, Kec Cilandak, Kota Depok"),
    ("gg. jamika no. 237 bekasi dki jakarta 74788, domisili sekarang di bogor",
     "gg. jamika no. 237 bekasi dki jakarta 74788"),
    ("alamat ktp sy jalan pasir koja no. 26 kel. cilandak barat kota depok, domisili sekarang di Semarang",
     "jalan pasir koja no. 26 kel. cilandak barat kota depok"),
    ("jl. hos. cokroaminoto no.169, kel. cilandak barat, kec ilir timur i, bekasi, kode pos 61793",
     "jl. hos. cokroaminoto no.169, kel. cilandak barat, kec ilir timur i, bekasi, kode pos 61793"),
    ("gang otto iskandardinata no.233,rt.013/rw.003,kecamatan medan baru,deli serdang,81845",
     "gang otto iskandardinata no.233,rt.013/rw.003,kecamatan medan baru,deli serdang,81845"),
    ("Jalan Yos Sudarso No. 76\nBengkulu, Sumatera Barat 66907", "Jalan Yos Sudarso No. 76\nBengkulu, Sumatera Barat 66907"),
    ("Gg. Astana Anyar No. 080\nTangerang Selatan, KT 08377", "Gg. Astana Anyar No. 080\nTangerang Selatan, KT 08377"),
    ("Jl. Ciwastra No. 228\nKota Administrasi Jakarta Timur, NB 55514",
     "Jl. Ciwastra No. 228\nKota Administrasi Jakarta Timur, NB 55514"),
    ("Gang PHH. Mustofa No. 8 - Palu - Kepulauan Riau 04090", "Gang PHH. Mustofa No. 8 - Palu - Kepulauan Riau 04090"),
    ("alamatnya di Jl. Pahlawan 12 dekat masjid ya", "Jl. Pahlawan 12"),
    ("alamat: jl melati", "jl melati"),
    ("Alamat saya Jalan Melati 5, Bandung", "Jalan Melati 5, Bandung"),
    ("Jl. Jend. Sudirman No. 1, Jakarta. Terima kasih", "Jl. Jend. Sudirman No. 1, Jakarta"),
    # two components without a street
    ("rt 5 rw 2 kelurahan sukamaju", "rt 5 rw 2 kelurahan sukamaju"),
    ("RT 003 / RW 007 Kel. Sukamaju", "RT 003 / RW 007 Kel. Sukamaju"),
    ("data domisili Kec. Coblong, Kab. Bandung ya", "Kec. Coblong, Kab. Bandung"),
    ("Kota Bandung 40121", "Kota Bandung 40121"),
    ("kode pos 40121 kota bandung", "kode pos 40121 kota bandung"),
    # normalised spoken (lower case, no punctuation, digits)
    ("jalan melati nomor 12 rt 3 rw 5 kelurahan sukamaju kecamatan cibeunying kota bandung 40121",
     "jalan melati nomor 12 rt 3 rw 5 kelurahan sukamaju kecamatan cibeunying kota bandung 40121"),
    ("alamat saya di jalan melati nomor 12 ya kak", "jalan melati nomor 12"),
    ("my address is gang kh amin jasuta nomor 89 rt 7 rw 12 kelurahan rawamangun bogor",
     "gang kh amin jasuta nomor 89 rt 7 rw 12 kelurahan rawamangun bogor"),
    ("penerimanya rini di jalan sukabumi nomor 96 rt 1 rw 9 kelurahan sukamaju di yogyakarta atas nama calista",
     "jalan sukabumi nomor 96 rt 1 rw 9 kelurahan sukamaju di yogyakarta"),
    ("alamat jalan jend a yani nomor 242 kecamatan ilir timur i jawa timur 36606 dan nomor telepon",
     "jalan jend a yani nomor 242 kecamatan ilir timur i jawa timur 36606"),
    ("gang r e martadinata nomor 42 kecamatan tebet lampung 89012",
     "gang r e martadinata nomor 42 kecamatan tebet lampung 89012"),
    ("jalan dr djunjunan nomor 114 kecamatan lowokwaru jakarta selatan kepulauan bangka belitung",
     "jalan dr djunjunan nomor 114 kecamatan lowokwaru jakarta selatan kepulauan bangka belitung"),
    ("perum griya asri blok c 7 nomor 9 kecamatan cilandak kota palembang",
     "perum griya asri blok c 7 nomor 9 kecamatan cilandak kota palembang"),
    ("jalan bkr nomor 60 kelurahan pondok kelapa kabupaten sidoarjo card number 5108",
     "jalan bkr nomor 60 kelurahan pondok kelapa kabupaten sidoarjo"),
    ("jalan dipatiukur nomor 37 kota medan kode pos enam puluh delapan belas lima",
     "jalan dipatiukur nomor 37 kota medan kode pos enam puluh delapan belas lima"),
    ("alamat saya jalan melati", "jalan melati"),
    # street names with titles, honorifics, dates, estates named after places
    ("Jl. Ibu Inggit Garnasih No. 12, Bandung", "Jl. Ibu Inggit Garnasih No. 12, Bandung"),
    ("Jl. 17 Agustus No. 5", "Jl. 17 Agustus No. 5"),
    ("jalan 17 agustus nomor 5", "jalan 17 agustus nomor 5"),
    ("Jl. Melati Gg. 3 No. 5", "Jl. Melati Gg. 3 No. 5"),
    ("Lt. 3, Gedung Wisma Asia, Jl. S. Parman Kav. 79, Jakarta Barat",
     "Lt. 3, Gedung Wisma Asia, Jl. S. Parman Kav. 79, Jakarta Barat"),
    ("komplek bumi serpong damai blok b8 no. 19, rt 004 / rw 012, kec sukolilo",
     "komplek bumi serpong damai blok b8 no. 19, rt 004 / rw 012, kec sukolilo"),
    ("JL. MERDEKA NO. 5 RT 01 RW 02 KEL. SUKAMAJU KEC. COBLONG KOTA BANDUNG",
     "JL. MERDEKA NO. 5 RT 01 RW 02 KEL. SUKAMAJU KEC. COBLONG KOTA BANDUNG"),
    # unknown kelurahan/kecamatan names between known components
    ("Jl. Melati No. 5, Sukajadi, Cicendo, Bandung 40162", "Jl. Melati No. 5, Sukajadi, Cicendo, Bandung 40162"),
    # form-style fields
    ("Alamat: Jl. Melati No. 5\nKelurahan: Sukamaju\nKecamatan: Coblong\nKota: Bandung\n"
     "Kode Pos: 40132\nNama: Budi",
     "Jl. Melati No. 5\nKelurahan: Sukamaju\nKecamatan: Coblong\nKota: Bandung\nKode Pos: 40132"),
    ("saya di jakarta selatan kode posnya 12190", "jakarta selatan kode posnya 12190"),
    # "kilometer" is a km marker; the agent's question on the line before is the cue
    ("agent: boleh alamat lengkapnya pak\ncustomer: jalan raya bogor kilometer 30 em masuk gang",
     "jalan raya bogor kilometer 30"),
    # a city and its postal code on a line of their own: an address's last message
    ("jakarta pusat 10510", "jakarta pusat 10510"),
    ("customer: Surabaya 60111", "Surabaya 60111"),
    # what the number normaliser sometimes hands over: merged or short number runs
    ("gang joyoboyo nomor 158 kota makassar rt 15 rw 939837 ya",
     "gang joyoboyo nomor 158 kota makassar rt 15 rw 939837"),
    ("jalan siliwangi nomor 11939643", "jalan siliwangi nomor 11939643"),
    ("jalan gedebage selatan nomor 242 desa kuta jakarta selatan banten kode pos 6523 ya",
     "jalan gedebage selatan nomor 242 desa kuta jakarta selatan banten kode pos 6523"),
]


@pytest.mark.parametrize("text, expected", ID_VALID)
def test_id_address_exact_span(text: str, expected: str) -> None:
    assert spans(ID, text) == [expected]


# Hamlet / neighbourhood / estate prefixes and their abbreviations, Faker id_ID street forms.
ID_PREFIXES = [
    ("kirim ke Blk. D4 No. 21, Perum Bukit Indah ya", "Blk. D4 No. 21, Perum Bukit Indah"),
    ("Perumahan Citra Land Blk F2 No. 9, Surabaya", "Perumahan Citra Land Blk F2 No. 9, Surabaya"),
    ("alamat: Dukuh Ngasem RT 02/RW 05, Desa Karangrejo, Kec. Wedi",
     "Dukuh Ngasem RT 02/RW 05, Desa Karangrejo, Kec. Wedi"),
    ("dusun sidorejo rt 4 rw 1 desa banyuurip kecamatan klego",
     "dusun sidorejo rt 4 rw 1 desa banyuurip kecamatan klego"),
    ("Dsn. Kalisari Ds. Bringin Kec. Wonorejo", "Dsn. Kalisari Ds. Bringin Kec. Wonorejo"),
    ("Kp. Sawah RT 07 RW 03, Kel. Jatimulya", "Kp. Sawah RT 07 RW 03, Kel. Jatimulya"),
    ("kampung pulo rt 5 rw 9 kelurahan kampung melayu",
     "kampung pulo rt 5 rw 9 kelurahan kampung melayu"),
    ("Lingkungan Pande, Kel. Pagesangan, Kec. Mataram",
     "Lingkungan Pande, Kel. Pagesangan, Kec. Mataram"),
    ("Ling. Sukaraja RT 3, Kel. Ampenan Utara", "Ling. Sukaraja RT 3, Kel. Ampenan Utara"),
    ("Jorong Padang Laweh, Kec. Sungai Tarab, Kab. Tanah Datar",
     "Jorong Padang Laweh, Kec. Sungai Tarab, Kab. Tanah Datar"),
    ("Banjar Dinas Kelod, Desa Pemecutan, Denpasar Barat",
     "Banjar Dinas Kelod, Desa Pemecutan, Denpasar Barat"),
    ("Jl. Raya Ubud, Br. Tegal Sari, Ds. Peliatan, Gianyar",
     "Jl. Raya Ubud, Br. Tegal Sari, Ds. Peliatan, Gianyar"),
    ("Jl. H.R. Rasuna Said Kav. C-22, Jakarta Selatan 12940",
     "Jl. H.R. Rasuna Said Kav. C-22, Jakarta Selatan 12940"),
    ("Komp. Polri Blok B No. 7, Ragunan", "Komp. Polri Blok B No. 7, Ragunan"),
    ("alamat: Gg. Kenari Utara No. 14\nBitung, SU 95512", "Gg. Kenari Utara No. 14\nBitung, SU 95512"),
    ("Jalan K.H. Agus Salim No. 5, Padang", "Jalan K.H. Agus Salim No. 5, Padang"),
    ("Jl. Raya No. 8 RT 2/3, Cisarua", "Jl. Raya No. 8 RT 2/3, Cisarua"),  # generic name + number
]

# House numbers with letter / slash / dash suffixes, glued or apart, written or spoken.
ID_HOUSE_NUMBERS = [
    ("Jl. Kebon Kacang No. 27B, Tanah Abang", "Jl. Kebon Kacang No. 27B, Tanah Abang"),
    ("Jl. Pelita No 19 c, Medan", "Jl. Pelita No 19 c, Medan"),
    ("jalan pelita nomor 19 c kelurahan sei sikambing", "jalan pelita nomor 19 c kelurahan sei sikambing"),
    ("jl mawar no 5 b ya kak", "jl mawar no 5 b"),
    ("Perum Graha Indah Blok D3/12A, Samarinda", "Perum Graha Indah Blok D3/12A, Samarinda"),
    ("Blk. E7 No. 201 RT 1, Batam", "Blk. E7 No. 201 RT 1, Batam"),
    ("Jl. Cemara C-7 RT 2/4, Depok", "Jl. Cemara C-7 RT 2/4, Depok"),
    ("Jl. Cemara No. C-7, Depok", "Jl. Cemara No. C-7, Depok"),
    ("Jl. Merpati No. 9D/2 Kel. Sumur Batu", "Jl. Merpati No. 9D/2 Kel. Sumur Batu"),
    ("blok d 4/12 a nomor 3 bekasi", "blok d 4/12 a nomor 3 bekasi"),
]

# After a label, common words stay in the name; unlabelled names with them between parts too.
ID_LABELLED_NAMES = [
    ("Jl. Nusa Indah No. 3, Kel. Padang Harapan, Kec. Gading Cempaka, Bengkulu",
     "Jl. Nusa Indah No. 3, Kel. Padang Harapan, Kec. Gading Cempaka, Bengkulu"),
    ("Jl. Bungur No. 2, Kec. Kebon Jeruk, Jakarta Barat", "Jl. Bungur No. 2, Kec. Kebon Jeruk, Jakarta Barat"),
    ("Jl. Rambutan No. 6, Kel. Pasar Baru, Kec. Sawah Besar",
     "Jl. Rambutan No. 6, Kel. Pasar Baru, Kec. Sawah Besar"),
    ("Jl. Mangga No. 8, Kel. Lima Kaum, Kab. Tanah Datar", "Jl. Mangga No. 8, Kel. Lima Kaum, Kab. Tanah Datar"),
    ("Jl. Kelapa No. 5, Kec. Medan Kota, Medan", "Jl. Kelapa No. 5, Kec. Medan Kota, Medan"),
    ("Jl. Jambu No. 1, Kec. Sungai Kunyit, Kab. Mempawah", "Jl. Jambu No. 1, Kec. Sungai Kunyit, Kab. Mempawah"),
    ("Jl. Salak No. 4, Kel. Kota Lama, Kupang", "Jl. Salak No. 4, Kel. Kota Lama, Kupang"),
    ("Jl. Sawo No. 9, Kab. Lima Puluh Kota, Sumatera Barat", "Jl. Sawo No. 9, Kab. Lima Puluh Kota, Sumatera Barat"),
    ("Jl. Sawo No. 9, Kab. 50 Kota, Sumbar", "Jl. Sawo No. 9, Kab. 50 Kota, Sumbar"),  # normalised
    ("jalan sawo nomor 9 kabupaten 50 kota sumatera barat", "jalan sawo nomor 9 kabupaten 50 kota sumatera barat"),
    ("jalan duku nomor 4 kelurahan pasar minggu kecamatan pasar minggu jakarta selatan",
     "jalan duku nomor 4 kelurahan pasar minggu kecamatan pasar minggu jakarta selatan"),
    ("jalan duku nomor 4 kecamatan padang bulan selayang ya kak",
     "jalan duku nomor 4 kecamatan padang bulan selayang"),
    ("Kel. Padang Bulan, Kec. Medan Baru", "Kel. Padang Bulan, Kec. Medan Baru"),
    ("Jl. Durian No. 12, Kampung Baru, Kec. Labuhan Ratu, Bandar Lampung",
     "Jl. Durian No. 12, Kampung Baru, Kec. Labuhan Ratu, Bandar Lampung"),
    ("Jl. Nangka No. 3, Pondok Labu, Jakarta Selatan", "Jl. Nangka No. 3, Pondok Labu, Jakarta Selatan"),
    ("Jl. Rambutan No. 6, Pasar Minggu, Jakarta Selatan", "Jl. Rambutan No. 6, Pasar Minggu, Jakarta Selatan"),
    ("kirim ke Jl. Pemuda No. 10, Bumi Serpong Damai, Tangerang Selatan",
     "Jl. Pemuda No. 10, Bumi Serpong Damai, Tangerang Selatan"),
]

# Unknown town names after a comma at the end of an address.
ID_PLACE_TAILS = [
    ("Jl. Sawo No. 11, Sukamakmur, Jonggol", "Jl. Sawo No. 11, Sukamakmur, Jonggol"),
    ("Jl. Sawo No. 11, Ciseeng\nPenerima: Andi", "Jl. Sawo No. 11, Ciseeng"),
    ("Jl. Sawo No. 11, Ciseeng ya kak", "Jl. Sawo No. 11, Ciseeng"),
    ("Jl. Sawo No. 11, Kel. Rawasari, Parung. Makasih", "Jl. Sawo No. 11, Kel. Rawasari, Parung"),
    ("Jl. Sawo No. 11 RT 3/5, Cileungsi Kidul, Klapanunggal", "Jl. Sawo No. 11 RT 3/5, Cileungsi Kidul, Klapanunggal"),
    ("kp. rawa bebek rt 1 rw 2 bekasi utara", "kp. rawa bebek rt 1 rw 2 bekasi utara"),
    ("Jl. Sawo No. 11, Parung HP 081234567890", "Jl. Sawo No. 11, Parung"),
    # not a town: the sentence goes on
    ("Jl. Sawo No. 11, Budi Santoso yang terima", "Jl. Sawo No. 11"),
    ("Jl. Sawo No. 11, Mohon segera dikirim", "Jl. Sawo No. 11"),
]


@pytest.mark.parametrize(
    "text, expected", ID_PREFIXES + ID_HOUSE_NUMBERS + ID_LABELLED_NAMES + ID_PLACE_TAILS
)
def test_id_address_forms(text: str, expected: str) -> None:
    assert spans(ID, text) == [expected]


# Landmarks are directions, not the address: the span stops before them and the rest of the
# address after them is a span of its own.
LANDMARKS = [
    ("Jl. Kenari No. 2 dekat masjid Nurul Iman", ["Jl. Kenari No. 2"]),
    ("Jl. Kenari No. 2 samping indomaret ya", ["Jl. Kenari No. 2"]),
    ("Jl. Kenari No. 2 dekat masjid Nurul Iman, Kel. Mekarjaya", ["Jl. Kenari No. 2", "Kel. Mekarjaya"]),
    ("Jl. Kenari No. 2 belakang pasar Cisalak, Depok", ["Jl. Kenari No. 2", "Depok"]),
    ("jalan kenari nomor 2 samping alfamart kecamatan sukmajaya depok",
     ["jalan kenari nomor 2", "kecamatan sukmajaya depok"]),
    ("Perum Bumi Asri Blok A No. 3 depan lapangan, RT 4/RW 2", ["Perum Bumi Asri Blok A No. 3", "RT 4/RW 2"]),
    ("Jl. Kenari No. 2, depan SD Negeri 3, Bandung 40132", ["Jl. Kenari No. 2", "Bandung 40132"]),
]


@pytest.mark.parametrize("text, expected", LANDMARKS)
def test_landmarks_are_left_out(text: str, expected: list[str]) -> None:
    assert spans(ID, text) == expected


# A named street alone is not personal, unless the writer gives it as their address.
STREET_ALONE = [
    ("alamat saya Jl. Cempaka", ["Jl. Cempaka"]),
    ("kirim ke Gg. Kenari Utara ya kak", ["Gg. Kenari Utara"]),
    ("rumah saya di jalan cempaka", ["jalan cempaka"]),
    ("I live at Jl. Cempaka", ["Jl. Cempaka"]),
    ("lewat jalan cempaka macet", []),
    ("tadi lewat Jl. Cempaka, ramai", []),
    ("cabang kami di Jl. Sudirman dan Jl. Thamrin", []),
    ("kantor pusat di Jalan Gatot Subroto", []),
    ("lewat jalan cempaka nomor 5", ["jalan cempaka nomor 5"]),  # with a number it is
    # the answer to a question for the address
    ("agent: boleh alamatnya kak?\ncustomer: jalan cempaka", ["jalan cempaka"]),
    ("agent: tadi lewat mana pak?\ncustomer: jalan cempaka macet", []),
]


# An address sent in pieces: a line of places after the same speaker's address line finishes it.
ADDRESS_IN_PIECES = [
    ("customer: Perum Griya Asri Blok C3 No. 8\nagent: baik\ncustomer: Tambun Selatan, Bekasi 17510",
     ["Perum Griya Asri Blok C3 No. 8", "Tambun Selatan, Bekasi 17510"]),
    ("customer: perumahan villa nusa indah blok k nomor 3\nagent: ya\n"
     "customer: bojong kulur gunung putri kabupaten bogor",
     ["perumahan villa nusa indah blok k nomor 3", "bojong kulur gunung putri kabupaten bogor"]),
    ("customer: jalan kaliurang km 7 gang pandega marta nomor 11\nagent: ya\ncustomer: sleman yogyakarta",
     ["jalan kaliurang km 7 gang pandega marta nomor 11", "sleman yogyakarta"]),
    # the conversation moved on, or another speaker names the place
    ("customer: jl melati no 5\nagent: baik, ada lagi?\ncustomer: saya mau ke bandung besok",
     ["jl melati no 5"]),
    ("customer: jl melati no 5\nagent: cabang terdekat di bandung", ["jl melati no 5"]),
    ("customer: jl melati no 5\nagent: baik, nomor hp nya berapa kak?\ncustomer: bandung", ["jl melati no 5"]),
]


@pytest.mark.parametrize("text, expected", ADDRESS_IN_PIECES)
def test_a_line_of_places_finishes_an_address_sent_in_pieces(text: str, expected: list[str]) -> None:
    assert spans(ID, text) == expected


@pytest.mark.parametrize("text, expected", STREET_ALONE)
def test_street_alone_needs_an_address_cue(text: str, expected: list[str]) -> None:
    assert spans(ID, text) == expected


# What the engine hands over: the spoken normaliser's output (also applied to written chat).
SPOKEN = [
    ("alamat jalan cempaka nomor enam dua a rt lima rw tujuh",
     "jalan cempaka nomor 62 a rt 5 rw 7"),
    ("blok d empat garis miring dua belas a nomor tiga kelurahan sukamaju",
     "blok d 4/12 a nomor 3 kelurahan sukamaju"),
    ("Jl. Sawo No. 9, Kab. Lima Puluh Kota", "Jl. Sawo No. 9, Kab. 50 Kota"),
    ("jalan sawo nomor sembilan kabupaten lima puluh kota", "jalan sawo nomor 9 kabupaten 50 kota"),
    # a housing estate's sector, said with "point"
    ("di perumahan bumi serpong damai sektor satu point dua",
     "perumahan bumi serpong damai sektor 1.2"),
    ("alamat saya di bsd sektor tujuh blok c nomor lima", "sektor 7 blok c nomor 5"),
]


@pytest.mark.parametrize("text, expected", SPOKEN)
def test_normalised_spoken_forms(text: str, expected: str) -> None:
    normalised = normalize_spoken(text).text
    assert spans(ID, normalised) == [expected]


# Speech-recogniser spellings in Indonesian-English speech: "erte"/"er te" = RT, "erwe" = RW,
# "ka el" = Kel., "number" = nomor, "block" = blok; an estate named without a keyword before its
# block and house number; a house-number letter before RT/RW, a town or "kode pos"; fillers.
SPOKEN_ASR = [
    ("alamat saya jalan melati nomor dua belas erte tiga erwe lima kelurahan sukajadi",
     "jalan melati nomor 12 erte 3 erwe 5 kelurahan sukajadi"),
    ("alamat saya jalan melati nomor dua belas er te tiga er we lima ka el sukajadi",
     "jalan melati nomor 12 er te 3 er we 5 ka el sukajadi"),
    ("alamat saya jalan swadaya number twelve depok jawa barat one six four one two",
     "jalan swadaya number 12 depok jawa barat 16412"),
    ("alamat saya griya bukit jaya block j two number five", "griya bukit jaya block j 2 number 5"),
    ("kota wisata block a number twenty cibubur", "kota wisata block a number 20 cibubur"),
    ("pondok hijau permai block l eleven number three bekasi",
     "pondok hijau permai block l 11 number 3 bekasi"),
    ("alamatnya jalan kenanga nomor tujuh a erte tujuh erwe dua",
     "jalan kenanga nomor 7 a erte 7 erwe 2"),
    ("jalan kenanga nomor tiga belas a sukabumi utara", "jalan kenanga nomor 13 a sukabumi utara"),
    ("jalan kenanga nomor empat puluh satu a jakarta utara ya",
     "jalan kenanga nomor 41 a jakarta utara"),
    ("jalan kenanga nomor empat puluh satu a kode pos satu empat dua empat nol",
     "jalan kenanga nomor 41 a kode pos 14240"),
    ("alamat saya jalan eee melati nomor em dua belas eh erte tiga apa namanya erwe lima",
     "jalan eee melati nomor em 12 eh erte 3 apa namanya erwe 5"),
    ("jalan melati nomor dua belas eee erte tiga em erwe lima",
     "jalan melati nomor 12 eee erte 3 em erwe 5"),
    ("jalan melati nomor dua belas eee saya lupa", "jalan melati nomor 12"),
]


@pytest.mark.parametrize("text, expected", SPOKEN_ASR)
def test_asr_spellings_estates_and_fillers(text: str, expected: str) -> None:
    assert spans(ID, normalize_spoken(text).text) == [expected]


WRITTEN_GLUED = [
    ("RT 014/RW 008,Kelurahan Gedung Johor,Kecamatan Medan Johor",
     "RT 014/RW 008,Kelurahan Gedung Johor,Kecamatan Medan Johor"),
    ("Gg. Pahlawan I, no 211B, RT 015/RW 002, Kel. Sukamaju",
     "Gg. Pahlawan I, no 211B, RT 015/RW 002, Kel. Sukamaju"),
    ("Jl. Boulevard Raya No. 5, Kelapa Gading North Jakarta",
     "Jl. Boulevard Raya No. 5, Kelapa Gading North Jakarta"),
    ("Jl. Raya Gubeng No. 12, Gubeng, Surabaya.", "Jl. Raya Gubeng No. 12, Gubeng, Surabaya"),
    ("alamat saya Kota Wisata Blok A No. 20, Cibubur", "Kota Wisata Blok A No. 20, Cibubur"),
    ("Perumahan Pondok Hijau Permai Blok L11 No. 3", "Perumahan Pondok Hijau Permai Blok L11 No. 3"),
    ("saya tinggal di Blok A No. 20 kak", "Blok A No. 20"),
]


@pytest.mark.parametrize("text, expected", WRITTEN_GLUED)
def test_written_glued_labels_and_estates(text: str, expected: str) -> None:
    assert spans(ID, text) == [expected]


SPOKEN_ASR_LOOK_ALIKES = [
    "please block the card number one priority",
    "i want to block a number one priority",
    "block a number please",
    "saya mau block kartu nomor lima ya",
    "kota wisata bagus banget nomor lima",
    "erte saya ketuanya pak budi nomor lima",
    "erte tiga saya",
    "nomor lima a lot of people",
    "number one priority is jakarta utara",
    "my number five jakarta",
    "eee em apa namanya nomor dua",
    "sektor tiga ekonomi tumbuh",
    "di sektor perbankan",
]


@pytest.mark.parametrize("text", SPOKEN_ASR_LOOK_ALIKES)
def test_asr_look_alikes(text: str) -> None:
    assert all_spans(normalize_spoken(text).text) == []


# Apartments and other high-rises: building (with or without keyword), tower, floor, unit, in
# any order; English building names; a neighbourhood after the unit.
HIGH_RISES = [
    ("kirim ke Apartemen Kalibata City Tower Flamboyan Lt. 9 No. 12 ya kak",
     "Apartemen Kalibata City Tower Flamboyan Lt. 9 No. 12"),
    ("alamat: Apartment Casablanca East Residences Tower A Unit 15-03, Jakarta Timur 13330",
     "Apartment Casablanca East Residences Tower A Unit 15-03, Jakarta Timur 13330"),
    ("Apt Thamrin Residence Tower B unit 3109, Kebon Melati, Tanah Abang",
     "Apt Thamrin Residence Tower B unit 3109, Kebon Melati, Tanah Abang"),
    ("Apartemen Pakubuwono Terrace Tower A unit 16-09 Jaksel",
     "Apartemen Pakubuwono Terrace Tower A unit 16-09 Jaksel"),
    ("Kondominium Taman Anggrek Tower 3 No. Unit 12B", "Kondominium Taman Anggrek Tower 3 No. Unit 12B"),
    ("Rusunawa Marunda Blok C Lt. 3 No. 12, Cilincing", "Rusunawa Marunda Blok C Lt. 3 No. 12, Cilincing"),
    ("Rusun Tanah Abang Blok 5 lantai ke-4 nomor 408", "Rusun Tanah Abang Blok 5 lantai ke-4 nomor 408"),
    ("Residence 8 Senopati Tower 2 Unit 1205", "Residence 8 Senopati Tower 2 Unit 1205"),
    ("Lt. 14 Unit 1408 Apt. Gading Nias", "Lt. 14 Unit 1408 Apt. Gading Nias"),
    ("Unit 1208, Lantai 12, Tower Jasmine, Apartemen Bassura City, Jakarta Timur",
     "Unit 1208, Lantai 12, Tower Jasmine, Apartemen Bassura City, Jakarta Timur"),
    ("alamat saya apartemen puri park view tower d lantai 8 unit 805 kedoya utara",
     "apartemen puri park view tower d lantai 8 unit 805 kedoya utara"),
    # the building named without a keyword, right before its tower / floor / unit
    ("tolong antar ke Green Bay Pluit Tower F Lt. 17 Unit 17AB", "Green Bay Pluit Tower F Lt. 17 Unit 17AB"),
    ("The Mansion Kemayoran Tower Bougenville Lt. 21 Unit 21-07, Jakarta Utara",
     "The Mansion Kemayoran Tower Bougenville Lt. 21 Unit 21-07, Jakarta Utara"),
    ("Kalibata City, Tower B, Lt. 12, No. 05, Jakarta Selatan",
     "Kalibata City, Tower B, Lt. 12, No. 05, Jakarta Selatan"),
    ("kirim ke green pramuka city tower chrysant lantai 28 unit 02 ya kak",
     "green pramuka city tower chrysant lantai 28 unit 02"),
    ("APARTEMEN MEDITERANIA GARDEN RESIDENCES 2 TOWER H UNIT 33G, TANJUNG DUREN",
     "APARTEMEN MEDITERANIA GARDEN RESIDENCES 2 TOWER H UNIT 33G, TANJUNG DUREN"),
    # another turn's capitals say nothing about how this one is typed
    ("CS: Apartemennya di mana kak?\nCustomer: city park tower b lantai 5 unit 503 cengkareng\nCS: baik",
     "city park tower b lantai 5 unit 503 cengkareng"),
    # ... or right after the unit
    ("kirim ke Unit 28-02 Green Pramuka", "Unit 28-02 Green Pramuka"),
    ("Lt. 12 Unit 1208 Green Pramuka City, Jakarta Pusat",
     "Lt. 12 Unit 1208 Green Pramuka City, Jakarta Pusat"),
    ("alamat: unit 1208 bassura city ya kak", "unit 1208 bassura city"),
    # alone, given as theirs
    ("saya tinggal di Apartemen Kalibata City", "Apartemen Kalibata City"),
    ("saya tinggal di apartemen kalibata city", "apartemen kalibata city"),
    ("alamat: Lt. 12 Unit 1208", "Lt. 12 Unit 1208"),
]

# Said, through the number normaliser, often after a speaker label.
HIGH_RISES_SPOKEN = [
    ("apartemen bassura city tower jasmine lantai dua belas unit dua belas nol delapan",
     "apartemen bassura city tower jasmine lantai 12 unit 1208"),
    ("taman rasuna lantai sembilan unit sembilan nol lima setiabudi",
     "taman rasuna lantai 9 unit 905 setiabudi"),
    ("customer: apartemen mediterania garden tower h unit tiga puluh tiga g ya kak",
     "apartemen mediterania garden tower h unit 33 g"),
    ("agent: boleh alamatnya bu? customer: apartemen gading nias tower a lantai empat belas unit "
     "empat belas nol delapan kelapa gading agent: baik bu",
     "apartemen gading nias tower a lantai 14 unit 1408 kelapa gading"),
    ("nomor unit enam belas nol sembilan apartemen pakubuwono terrace",
     "nomor unit 1609 apartemen pakubuwono terrace"),
    ("kirim ke rusun marunda blok c lantai tiga nomor dua belas cilincing",
     "rusun marunda blok c lantai 3 nomor 12 cilincing"),
    ("customer: rusun pulo gebang blok a lantai tiga nomor tiga kosong dua",
     "rusun pulo gebang blok a lantai 3 nomor 302"),
]


@pytest.mark.parametrize("text, expected", HIGH_RISES)
def test_high_rise_addresses(text: str, expected: str) -> None:
    assert spans(ID, text) == [expected]


@pytest.mark.parametrize("text, expected", HIGH_RISES_SPOKEN)
def test_spoken_high_rise_addresses(text: str, expected: str) -> None:
    assert spans(ID, normalize_spoken(text).text) == [expected]


# Flats, towers and floors in ordinary talk: complaints, sales, jobs, counts.
HIGH_RISE_LOOK_ALIKES = [
    "apartemen saya bocor kak",
    "AC di apartemen saya mati",
    "di apartemen ada banjir",
    "rusun saya kebanjiran",
    "unit bisnis kami tutup",
    "lantai 2 kantor kami sedang renovasi",
    "tower BTS di dekat rumah saya",
    "Tower A sudah penuh",
    "Tower 2 lantai 5 ruang meeting",
    "ada 3 tower dan 40 lantai",
    "servis ac lantai 3 unit 5",
    "Tolong servis AC Lt. 3 Unit 5",
    "total unit 5 lantai 2",
    "tagihan IPL unit 1208 tower jasmine bulan ini",
    "tagihan ipl unit 1208 lantai 12 bulan ini",
    "apartemen dijual murah unit 2 kamar",
    "dijual apartemen 2 br lantai 10",
    "Promo apartemen Tower A lantai 10 unit 1001 harga 500 juta",
    "unit 2 motor sudah dikirim",
    "beli 3 unit ac lantai 2",
    "harga unit 1208 berapa",
    "lift di lantai 12 rusak, unit 1208 bocor",
    "Apartemen Kalibata City macet banget",
    "apartemen kalibata city bagus ga kak?",
    "residence permit saya sudah expired",
    "Unit 2 Honda Vario sudah dikirim",
    "kirim ke unit 5 Honda Beat saya rusak",
    "Unit 2 Honda Vario, Jakarta",
]


@pytest.mark.parametrize("text", HIGH_RISE_LOOK_ALIKES)
def test_high_rise_look_alikes(text: str) -> None:
    assert all_spans(text) == []


# An office block is a landmark, not a home: alone it is never an address; with a floor or unit
# it is one only when the writer gives it as theirs (alamat, kirim, tinggal ...).
OFFICE_BLOCKS = [
    ("menara BCA", []),
    ("Menara BCA", []),
    ("alamat kantor saya Menara BCA", []),
    ("meeting di Menara BCA lantai 12 jam 3", []),
    ("kantor cabang kami di Menara Astra lantai 30 unit 3001", []),
    ("MENARA BCA LT. 12", []),
    ("kirim ke Menara BCA Lt. 12 Unit 5", ["Menara BCA Lt. 12 Unit 5"]),
    ("tinggal di menara BCA lantai 12 unit 5", ["menara BCA lantai 12 unit 5"]),
    ("alamat kantor: Graha Niaga Lt. 5", ["Graha Niaga Lt. 5"]),
    ("KIRIM KE MENARA BCA LT. 12 UNIT 5", ["MENARA BCA LT. 12 UNIT 5"]),
]


@pytest.mark.parametrize("text, expected", OFFICE_BLOCKS)
def test_office_blocks_need_a_room_and_a_cue(text: str, expected: list[str]) -> None:
    assert spans(ID, text) == expected


# A street with its alley (gang), Roman numerals I-XX in the name: one span.
STREET_AND_ALLEY = [
    ("Jl. Kaliurang Km 5 Gg. Pandega Marta No. 3", "Jl. Kaliurang Km 5 Gg. Pandega Marta No. 3"),
    ("jalan kaliurang gang pandega marta nomor 3", "jalan kaliurang gang pandega marta nomor 3"),
    ("Jalan Bhayangkara Gg. Damai II No. 5, Sleman", "Jalan Bhayangkara Gg. Damai II No. 5, Sleman"),
    ("jl. bhayangkara gg damai ii no 5", "jl. bhayangkara gg damai ii no 5"),
    ("Jl. Sukajadi Gg. Sukarasa XII No. 8", "Jl. Sukajadi Gg. Sukarasa XII No. 8"),
    ("Jl. Merdeka XVIII No. 3", "Jl. Merdeka XVIII No. 3"),
    ("Jl. Cempaka, Gg. Buntu No. 4", "Jl. Cempaka, Gg. Buntu No. 4"),
    ("Jl. Mawar Gg. Melati 2 RT 05/02", "Jl. Mawar Gg. Melati 2 RT 05/02"),
    ("jalan sudirman gang masjid nomor 5", "jalan sudirman gang masjid nomor 5"),
    ("Gg. Damai IV No. 12 ya kak", "Gg. Damai IV No. 12"),
    ("jalan damai nomor 5", "jalan damai nomor 5"),
    ("Jl. Menara Air No. 5, Depok", "Jl. Menara Air No. 5, Depok"),
    ("A: alamatnya bu?\nB: jalan melati gang damai 2 nomor 5", "jalan melati gang damai 2 nomor 5"),
    ("JL. PEMUDA GANG MAWAR III NO 7, KEL. RAWAMANGUN, KEC. PULO GADUNG",
     "JL. PEMUDA GANG MAWAR III NO 7, KEL. RAWAMANGUN, KEC. PULO GADUNG"),
]


@pytest.mark.parametrize("text, expected", STREET_AND_ALLEY)
def test_street_with_alley_is_one_span(text: str, expected: str) -> None:
    assert spans(ID, text) == [expected]


@pytest.mark.parametrize(
    "text", ["jalan damai", "lewat jalan sudirman gang motor ribut", "gang damai sentosa di sana"]
)
def test_alley_words_without_a_number_are_not_names(text: str) -> None:
    assert all_spans(text) == []


# Spoken transcripts (through the normaliser) with speaker labels, fillers and no punctuation.
SPOKEN_TRANSCRIPTS = [
    ("customer: jalan kenanga gang damai dua nomor empat belas rt tiga rw satu",
     "jalan kenanga gang damai 2 nomor 14 rt 3 rw 1"),
    ("customer: jalan monjali gang damai tiga nomor seratus dua sleman",
     "jalan monjali gang damai 3 nomor 102 sleman"),
    ("agent: baik alamatnya ibu? customer: jalan melati nomor dua belas rt tiga rw empat "
     "kelurahan sukamaju kecamatan coblong kota bandung agent: terima kasih",
     "jalan melati nomor 12 rt 3 rw 4 kelurahan sukamaju kecamatan coblong kota bandung"),
    ("Agent: Boleh alamatnya? Customer: jalan cempaka putih nomor lima rt tiga",
     "jalan cempaka putih nomor 5 rt 3"),
    ("customer: iya jalan pahlawan blok b nomor sembilan kecamatan cibinong kota bogor",
     "jalan pahlawan blok b nomor 9 kecamatan cibinong kota bogor"),
    ("customer: jalan melati eh nomor dua belas rt tiga rw lima", "jalan melati eh nomor 12 rt 3 rw 5"),
    ("customer: jalan swadaya dua nomor delapan belas rt nol tiga rw nol enam kelurahan "
     "jatinegara kecamatan cakung",
     "jalan swadaya 2 nomor 18 rt 03 rw 06 kelurahan jatinegara kecamatan cakung"),
    ("pelanggan: gang kenari nomor lima blok c kelurahan cempaka putih",
     "gang kenari nomor 5 blok c kelurahan cempaka putih"),
    ("customer: gang haji naim nomor lima belas kecamatan kebayoran lama",
     "gang haji naim nomor 15 kecamatan kebayoran lama"),
]


@pytest.mark.parametrize("text, expected", SPOKEN_TRANSCRIPTS)
def test_spoken_transcripts_with_speaker_labels(text: str, expected: str) -> None:
    assert spans(ID, normalize_spoken(text).text) == [expected]


# A house-number letter said apart belongs to the number; the landmark after it does not.
LETTER_BEFORE_LANDMARK = [
    ("jalan mawar nomor tiga ratus enam a belakang kantor kelurahan", ["jalan mawar nomor 306 a"]),
    ("customer: jalan cendrawasih nomor tiga puluh a depan masjid al ikhlas",
     ["jalan cendrawasih nomor 30 a"]),
    ("jalan kenari nomor lima a dekat pasar", ["jalan kenari nomor 5 a"]),
    ("jalan kenari nomor lima b samping alfamart kecamatan sukmajaya depok",
     ["jalan kenari nomor 5 b", "kecamatan sukmajaya depok"]),
    ("jl mawar no 12 b depan masjid", ["jl mawar no 12 b"]),
    ("Jl. Mawar No. 306 A belakang kantor kelurahan", ["Jl. Mawar No. 306 A"]),
]


@pytest.mark.parametrize("text, expected", LETTER_BEFORE_LANDMARK)
def test_letter_suffix_before_a_landmark(text: str, expected: list[str]) -> None:
    assert spans(ID, normalize_spoken(text).text) == expected


# ALL CAPS: case carries no signal; the word lists decide, as in lower-case text.
ALL_CAPS = [
    ("ALAMAT SAYA JL MELATI NO 5 YA KAK", "JL MELATI NO 5"),
    ("KIRIM KE GG. MAWAR NO 3 DEKAT MASJID", "GG. MAWAR NO 3"),
    ("JL. MERDEKA NO. 5, BUDI SANTOSO YANG TERIMA", "JL. MERDEKA NO. 5"),
    ("JL. SUDIRMAN NO. 1 JAKARTA. TERIMA KASIH", "JL. SUDIRMAN NO. 1 JAKARTA"),
    ("ALAMATNYA JALAN MELATI NOMOR 12 KAK", "JALAN MELATI NOMOR 12"),
    ("Customer: JL. GAJAH MADA NO 12 RT 3 RW 4", "JL. GAJAH MADA NO 12 RT 3 RW 4"),
    ("APARTEMEN KALIBATA CITY TOWER B LT. 12 NO. 05", "APARTEMEN KALIBATA CITY TOWER B LT. 12 NO. 05"),
]


@pytest.mark.parametrize("text, expected", ALL_CAPS)
def test_all_caps_addresses(text: str, expected: str) -> None:
    assert spans(ID, text) == [expected]


@pytest.mark.parametrize(
    "text, expected", ID_VALID + ID_PREFIXES + ID_HOUSE_NUMBERS + ID_LABELLED_NAMES + ID_PLACE_TAILS
)
def test_id_addresses_typed_in_capitals(text: str, expected: str) -> None:
    assert spans(ID, text.upper()) == [expected.upper()]


# --------------------------------------------------------------------------- English
EN_VALID = [
    ("123 Main Street, Apt 4B, Springfield, IL 62704", "123 Main Street, Apt 4B, Springfield, IL 62704"),
    ("I live at 742 Evergreen Terrace.", "742 Evergreen Terrace"),
    ("1234 Smith Roads Suite 567\nNew Jessica, TX 12345", "1234 Smith Roads Suite 567\nNew Jessica, TX 12345"),
    ("PSC 1234, Box 5678\nAPO AA 12345", "PSC 1234, Box 5678\nAPO AA 12345"),
    ("USNS Foo\nFPO AE 12345", "USNS Foo\nFPO AE 12345"),
    ("Unit 4321 Box 9876\nDPO AP 54321", "Unit 4321 Box 9876\nDPO AP 54321"),
    ("ship it to 1600 Pennsylvania Avenue NW, Washington, DC 20500 please",
     "1600 Pennsylvania Avenue NW, Washington, DC 20500"),
    ("send to 350 5th Ave, New York, NY 10118 thanks", "350 5th Ave, New York, NY 10118"),
    ("P.O. Box 1234, Austin, TX 78701", "P.O. Box 1234, Austin, TX 78701"),
    ("10 Downing St. is famous", "10 Downing St."),
    ("Please send it to 221B Baker Street, London", "221B Baker Street, London"),
    ("Could you confirm the address on file, 10246 Jeanette Springs Suite 728, Danielside, WV 56037?",
     "10246 Jeanette Springs Suite 728, Danielside, WV 56037"),
    ("ship it to 30877 nichols light lake rebecca il 96043 pls", "30877 nichols light lake rebecca il 96043"),
    ("Springfield, IL 62704", "Springfield, IL 62704"),
    # normalised spoken
    ("my address is 123 main street springfield illinois 62704",
     "123 main street springfield illinois 62704"),
    ("could you confirm the address on file 30600 ward gateway apt 111 north jessicatown m n 34014",
     "30600 ward gateway apt 111 north jessicatown m n 34014"),
    ("my address is 400 marshall island suite 682 east jerry h i 43118",
     "400 marshall island suite 682 east jerry h i 43118"),
    ("my address is 3991 justin landing suite 137 north ashley m 094338",
     "3991 justin landing suite 137 north ashley m 094338"),
    ("the address is 36410 tanya islands east alexis gu 07370 okay",
     "36410 tanya islands east alexis gu 07370"),
    ("it is 123 main street", "123 main street"),
    ("Suite 200, 1 Infinite Loop, Cupertino, CA 95014", "Suite 200, 1 Infinite Loop, Cupertino, CA 95014"),
    ("123 N. Main St., Springfield, IL 62704-1234", "123 N. Main St., Springfield, IL 62704-1234"),
    # a lower-case address inside a capitalised message
    ("billing address is 33417 marissa hill, north joseph, nj 29765 you can reach my wife "
     "Digdaya Farida on +65-82431512",
     "33417 marissa hill, north joseph, nj 29765"),
]


@pytest.mark.parametrize("text, expected", EN_VALID)
def test_en_address_exact_span(text: str, expected: str) -> None:
    assert spans(EN, text) == [expected]


# An unknown city after the street line, when it clearly ends there.
EN_CITY_TAILS = [
    ("my address is 88 Oak Lane, Riverton, +1 555 0101", "88 Oak Lane, Riverton"),
    ("4510 Willow Way, Springfield\nPhone: 555-0133", "4510 Willow Way, Springfield"),
    ("77 King Street, West Gregory HP 081234567890", "77 King Street, West Gregory"),
    ("2209 Bryan Walk Suite 40, Port Amanda", "2209 Bryan Walk Suite 40, Port Amanda"),
    ("9 Elm Road, St. Albans, UK", "9 Elm Road, St. Albans, UK"),
    ("ship to 15 Harbour Road, Lake Tanya. Thanks", "15 Harbour Road, Lake Tanya"),
    ("31 Mill Lane, Fort Jessica Email: a@b.co", "31 Mill Lane, Fort Jessica"),
    ("my address is 521 birch boulevard suite 32 north amanda",
     "521 birch boulevard suite 32 north amanda"),  # spoken: no commas
    # not a city: the sentence goes on
    ("55 Ocean Drive, Budi will receive it", "55 Ocean Drive"),
    ("55 Ocean Drive, thanks a lot", "55 Ocean Drive"),
]


@pytest.mark.parametrize("text, expected", EN_CITY_TAILS)
def test_en_city_after_street(text: str, expected: str) -> None:
    assert spans(EN, text) == [expected]


EN_ALL_CAPS = [
    ("123 MAIN STREET, SPRINGFIELD, IL 62704", "123 MAIN STREET, SPRINGFIELD, IL 62704"),
    ("SHIP TO 1600 PENNSYLVANIA AVENUE NW, WASHINGTON, DC 20500 PLEASE",
     "1600 PENNSYLVANIA AVENUE NW, WASHINGTON, DC 20500"),
    ("SPRINGFIELD, IL 62704", "SPRINGFIELD, IL 62704"),
    ("I LIVE AT 742 EVERGREEN TERRACE", "742 EVERGREEN TERRACE"),
    ("SEND TO 55230 DARIUS CLIFF NORTH JESSICATOWN MN 34014 THANKS",
     "55230 DARIUS CLIFF NORTH JESSICATOWN MN 34014"),
    ("MY ADDRESS IS 6480 AUSTIN LODGE APT 181 NORTH CORY H I 98881",
     "6480 AUSTIN LODGE APT 181 NORTH CORY H I 98881"),  # read like lower-case speech
]


@pytest.mark.parametrize("text, expected", EN_ALL_CAPS)
def test_en_addresses_typed_in_capitals(text: str, expected: str) -> None:
    assert spans(EN, text) == [expected]


# --------------------------------------------------------------------------- look-alikes
INVALID = [
    # prices, times, counts, codes
    "harganya Rp 50.000 kak, ongkir 15000",
    "jam 10.30 ya kak, paket sampai jam 3 sore",
    "promo 12.12 diskon 50%",
    "nomor pesanan 12345 belum sampai",
    "kode OTP 48213 jangan dibagikan",
    "the ticket number is 88213 for your reference",
    "my zip code is 90210",
    "Order ID 12345 CA",
    "transfer 200 ribu ke BCA",
    "tolong cek no. 5 di daftar",
    "tolong cek no. 5, no. 6, no. 7 di daftar",
    # a lone keyword or component in ordinary talk
    "RT saya sudah lapor ke pak RW",
    "ketua RT 05 minta data",
    "RT 3 saja",
    "kecepatan internet saya lambat",
    "kec. lambat banget sinyalnya",
    "kelurahan sudah tutup",
    "kota Bandung bagus banget",
    "di kota ini macet terus",
    "saya tinggal di Bandung, Jawa Barat",
    "Desa saya jauh dari kota",
    "kode pos saya lupa",
    "blok kartu saya dong",
    "blokir kartu saya",
    "I live in Springfield",
    # "jalan" = walk / go / road, "gang" = gang
    "jalan-jalan ke mall yuk kak",
    "jalan jalan ke mall",
    "jalan terus aja kak nanti belok kiri",
    "saya lagi di jalan kak",
    "kurirnya masih di jalan menuju rumah",
    "paketnya sudah jalan belum?",
    "jalan raya macet parah",
    "jalan tol cipularang ditutup",
    "jalan kaki 10 menit",
    "jalan utama ditutup",
    "jalan desa rusak parah",
    "jalan pikiran saya beda",
    "saya mau jalan sama pacar",
    "Jalan ke Bali tahun depan",
    "Jl nya macet kak",
    "perjalanan saya lancar",
    "gang saya sempit",
    "the gang is all here",
    "pulang kampung lebaran",
    "kampung halaman saya di Garut",
    # numbers followed by nouns, street words without a number
    "I ordered 3 items yesterday",
    "it took 2 hours to arrive",
    "we waited 5 days for the refund",
    "the shop is 10 minutes walk from here",
    "Main Street is busy today",
    "I have 2 park passes",
    "called 3 times way too many",
    "I drove 20 miles down the road",
    "we have 2 new branches in Jakarta",
    "see you at 3 pm at the Grand Plaza",
    "saya bayar 3 kali di Alfamart",
    "Promo cashback 10% berlaku sampai 24/06/2026 ya Kak. saya sudah coba login 5x tapi ggaal terus",
    "paketnya masih dalam perjalanan",
    "saya sudah jalan 2 km",
    "jalan 3 hari baru sampai",
    "kartu saya di blok 2 kali",
    "rt nya berapa pak",
    "di kota bandung 2 hari yang lalu",
    "dari jakarta ke bandung 3 jam",
    "jakarta 50000 ribu",
    "harga di bandung 15000",
    "tiket nomor 12345 kota bandung",
    "kak cabang bandung 40121 itu dimana",
    "bandung 17500 ya",  # a line of its own, but a round number: a price
    "jalan bapak saya sakit",
    "kota: bandung bagus",
    "Gg. 3 orang",
    # new prefixes and names in ordinary talk
    "kak tolong taruh di blk rumah ya",
    "blk aj kak",
    "dukuh saya jauh",
    "lingkungan kerja saya bagus",
    "banjar kami ada acara",
    "Br. sampai kemarin",
    "pindah ke kota baru",
    "di kota baru 2 hari",
    "Kab. sama kantor Kec. sama aja",
    "Kota Bandung bagus, Kota Jakarta macet",
    "Pasar Minggu macet",
    "jalan kaki dekat masjid Al-Ikhlas",
    "lewat jalan sudirman macet",
    "Saya lewat Jl. Sudirman tadi pagi",
    # a letter after a number that is a word, and capitalised words after a comma
    "no 5 a lot of people",
    "I ordered item no 5 a week ago",
    "I went to 10 shops, London was great",
    "I bought 3 books, London Bridge is nice",
    "my flight is at 7, New York",
    "meeting room 5, North Wing",
    "Main Street, Springfield is nice",
]


@pytest.mark.parametrize("text", INVALID)
def test_look_alikes_are_not_addresses(text: str) -> None:
    assert all_spans(text) == []


@pytest.mark.parametrize(
    "text",
    INVALID + HIGH_RISE_LOOK_ALIKES
    + ["MY ORDER, IN 12345", "THANKS, OK 90210", "CALL ME AT 5 PM, OK 90210 IS MY ZIP", "MENARA BCA"],
)
def test_look_alikes_typed_in_capitals(text: str) -> None:
    assert all_spans(text.upper()) == []


# --------------------------------------------------------------------------- span edges
TRAILING = [
    ("Jl. Melati No. 5 ya kak", "Jl. Melati No. 5"),
    ("Jl. Melati No. 5, makasih ya", "Jl. Melati No. 5"),
    ("jalan melati nomor 5 tolong kirim besok", "jalan melati nomor 5"),
    ("alamat: Jl. Melati dekat masjid", "Jl. Melati"),
    ("kota bandung 40121 ya min", "kota bandung 40121"),
    ("Kota Bandung bagus, Jl. Melati No. 5 sih", "Jl. Melati No. 5"),
    ("123 Main Street, thanks a lot", "123 Main Street"),
    # a postal code ends an address: no unknown words are absorbed after it
    ("alamat: gang pelajar pejuang no. 115, kecamatan sukajadi, depok, 57692 cabang tangerang buka jam berapa",
     "gang pelajar pejuang no. 115, kecamatan sukajadi, depok, 57692"),
    ("kirim ke Jl. Melati ok. Budi Santoso yang terima", "Jl. Melati"),
    # a known place is extended only by words that end cleanly, not by the next sentence
    ("my address is jl. dipenogoro no. 13, kab. malang I bought 4 items",
     "jl. dipenogoro no. 13, kab. malang"),
]


@pytest.mark.parametrize("text, expected", TRAILING)
def test_span_stops_before_chat_words(text: str, expected: str) -> None:
    assert all_spans(text) == [expected]


def test_two_addresses_are_two_spans() -> None:
    text = "alamat saya Jl. Melati No. 5, Jl. Mawar No. 7 juga bisa"
    assert spans(ID, text) == ["Jl. Melati No. 5", "Jl. Mawar No. 7"]


# --------------------------------------------------------------------------- scores
SCORES = [
    (ID, "kirim ke Jl. Sudirman No. 5 ya kak", 0.85),  # street + number
    (ID, "rt 5 rw 2 kelurahan sukamaju", 0.85),  # three components
    (ID, "RT 3 RW 5", 0.6),  # two weak components
    (ID, "Kec. Coblong, Kab. Bandung", 0.6),
    (ID, "Kota Bandung 40121", 0.6),
    (ID, "alamat: Jl. Sudirman", 0.7),  # abbreviated street prefix + name
    (ID, "alamat saya Jalan Sudirman", 0.6),
    (ID, "Apt. Gading Nias Tower A Lt. 14 Unit 1408", 0.85),  # building + flat parts
    (ID, "saya tinggal di Apartemen Kalibata City", 0.6),  # an apartment alone, with a cue
    (ID, "alamat: Lt. 12 Unit 1208", 0.6),  # floor + unit, no building, with a cue
    (EN, "I live at 742 Evergreen Terrace", 0.85),
    (EN, "it is 742 evergreen terrace", 0.6),
    (EN, "Springfield, IL 62704", 0.6),
    (EN, "123 Main Street, Springfield, IL 62704", 0.85),
]


@pytest.mark.parametrize("recognizer, text, score", SCORES)
def test_scores(recognizer, text: str, score: float) -> None:
    results = recognizer.analyze(text, ["ADDRESS"])
    assert [r.score for r in results] == [score]


@pytest.mark.parametrize(
    "recognizer, text",
    [
        (ID, "Saya lewat jalan sudirman tadi"),  # lower-case street in capitalised text
        (ID, "gedung baru kami bagus"),
        (ID, "Menara BCA"),  # an office block alone, even with a cue
        (ID, "alamat kantor saya Menara BCA"),
        (ID, "meeting di Menara BCA lantai 12"),  # with a floor but no cue
        (ID, "servis AC Lt. 3 Unit 5"),  # floor + unit, no building, no cue
        (ID, "Apartemen Kalibata City macet"),  # an apartment alone, no cue
        (EN, "there are 2 red lights"),
    ],
)
def test_weak_single_components_are_below_threshold(recognizer, text: str) -> None:
    assert all(r.score < THRESHOLD for r in recognizer.analyze(text, ["ADDRESS"]))


# --------------------------------------------------------------------------- Presidio contract
@pytest.mark.parametrize("cls", [IdAddressRecognizer, EnAddressRecognizer])
def test_presidio_contract(cls) -> None:
    recognizer = cls()
    assert recognizer.supported_language == ANALYZER_LANGUAGE
    assert recognizer.supported_entities == ["ADDRESS"]
    assert cls(supported_language="en").supported_language == "en"
    text = "Jl. Sudirman No. 5 / 123 Main Street, Springfield, IL 62704"
    results = recognizer.analyze(text, ["ADDRESS"], nlp_artifacts=None)
    assert results and all(isinstance(r, RecognizerResult) for r in results)
    for r in results:
        assert r.entity_type == "ADDRESS"
        assert r.recognition_metadata[RecognizerResult.RECOGNIZER_NAME_KEY] == recognizer.name
        assert r.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY]
    assert recognizer.analyze(text, ["PERSON"]) == []
    assert recognizer.analyze("", ["ADDRESS"]) == []


# --------------------------------------------------------------------------- adversarial input
# Catastrophic backtracking would hang here; speed itself is measured in benchmarks/.
ADVERSARIAL = [
    ("jalan " * 2000, 0),
    ("Jl. " + "A. " * 3000, 0),
    ("1 a b c d " * 1000, 0),
    (", , , " * 2000, 0),
    ("a" * 10000, 0),
    ("1" * 10000, 0),
    ("dekat " * 3000, 0),
    ("Jl. Raya " * 2000, 0),
    ("Kab. 50 " * 2000, 0),
    ("no 5 a " * 2000, 0),
    ("Kota " * 2000, 1),
    ("RT1/" * 2000, 1),
    ("Kel. Lima Puluh Kota " * 800, 1),
    ("blk A1 " * 2000, 1),
    ("Jl. Melati No. 5 dekat masjid " * 500, 500),
    ("Tower A " * 2000, 0),
    ("Lt. 1 Unit 2 " * 2000, 0),
    ("unit 1 " * 3000, 0),
    ("apartemen " * 3000, 0),
    ("A B C D Tower A " * 1000, 0),
    ("JL. " * 3000, 0),
    ("Gang Damai " * 2000, 0),
    ("APARTEMEN GREEN PRAMUKA TOWER A LT 5 UNIT 5 " * 300, 300),
    ("12 Baker Street, London, " * 500, 500),
]


@pytest.mark.parametrize("text, count", ADVERSARIAL, ids=lambda v: repr(v)[:16])
def test_adversarial_inputs(text: str, count: int) -> None:
    found = [
        r for recognizer in (ID, EN) for r in recognizer.analyze(text, ["ADDRESS"])
        if r.score >= THRESHOLD
    ]
    assert len(found) == count
    assert all(0 <= r.start < r.end <= len(text) for r in found)


def test_tail_after_address_is_bounded() -> None:
    text = "Jl. Melati No. 5" + ", Budi" * 2000
    assert spans(ID, text) == ["Jl. Melati No. 5, Budi, Budi"]  # two place groups at most


# --------------------------------------------------------------------------- Faker coverage
def _spoken_form(address: str) -> str:
    """What the spoken normaliser hands us: lower case, no punctuation, digits kept."""
    return " ".join(re.sub(r"[^\w\s]", " ", address.lower()).split())


def _coverage(text: str, start: int, end: int) -> tuple[float, bool]:
    covered = [False] * len(text)
    for recognizer in (ID, EN):
        for r in recognizer.analyze(text, ["ADDRESS"]):
            if r.score >= THRESHOLD:
                covered[r.start : r.end] = [True] * (r.end - r.start)
    chars = [i for i in range(start, end) if not text[i].isspace()]
    outside = any(covered[i] for i in range(len(text)) if not start <= i < end and not text[i].isspace())
    return sum(covered[i] for i in chars) / len(chars), outside


@pytest.mark.parametrize("locale, before, after", [
    ("id_ID", "alamat saya ", " ya kak"),
    ("en_US", "my address is ", " thanks"),
])
def test_faker_addresses_are_covered(locale: str, before: str, after: str) -> None:
    faker = pytest.importorskip("faker")
    fake = faker.Faker(locale)
    fake.seed_instance(20240)
    failures = []
    for i in range(300):
        address = fake.address()
        if i % 3 == 1:
            address = address.lower()
        elif i % 3 == 2:
            address = _spoken_form(address)
        text = before + address + after
        start = len(before)
        share, outside = _coverage(text, start, start + len(address))
        if share < 0.95 or outside:
            failures.append((round(share, 2), outside, address))
    assert not failures, failures[:5]
