"""ADDRESS recognizer for Indonesian street addresses, plus the chain machinery shared with
:mod:`recognizers.en_address_recognizer`.

How it works
------------
1. *Components* are found by precompiled regexes plus a small token scanner for the names that
   follow a keyword: street (``Jl. Merdeka Barat III``), house number (``No. 12A``), RT/RW,
   kelurahan/desa, kecamatan, kabupaten/kota, province, well-known city, postal code, block,
   building, km marker, floor ...
2. Components separated only by commas, spaces, newlines, ``-`` or ``/`` are *chained*; one
   or two groups of one to three name words sandwiched between two components (unknown
   places: ``No. 5, Cikarang, Jawa Barat``) are absorbed as a gap, never after a postal code.
3. Each chain is one ADDRESS span from its first to its last component, scored by how much
   evidence it carries. A lone component (``RT 3``, ``kota Bandung``, a 5-digit number) is not
   an address; a street prefix + name is (weakly), and so are two or more components.

Names stop at function words (spaCy's Indonesian and English stop words, importable without
a model), chat words ("ya", "kak", "tolong" ...) and address keywords, so ``… No. 5 ya kak``
ends before ``ya``. Text that is lower-case around a match (spoken transcripts after number
normalisation, chat typed in lower case) gets no Title-case cues, so it is read with the word
lists alone. Everything is bounded (names ≤ 4 words, numbers ≤ 9 digits), so the scan is linear
in the text and needs no ``nlp_artifacts``.

Scores: 0.85 for a street with a house number (or any second component) and for three or more
components; 0.6 for two weaker components ("RT 3 RW 5", "Kec. X, Kab. Y", "Kota Bandung
40121"); 0.7 for "Jl./Gg. + name" alone, 0.6 for "Jalan + name" alone (0.45 when written in
lower case inside capitalised text, i.e. below the default threshold).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS as _EN_STOP
from spacy.lang.id.stop_words import STOP_WORDS as _ID_STOP

from recognizers.base import ANALYZER_LANGUAGE

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
    kesini kesitu kemana sana sini situ jalannya alamatku rumahku
    """.split()
)

