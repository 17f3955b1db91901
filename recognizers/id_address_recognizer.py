"""ADDRESS recognizer for Indonesian street addresses, plus the chain machinery shared with
:mod:`recognizers.en_address_recognizer`.

How it works
------------
1. *Components* are found by precompiled regexes plus a small token scanner for the names that
   follow a keyword: street (``Jl. Merdeka Barat III``), hamlet/neighbourhood (``Dukuh``,
   ``Dsn.``, ``Kp.``, ``Ling.``, ``Jorong``, ``Banjar``/``Br.``), house number (``No. 12A``,
   ``No 62 a``, ``C-12``), RT/RW, kelurahan/desa, kecamatan, kabupaten/kota, province,
   well-known city, postal code, block (``Blok C6/19C``, ``Blk. A10``), building, km marker,
   floor ... After an explicit label the name may hold common words ("Kel. Padang Bulan",
   "Kel. Pasar Minggu", "Kab. Lima Puluh Kota"). An alley after its street is part of it
   ("Jl. Kenari Gang Damai IV No. 40"; Roman numerals I-XX belong to the name; a word that
   rarely opens a street name, "damai", does right before a house number).
   High-rises: a building (``Apartemen``/``Apt.``/``Rusun``/``Kondominium``/``Residence`` +
   name; office blocks ``Menara``/``Gedung``/``Wisma``/``Graha`` + name) and the parts of a
   flat in any order (``Tower A``, ``Tower Jasmine``, ``Lt. 14``, ``Unit 28-02``, ``No. Unit
   12B``); one to four name words right before the parts name the building without a keyword
   ("city orchid lantai 12 unit 1208", "Kalibata City Tower B Lt. 12 No. 05"), and so do
   words right after the unit when the other parts or an address cue vouch for them ("kirim
   ke Unit 28-02 Green Pramuka").
   Speech-recogniser spellings count as their keywords ("erte"/"er te" = RT, "erwe" = RW,
   "ka el" = Kel., "number" = nomor, "block" = blok: with a digit, or a letter and a house
   number), and one to four words right before "blok + code + nomor" name a housing estate
   ("kota wisata block a number 20"). Hesitations ("eee", "em", "apa namanya") between
   components or after a keyword do not end the address.
2. Components separated only by commas, spaces, newlines, ``-`` or ``/`` are *chained*; one
   or two groups of one to three name words sandwiched between two components (unknown
   places: ``No. 5, Cikarang, Jawa Barat``) are absorbed as a gap, never after a postal code.
   A landmark between two components ("No. 5 samping Indomaret, Kel. X") keeps the chain
   going but is cut out of it: the address becomes two spans around it.
3. Each chain is one ADDRESS span from its first to its last component, scored by how much
   evidence it carries. A lone component (``RT 3``, ``kota Bandung``, a 5-digit number) is not
   an address; two or more components are, and so is a street prefix + name when the writer
   gives it as their address ("alamat saya Jl. Melati"; "lewat jalan Sudirman" is not).
4. After the last component, up to two comma-separated groups of Capitalised words that end
   cleanly (line end, comma, sentence end, postal code, phone number, field label) are taken
   in as unknown town names ("…, Kel. Kotabaru, Jonggol"; English "…, North Wesley, +81 …");
   after a flat's unit also without a comma, in lower case ("… unit 1208 patomburan").

Names stop at function words (spaCy's Indonesian and English stop words, importable without
a model), chat words ("ya", "kak", "tolong" ...) and address keywords, so ``… No. 5 ya kak``
ends before ``ya``. Text that is lower-case around a match (spoken transcripts after number
normalisation, chat typed in lower case) gets no Title-case cues, so it is read with the word
lists alone; so is text typed ALL IN CAPITALS, where case says nothing either, and a speaker
or field label's capital ("Customer: jalan ...") is ignored. Everything is bounded (names ≤ 4
words, numbers ≤ 9 digits), so the scan is linear in the text and needs no ``nlp_artifacts``.

Scores: 0.85 for a street with a house number (or any second component) and for three or more
components; 0.6 for two weaker components ("RT 3 RW 5", "Kec. X, Kab. Y", "Kota Bandung
40121"); 0.7 for "Jl./Gg. + name" alone, 0.6 for "Jalan + name" alone (0.45 when written in
lower case inside capitalised text, or without an address cue before it, i.e. below the
default threshold). House numbers without any place ("no. 5, no. 6, no. 7") score 0. An
apartment named alone scores like "Jalan + name" (0.6 with a cue, else 0.45); a floor and unit
with no building named ("Lt. 12 Unit 1208") 0.6 with a cue, else 0.45 ("servis AC Lt. 3 Unit
5"). An office block is a landmark: alone, or with a floor/unit but no cue ("meeting di Menara
BCA lantai 12"), 0.45; with a floor/unit and a cue ("kirim ke Menara BCA Lt. 12 Unit 5") as
usual.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS as _EN_STOP
from spacy.lang.id.stop_words import STOP_WORDS as _ID_STOP

from recognizers.base import ANALYZER_LANGUAGE, SPEAKER_LABEL

ENTITY = "ADDRESS"

# --------------------------------------------------------------------------------------------
# Shared word lists
# --------------------------------------------------------------------------------------------

#: Chat fillers, pronouns, verbs and nouns that end a name ("Jl. Melati ya kak").
CHAT_WORDS = frozenset(
    """
    ya yaa yah iya iyaa yup yes yg kak ka kaka kakak min mimin admin gan agan sis sist bro bang
    mas mba mbak mbk om tante pak bu bpk ibu bapak sih dong deh nih tuh kok lho loh kan aja sj
    udah udh sdh blm belom tolong tlg kirim kirimkan dikirim krm ke di dari dr dekat deket dkt
    depan belakang samping sebelah seberang sbrg pinggir arah masuk lewat pas dan atau tapi tp
    ok oke okay okey okee makasih terima kasih thanks thank thx tq tks please pls plz mohon
    sama sm dgn dengan utk untuk buat gak ga gk nggak ngga tidak tdk engga enggak gaada lagi lg
    mau pengen pgn bisa bs saya sy aku aq gue gua gw kami kita anda kamu lu lo dia mereka alamat
    alamatnya almt paket paketnya kurir barang pesanan order orderan jam menit detik hari minggu
    bulan tahun thn km kilo meter ribu rb juta jt rp rupiah harga ongkir ongkos cod resi nomor
    nya nih sudah belum baru udah benar bener betul salah kalau kalo klo kl jadi jd trus terus
    juga jg nanti ntar besok kemarin kmrn tadi sekarang skrg hari pagi siang sore malam rumahnya
    kantornya tinggal tinggalnya domisili pindah kota-kota hp wa whatsapp telp telepon email
    tanggal tgl lahir nik ktp npwp rek rekening atas nama an a.n via lewat yuk yok ayo kesana
    kesini kesitu kemana sana sini situ jalannya alamatku rumahku dpn blkg blkng smpg sblh
    card number account phone email name nama code password pin otp cvv correct right yeah
    yep sure
    """.split()
)

#: Conditions and opinions: "jalan raya macet", "kota Bandung bagus" - never part of a name.
CONDITION_WORDS = frozenset(
    """
    macet rusak licin lancar padat ramai rame sepi gelap berlubang bolong ditutup tutup becek
    banjir mulus jelek bagus cantik keren enak panas dingin sejuk indah-indah parah banget bgt
    bener beneran sekali lebar sempit sampai sampe nyampe tiba bocor rembes mampet retak kotor
    berisik mati
    """.split()
)

#: Words that cannot be the *first* word of a street name right after "jalan"/"gang" (the
#: verb "jalan" = walk/run/go, "gang" = gang).
NON_NAME_FIRST = frozenset(
    """
    kaki tol santai pintas setapak tikus layang cepat pelan lambat bareng pulang pergi mundur
    maju lurus belok hati hati-hati jalan sendiri menuju aspal dulu duluan yuk lagi masih sudah
    belum terus lho kok kemana keluar kesana kesini jauh deket dekat lama baru cari nyari mulu
    members member war wars fight kerja alternatif protokol umum halaman yg normal terbaik
    pikiran pikir hidup cerita damai ninja sehat pagi sore malam siang berdua bertiga sendirian
    darat laut udara kereta mobil motor sepeda naik cepet buru buru-buru santuy arteri nasional
    keluarnya masuknya bebas lingkar tembus setapak berliku licin
    
    """.split()
)

#: Stop words that may appear *inside* place names (not as the first word).
NAME_OK = frozenset(
    """
    tengah baru lama dalam luar besar kecil atas bawah tinggi panjang dua tiga empat lima satu
    sama lain dini guna awal akhir kota raya jaya
    """.split()
)

#: Stop words that may also start a place name ("Jl. Bung Tomo", "Jl. Panjang").
NAME_OK_FIRST = frozenset("bung panjang tinggi".split())

#: Common words that right after an explicit label (Kel., Kec., Kab., Desa, Dusun ...) are
#: still part of the name: "Kel. Padang Bulan", "Kel. Pasar Minggu", "Kota Baru",
#: "Kab. Lima Puluh Kota". Particles, pronouns and verbs still end it ("Kec. X ya kak").
LABEL_NAME_OK = NAME_OK_FIRST | frozenset(
    """
    bulan minggu baru lama tengah dalam luar atas bawah besar kecil akhir awal dini guna satu
    dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas puluh belas ratus
    """.split()
)

#: Generic words: a name made only of these is not a name ("jalan raya", "jalan utama").
GENERIC_NAME_WORDS = frozenset(
    """
    raya utama timur barat utara selatan tengah pusat dalam luar baru lama besar kecil atas
    bawah indah permai asri jaya i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii
    xix xx gang jalan blok lorong lingkar kampung desa gedung pos kota dusun komplek kompleks
    perumahan tower wisma apartemen ruko rukan menara rusun residence residences
    """.split()
)

#: Address keywords; a name stops before any of them.
ADDRESS_KEYWORDS = frozenset(
    """
    jl jln jalan gg gang no nomor nomer nmr nmor num nr rt rw kel kelurahan kalurahan desa ds
    kec kecamatan kab kabupaten kota kotamadya kodya prov provinsi propinsi prop kode kodepos kd
    pos blok blk kav kavling km kilometer lantai lt komp kompleks komplek perum perumahan dusun dsn kp
    kampung gedung gd wisma apartemen apartement apartment apt tower twr menara rusun rusunawa
    rusunami kondominium condominium unit ruko rukan rtrw dukuh dkh lingkungan jorong
    """.split()
)

STOP_WORDS = frozenset(w.lower() for w in (_ID_STOP | _EN_STOP))

#: Everything that ends a name (minus the :data:`NAME_OK` overrides, applied by the scanner).
BLOCK_WORDS = STOP_WORDS | CHAT_WORDS | CONDITION_WORDS

#: Title abbreviations that may precede a name word ("Jl. Jend. Sudirman", "Jl. K.H. Hasyim").
NAME_ABBREVIATIONS = frozenset(
    """
    jend jen letjen mayjen brigjen laksda marsda kol kapt kpt lettu serma prof dr ir drs hr kh
    hos phh moch moh muh mohd st h hj r m s a
    """.split()
)

#: Honorifics that open street names ("Jl. Ibu Inggit Garnasih", "Jl. Haji Nawi"); like a
#: title they count only when a real name word follows ("jalan bapak saya" is no street).
HONORIFICS = frozenset(
    """
    ibu bapak pak bu haji kyai kiai nyi raden sultan pangeran tuan datuk teuku cut dokter letnan
    kapten mayor kolonel jenderal jendral laksamana panglima pahlawan
    """.split()
)

MONTHS = frozenset(
    """
    januari februari maret april mei juni juli agustus september oktober november desember
    """.split()
)

#: Roman numerals I-XX: part of a street or alley name ("Gg. Damai IV", "Jl. Merdeka XII").
ROMAN = frozenset(
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split()
)

# Indonesian provinces (38) with common spellings and abbreviations.
PROVINCES = [
    "Aceh", "Nanggroe Aceh Darussalam", "NAD", "Sumatera Utara", "Sumatra Utara", "Sumut",
    "Sumatera Barat", "Sumatra Barat", "Sumbar", "Riau", "Kepulauan Riau", "Kepri", "Jambi",
    "Bengkulu", "Sumatera Selatan", "Sumatra Selatan", "Sumsel", "Kepulauan Bangka Belitung",
    "Bangka Belitung", "Babel", "Lampung", "Banten", "DKI Jakarta", "DKI", "Jawa Barat", "Jabar",
    "Jawa Tengah", "Jateng", "DI Yogyakarta", "D.I. Yogyakarta", "Daerah Istimewa Yogyakarta",
    "DIY", "Jawa Timur", "Jatim", "Bali", "Nusa Tenggara Barat", "NTB", "Nusa Tenggara Timur",
    "NTT", "Kalimantan Barat", "Kalbar", "Kalimantan Tengah", "Kalteng", "Kalimantan Selatan",
    "Kalsel", "Kalimantan Timur", "Kaltim", "Kalimantan Utara", "Kaltara", "Sulawesi Utara",
    "Sulut", "Gorontalo", "Sulawesi Tengah", "Sulteng", "Sulawesi Barat", "Sulbar",
    "Sulawesi Selatan", "Sulsel", "Sulawesi Tenggara", "Sultra", "Maluku", "Maluku Utara",
    "Malut", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah", "Papua Pegunungan",
    "Papua Selatan", "Pabar",
]

# Cities and regencies commonly seen in addresses (plus everything Faker id_ID generates).
CITIES = [
    "Jakarta", "Jakarta Selatan", "Jakarta Barat", "Jakarta Timur", "Jakarta Utara",
    "Jakarta Pusat", "Jaksel", "Jakbar", "Jaktim", "Jakut", "Jakpus", "Kepulauan Seribu",
    "Bandung", "Bandung Barat", "Surabaya", "Medan", "Semarang", "Makassar", "Palembang",
    "Tangerang", "Tangerang Selatan", "Tangsel", "Depok", "Bekasi", "Bogor", "Cimahi",
    "Cikarang", "Cibubur", "Cibinong", "Cileungsi", "Ciputat", "Serpong", "Bintaro", "BSD",
    "Karawang", "Purwakarta", "Subang", "Sumedang", "Garut", "Tasikmalaya", "Ciamis", "Banjar",
    "Cianjur", "Sukabumi", "Cirebon", "Kuningan", "Majalengka", "Indramayu", "Pangandaran",
    "Lembang", "Jatinangor", "Serang", "Cilegon", "Pandeglang", "Lebak", "Rangkasbitung",
    "Yogyakarta", "Jogja", "Jogjakarta", "Yogya", "Sleman", "Bantul", "Kulon Progo",
    "Gunungkidul", "Gunung Kidul", "Solo", "Surakarta", "Klaten", "Boyolali", "Sukoharjo",
    "Karanganyar", "Wonogiri", "Sragen", "Salatiga", "Magelang", "Temanggung", "Wonosobo",
    "Purworejo", "Kebumen", "Banjarnegara", "Purbalingga", "Banyumas", "Purwokerto", "Cilacap",
    "Brebes", "Tegal", "Slawi", "Pemalang", "Pekalongan", "Batang", "Kendal", "Ungaran",
    "Demak", "Kudus", "Jepara", "Pati", "Rembang", "Blora", "Grobogan", "Purwodadi",
    "Sidoarjo", "Gresik", "Mojokerto", "Jombang", "Lamongan", "Tuban", "Bojonegoro", "Ngawi",
    "Madiun", "Magetan", "Ponorogo", "Pacitan", "Trenggalek", "Tulungagung", "Blitar", "Kediri",
    "Nganjuk", "Malang", "Batu", "Pasuruan", "Probolinggo", "Lumajang", "Jember", "Bondowoso",
    "Situbondo", "Banyuwangi", "Bangkalan", "Sampang", "Pamekasan", "Sumenep", "Denpasar",
    "Badung", "Gianyar", "Tabanan", "Buleleng", "Singaraja", "Klungkung", "Karangasem",
    "Bangli", "Jembrana", "Negara", "Mataram", "Lombok", "Lombok Barat", "Lombok Tengah",
    "Lombok Timur", "Lombok Utara", "Sumbawa", "Bima", "Dompu", "Kupang", "Ende", "Maumere",
    "Labuan Bajo", "Atambua", "Waingapu", "Banda Aceh", "Lhokseumawe", "Langsa", "Meulaboh",
    "Sabang", "Subulussalam", "Binjai", "Deli Serdang", "Lubuk Pakam", "Tebing Tinggi",
    "Tebingtinggi", "Pematangsiantar", "Pematang Siantar", "Siantar", "Sibolga",
    "Padang Sidempuan", "Padangsidimpuan", "Tanjungbalai", "Tanjung Balai", "Kisaran",
    "Rantau Prapat",
    "Gunungsitoli", "Padang", "Bukittinggi", "Payakumbuh", "Padangpanjang", "Padang Panjang",
    "Pariaman", "Solok", "Sawahlunto", "Pekanbaru", "Dumai", "Batam", "Tanjungpinang",
    "Tanjung Pinang", "Jambi", "Sungai Penuh", "Bengkulu", "Lubuklinggau", "Prabumulih",
    "Pagaralam", "Lahat", "Baturaja", "Bandar Lampung", "Metro", "Pringsewu", "Kalianda",
    "Pangkalpinang", "Pangkal Pinang", "Tanjung Pandan", "Pontianak", "Singkawang", "Ketapang",
    "Sintang", "Palangkaraya", "Palangka Raya", "Sampit", "Banjarmasin", "Banjarbaru",
    "Martapura", "Balikpapan", "Samarinda", "Bontang", "Tenggarong", "Tarakan",
    "Tanjung Selor", "Manado", "Bitung", "Tomohon", "Kotamobagu", "Gorontalo", "Palu",
    "Luwuk", "Poso", "Mamuju", "Kendari", "Baubau", "Bau-Bau", "Kolaka", "Gowa", "Sungguminasa",
    "Maros", "Pare-Pare", "Parepare", "Palopo", "Bone", "Watampone", "Ambon", "Tual",
    "Ternate", "Tidore", "Tidore Kepulauan", "Sofifi", "Jayapura", "Sorong", "Manokwari",
    "Merauke", "Timika", "Nabire", "Wamena", "Biak", "Fakfak",
]

COUNTRIES_ID = ["Indonesia", "RI", "NKRI"]


def _norm_phrase(phrase: str) -> str:
    return " ".join(phrase.lower().replace(".", " ").replace("-", " ").split())


PLACE_WORD_RE = re.compile(r"[A-Za-z][A-Za-z']*")


class PlaceIndex:
    """Whole-word phrase lookup (1-4 words, case-insensitive, dots/hyphens ignored)."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._index = {_norm_phrase(p): kind for p, kind in phrases.items()}
        self._max_words = max(len(p.split()) for p in self._index)

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        words = [(m.start(), m.end(), m.group().lower()) for m in PLACE_WORD_RE.finditer(text)]
        found = []
        i = 0
        while i < len(words):
            hit = self.match_at(text, words, i)
            if hit:
                found.append(hit[:3])
                i = hit[3]
            else:
                i += 1
        return found

    def match_at(self, text, words, i):
        """Longest phrase starting at word ``i``: (start, end, kind, next word index) or None."""
        for n in range(min(self._max_words, len(words) - i), 0, -1):
            # Words of one phrase are separated by spaces / dots / hyphens only.
            ok = True
            for k in range(i, i + n - 1):
                gap = text[words[k][1] : words[k + 1][0]]
                if len(gap) > 3 or not _PHRASE_GAP_RE.fullmatch(gap):
                    ok = False
                    break
            if not ok:
                continue
            key = " ".join(w[2] for w in words[i : i + n])
            kind = self._index.get(key)
            if kind is not None:
                start, end = words[i][0], words[i + n - 1][1]
                if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-"):
                    return None
                if end < len(text) and (text[end].isalnum() or text[end] == "-"):
                    continue
                return start, end, kind, i + n
        return None

    def phrase_at(self, text: str, pos: int) -> int | None:
        """End of a known phrase starting exactly at ``pos`` (used to stop street names)."""
        hit = self.kind_at(text, pos)
        return hit[0] if hit else None

    def kind_at(self, text: str, pos: int) -> tuple[int, str] | None:
        """(end, kind) of a known phrase starting exactly at ``pos``."""
        words = []
        for m in PLACE_WORD_RE.finditer(text, pos, min(len(text), pos + 60)):
            words.append((m.start(), m.end(), m.group().lower()))
            if len(words) >= self._max_words:
                break
        if not words or words[0][0] != pos:
            return None
        hit = self.match_at(text, words, 0)
        return hit[1:3] if hit else None


_PHRASE_GAP_RE = re.compile(r"[ \t.\-]{1,3}")

# --------------------------------------------------------------------------------------------
# Name scanner
# --------------------------------------------------------------------------------------------

_NAME_TOKEN_RE = re.compile(
    r"[ \t]{0,4}(?:"
    r"(?P<init>(?:[A-Za-z]\.){1,3}[A-Za-z]?(?![\w.]))"
    r"|(?P<word>[A-Za-z][A-Za-z'’]{0,30}(?:-[A-Za-z0-9]{1,20}){0,2})(?P<dot>\.(?!\d))?(?![\w])"
    r"|(?P<num>\d{1,4}[A-Za-z]?)(?![\w.,/-]\d|[\w])"
    r")"
)


_NEXT_WORD_RE = re.compile(r"[ \t]{1,3}[A-Za-z]")
_ENDS_NAME_RE = re.compile(r"[ \t]*(?:[,;\n\r]|$)")
_NEXT_TOKEN_RE = re.compile(r"[ \t]{1,3}([A-Za-z]{1,12})\.?(?![A-Za-z])")


def _ends_name(text: str, pos: int, places: PlaceIndex | None = None) -> bool:
    """Whether a name may end at ``pos``: punctuation, an address keyword or a known place."""
    if _ENDS_NAME_RE.match(text, pos) or _keyword_next(text, pos):
        return True
    nxt = _NEXT_WORD_RE.match(text, pos)
    return bool(nxt and places is not None and places.phrase_at(text, nxt.end() - 1) is not None)