#: Conditions and opinions: "jalan raya macet", "kota Bandung bagus" - never part of a name.
CONDITION_WORDS = frozenset(
    """
    macet rusak licin lancar padat ramai rame sepi gelap berlubang bolong ditutup tutup becek
    banjir mulus jelek bagus cantik keren enak panas dingin sejuk indah-indah parah banget bgt
    bener beneran sekali lebar sempit sampai sampe nyampe tiba
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

#: Generic words: a name made only of these is not a name ("jalan raya", "jalan utama").
GENERIC_NAME_WORDS = frozenset(
    """
    raya utama timur barat utara selatan tengah pusat dalam luar baru lama besar kecil atas
    bawah indah permai asri jaya i ii iii iv v vi vii viii ix x xi xii gang jalan blok lorong
    lingkar kampung desa gedung pos kota dusun komplek kompleks perumahan tower wisma apartemen
    ruko rukan
    """.split()
)

#: Address keywords; a name stops before any of them.
ADDRESS_KEYWORDS = frozenset(
    """
    jl jln jalan gg gang no nomor nomer nmr nmor num nr rt rw kel kelurahan kalurahan desa ds
    kec kecamatan kab kabupaten kota kotamadya kodya prov provinsi propinsi prop kode kodepos kd
    pos blok kav kavling km lantai lt komp kompleks komplek perum perumahan dusun dsn kp kampung
    gedung gd wisma apartemen apartement apt tower ruko rukan rtrw
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

ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv".split())

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
        words = []
        for m in PLACE_WORD_RE.finditer(text, pos, min(len(text), pos + 60)):
            words.append((m.start(), m.end(), m.group().lower()))
            if len(words) >= self._max_words:
                break
        if not words or words[0][0] != pos:
            return None
        hit = self.match_at(text, words, 0)
        return hit[1] if hit else None


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


def _keyword_next(text: str, pos: int) -> bool:
    m = _NEXT_TOKEN_RE.match(text, pos)
    return bool(m) and m.group(1).lower() in ADDRESS_KEYWORDS


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
) -> Name | None:
    """Scan a place name starting at ``pos``; None when there is no acceptable name word.

    Words are separated by spaces/tabs only (a comma or newline ends the name). In written
    (mixed-case) text a name that starts Title-case stops at the first lower-case word that is
    not a generic place word ("Kota Bandung bagus" -> "Kota Bandung").
    """
    end = None
    words = 0
    specific = False
    titled = False
    i = pos
    first = True  # no real word yet
    any_token = False
    tokens = 0
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
            if not allow_numbers:
                break
            if first:
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
        is_title = raw[0].isupper()
        if w not in ADDRESS_KEYWORDS and (
            (
                m.group("dot")
                and (w in NAME_ABBREVIATIONS or (len(w) <= 3 and w not in BLOCK_WORDS))
            )
            or (
                (w in NAME_ABBREVIATIONS or w in HONORIFICS)
                and _NEXT_WORD_RE.match(text, m.end())
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
            break
        elif w in BLOCK_WORDS:
            allowed = (w in NAME_OK and not first) or (w in NAME_OK_FIRST)
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
        end = m.end("word")
        if w not in GENERIC_NAME_WORDS:
            specific = True
        if first:
            titled = is_title
        first = False
        i = m.end()
        if m.group("dot"):
            break  # "Sudirman." - a sentence end: keep the word, stop
    if end is None or not words:
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


class Casing:
    """Where the text is lower-case. Spoken transcripts and chat typed all in lower case get
    looser rules (no Title-case cues to rely on) than mixed-case writing; the check is local,
    so a lower-case address inside an otherwise capitalised message is read as lower-case."""

    __slots__ = ("_upper",)
    BEFORE = 30  # the lead-in ("my address is ...") tells how the writer types
    AFTER = 3  # what follows is often a capitalised name: not part of the evidence

    def __init__(self, text: str) -> None:
        self._upper = [m.start() for m in _UPPER_RE.finditer(text)]

    def lower_near(self, start: int, end: int) -> bool:
        i = bisect_left(self._upper, start - self.BEFORE)
        return i == len(self._upper) or self._upper[i] >= end + self.AFTER


GAP = "GAP"

_SEP_RE = re.compile(r"[ \t\r\n,;.\-–—/|]{0,10}")
_GAP_WORDS = r"[A-Za-z][A-Za-z'.\-]{0,30}(?:[ \t]{1,3}[A-Za-z][A-Za-z'.\-]{0,30}){0,2}"
#: One or two unknown names between two components: "No. 5, Cikarang, Jawa Barat",
#: "RT.001/RW.002, Kuningan Timur, Setiabudi, Jakarta Selatan".
_GAP_RE = re.compile(
    r"(?P<lead>[ \t\r\n,;\-–—/|]{1,6})"
    r"(?P<words>" + _GAP_WORDS + r"(?:[ \t]{0,2}[,\n][ \t]{0,2}" + _GAP_WORDS + r")?)"
    r"(?P<trail>[ \t\r\n,;\-–—/|]{1,6})"
)


def is_separator(between: str) -> bool:
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
        if not w or w in BLOCK_WORDS or w in ADDRESS_KEYWORDS:
            return False
        if not lower_text and not word[0].isupper():
            return False
        return True

    def can_lead(self, chain: list[Component]) -> bool:
        """Whether ``chain[0]`` (a non-lead component) may still start the address."""
        return False

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
        while chain and (chain[0].kind == GAP or not chain[0].lead):
            if chain[0].kind != GAP and self.can_lead(chain):
                break
            chain = chain[1:]
        while chain and chain[-1].kind == GAP:
            chain = chain[:-1]
        return chain

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
            score = self.score_chain(chain, text)
            if score < self.MIN_SCORE:
                continue
            start, end = chain[0].start, chain[-1].end
            kinds = "+".join(c.kind for c in chain)
            explanation = AnalysisExplanation(
                recognizer=self.name,
                original_score=score,
                pattern_name="address chain",
                pattern=kinds,
                textual_explanation=f"address components: {kinds}",
            )
            result = RecognizerResult(
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
            results.append(result)
        return results


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
    r"|(?P<long>jalan|gang|lorong|lrg)[ \t]{1,3}"
    r"|(?P<weakabbr>komp|kompl|perum|dsn|kp|kmp|jorong)(?:\.[ \t]{0,3}|[ \t]{1,3})"
    r"|(?P<weak>komplek|kompleks|perumahan|dusun|kampung|kampong|gedung|gd\.|wisma|menara|"
    r"apartemen|apartement|apartment|ruko|rukan|graha|cluster|klaster|villa|vila)[ \t]{1,3})",
    re.IGNORECASE,
)
_ADMIN_KW_RE = re.compile(
    _B + r"(?:(?P<kel>kelurahan|kalurahan|kel|desa|ds)"
    r"|(?P<kec>kecamatan|kec)"
    r"|(?P<kab>kabupaten|kab|kotamadya|kotamadia|kodya|kota)"
    r"|(?P<prov>provinsi|propinsi|prov|prop))"
    r"(?:\.?[ \t]{0,2}:[ \t]{0,3}|\.[ \t]{0,3}|[ \t]{1,3})(?=[A-Za-z])",  # "Kec.", "Kota:"
    re.IGNORECASE,
)
_HOUSE_NO = r"[A-Za-z]?(?!0\d{3})\d{1,4}[A-Za-z]?(?:[ \t]?[/\-][ \t]?[A-Za-z]?\d{1,4}[A-Za-z]?)?"
_NUMBER_RE = re.compile(
    _B + r"(?:no|nomor|nomer|nmr|nmor|nr|num)\.?[ \t]{0,3}:?[ \t]{0,3}" + _HOUSE_NO
    + r"(?![\w/]|[.,]\d)"
    r"|(?<![\w#])#[ \t]?\d{1,4}[A-Za-z]?(?![\w/]|[.,]\d)",
    re.IGNORECASE,
)
_LONG_NUMBER_RE = re.compile(
    _B + r"(?:no|nomor|nomer)\.?[ \t]{0,3}\d{5,9}(?![\w]|[.,]\d)", re.IGNORECASE
)
_RT_RE = re.compile(
    _B + r"(?:"
    # "RT/RW 003/005", "RT 03/RW 05", "RT03/05"
    r"(?P<pair>rt[ \t]{0,2}[./]?[ \t]{0,2}rw[ \t]{0,2}[.:]?[ \t]{0,2}\d{1,3}"
    r"[ \t]{0,2}[/\-][ \t]{0,2}\d{1,3}"
    r"|rt[ \t]{0,2}[.:]?[ \t]{0,2}\d{1,3}[ \t]{0,2}[/\-][ \t]{0,2}"
    r"(?:rw[ \t]{0,2}[.:]?[ \t]{0,2})?\d{1,3})"
    r"|(?P<single>(?:rt|rw)[ \t]{0,2}[.:]?[ \t]{0,2}\d{1,3})"
    r")(?!\d|[.,]\d)",
    re.IGNORECASE,
)
_BLOK_RE = re.compile(
    _B + r"blok[ \t]{0,2}\.?[ \t]{0,2}"
    r"(?:[A-Za-z]{1,2}[ \t]?-?[ \t]?\d{0,3}[A-Za-z]?|\d{1,3}[A-Za-z]?)"
    r"(?:[ \t]?[/\-][ \t]?\d{1,3})?(?![\w])",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(
    _B + r"(?:km[ \t]{0,2}\.?[ \t]{0,2}\d{1,3}(?:[.,]\d{1,3})?"
    r"|kav(?:ling)?[ \t]{0,2}\.?[ \t]{0,2}\d{1,4}[A-Za-z]?(?:[ \t]?[\-/][ \t]?\d{1,4})?"
    r"|(?:lantai|lt)[ \t]{0,2}\.?[ \t]{0,2}\d{1,2}"
    r"|tower[ \t]{1,2}[A-Za-z0-9]{1,2}"
    r"|(?:gg|gang)[ \t]{0,2}\.?[ \t]{0,2}(?:\d{1,3}[A-Za-z]?|[IVX]{1,4}))(?![\w]|[.,]\d)",
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
_RT_LONG_RE = re.compile(_B + r"(?:rt|rw)[ \t]{0,2}\d{4,8}(?![\w]|[.,]\d)", re.IGNORECASE)
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
    "kampung desa gedung pos kota dusun komplek kompleks perumahan tower wisma apartemen ruko "
    "rukan".split()
)

#: ... and a kelurahan/kecamatan name ("Desa Kota Baru", "Kel. Kampung Bali").
_ADMIN_FIRST_OK = frozenset({"kota", "kampung"})

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


class IdAddressRecognizer(ChainAddressRecognizer):
    """Indonesian street/administrative addresses ("Jl. Melati No. 12 RT 3/RW 5, Kec. ...")."""

    def __init__(
        self,
        supported_language: str = ANALYZER_LANGUAGE,
        supported_entity: str = ENTITY,
        name: str | None = None,
    ) -> None:
        super().__init__(
            supported_language=supported_language, supported_entity=supported_entity, name=name
        )

    # -- components ---------------------------------------------------------------------
    def find_components(self, text: str, casing: Casing) -> list[Component]:
        comps: list[Component] = []
        for m in _STREET_KW_RE.finditer(text):
            grade = next(g for g in ("abbr", "long", "weakabbr", "weak") if m.group(g))
            lower = casing.lower_near(m.start(), m.end())
            name = scan_name(
                text,
                m.end(),
                max_words=4,
                allow_numbers=True,
                first_blocklist=NON_NAME_FIRST,
                first_allowed=_STREET_FIRST_OK,
                places=_ID_PLACES,
                stop_at_place=True,
                lower_text=lower,
            )
            if name is None or not name.specific:
                continue
            kw_title = m.group(0)[0].isupper()
            comps.append(
                Component(
                    m.start(), name.end, STREET, grade=grade, titled=kw_title and name.titled,
                    lower=lower,
                )
            )
        for m in _ADMIN_KW_RE.finditer(text):
            kind = next(k for k in (KEL, KEC, KAB, PROV) if m.group(k.lower()))
            lower = casing.lower_near(m.start(), m.end())
            name = scan_name(
                text,
                m.end(),
                max_words=3,
                lower_text=lower,
                first_blocklist=NON_NAME_FIRST,
                first_allowed=_ADMIN_FIRST_OK,
                places=_ID_PLACES,
                stop_at_place=True,
            )
            place_end = _ID_PLACES.phrase_at(text, m.end())
            if place_end is not None and (
                name is None or not _extends_place(text, place_end, name.end, lower)
            ):
                name_end = place_end  # a known place; "kab. sidoarjo card number" stops there
            elif name is not None and (name.specific or name.words >= 2):
                name_end = name.end  # "Desa Kota Baru", "Kec. Serang Baru"
            elif place_end is not None:
                name_end = place_end
            else:
                continue
            comps.append(Component(m.start(), name_end, kind, titled=m.group(0)[0].isupper()))
        for m in _NUMBER_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), NUMBER))
        for m in _LONG_NUMBER_RE.finditer(text):
            # "jalan siliwangi nomor 11939643": a spoken house number run together with the
            # postal code by the number normaliser; only valid right after a street.
            comps.append(Component(m.start(), m.end(), NUMBER, lead=False))
        for m in _RT_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), RT, count=2 if m.group("pair") else 1))
        for m in _RT_LONG_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), RT, lead=False))
        for m in _BLOK_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), BLOK))
        for m in _UNIT_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), UNIT, lead=False))
        for m in _POSTAL_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), POSTAL, lead=False))
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
            comps.append(Component(start, end, kind, lead=kind == PROV))
        return comps

    # -- chain policy -------------------------------------------------------------------
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
        if head.kind == UNIT:
            # "Lt. 3, Gedung Wisma Asia", "Gg. 3, Jl. Melati": a unit before its street.
            return len(chain) > 1 and chain[1].kind in (STREET, BLOK)
        if head.kind == CITY:
            # "Bandung, Jawa Barat 40115": a city may start an address only when two or
            # more real components follow (province + postal code, kecamatan + ...).
            # "Jakarta Selatan kode pos 12190" (a labelled postal code) may as well.
            rest = [c for c in chain[1:] if c.kind not in (GAP, CITY, COUNTRY)]
            if any(c.kind == POSTAL and c.grade == "kw" for c in rest):
                return True
            return sum(c.count for c in rest) >= 2 and any(c.kind == POSTAL for c in rest)
        return False

    def score_chain(self, chain: list[Component], text: str) -> float:
        real = [c for c in chain if c.kind != GAP]
        kinds = {c.kind for c in real}
        n = sum(c.count for c in chain)
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
                return 0.7
            if street.grade == "long":
                return 0.6 if (street.titled or street.lower) else 0.45
            if street.grade == "weakabbr":
                return 0.6
            return 0.6 if street.titled else 0.0
        return 0.0