_FOLLOWING_WORD_RE = re.compile(r"[ \t]{1,3}([A-Za-z][A-Za-z'’\-]{0,30})(?![\w])")


def _name_continues(text: str, pos: int, places: PlaceIndex) -> bool:
    """Whether a plain name word (not a function word, keyword or known place) follows."""
    m = _FOLLOWING_WORD_RE.match(text, pos)
    if not m:
        return False
    w = m.group(1).lower()
    if w in BLOCK_WORDS or w in ADDRESS_KEYWORDS or w in GENERIC_NAME_WORDS:
        return False
    return places.phrase_at(text, m.start(1)) is None


def _roman_closes(text: str, pos: int, places: PlaceIndex | None) -> bool:
    """Whether a capital Roman numeral follows and ends the name there ("Pahlawan I,")."""
    m = _NEXT_TOKEN_RE.match(text, pos)
    return bool(
        m and m.group(1).isupper() and m.group(1).lower() in ROMAN
        and _ends_name(text, m.end(1), places)
    )


def _keyword_next(text: str, pos: int) -> bool:
    m = _NEXT_TOKEN_RE.match(text, pos)
    return bool(m) and m.group(1).lower() in ADDRESS_KEYWORDS


_LABEL_END_RE = re.compile(r"[ \t]*(?:[,;\n\r]|\.(?!\w)|$)|[ \t]{1,3}\d")
_LABEL_STRICT_END_RE = re.compile(r"[ \t]*(?:[,;\n\r]|\.(?!\w)|$)|[ \t]{1,3}\d{5}(?!\d)")

#: Particles and addressing words that clearly end a labelled name ("Kel. X ya kak").
CLEAR_CHAT = frozenset(
    """
    ya yaa iya kak ka kakak min mimin gan sis bro bang mas mba mbak pak bu dong deh sih nih
    tuh kok lho loh ok oke tolong tlg mohon makasih thanks mau sudah udah sdh belum blm aja
    saja juga jg
    """.split()
)


def label_name_ends(text: str, pos: int, strict: bool = False) -> bool:
    """Whether a labelled name ends cleanly at ``pos``: punctuation, end, a digit (``strict``:
    a postal code only), the next label, or a clear chat word ("Kec. Tanah Abang ya kak")."""
    end_re = _LABEL_STRICT_END_RE if strict else _LABEL_END_RE
    if end_re.match(text, pos) or _keyword_next(text, pos):
        return True
    m = _NEXT_TOKEN_RE.match(text, pos)
    return bool(m) and m.group(1).lower() in CLEAR_CHAT


#: Keywords that may close a labelled name ("Kab. Lima Puluh Kota", "Kec. Medan Kota").
_LABEL_LAST_OK = frozenset({"kota"})


@dataclass(slots=True)
class Name:
    end: int
    words: int
    specific: bool  # has a word that is not generic (raya, timur, ...)
    titled: bool  # first word starts with an upper-case letter


def scan_name(
    text: str,
    pos: int,
    *,
    max_words: int = 3,
    allow_numbers: bool = False,
    first_blocklist: frozenset = frozenset(),
    first_allowed: frozenset = frozenset(),
    places: PlaceIndex | None = None,
    stop_at_place: bool = False,
    lower_text: bool = False,
    labelled: bool = False,
    number_first: bool = False,
    stop_words: frozenset = frozenset(),
) -> Name | None:
    """Scan a place name starting at ``pos``; None when there is no acceptable name word.

    Words are separated by spaces/tabs only (a comma or newline ends the name). In written
    (mixed-case) text a name that starts Title-case stops at the first lower-case word that is
    not a generic place word ("Kota Bandung bagus" -> "Kota Bandung"). A ``labelled`` name
    (after Kel./Kec./Kab./Desa/Dusun ...) may also hold the common words of
    :data:`LABEL_NAME_OK`, open with a number the normaliser made of "Lima Puluh" ("Kab. 50
    Kota") and close with "Kota". With ``number_first`` a number may open the name before a
    word ("Residence 8 Senopati", "Apartemen 1 Park Residences"). ``stop_words`` end the name
    wherever they stand.
    """
    end = None
    words = 0
    specific = False
    titled = False
    i = pos
    first = True  # no real word yet
    any_token = False
    tokens = 0
    letters = False  # a word that is not a number
    while words < max_words and tokens < max_words + 4:  # titles/initials are bounded too
        tokens += 1
        m = _NAME_TOKEN_RE.match(text, i)
        if not m:
            break
        content = m.group(0).lstrip(" \t")
        cstart = m.end() - len(content)
        if any_token and cstart == i and text[i - 1 : i] != ".":
            break  # glued to the previous token
        any_token = True
        if m.group("init"):
            if first:
                titled = content[0].isupper()
            i = m.end()
            continue
        if m.group("num"):
            if (labelled or number_first) and first and _NEXT_WORD_RE.match(text, m.end()):
                specific = True  # "Kab. 50 Kota": a normalised "Lima Puluh Kota"
            elif not allow_numbers:
                break
            elif first:
                # "Jl. 17 Agustus", "jalan 1 mei": a date-named street.
                nxt = _NEXT_TOKEN_RE.match(text, m.end())
                if not (nxt and nxt.group(1).lower() in MONTHS):
                    break
            words += 1
            end = m.end("num")
            i = m.end()
            continue
        raw = m.group("word")
        w = raw.lower().replace("\u2019", "'")
        if w in stop_words:
            break
        is_title = raw[0].isupper()
        if w not in ADDRESS_KEYWORDS and (
            (
                m.group("dot")
                and (w in NAME_ABBREVIATIONS or (len(w) <= 3 and w not in BLOCK_WORDS))
            )
            or (
                (w in NAME_ABBREVIATIONS or w in HONORIFICS)
                and _NEXT_WORD_RE.match(text, m.end())
                # "jalan pahlawan blok b": before a keyword it is the name itself, and so
                # before a Roman numeral that closes the name ("Gg. Pahlawan I, no 211B")
                and not (w in HONORIFICS and _keyword_next(text, m.end()))
                and not (w in HONORIFICS and _roman_closes(text, m.end(), places))
            )
        ):
            # A title or initial, with or without its dot ("Jl. Dr. Djunjunan", "Jend.",
            # "HOS.", "jalan dr djunjunan", "jend a yani"): counts once a real word follows.
            if first:
                titled = is_title
            i = m.end()
            continue
        if first and w in first_allowed:
            pass
        elif w in ADDRESS_KEYWORDS:
            if not (
                labelled and not first and w in _LABEL_LAST_OK
                and label_name_ends(text, m.end())
            ):
                break
        elif w in BLOCK_WORDS:
            allowed = (w in NAME_OK and not first) or (w in NAME_OK_FIRST)
            if labelled and w in LABEL_NAME_OK:
                allowed = True
            if not first and raw.isupper() and (w in ROMAN or len(w) == 1):
                allowed = True  # "Jl. Merdeka Barat III", "Jl. Melati A"
            elif not first and w in ROMAN and _ends_name(text, m.end(), places):
                allowed = True  # "kec. ilir timur i, ..."
            elif (
                not first
                and w not in STOP_WORDS
                and w not in CONDITION_WORDS
                and _keyword_next(text, m.end())
            ):
                allowed = True  # "Villa Melati Mas Blok A2": a chat word glued to a keyword
            if not allowed:
                if len(w) == 1 and _NEXT_WORD_RE.match(text, m.end()):
                    i = m.end()  # an initial: "jalan s parman", "gang r e martadinata"
                    if first:
                        titled = is_title
                    continue
                break
        if first and w in first_blocklist:
            break
        if w.endswith("nya") and len(w) > 5 and not (is_title and not lower_text):
            break
        if not first and not lower_text and titled and not is_title:
            if w not in GENERIC_NAME_WORDS and w not in ROMAN:
                break
        if stop_at_place and places is not None and words and specific:
            place_end = places.phrase_at(text, m.start("word"))
            if place_end is not None and not _name_continues(text, place_end, places):
                break  # "Jl. Pemuda Semarang" -> street + city ("Bumi Serpong Damai" goes on)
        words += 1
        letters = True
        end = m.end("word")
        if w not in GENERIC_NAME_WORDS:
            specific = True
        if first:
            titled = is_title
        first = False
        i = m.end()
        if m.group("dot"):
            break  # "Sudirman." - a sentence end: keep the word, stop
    if end is None or not words or not letters:
        return None
    return Name(end, words, specific, titled)


# --------------------------------------------------------------------------------------------
# Components and chains (shared with the English recognizer)
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Component:
    start: int
    end: int
    kind: str
    count: int = 1  # address components it stands for ("RT 3/RW 5" = 2)
    lead: bool = True  # may start an address
    grade: str = ""  # free-form strength hint for the scorer
    titled: bool = False
    lower: bool = False  # found in lower-case text (spoken / all-lower-case chat)


_UPPER_RE = re.compile(r"\p{Lu}")
_LOWER_RE = re.compile(r"\p{Ll}")
_NEWLINE_RE = re.compile(r"\n")
#: A speaker or field label ("Customer:", "Agent:", "Alamat:"): its capital says nothing about
#: how the words after it are typed.
_LABEL_WORD_RE = re.compile(r"(?<![\w])\p{L}{1,15}(?:[ \t]\d{1,2})?[ \t]?:(?![\d/])")


class Casing:
    """Where the text is lower-case. Spoken transcripts and chat typed all in lower case get
    looser rules (no Title-case cues to rely on) than mixed-case writing; the check is local,
    so a lower-case address inside an otherwise capitalised message is read as lower-case.
    Text typed ALL IN CAPITALS gives no case cue either and is read like lower-case text (the
    word lists alone decide); capitals of a speaker/field label ("Customer:") and of earlier
    lines (another turn of a transcript) are ignored."""

    __slots__ = ("_upper", "_lower", "_lines")
    BEFORE = 30  # the lead-in ("my address is ...") tells how the writer types
    AFTER = 3  # what follows is often a capitalised name: not part of the evidence
    CAPS_AFTER = 12  # an ALL-CAPS keyword must be followed by more capitals, not "Jl. Merdeka"

    def __init__(self, text: str) -> None:
        skip = {i for m in _LABEL_WORD_RE.finditer(text) for i in range(m.start(), m.end())}
        self._upper = [m.start() for m in _UPPER_RE.finditer(text) if m.start() not in skip]
        self._lower = [m.start() for m in _LOWER_RE.finditer(text)]
        self._lines = [m.start() for m in _NEWLINE_RE.finditer(text)]

    def lower_near(self, start: int, end: int) -> bool:
        k = bisect_left(self._lines, start)
        line_start = self._lines[k - 1] + 1 if k else 0
        i = bisect_left(self._upper, max(start - self.BEFORE, line_start))
        if i == len(self._upper) or self._upper[i] >= end + self.AFTER:
            return True
        j = bisect_left(self._lower, start)  # ALL CAPS from here on: no case cue at all
        return j == len(self._lower) or self._lower[j] >= end + self.CAPS_AFTER


GAP = "GAP"
LANDMARK = "LANDMARK"  # "dekat masjid": inside a chain, but never inside a span

#: Hesitations of a speaker in the middle of an address ("nomor 12 eee erte 3", "erwe 5 apa
#: namanya kelurahan ..."): they neither end the address nor belong to a name.
_FILLER = r"(?:e{2,}h?|eh|ehm+|em+|hm+|uh+m*|um+|anu|apa[ \t]namanya)"
_FILLER_RE = re.compile(r"(?<![\w])" + _FILLER + r"(?![\w])", re.IGNORECASE)

_SEP_RE = re.compile(r"[ \t\r\n,;.\-–—/|]{0,10}")
_GAP_WORDS = r"[A-Za-z][A-Za-z'.\-]{0,30}(?:[ \t]{1,3}[A-Za-z][A-Za-z'.\-]{0,30}){0,2}"
#: One or two unknown names between two components: "No. 5, Cikarang, Jawa Barat",
#: "RT.001/RW.002, Kuningan Timur, Setiabudi, Jakarta Selatan".
_GAP_RE = re.compile(
    r"(?P<lead>[ \t\r\n,;\-–—/|]{1,6})"
    r"(?P<words>" + _GAP_WORDS + r"(?:[ \t]{0,2}[,\n][ \t]{0,2}" + _GAP_WORDS + r")?)"
    r"(?P<trail>[ \t\r\n,;\-–—/|]{1,6})"
)


#: A landmark between two parts of one address ("No. 5 samping Indomaret, Kel. Sukamaju"):
#: directions to the house, not the address itself.
_LANDMARK_RE = re.compile(
    r"[ \t,;]{1,4}(?:dekat|deket|dkt|depan|dpn|belakang|blkg|blkng|samping|smpg|sebelah|sblh"
    r"|seberang|sbrg|pinggir|near|opposite|behind|beside|next[ \t]to|across(?:[ \t]from)?)"
    r"(?:[ \t]{1,3}[\w'’.\-]{1,30}){1,4}[ \t]{0,3}[,;]?[ \t]{0,3}",
    re.IGNORECASE,
)

# Tail: unknown place names after the last component ("…, Jonggol", "…, North Wesley").
_TAIL_COMMA_RE = re.compile(r"[ \t]{0,2},[ \t]{0,3}")
_TAIL_WORD_RE = re.compile(r"(?P<w>[A-Za-z][A-Za-z'’\-]{0,30})(?P<dot>\.)?(?![\w])")
_TAIL_SPACE_RE = re.compile(r"[ \t]{1,2}")
#: Field labels that end a place name ("Clarkburgh Phone: …", "Jonggol HP 0812 …").
TAIL_LABELS = frozenset(
    "phone telephone tel telp telepon email e-mail hp wa whatsapp mobile cell fax contact kontak "
    "no nomor".split()
)
_TAIL_END_RE = re.compile(
    r"[ \t]*(?:$|[\r\n,;]|[.!?](?!\w))"  # end, line break, comma, sentence end
    r"|[ \t]{0,3},?[ \t]{0,3}(?:\+|\(?0\d|\d{5}(?!\d)|\d{3}[ \t.\-]\d{3})"  # phone / postal
    r"|[ \t]{0,3},?[ \t]{0,3}(?:" + "|".join(sorted(TAIL_LABELS)) + r")(?![\w])"
    r"|[ \t]{1,3}\p{L}{2,15}[ \t]?:(?![\d/])"  # the next speaker: "… patomburan agent: baik"
    r"|[ \t]{1,3}(?:" + "|".join(sorted(CLEAR_CHAT | {"please", "pls", "thank"})) + r")(?![\w])",
    re.IGNORECASE,
)


def is_separator(between: str) -> bool:
    if len(between) <= 40 and _FILLER_RE.search(between):
        between = _FILLER_RE.sub(" ", between)
    if not _SEP_RE.fullmatch(between):
        return False
    if between.count("\n") > 2:
        return False
    if sum(between.count(c) for c in "-–—/|") > 1:
        return False
    if sum(between.count(c) for c in ",;.") > 2:
        return False
    return True


class ChainAddressRecognizer(LocalRecognizer):
    """Base: find components, chain adjacent ones, score each chain as one ADDRESS span."""

    ENTITY = ENTITY
    MIN_SCORE = 0.5

    def __init__(
        self,
        supported_language: str = ANALYZER_LANGUAGE,
        supported_entity: str = ENTITY,
        name: str | None = None,
        context: list[str] | None = None,
    ) -> None:
        super().__init__(
            supported_entities=[supported_entity],
            supported_language=supported_language,
            name=name,
            context=context,
        )

    def load(self) -> None:  # everything is precompiled at import time
        pass

    # -- hooks --------------------------------------------------------------------------
    #: No unknown words are absorbed after these (a postal code ends an address).
    NO_GAP_AFTER: frozenset = frozenset({"POSTAL", "ZIP"})

    def find_components(self, text: str, casing: Casing) -> list[Component]:
        raise NotImplementedError

    def score_chain(self, chain: list[Component], text: str) -> float:
        raise NotImplementedError

    def starts_new_address(self, chain: list[Component], comp: Component) -> bool:
        return False

    def gap_word_ok(self, word: str, lower_text: bool) -> bool:
        w = word.lower().rstrip(".")
        if not w or w in ADDRESS_KEYWORDS:
            return False
        if w in BLOCK_WORDS and not (w in LABEL_NAME_OK and word[0].isupper()):
            return False  # "Pasar Minggu", "Kota Baru" written as names may stay
        if not lower_text and not word[0].isupper():
            return False
        return True

    def can_lead(self, chain: list[Component]) -> bool:
        """Whether ``chain[0]`` (a non-lead component) may still start the address."""
        return False

    #: Kinds after which unknown place names may follow as a tail (see :meth:`_tail_end`).
    TAIL_AFTER: frozenset = frozenset()
    TAIL_MAX_WORDS = 2

    def tail_word_ok(self, word: str, lower_text: bool) -> bool:
        """A tail word: Capitalised, not a function/chat word, keyword or field label."""
        w = word.lower()
        return word[0].isupper() and w not in TAIL_LABELS and self.gap_word_ok(word, False)

    def tail_without_comma(self, text: str, chain: list[Component], casing: Casing):
        """(max words, lower-case allowed[, word check]) for a tail that follows the chain
        directly, without a comma; None when none may. The optional word check replaces
        :meth:`tail_word_ok` for that tail."""
        return None

    # -- machinery ----------------------------------------------------------------------
    def _gap(self, text: str, start: int, end: int, casing: Casing) -> Component | None:
        if end - start > 80:
            return None
        lower_text = casing.lower_near(start, end)
        m = _GAP_RE.fullmatch(text, start, end)
        if not m:
            return None
        if m.group("lead").count("\n") > 1 or m.group("trail").count("\n") > 1:
            return None
        words = m.group("words").replace(",", " ").split()
        if len(words) > 5:
            return None
        for word in words:
            if not self.gap_word_ok(word, lower_text):
                return None
        return Component(m.start("words"), m.end("words"), GAP, count=1, lead=False)

    def chains(self, text: str, comps: list[Component], casing: Casing):
        comps.sort(key=lambda c: (c.start, -c.end))
        chains: list[list[Component]] = []
        cur: list[Component] = []
        cur_end = -1
        for comp in comps:
            if cur:
                if comp.start < cur_end:
                    if comp.end <= cur_end:
                        continue  # contained in what we have
                    cur.append(comp)
                    cur_end = comp.end
                    continue
                if not self.starts_new_address(cur, comp):
                    between = text[cur_end : comp.start]
                    if is_separator(between):
                        cur.append(comp)
                        cur_end = comp.end
                        continue
                    gap = None
                    if cur[-1].kind not in self.NO_GAP_AFTER:
                        gap = self._gap(text, cur_end, comp.start, casing)
                    if gap is None and len(between) <= 80:
                        landmark = _LANDMARK_RE.fullmatch(between)
                        if landmark and between.count("\n") == 0:
                            gap = Component(cur_end, comp.start, LANDMARK, count=0, lead=False)
                    if gap is not None:
                        cur.extend((gap, comp))
                        cur_end = comp.end
                        continue
                chains.append(cur)
            cur = [comp]
            cur_end = comp.end
        if cur:
            chains.append(cur)
        return chains

    def _trim(self, chain: list[Component]) -> list[Component]:
        while chain and (chain[0].kind in (GAP, LANDMARK) or not chain[0].lead):
            if chain[0].kind not in (GAP, LANDMARK) and self.can_lead(chain):
                break
            chain = chain[1:]
        while chain and chain[-1].kind in (GAP, LANDMARK):
            chain = chain[:-1]
        return chain

    def _tail_words(
        self, text: str, pos: int, max_words: int, lower_ok: bool, word_ok=None
    ) -> int | None:
        """End of the longest run of up to ``max_words`` tail words at ``pos`` that is followed
        by an end (line end, comma, sentence end, postal code, phone number, field label)."""
        word_ok = word_ok or self.tail_word_ok
        best = None
        for n in range(max_words):
            if n:
                sp = _TAIL_SPACE_RE.match(text, pos)
                if not sp:
                    break
                pos = sp.end()
            m = _TAIL_WORD_RE.match(text, pos)
            if not m or not word_ok(m.group("w"), lower_ok):
                break
            pos = m.end("w")
            if m.group("dot") and len(m.group("w")) <= 3 and _TAIL_SPACE_RE.match(text, m.end()):
                pos = m.end()  # "St. Petersburg", "Ft. Worth"
            if _TAIL_END_RE.match(text, pos):
                best = pos
        return best

    def _tail_end(self, text: str, chain: list[Component], casing: Casing) -> int:
        """Where the span ends once unknown place names after the chain are taken in: up to two
        comma-separated groups of Capitalised words that end cleanly ("Jl. Melati No. 5,
        Jonggol", "171 Kent Walk, North Wesley, +81 …"); never after a postal code."""
        end = chain[-1].end
        if chain[-1].kind not in self.TAIL_AFTER:
            return end
        direct = self.tail_without_comma(text, chain, casing)
        for hop in range(2):
            comma = _TAIL_COMMA_RE.match(text, end)
            space = _TAIL_SPACE_RE.match(text, end)
            if comma:
                found = self._tail_words(text, comma.end(), self.TAIL_MAX_WORDS, False)
            elif hop == 0 and direct is not None and space:
                found = self._tail_words(text, space.end(), *direct)
            else:
                break
            if found is None:
                break
            end = found
        return end

    @staticmethod
    def _segments(chain: list[Component]) -> list[list[Component]]:
        """The chain cut at landmarks: one span per stretch of address."""
        segments: list[list[Component]] = [[]]
        for comp in chain:
            if comp.kind == LANDMARK:
                segments.append([])
            elif comp.kind != GAP or segments[-1]:
                segments[-1].append(comp)
        return [seg for seg in segments if seg]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities and self.supported_entities[0] not in entities:
            return []
        if not text:
            return []
        casing = Casing(text)
        comps = self.find_components(text, casing)
        if not comps:
            return []
        results = []
        for chain in self.chains(text, comps, casing):
            chain = self._trim(chain)
            if not chain:
                continue
            score = self.score_chain([c for c in chain if c.kind != LANDMARK], text)
            if score < self.MIN_SCORE:
                continue
            tail_end = self._tail_end(text, chain, casing)
            segments = self._segments(chain)
            for k, segment in enumerate(segments):
                end = tail_end if k == len(segments) - 1 else segment[-1].end
                results.append(self._result(segment, segment[0].start, end, score))
        return results + self.continuations(text, comps, results)

    def continuations(self, text: str, comps: list[Component],
                      addresses: list[RecognizerResult]) -> list[RecognizerResult]:
        """Lines that finish an address sent in pieces (see :class:`IdAddressRecognizer`)."""
        return []

    def _result(self, chain: list[Component], start: int, end: int, score: float):
        kinds = "+".join(c.kind for c in chain)
        explanation = AnalysisExplanation(
            recognizer=self.name,
            original_score=score,
            pattern_name="address chain",
            pattern=kinds,
            textual_explanation=f"address components: {kinds}",
        )
        return RecognizerResult(
            entity_type=self.supported_entities[0],
            start=start,
            end=end,
            score=score,
            analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )


# --------------------------------------------------------------------------------------------
# Indonesian components
# --------------------------------------------------------------------------------------------

STREET = "STREET"
NUMBER = "NUMBER"
RT = "RT"
KEL = "KEL"
KEC = "KEC"
KAB = "KAB"
PROV = "PROV"
CITY = "CITY"
POSTAL = "POSTAL"
BLOK = "BLOK"
UNIT = "UNIT"  # km marker, floor, kavling: only meaningful inside an address
COUNTRY = "COUNTRY"

_B = r"(?<![\w\-])"  # left word boundary that also refuses "jalan-jalan"
_E = r"(?![\w\-])"

# Keyword + the offset where the name starts: one regex per family, name scanned in Python.
_STREET_KW_RE = re.compile(
    _B + r"(?:(?P<abbr>jln|jl|gg)(?:\.[ \t]{0,3}|[ \t]{1,3})"
    r"|(?P<long>jalan|gang|lorong|lrg)[ \t]{1,3}(?:" + _FILLER + r"[ \t]{1,3})?"
    r"|(?P<weakabbr>komp|kompl|perum)(?:\.[ \t]{0,3}|[ \t]{1,3})"
    r"|(?P<weak>komplek|kompleks|perumahan|ruko|rukan|cluster|klaster|villa|vila)[ \t]{1,3}"
    # high-rise homes: "Apartemen Green Pramuka", "Apt. Gading Nias", "Rusun Tanah Abang"
    r"|(?P<apt>apartemen|apartement|apartment|apartmen|apt\.?|rusun|rusunawa|rusunami"
    r"|kondominium|condominium|residence|residences)[ \t]{1,3}"
    # office blocks: "Menara BCA", "Gedung Wisma Asia" - a landmark, not a home, on their own
    r"|(?P<office>gedung|gd\.|wisma|menara|graha)[ \t]{1,3})",
    re.IGNORECASE,
)
#: Street keywords whose name is a high-rise home or an office block (see ``grade``).
_BUILDING_GRADES = frozenset({"apt", "office"})
#: Building names may open with these ("Apartemen The Mansion", "One Park Residences",
#: "Gedung Wisma Asia").
_BUILDING_FIRST_OK = frozenset({"the", "one", "wisma", "graha", "menara", "gedung", "kota"})
#: Hamlets and neighbourhoods below the kelurahan/desa (Javanese dukuh/dusun, Jakarta kampung,
#: Lombok/Sulawesi lingkungan, Minang jorong, Balinese banjar). Their names read like labelled
#: names ("Dukuh Pasar Minggu"). "Ling." and "Br." only with their dot ("Ling" is a name,
#: "br" = "baru" in chat), "Br." only capitalised.
_VILLAGE_KW_RE = re.compile(
    _B + r"(?:(?P<weakabbr>dsn|dkh|kp|kmp)(?:\.[ \t]{0,3}|[ \t]{1,3})"
    r"|(?P<dotted>ling|lingk|(?-i:Br))\.[ \t]{0,3}"
    r"|(?P<weak>dusun|dukuh|kampung|kampong|lingkungan|jorong|banjar)[ \t]{1,3})",
    re.IGNORECASE,
)
_ADMIN_KW_RE = re.compile(
    _B + r"(?:(?P<kel>kelurahan|kalurahan|kel|desa|ds|ka[ \t]el)"  # "ka el": spoken "Kel."
    r"|(?P<kec>kecamatan|kec)"
    r"|(?P<kab>kabupaten|kab|kotamadya|kotamadia|kodya|kota)"
    r"|(?P<prov>provinsi|propinsi|prov|prop))"
    r"(?:\.?[ \t]{0,2}:[ \t]{0,3}|\.[ \t]{0,3}|[ \t]{1,3})"  # "Kec.", "Kota:"
    r"(?=[A-Za-z]|\d{1,3}[ \t]{1,3}[A-Za-z])",  # "Kab. 50 Kota" (normalised "Lima Puluh")
    re.IGNORECASE,
)
# "12", "12A", "C12", "C-12", "5B/3", "62/A1"
_HOUSE_NO = (
    r"(?:[A-Za-z](?:[ \t]?-[ \t]?)?)?(?!0\d{3})\d{1,4}[A-Za-z]?"
    r"(?:[ \t]?[/\-][ \t]?[A-Za-z]?\d{1,4}[A-Za-z]?)?"
)
#: A house-number letter written apart ("No 62 a", spoken "nomor enam dua a"): only when
#: the address clearly goes on or ends after it, so "no 5 a lot" keeps its article.
_LETTER_SUFFIX = (
    r"(?:[ \t](?![ \t])[A-Za-z](?=[ \t]*(?:[,;.\n\r)]|$)|[ \t]{1,3}(?:\d|(?-i:[A-Z])|(?:"
    + "|".join(
        "rt rw erte erwe er kel kelurahan desa ds kec kecamatan kab kabupaten kota blok blk block "
        "number gg gang lantai lt "
        "kode kodepos prov provinsi dusun dsn no nomor ya kak min dong pak bu unit tower twr "
        "jalan jl jln dekat deket dkt depan dpn belakang blkg samping sebelah seberang pinggir "
        "near opposite behind beside".split()
    )
    + r")(?![\w]))))?"
)
_NUMBER_RE = re.compile(
    _B + r"(?:no|nomor|nomer|nmr|nmor|nr|num|number)\.?[ \t]{0,3}:?[ \t]{0,3}"
    r"(?:" + _FILLER + r"[ \t]{1,3})?" + _HOUSE_NO
    + r"(?![\w/]|[.,]\d)" + _LETTER_SUFFIX
    + r"|(?<![\w#])#[ \t]?\d{1,4}[A-Za-z]?(?![\w/]|[.,]\d)",
    re.IGNORECASE,
)
_LONG_NUMBER_RE = re.compile(
    _B + r"(?:no|nomor|nomer)\.?[ \t]{0,3}\d{5,9}(?![\w]|[.,]\d)", re.IGNORECASE
)
#: RT/RW as the speech recogniser spells them: "erte", "er te", "erwe", "er we".
_RT = r"(?:rt|er[ \t]?te)"
_RW = r"(?:rw|er[ \t]?we)"
_RT_RE = re.compile(
    _B + r"(?:"
    # "RT/RW 003/005", "RT 03/RW 05", "RT03/05"
    r"(?P<pair>rt[ \t]{0,2}[./]?[ \t]{0,2}rw[ \t]{0,2}[.:]?[ \t]{0,2}\d{1,3}"
    r"[ \t]{0,2}[/\-][ \t]{0,2}\d{1,3}"
    r"|rt[ \t]{0,2}[.:]?[ \t]{0,2}\d{1,3}[ \t]{0,2}[/\-][ \t]{0,2}"
    r"(?:rw[ \t]{0,2}[.:]?[ \t]{0,2})?\d{1,3})"
    r"|(?P<single>(?:" + _RT + "|" + _RW + r")[ \t]{0,2}[.:]?[ \t]{0,2}(?:" + _FILLER + r"[ \t]{1,3})?"
    r"\d{1,3})"
    r")(?!\d|[.,]\d)",
    re.IGNORECASE,
)
# "Blok C", "Blok C2", "Blk. A10", "Blok C6/19C", "blok c 6/19 c" (spoken)
_BLOK_RE = re.compile(
    _B + r"(?P<kw>blok|blk|block)[ \t]{0,2}\.?[ \t]{0,2}"
    r"(?P<code>(?:[A-Za-z]{1,2}[ \t]?-?[ \t]?\d{0,3}[A-Za-z]?|\d{1,3}[A-Za-z]?)"
    r"(?:[ \t]?[/\-][ \t]?[A-Za-z]?\d{1,3}[A-Za-z]?)?)(?![\w])" + _LETTER_SUFFIX,
    re.IGNORECASE,
)
_UNIT_RE = re.compile(
    _B + r"(?:(?:km|kilo[ \t]?meter)[ \t]{0,2}\.?[ \t]{0,2}\d{1,3}(?:[.,]\d{1,3})?"
    r"|kav(?:ling)?[ \t]{0,2}\.?[ \t]{0,2}(?:[A-Za-z][ \t]?-?[ \t]?)?\d{1,4}[A-Za-z]?"
    r"(?:[ \t]?[\-/][ \t]?\d{1,4})?"
    r"|(?:gg|gang)[ \t]{0,2}\.?[ \t]{0,2}(?:\d{1,3}[A-Za-z]?|[IVX]{1,4})"
    # a housing estate's sector: "Sektor 1.2", "sektor VII"
    r"|sektor[ \t]{0,2}(?:\d{1,2}(?:\.\d{1,2})?[A-Za-z]?|[IVX]{1,4}))(?![\w]|[.,]\d)",
    re.IGNORECASE,
)
#: The parts of a high-rise address, in any order: "Tower A", "Lt. 14", "Unit 28-02".
_FLOOR_RE = re.compile(
    _B + r"(?:lantai|lt)[ \t]{0,2}\.?[ \t]{0,2}(?:ke[ \t-]{1,2})?\d{1,2}[A-Za-z]?(?![\w]|[.,]\d)",
    re.IGNORECASE,
)
_APT_UNIT_RE = re.compile(
    _B + r"(?:(?:no|nomor|nomer)\.?[ \t]{0,2}unit|unit(?:[ \t]{0,2}(?:no|nomor|nomer)\.?)?)"
    r"[ \t]{0,2}:?[ \t]{0,2}"
    r"(?:[A-Za-z]{1,2}[ \t]?-?[ \t]?)?\d{1,4}[A-Za-z]{0,2}"
    r"(?:[ \t]?[\-/.][ \t]?[A-Za-z]?\d{1,4}[A-Za-z]?)?(?![\w/]|[.,]\d)" + _LETTER_SUFFIX,
    re.IGNORECASE,
)
#: "Tower A", "Tower B1", "Tower 3"; a named tower ("Tower Jasmine") is scanned as a name.
_TOWER_RE = re.compile(
    _B + r"(?:tower|twr)\.?[ \t]{1,2}"
    r"(?:(?P<code>[A-Za-z]?\d{1,2}[A-Za-z]?|[A-Za-z])(?![\w]|[.,]\d))?",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "nol kosong satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas "
    "puluh ratus seratus zero oh one two three four five six seven eight nine ten eleven "
    "twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred double triple"
).split()
#: "kode pos enam puluh delapan belas lima": number words the normaliser left unconverted.
_SPOKEN_POSTAL_RE = re.compile(
    _B + r"(?:kode[ \t]{1,2}pos|kodepos|postal[ \t]code|zip[ \t]code|zip)"
    r"(?:[ \t]{1,2}(?:" + "|".join(_NUMBER_WORDS) + r"|\d{1,5})){2,12}(?![\w])",
    re.IGNORECASE,
)
_POSTAL_RE = re.compile(r"(?<![\w.:/\-$])(?<!\d,)\d{5}(?![\w]|[.,:/\-]\d)")
#: With its keyword a postal code may also be a 4/6-digit spoken run ("kode pos 6523").
_POSTAL_KW_RE = re.compile(
    _B + r"(?:kode[ \t]{0,2}pos|kodepos|kd\.?[ \t]{0,2}pos)(?:[ \t]?nya)?[ \t]{0,2}[.:]?[ \t]{0,2}"
    r"\d{4,6}(?![\w]|[.,:/\-]\d)",
    re.IGNORECASE,
)
#: "rt 15 rw 939837": the RW number run together with the postal code by the normaliser.
_RT_LONG_RE = re.compile(_B + r"(?:" + _RT + "|" + _RW + r")[ \t]{0,2}\d{4,8}(?![\w]|[.,]\d)", re.IGNORECASE)
#: ISO 3166-2:ID province codes, as Faker writes them before a postal code ("KT 08377").
_PROVINCE_CODES = (
    "AC BA BT BE YO JK GO JA JB JT JI KB KS KT KI KU BB KR LA MA MU NB NT PA PB PD PT PE PS "
    "RI SR SN ST SG SA SB SS SU"
).split()
_STATE_CODE_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(_PROVINCE_CODES) + r")(?=[ \t]{1,3}\d{5}(?!\d))"
)
_STATE_CODE_LOWER_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(_PROVINCE_CODES).lower() + r")(?=[ \t]{1,3}\d{5}(?!\d))"
)

#: Keywords that may open a street name right after Jl./Jalan ("Jl. Kampung Melayu").
_STREET_FIRST_OK = frozenset(
    "kampung desa gedung pos kota dusun komplek kompleks perumahan tower wisma apartemen menara "
    "ruko rukan".split()
)

#: ... and a kelurahan/kecamatan name ("Desa Kota Baru", "Kel. Kampung Bali").
_ADMIN_FIRST_OK = frozenset({"kota", "kampung", "gedung"})  # "Kel. Gedung Johor" (Medan)

#: Compass words that extend a city name ("Bekasi Utara", "Cileungsi Kidul").
_DIRECTIONS = frozenset("utara selatan barat timur tengah kidul wetan kulon lor".split())

_CITY_LABEL_BEFORE_RE = re.compile(
    r"(?<![\w])(?:kota|kab|kabupaten)\.?[ \t]{1,3}\Z", re.IGNORECASE
)

#: After a label "Baru", "Lama" may open the name ("Kota Baru", "Desa Lama").
_ADMIN_FIRST_BLOCK = NON_NAME_FIRST - LABEL_NAME_OK

#: Sentence before a street: a street named alone is personal only when the writer says it
#: is theirs ("alamat saya Jl. Melati", "kirim ke Gg. Mawar"), not in directions ("lewat
#: jalan Sudirman macet", "cabang kami di Jl. Sudirman").
_STREET_CUE_RE = re.compile(
    r"(?<![\w])(?:alamat\w*|almt|domisili|tinggal|rumah\w*|kos|kost|kosan|kontrakan|\w*kirim\w*"
    r"|\w*antar\w*|tujuan|penerima|lokasi|address\w*|live|lives|living|reside|ship|send|deliver\w*"
    r"|(?:saya|sy|aku|gue|gw)[ \t]+di)(?![\w])[^\n!?]{0,40}\Z",
    re.IGNORECASE,
)

#: Places that may finish an address sent in pieces, and how many unknown words may lead them.
_PLACE_KINDS = frozenset({KEL, KEC, KAB, PROV, CITY, POSTAL})
MAX_LEADING_PLACE_WORDS = 4
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


def _lines(text: str) -> list[tuple[str, int, int]]:
    """(speaker label or "", where the words start, end) of each line."""
    lines, start = [], 0
    for line in text.split("\n"):
        label = SPEAKER_LABEL.match(line)
        lines.append((label.group(1).lower() if label else "", start + (label.end() if label else 0),
                      start + len(line)))
        start += len(line) + 1
    return lines


def _ends_an_address(earlier: list[tuple[str, int, int]], speaker: str, text: str,
                     addresses: list[RecognizerResult]) -> bool:
    """Did ``speaker``'s last line before these (other speakers' short replies between) end in
    an address?"""
    for other, start, end in reversed(earlier[-3:]):
        if other == speaker:
            tail = text[start:end].rstrip(" \t.,;")
            return any(a.start >= start and a.end >= start + len(tail) for a in addresses)
        if len(_WORD_RE.findall(text[start:end])) > 4 or any(c.isdigit() for c in text[start:end]):
            return False  # "baik", "iya kak, lanjut": a backchannel; anything longer moved on
    return False


#: Nothing before a place on its line but a speaker or field label ("customer: jakarta ...").
_OPENS_LINE_RE = re.compile(rf"(?:^|\n)[ \t]*(?:{SPEAKER_LABEL.pattern})?$")

#: The question an address answers, on the line before it ("boleh alamat lengkapnya pak?").
_ADDRESS_ASKED_RE = re.compile(
    r"(?<![\w])(?:alamat\w*|almt|domisili|address\w*|lokasi\w*|tinggal|dikirim|kirim)(?![\w])",
    re.IGNORECASE,
)


def _address_cue_before(text: str, start: int) -> bool:
    """A cue before ``start`` on its line, or, for an answer opening its line, in the question
    on the line before."""
    if _STREET_CUE_RE.search(text, max(0, start - 60), start):
        return True
    if not _OPENS_LINE_RE.search(text, max(0, start - 30), start):
        return False
    line = text.rfind("\n", 0, start)
    return line > 0 and bool(_ADDRESS_ASKED_RE.search(text, text.rfind("\n", 0, line) + 1, line))


_STREET_GRADES = ("abbr", "long", "weakabbr", "weak", "apt", "office")

#: A house number right after a name: "Gg. Damai IV No. 12", "jalan damai nomor 5".
_HOUSE_NUMBER_NEXT_RE = re.compile(
    r"[ \t]{0,3},?[ \t]{0,3}(?:no|nomor|nomer|nmr|rt|rw|blok|blk)\.?[ \t]{0,3}:?[ \t]{0,3}"
    r"[A-Za-z]?\d",
    re.IGNORECASE,
)

#: A house-number letter said apart before the next word ("nomor 41 a jakarta utara").
_LETTER_BEFORE_PLACE_RE = re.compile(r"[ \t]([A-Za-z])[ \t]{1,3}(?=[A-Za-z])")

#: A house number right after a block code: "Blok A No. 20", "block j 2 number 5".
_HOUSE_NUMBER_AFTER_BLOK_RE = re.compile(
    r"[ \t]{0,3},?[ \t]{0,3}(?:no|nomor|nomer|nmr|number)\.?[ \t]{0,3}:?[ \t]{0,3}\d",
    re.IGNORECASE,
)

#: Words around "lantai 3 unit 5" that name a room, a job or a sale, not a building.
_NOT_BUILDING = frozenset(
    """
    kantor kantornya toko kios ruang ruangan kamar kamarnya ac servis service lift elevator
    parkir parkiran basement lobby lobi tangga gudang total jumlah sisa stok tagihan ipl
    iuran cicilan kpr dp promo diskon dijual jual disewakan disewa sewa dikontrakkan kontrak
    murah mahal mewah strategis br bedroom studio type tipe
    """.split()
)
_WORD_BEFORE_RE = re.compile(r"(?<![\w'’\-])[A-Za-z][A-Za-z'’\-]{0,30}[ \t]{1,2}\Z")
#: The last name word may also stand before a comma: "Kalibata City, Tower B, Lt. 12".
_LAST_WORD_BEFORE_RE = re.compile(
    r"(?<![\w'’\-])[A-Za-z][A-Za-z'’\-]{0,30}(?:[ \t]{1,2}|[ \t]?,[ \t]{0,2})\Z"
)


def _building_name_before(
    text: str, pos: int, casing: Casing, titled: bool = False
) -> tuple[int, int] | None:
    """(start, end) of one to four name words right before ``pos`` (a tower, floor or unit):
    the building named without a keyword ("city orchid lantai 12", "Kalibata City Tower B").
    Function words, chat words, keywords and room words end it; in mixed-case text the words
    must be Capitalised. Before a unit (``titled``) only Title-case words name a building
    ("Green Pramuka Unit 5", not "tagihan ipl unit 5" or "IPL Unit 5")."""
    lower = casing.lower_near(pos, pos)  # the words just before, on this line
    if titled and lower:
        return None
    start = end = None
    cursor = pos
    words = 0
    for _ in range(4):
        regex = _WORD_BEFORE_RE if end is not None else _LAST_WORD_BEFORE_RE
        m = regex.search(text, max(0, cursor - 40), cursor)
        if not m:
            break
        word = m.group(0).rstrip(" \t,")
        w = word.lower()
        if not lower and not word[0].isupper():
            break
        if titled and word.isupper():
            break  # an acronym: "IPL Unit 5"
        if w in _BUILDING_FIRST_OK and end is not None:
            start = m.start()  # "The Mansion Kemayoran Tower B": the name opens here
            break
        if w in BLOCK_WORDS or w in ADDRESS_KEYWORDS or w in _NOT_BUILDING or w in HONORIFICS:
            break
        if end is None:
            end = m.start() + len(word)
        start = cursor = m.start()
        words += 1
    if start is None or _ID_PLACES.phrase_at(text, start) == end:
        return None  # nothing, or only a known town ("Bekasi Tower A"? the town alone is not)
    if lower and words < 2:
        return None  # "total unit 5 lantai 2": one lower-case word names no building
    return start, end


_WORD_AFTER_RE = re.compile(r"[ \t]{1,2}([A-Za-z][A-Za-z'’\-]{0,30})(?![\w])")


def _building_name_after(text: str, pos: int, casing: Casing) -> tuple[int, int] | None:
    """(start, end) of one to four name words right after a flat's unit that end cleanly:
    the building named after it ("kirim ke Unit 28-02 Green Pramuka"). Capitalised in
    mixed-case text, two or more words in lower-case text."""
    lower = casing.lower_near(pos, pos)
    start = end = None
    words = 0
    cursor = pos
    for _ in range(4):
        m = _WORD_AFTER_RE.match(text, cursor)
        if not m:
            break
        word = m.group(1)
        w = word.lower()
        if w in BLOCK_WORDS or w in ADDRESS_KEYWORDS or w in _NOT_BUILDING or w in TAIL_LABELS:
            break
        if not lower and (not word[0].isupper() or word.isupper()):
            break
        start = m.start(1) if start is None else start
        end = cursor = m.end()
        words += 1
    if end is None or (lower and words < 2):
        return None
    if not (_TAIL_END_RE.match(text, end) or _keyword_next(text, end)):
        return None  # "Unit 5 Honda Beat saya rusak": the sentence goes on
    return start, end


#: Parts of a flat's address in a high-rise.
_HIGH_RISE_PARTS = frozenset({"tower", "floor", "unit"})


def _flat_parts(chain: list[Component], numbers: bool) -> bool:
    """Whether ``chain`` opens with two or more parts of a flat (tower, floor, unit; with
    ``numbers`` a house number stands for the unit: "Lt. 12 No. 05"), one of them its unit."""
    grades = []
    for c in chain[:8]:  # a flat has a handful of parts; a long run of them is no flat
        if c.kind == UNIT and c.grade in _HIGH_RISE_PARTS:
            grades.append(c.grade)
        elif c.kind == NUMBER and numbers:
            grades.append("unit")
        elif c.kind != GAP:
            break
    return len(grades) >= 2 and "unit" in grades and len(set(grades)) >= 2


def _area_word_ok(word: str, lower_text: bool) -> bool:
    """A neighbourhood name right after a flat's unit ("unit 1208 patomburan")."""
    w = word.lower()
    if len(w) < 3 or w in BLOCK_WORDS or w in ADDRESS_KEYWORDS or w in TAIL_LABELS:
        return False
    return w not in _NOT_BUILDING and (lower_text or word[0].isupper())


_ID_PLACES = PlaceIndex(
    {
        **{c: CITY for c in CITIES},
        **{p: PROV for p in PROVINCES},
        **{c: COUNTRY for c in COUNTRIES_ID},
    }
)

#: Province abbreviations that are also ordinary words only count when upper-case.
_CASED_PLACES = frozenset(
    "diy dki nad ri nkri ntb ntt bsd negara metro batu solo bone tual poso ende pati batang "
    "demak lebak palu bima".split()
)


def _extends_place(text: str, place_end: int, name_end: int, lower_text: bool) -> bool:
    """Whether the words after a known place still belong to the name ("Medan Baru",
    "Kuta Utara", "Bandung Wetan" in written text) rather than to the conversation."""
    extra = text[place_end:name_end].split()
    if not extra:
        return False
    for word in extra:
        w = word.lower()
        if w in GENERIC_NAME_WORDS or w in NAME_OK or w in ROMAN:
            continue
        if not lower_text and word[0].isupper():
            continue
        return False
    return True


def _scan_admin_name(text: str, pos: int, lower: str):
    """The place name after Kel./Kec./Kab./Kota/Prov.: up to three words, places known."""
    return scan_name(
        text,
        pos,
        max_words=3,
        lower_text=lower,
        first_blocklist=_ADMIN_FIRST_BLOCK,
        first_allowed=_ADMIN_FIRST_OK,
        places=_ID_PLACES,
        stop_at_place=True,
        labelled=True,
    )


def _labelled_name_ok(text: str, label, name: Name, lower: bool) -> bool:
    """Whether the name after a label is a name: "Desa Kota Baru", "Kel. Padang Bulan", or a
    lone generic word written as a name or said and ended cleanly ("Kota Baru", "Kampung
    Baru,"), not "pindah ke kota baru 2 hari"."""
    if name.specific or name.words >= 2:
        return True
    titled = label.group(0)[0].isupper() and name.titled and not lower
    return (titled or lower) and label_name_ends(text, name.end)


class IdAddressRecognizer(ChainAddressRecognizer):
    """Indonesian street/administrative addresses ("Jl. Melati No. 12 RT 3/RW 5, Kec. ...")."""

    def continuations(self, text: str, comps: list[Component],
                      addresses: list[RecognizerResult]) -> list[RecognizerResult]:
        """An address sent in pieces ends with a line of places: "Perum Griya Asri Blok C3 No. 8"
        / "baik" / "Tambun Selatan, Bekasi 17510"; "... blok k nomor tiga" / "ya" / "bojong
        kulur gunung putri kabupaten bogor". Such a line, of the speaker whose last line (the
        other's backchannels aside) ended in an address, is the rest of it: from its start,
        up to four unknown place names, to its last place."""
        found = []
        lines = _lines(text)
        for k, (speaker, start, end) in enumerate(lines):
            places = [c for c in comps if start <= c.start and c.end <= end and c.kind in _PLACE_KINDS]
            if not places or any(a.start < end and a.end > start for a in addresses):
                continue
            before = text[start:places[0].start]
            if len(_WORD_RE.findall(before)) > MAX_LEADING_PLACE_WORDS or any(
                    w.lower() in STOP_WORDS for w in _WORD_RE.findall(before)):
                continue
            if _ends_an_address(lines[:k], speaker, text, addresses):
                found.append(self._result(places, start, places[-1].end, 0.6))
        return found

    # -- components ---------------------------------------------------------------------
    def find_components(self, text: str, casing: Casing) -> list[Component]:
        comps = self._street_components(text, casing)
        comps.extend(self._high_rise_components(text, casing))
        for m in _VILLAGE_KW_RE.finditer(text):
            keyword = m.group(0).rstrip(". \t").lower()
            before = text[max(0, m.start() - 14) : m.start()]
            if keyword == "banjar" and _CITY_LABEL_BEFORE_RE.search(before):
                continue  # "Kota Banjar": the city in West Java
            lower = casing.lower_near(m.start(), m.end())
            name = _scan_admin_name(text, m.end(), lower)
            if name is None or not _labelled_name_ok(text, m, name, lower):
                continue
            place = _ID_PLACES.kind_at(text, m.end())
            if keyword == "banjar" and place is not None and place[1] == PROV:
                continue  # "Banjar Jawa Barat": the city again
            comps.append(
                Component(
                    m.start(), name.end, STREET, grade="weak" if m.group("weak") else "weakabbr",
                    titled=m.group(0)[0].isupper() and name.titled, lower=lower,
                )
            )
        for m in _ADMIN_KW_RE.finditer(text):
            kind = next(k for k in (KEL, KEC, KAB, PROV) if m.group(k.lower()))
            name_end = self._admin_name_end(text, m, casing)
            if name_end is not None:
                comps.append(Component(m.start(), name_end, kind, titled=m.group(0)[0].isupper()))
        for m in _NUMBER_RE.finditer(text):
            end = m.end()
            letter = _LETTER_BEFORE_PLACE_RE.match(text, end)
            if letter and _ID_PLACES.phrase_at(text, letter.end()) is not None:
                end = letter.end(1)  # "nomor 13 a sukabumi utara": the letter before a town
            comps.append(Component(m.start(), end, NUMBER))
        for m in _LONG_NUMBER_RE.finditer(text):
            # "jalan siliwangi nomor 11939643": a spoken house number run together with the
            # postal code by the number normaliser; only valid right after a street.
            comps.append(Component(m.start(), m.end(), NUMBER, lead=False))
        for m in _RT_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), RT, count=2 if m.group("pair") else 1))
        for m in _RT_LONG_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), RT, lead=False))
        for m in _BLOK_RE.finditer(text):
            code = m.group("code")
            has_digit = any(ch.isdigit() for ch in code)
            kw = m.group("kw").lower()
            if kw == "blk" and not (code.isupper() or has_digit):
                continue  # "blk" is also "belakang" (behind): "blk rumah", "blk aj"
            numbered = _HOUSE_NUMBER_AFTER_BLOK_RE.match(text, m.end())
            if kw == "block" and not (has_digit or (len(code) == 1 and numbered)):
                continue  # English "block the card": a code with a digit, or "block a number 20"
            comps.append(Component(m.start(), m.end(), BLOK, lead=kw != "block" or has_digit))
            if numbered:
                # "griya bukit jaya block j 2 number 5", "Kota Wisata Blok A No. 20": a housing
                # estate named without a keyword, right before its block and house number.
                name = _building_name_before(text, m.start(), casing)
                if name is not None:
                    comps.append(Component(*name, STREET, grade="estate", lead=False))
        for m in _UNIT_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), UNIT, lead=False))
        for m in _POSTAL_RE.finditer(text):
            round_number = m.group().endswith("00")  # "ongkir bandung 17500": a price
            comps.append(Component(m.start(), m.end(), POSTAL, grade="round" if round_number else "",
                                   lead=False))
        for regex in (_POSTAL_KW_RE, _SPOKEN_POSTAL_RE):
            for m in regex.finditer(text):
                comps.append(Component(m.start(), m.end(), POSTAL, grade="kw"))
        for m in _STATE_CODE_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), PROV, lead=False))
        for m in _STATE_CODE_LOWER_RE.finditer(text):
            if casing.lower_near(m.start(), m.end()):
                comps.append(Component(m.start(), m.end(), PROV, lead=False))
        for start, end, kind in _ID_PLACES.scan(text):
            phrase = text[start:end]
            if _norm_phrase(phrase) in _CASED_PLACES and not (phrase.isupper() or phrase.istitle()):
                if not casing.lower_near(start, end):
                    continue
            grade = "opens_line" if kind == CITY and _OPENS_LINE_RE.search(text, max(0, start - 30), start) else ""
            comps.append(Component(start, end, kind, grade=grade, lead=kind == PROV))
        return comps

    @staticmethod
    def _street_components(text: str, casing: Casing) -> list[Component]:
        """Streets, alleys, estates and buildings: keyword + name."""
        comps: list[Component] = []
        for m in _STREET_KW_RE.finditer(text):
            grade = next(g for g in _STREET_GRADES if m.group(g))
            lower = casing.lower_near(m.start(), m.end())
            keyword = m.group(0).lower()
            options = dict(
                max_words=4,
                allow_numbers=True,
                # "Residence 8 Senopati"; English "apt 947" is a flat number, not a name
                number_first=grade == "apt" and not keyword.startswith(("apt", "apartment")),
                stop_words=_NOT_BUILDING if grade in _BUILDING_GRADES else frozenset(),
                first_allowed=_BUILDING_FIRST_OK if grade in _BUILDING_GRADES else _STREET_FIRST_OK,
                places=_ID_PLACES,
                stop_at_place=True,
                lower_text=lower,
            )
            name = scan_name(text, m.end(), first_blocklist=NON_NAME_FIRST, **options)
            if name is None:
                # "Jl. Kenari Gang Damai IV No. 40", "jalan damai nomor 5": a first word that
                # is rarely a name ("damai" = peace) is one right before a house number.
                name = scan_name(text, m.end(), **options)
                if name is not None and not _HOUSE_NUMBER_NEXT_RE.match(text, name.end):
                    name = None
            if name is None:
                continue
            kw_title = m.group(0)[0].isupper()
            comps.append(
                Component(
                    m.start(), name.end, STREET, grade=grade, titled=kw_title and name.titled,
                    lower=lower,
                    # "Jl. Raya No. 5": a generic name is a street only before its number
                    lead=name.specific,
                )
            )
        return comps

    @staticmethod
    def _high_rise_components(text: str, casing: Casing) -> list[Component]:
        """The parts of a high-rise address, in any order ("Tower A Lt. 14 Unit 1408"), and a
        building named without a keyword right before them ("city orchid lantai 12 ...")."""
        comps: list[Component] = []
        for m in _TOWER_RE.finditer(text):
            end = m.end()
            if not m.group("code"):
                name = scan_name(
                    text, m.end(), max_words=2, lower_text=casing.lower_near(m.start(), m.end()),
                    places=_ID_PLACES, stop_at_place=True, stop_words=_NOT_BUILDING,
                )
                if name is None:
                    continue
                end = name.end
            comps.append(Component(m.start(), end, UNIT, grade="tower", lead=False))
        for grade, regex in (("floor", _FLOOR_RE), ("unit", _APT_UNIT_RE)):
            for m in regex.finditer(text):
                comps.append(Component(m.start(), m.end(), UNIT, grade=grade, lead=False))
        for part in list(comps):
            name = _building_name_before(text, part.start, casing, titled=part.grade == "unit")
            if name is not None:
                comps.append(Component(*name, STREET, grade="bare", lead=False))
            if part.grade == "unit":
                name = _building_name_after(text, part.end, casing)
                if name is not None:
                    comps.append(Component(*name, STREET, grade="bare", lead=False))
        return comps

    @staticmethod
    def _admin_name_end(text: str, m, casing: Casing) -> int | None:
        """End of the name after Kel./Kec./Kab./Kota/Prov. (``m``), or None."""
        lower = casing.lower_near(m.start(), m.end())
        name = _scan_admin_name(text, m.end(), lower)
        place_end = _ID_PLACES.phrase_at(text, m.end())
        if place_end is not None:
            # A known place, extended only by generic / Title-case words ("Medan Baru") or
            # by words that end cleanly ("kelurahan padang bulan kecamatan ..."), never by
            # what follows in the conversation ("kab. sidoarjo card number").
            if name is None or name.end <= place_end:
                return place_end
            if _extends_place(text, place_end, name.end, lower):
                return name.end
            return name.end if label_name_ends(text, name.end, strict=True) else place_end
        if name is None or not _labelled_name_ok(text, m, name, lower):
            return None
        return name.end

    # -- chain policy -------------------------------------------------------------------
    #: "…, Kel. Kotabaru, Jonggol": any part but a postal code / country may have a tail.
    TAIL_AFTER = frozenset({STREET, NUMBER, RT, KEL, KEC, KAB, PROV, CITY, BLOK, UNIT})

    def tail_without_comma(self, text: str, chain: list[Component], casing: Casing):
        # "…, Cileungsi Kidul, Jonggol", "… bekasi utara": one word right after a known city.
        last = chain[-1]
        if last.kind == CITY:
            return 1, casing.lower_near(last.start, last.end)
        flat = any(c.kind == UNIT and c.grade in _HIGH_RISE_PARTS for c in chain)
        if flat and (last.kind == NUMBER or last.grade in _HIGH_RISE_PARTS):
            # "… unit 1208 patomburan", "… Lt. 3 No. 12 cilincing": the area of the building.
            return 2, casing.lower_near(last.start, last.end), _area_word_ok
        return None

    def tail_word_ok(self, word: str, lower_text: bool) -> bool:
        if lower_text:
            return word.lower() in _DIRECTIONS  # lower case gives no cue but a direction
        return super().tail_word_ok(word, lower_text)

    def starts_new_address(self, chain: list[Component], comp: Component) -> bool:
        if comp.kind != STREET or comp.grade not in ("abbr", "long"):
            return False
        # "Jl. A No. 1, Jl. B No. 2": a second street after a house number / postal code.
        seen_street = False
        for c in chain:
            if c.kind == STREET:
                seen_street = True
            elif seen_street and c.kind in (NUMBER, POSTAL, RT, KEL, KEC, KAB):
                return True
        return False

    def can_lead(self, chain: list[Component]) -> bool:
        head = chain[0]
        if head.kind == STREET:
            if head.grade == "estate":
                return len(chain) > 2 and chain[1].kind == BLOK  # found only before one
            if head.grade == "bare":
                # "city orchid lantai 12 unit 1208": a building named without a keyword,
                # only before the floor and unit of a flat.
                return _flat_parts(chain[1:], numbers=True)
            # "Jl. Raya No. 5": a generic street name right before its house number.
            return len(chain) > 1 and chain[1].kind in (NUMBER, BLOK)
        if head.kind == UNIT:
            # "Lt. 3, Gedung Wisma Asia", "Gg. 3, Jl. Melati": a unit before its street;
            # "Lt. 12 Unit 1208", "Tower A Unit 5": the parts of a flat.
            if len(chain) > 1 and chain[1].kind in (STREET, BLOK):
                return True
            return head.grade in _HIGH_RISE_PARTS and _flat_parts(chain, numbers=False)
        if head.kind == CITY:
            # "Bandung, Jawa Barat 40115": a city may start an address when two or more real
            # components follow (province + postal code, kecamatan + ...), and so may
            # "Jakarta Selatan kode pos 12190" and a line of its own with the postal code
            # ("customer: jakarta pusat 10510", an address's last message); not "ongkir
            # bandung 17500", "kak cabang bandung 40121 itu dimana".
            rest = [c for c in chain[1:] if c.kind not in (GAP, CITY, COUNTRY)]
            if any(c.kind == POSTAL and c.grade == "kw" for c in rest):
                return True
            if head.grade == "opens_line" and rest and rest[0].kind == POSTAL and rest[0].grade != "round":
                return True
            return sum(c.count for c in rest) >= 2 and any(c.kind == POSTAL for c in rest)
        return False

    def score_chain(self, chain: list[Component], text: str) -> float:
        real = [c for c in chain if c.kind != GAP]
        kinds = {c.kind for c in real}
        n = sum(c.count for c in chain)
        streets = [c for c in real if c.kind == STREET]
        named = bool(streets) and real[0].kind == UNIT and all(c.grade == "bare" for c in streets)
        if named:
            # "Unit 28-02 Green Pramuka": a building named after the unit, without a keyword -
            # the parts of a flat ("Lt. 12 Unit 1208 Green Pramuka") or a cue make it one;
            # otherwise it does not count ("Unit 2 Honda Vario, Jakarta").
            real = [c for c in real if c.kind != STREET]
            if _flat_parts(real, numbers=False) or _address_cue_before(text, real[0].start):
                return 0.85
            kinds = {c.kind for c in real}
            n = sum(c.count for c in real)
        if kinds <= {NUMBER, UNIT}:
            if _flat_parts(real, numbers=False):
                # "alamat: Lt. 12 Unit 1208": a flat in a building not named, given as theirs
                # ("servis AC Lt. 3 Unit 5" is a job, not an address).
                return 0.6 if _address_cue_before(text, real[0].start) else 0.45
            return 0.0  # "cek no. 5, no. 6, no. 7": numbers in a list, no place
        if any(c.kind == STREET and c.grade == "office" for c in real) and not any(
            c.kind not in (UNIT, CITY, PROV, COUNTRY) and c.grade not in ("office", "bare")
            for c in real
        ):
            # "Menara BCA", "meeting di Menara BCA lantai 12": an office block is a landmark;
            # it is someone's address only with a floor or unit and given as theirs ("kirim ke
            # Menara BCA Lt. 12 Unit 5").
            has_room = any(c.kind == UNIT and c.grade in ("floor", "unit") for c in real)
            if not (has_room and _address_cue_before(text, real[0].start)):
                return 0.45
        if n >= 3:
            return 0.85
        if n == 2:
            if kinds & {STREET, BLOK} and len(real) == 2 and COUNTRY not in kinds:
                return 0.85  # street + number / RT / kelurahan / city ...
            if kinds & {RT, KEL, KEC, KAB} or (POSTAL in kinds and kinds & {PROV, CITY, KAB}):
                return 0.6  # "RT 3 RW 5", "Kec. X, Kab. Y", "Jawa Barat 40115"
            return 0.0  # "No. 5 Lt. 3", "Bandung, Jawa Barat": not an address on their own
        if len(real) == 1 and real[0].kind == STREET:
            street = real[0]
            if street.grade == "abbr":
                score = 0.7
            elif street.grade == "long":
                score = 0.6 if (street.titled or street.lower) else 0.45
            elif street.grade == "weakabbr":
                score = 0.6
            elif street.grade == "apt":  # "tinggal di apartemen kalibata city"
                score = 0.6 if (street.titled or street.lower) else 0.45
            elif street.grade in ("office", "bare"):
                return 0.45  # "Menara BCA", "Gedung Sate": landmarks, not homes
            else:
                score = 0.6 if street.titled else 0.0
            # A named street alone is no personal data ("lewat jalan Sudirman macet") unless
            # the writer gives it as their address ("alamat saya Jl. Melati").
            if not _address_cue_before(text, street.start):
                score = min(score, 0.45)
            return score
        return 0.0
