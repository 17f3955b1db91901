"""PERSON names found from conversational cues, for Indonesian, English and code-mixed text.

spaCy's English NER only runs on English-leaning messages and misses most Indonesian names,
so this recognizer finds names the way a human reader does: by what is said around them.
It uses no ``nlp_artifacts`` (for Indonesian messages the engine only tokenizes), only
precompiled ``regex`` scanning, and costs a few microseconds per chat message.

Cues and scores
---------------
* strong (0.85): "nama saya X", "namaku X", "nama lengkap: X", "atas nama X", "a.n. X",
  "pemilik rekening X", "nama ibu kandung X", "nama: X", "my name is X",
  "name on the account is X", "account holder X", "(mother's) maiden name is X",
  "my husband's name X", "under the name X".
* medium (0.75): "bernama X", "namanya X", "panggil saja X", "penerima(nya) X", "name is X",
  "call me X", "this is X speaking/from/calling", honorific + Capitalised name ("Pak Budi",
  "Mrs. Smith").
* weak (0.6): honorific + lowercase name ("pak budi"), "dengan X" (agent greeting: "selamat
  pagi, dengan Rina, ada yang bisa dibantu?"), "saya X," / "ini X," / "X ini, mau ..." /
  "I'm X" introducing oneself at the start of a message or turn, "saya sendiri X",
  "suami saya X" / "my wife X", "hi X" / "terima kasih X", "speaking with X", "ask for X".

Name extent
-----------
1-4 name words after the cue, stopping at punctuation, digits, line breaks and any
function/common word (spaCy's Indonesian and English stop words plus our chat/domain list).
Particles stay inside (bin/binti/van/de/al, Balinese I/Ni + Gusti/Made/Putu, "Anak Agung",
"Muh."/"M." initials). Where a sentence uses case, weak cues need a Capitalised name and,
except after a strong cue, a Capitalised first name word makes the name stop at the next
lowercase word; ASR output and all-lowercase chat accept lowercase names that are not common
words.
"""
from __future__ import annotations

from bisect import bisect_right

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS as _EN_STOP_WORDS
from spacy.lang.id.stop_words import STOP_WORDS as _ID_STOP_WORDS

from recognizers.base import ANALYZER_LANGUAGE

STRONG = 0.85
MEDIUM = 0.75
WEAK = 0.6

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

#: Honorifics / forms of address. Followed by a name they mark a PERSON (honorific excluded).
HONORIFICS_ID = (
    "bapak bpk bp pak ibu ibuk bu kakak kak mas mbak mba mbk dik adik adek bang abang om "
    "tante sdr sdri saudara saudari kang koh"
).split()
#: English/academic titles.
HONORIFICS_EN = "mr mrs ms mx miss missus mister dr prof".split()

#: Chat and domain words that are never (part of) a name. Kept free of common given names
#: and surnames (checked against Faker's id_ID/en_US lists; see CAPITALISED_NAME_EXCEPTIONS).
_CHAT_COMMON_ID = """
mau mo mao pengen pingin pgn ingin tanya nanya nanyain tny kak ka kk min mimin admin ya yah yaa
yaaa iya iyaa iyah y yg dong donk sih si nih ni deh dah kok loh lho tuh tu gan sis bro sist
dan dari nomor nomer no nmr hp handphone telepon telpon telp tlp tlpn wa whatsapp rekening rek
norek kartu atm debit kredit alamat almt di ke email e-mail tinggal lahir tanggal tgl tempat
jalan jl jln gang gg rt rw kelurahan kel kecamatan kec kota kabupaten kab provinsi prov desa
dusun kode pos kodepos nik ktp kk npwp sim paspor passport bpjs kis bank bca bri bni btn cimb
niaga danamon ocbc bsi btpn jenius ovo gopay shopeepay linkaja gojek grab shopee tokopedia
tokped lazada bukalapak blibli traveloka tiket pt cv ud tbk toko yayasan koperasi perusahaan
kantor instansi sekolah universitas pemerintah produk barang paket pesanan order orderan
transaksi transfer tf trf pembayaran bayar tagihan saldo uang duit refund pengembalian tunai
cash akun aplikasi app apk password pin otp verifikasi sms pesan chat cs customer service
layanan pelayanan keluhan komplain komplen complain masalah kendala problem error gagal
berhasil pending proses diproses status limit cicilan pinjaman angsuran denda biaya promo
diskon cashback poin voucher kupon member nasabah pelanggan pengguna user konsumen penerima
pengirim pemilik pemegang ahli waris keluarga istri isteri suami anak ayah mama papa mami papi
ortu orang tua teman temen kawan pacar tetangga atasan bos boss dokter dok guru dosen polisi
satpam security kurir driver sopir supir ojek ojol petugas teknisi teller operator agen agent
staf staff karyawan pegawai manager manajer direktur supervisor spv pimpinan kepala ketua
lurah camat presiden menteri gubernur bupati walikota sekalian semua sekali sendiri pribadi
saja aja doang juga jg udah udh sdh blm belom blum gak ga gk nggak ngga enggak engga tdk gimana
gmn gmna bagaimana kenapa knp napa kapan kpn dimana dmn berapa brp sapa tolong tlg mohon bantu
bantuan dibantu minta maaf mf permisi terima kasih makasih makasi trims thanks thx tq ty halo
hallo helo hai hi hello hey pagi siang sore malam selamat met salam assalamualaikum
waalaikumsalam ok oke okay okey okee siap sip betul bener salah beda berbeda sesuai tertera
terdaftar tercantum tertulis muncul hilang keliru typo lengkap lg msh tadi kemarin kemaren
besok lusa skrg sekarang nanti minggu jam menit detik senin selasa rabu kamis jumat sabtu
januari februari maret september oktober november desember sakit sehat bingung kecewa setuju
paham ngerti mengerti tau lupa takut khawatir senang puas kesal kesel marah sedih capek cape
cepat cepet lambat mudah susah sulit gampang hormat segera langsung sengaja serius jujur hati
teliti aman lancar bisa bs dapet pake pakai pakek cek coba tunggu ditunggu nunggu kirim
dikirim diterima beli pesen mesen dibayar ditransfer ambil tarik setor buka tutup blokir
diblokir ganti ubah update daftar registrasi login masuk aktif aktivasi nonaktif hubungi
nelpon balas bales info informasi data detail keterangan konfirmasi bukti resi struk foto
screenshot ss link web website situs cabang rumah kos kost kampung nya pun nah eh em emm ehm
hmm hm anu wkwk wkwkwk hehe haha wah waduh aduh astaga ampun duh yoi yup baiklah gitu gini
kayak kaya kyk tp krn utk dgn dg sm trus abis habis kmrn td pas kalo klo kl biar sy aku gue gw
gua ane lu lo elu beliau nama namanya bernama panggil dipanggil panggilan via lewat perempuan
laki pria wanita cowok cewek mbaknya masnya bapaknya ibunya kakaknya adiknya kartunya
rekeningnya akunnya nomornya dikit emang kayaknya bkn sebentar nggih injih enggih monggo oh
ohh oo ooh ow hmmm kandung gadis inget kena terkena dipotong terpotong potong potongan
nyangkut tertahan ditolak tolak cair dicairkan blok perum perumahan komplek komp villa griya
jadwal noted pusing emosi butuh lapar stres stress panik heran penasaran ragu curiga kaget bete
kerja bekerja kuliah pergi pulang meninggal almarhum almarhumah alm almh ulang natal idul fitri
lebaran gaes gais guys semuanya kalian tim team bosku kakak2 rs klinik hotel apotek
btw fyi asap lol omg bau cepetan buruan duluan beneran mulu valued dana silakan silahkan
pls plz plis tlng
nol kosong enam tujuh delapan sembilan sepuluh sebelas belas puluh ratus ribu juta miliar
seratus seribu setengah rupiah rp
""".split()

#: Contact-centre domain vocabulary (telco, banking, e-commerce, logistics, health, travel)
#: and everyday verbs/adjectives that follow an honorific ("kak fitur ...", "pak sinyal ...").
_DOMAIN_WORDS_ID = """
fitur menu tombol layar notifikasi notif sinyal jaringan koneksi internet kuota pulsa wifi
modem router indihome telkomsel xl indosat smartfren axis byu token listrik pln pdam air gas
bensin asuransi premi klaim polis investasi reksadana saham tabungan deposito giro valas kurs
emas harga ongkir ongkos tarif iuran tunggakan jatuh tempo periode bulanan tahunan mingguan
harian seller penjual pembeli buyer stok stock warna ukuran size model tipe jenis merk merek
kualitas garansi servis service bengkel sparepart rusak cacat pecah retak mati nyala hidup
lemot lambat lelet error eror bug gangguan down maintenance sistem server database jadwal janji
kunjungan teknisi tiket laporan pengaduan aduan kasus nomor kode sandi pin otp virtual va qris
qr scan barcode struk nota invoice faktur kuitansi kwitansi surat dokumen berkas formulir form
syarat ketentuan prosedur cara langkah tahap cod ekspedisi jne jnt j&t sicepat anteraja pos
tiki ninja lion wahana gosend grabexpress paxel lalamove resi tracking lacak alamat tujuan asal
gudang hub transit kirim pengiriman penjemputan pickup drop retur return tukar penukaran
komplain ganti rugi kompensasi kamar hotel penerbangan pesawat kereta bus travel booking
reservasi check-in checkin checkout kursi bagasi delay batal pembatalan reschedule kesehatan
rumah-sakit rs puskesmas faskes klinik dokter obat resep rawat inap jalan bpjs kis kartu
peserta kelas akun profil username user id email password verifikasi kyc ktp selfie foto upload
unggah download unduh install update versi aplikasi apk web website browser chrome android
iphone ios hp handphone laptop komputer pc tablet dana uang duit saldo poin koin cashback bonus
hadiah reward promo diskon potongan voucher kupon gratis free murah mahal hemat tagihan cicilan
angsuran kredit pinjaman utang hutang bunga denda pinalti penalti tenor dp uang-muka pelunasan
lunas tunai transfer setoran penarikan mutasi rekening koran buku atm debit limit tagih tanggal
cetak statement laksanakan lanjutkan lanjut selesai beres kelar tuntas oke sip mantap mantul
keren jelek buruk parah payah lama cepat singkat yth hormat terhormat sekalian semuanya jakarta
bandung surabaya medan semarang yogyakarta jogja makassar palembang bekasi depok tangerang
bogor malang solo denpasar bali batam pekanbaru minggu bulan tahun hari jam menit pagi siang
sore malam subuh sistemnya jaringannya aplikasinya cek ngecek dicek isi diisi top topup up beli
dibeli jual dijual pakai dipakai pake dipake cari dicari liat lihat dilihat baca dibaca tulis
ditulis tanda tangan ttd bilang kata ngomong ngobrol telpon nelpon telepon ditelepon hubungi
dihubungi tanya ditanya nanya jawab dijawab balas dibalas bales respon respons tanggapan
tanggapi urus ngurus diurus proses diproses tunggu nunggu ditunggu tolak ditolak terima
diterima setuju disetujui approve approved reject rejected cancel dibatalkan aktifkan
nonaktifkan blokir buka tutup hapus dihapus diganti ubah diubah tambah ditambah kurang
dikurangi kosong penuh habis sisa lebih pas cukup sedikit banyak semua beberapa baru lagi tadi
nanti besok kemarin lusa dulu sekarang segera langsung sebentar hilang ketemu ketinggalan
ketelen tertelan terblokir keblokir kepotong terpotong kena salah benar bener betul tepat
keliru typo beda sama sesuai cocok senang sedih marah kesal kecewa puas bingung takut khawatir
ragu yakin capek lelah sakit sehat
""".split()

_CHAT_COMMON_EN = """
and from calling speaking here the my hi hello hey thanks thank please yes yeah yep yup nope ok
okay sure sorry good fine great afraid happy glad unable able new not just still trying looking
having waiting interested concerned worried upset angry frustrated disappointed confused aware
ready currently actually already sick busy tired annoyed writing contacting reaching following
account card credit debit bank customer client member agent support service help manager
supervisor representative rep someone somebody anyone refund payment order package delivery
number phone email address date birth there with line team department office person name
mister sir madam maam ma'am officer doctor nurse teacher driver courier today tomorrow
yesterday morning afternoon evening night monday tuesday wednesday thursday friday saturday
sunday everyone all awesome ridiculous terrible unacceptable urgent important correct wrong
right true false weird strange amazing perfect bad worse better nice cool possible impossible
free done finished over it about going gonna wanna hoping wondering sending checking asking
pleased certain unsure positive scared nervous regards dear cheers bye goodbye also really very
so too much more less lot lots bit kind sort transfer transaction loan balance fee charge
charges statement pin password code otp app application website online mobile internet
problem issue issues question questions complaint assistance information info details detail
fraud scam verification confirmation receipt proof money cash time extension approval
permission advice anybody nobody myself yourself stuck locked blocked family said says told
tells paid pays called calls wants wanted works worked passed died bought used uses asked
needs needed tried sent got lost forgot thinks thought recently opened closed applied
registered lives lived is was has had will would can could should shall did does ive id ill
im youre hes shes theyre weve thats whats dont doesnt didnt cant wont isnt arent wasnt werent
lets gotta noted world there guys folks zero oh one two three four five six seven eight nine
ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty
forty fifty sixty seventy eighty ninety hundred thousand million billion dollars cents
""".split()

#: Stop words that are also given names / surnames. Accepted when written Titlecase in a
#: sentence that uses case ("Dan", "May", "Wong", "Hari", "Tanya", "Dini", "Made", "Good").
CAPITALISED_NAME_EXCEPTIONS = frozenset(
    "dan may will hari kala among tanya wong yang dini made sari bung ken good sabar uda "
    "branch dana emas tim villa rose grace hope joy june april august faith bill mark mike".split()
)
#: The rarer of those are also kept lowercase between two name words ("lanjar kala setiawan").
MIDDLE_NAME_EXCEPTIONS = frozenset("kala among wong dini made sari bung sabar uda".split())

STOP_WORDS = frozenset(
    {w.lower() for w in _ID_STOP_WORDS}
    | {w.lower() for w in _EN_STOP_WORDS}
    | set(_CHAT_COMMON_ID)
    | set(_DOMAIN_WORDS_ID)
    | set(_CHAT_COMMON_EN)
    | set(HONORIFICS_ID)
    | set(HONORIFICS_EN)
)

#: Everyday words whose adjacent-letter-swap typos ("plaese", "syaa") are not names either.
#: Domain nouns are left out: "Kalim" is a name, not a typo of "klaim".
_TYPO_BASE = frozenset(
    {w.lower() for w in _ID_STOP_WORDS}
    | {w.lower() for w in _EN_STOP_WORDS}
    | set(_CHAT_COMMON_ID)
    | set(_CHAT_COMMON_EN)
) - CAPITALISED_NAME_EXCEPTIONS

#: Lowercase particles kept inside a name when followed by another name word.
PARTICLES = frozenset(
    "bin binti bte bt van von der den de da del della dos das du la le al el ibn ter ten".split()
)
#: Balinese name components: "I"/"Ni" are names only before these ("I Gusti Ayu Putu").
BALINESE = frozenset(
    "gusti ngurah made putu wayan ketut nyoman komang kadek gede nengah luh ayu agung bagus dewa "
    "desak oka cokorda kompyang gde ktut".split()
)
_BALI_CONTEXT = BALINESE | {"i", "ni"}
#: Abbreviations that may open/sit inside a name when followed by a name word ("Muh. Rizky").
NAME_ABBREVIATIONS = frozenset("muh moh mhd moch much abd st hj".split())
#: English contraction tails ("I've", "we'll"): such words are never names.
_CONTRACTION_TAILS = frozenset("ve ll re m d t".split())

#: Words that may precede a self-introduction at the start of a message/turn.
_LEAD_WORDS = frozenset(
    """halo hallo helo hai hi hello hey selamat pagi siang sore malam met assalamualaikum
    assalamu'alaikum salam permisi perkenalkan kenalkan kenalin kak ka kk min mbak mba mas pak bu
    bapak ibu gan sis ya iya yaa iyaa oke ok okay baik good morning afternoon evening yes yeah so
    um uh eh em ehm hmm nah nggih injih dear sir madam oh okey betul benar""".split()
)
#: Words after a weakly-cued name that confirm an introduction ("Saya Budi, ..." / "... mau").
_CONTINUATION_WORDS = frozenset(
    """dari from mau mo mao ingin pengen pingin here speaking calling disini nasabah pelanggan
    customer member pemilik yang yg ada bisa siap and umur usia with at tadi kemarin gan kak ka
    min sis bro mas mbak mba pak bu bang""".split()
)
#: Words after "dengan X" / "this is X" / "saya X" that confirm an introduction on their own.
_STRONG_CONTINUATION = frozenset("speaking calling here disini dari from ada siap tadi".split())
#: Words before "dengan" that make it an introduction ("saya dengan Budi", "bicara dengan X").
_DENGAN_LEFT = frozenset(
    "saya sy aku gue gw ini siapa ya iya bicara berbicara ngobrol terhubung tersambung".split()
)
#: A "name" after these is a street: "Jl. Dr. Sutomo" is left to the address recognizers.
_STREET_WORDS = frozenset("jl jln jalan gg gang street st road rd avenue ave lorong".split())
_PRONOUNS_BEFORE_MISS = frozenset(
    "i we you they he she it dont don't not will would to really so also still".split()
)

# ---------------------------------------------------------------------------------------------
# Regexes
# ---------------------------------------------------------------------------------------------

_B = r"(?<![\p{L}\p{N}_])"  # left word boundary
_S = r"[ \t]+"  # spaces inside a cue
_SELF = r"(?:saya|sy|sya|aku|ku|gue|gw|gua|ane)"
_NAMA = r"(?:nama|naam|nmaa)"  # with the commonest typos
_NAME = r"(?:name|nmae|naem)"
_HON_ID = "|".join(sorted(HONORIFICS_ID, key=len, reverse=True))
_HON_EN = "|".join(sorted(HONORIFICS_EN, key=len, reverse=True))
_REL_ID = (
    r"(?:suami|istri|isteri|anak|ayah|bapak|ibu|mama|papa|kakak|adik|adek|mertua|teman|sepupu"
    r"|keponakan|paman|bibi|nenek|kakek|pacar|tunangan)"
)
_REL_EN = (
    r"(?:wife|husband|son|daughter|mother|mom|mum|father|dad|brother|sister|friend|partner"
    r"|colleague|fianc[eé]e?|girlfriend|boyfriend|uncle|aunt|cousin|nephew|niece|grandmother"
    r"|grandfather|grandma|grandpa)"
)

_STRONG_CUES = [
    # Indonesian
    rf"{_NAMA}(?:{_S}gadis)?{_S}ibu{_S}kandung(?:nya)?(?:{_S}(?:{_SELF}|anda|bapak|ibu|kakak))?",
    rf"{_NAMA}(?:{_S}lengkap)?(?:{_S}{_SELF})?{_S}(?:sesuai|di|pada|yang{_S}(?:tertera|terdaftar)"
    rf"(?:{_S}di)?){_S}(?:ktp|kartu|rekening|buku{_S}tabungan|identitas|aplikasi|akun|passport"
    rf"|paspor)",
    rf"{_NAMA}{_S}(?:lengkap{_S})?{_SELF}",
    rf"{_NAMA}(?:ku|{_S}lengkap(?:nya)?)",
    rf"{_NAMA}{_S}(?:pemilik|pemegang)(?:{_S}(?:rekening|rek|kartu|akun|nomor|no))?(?:nya)?",
    rf"{_NAMA}{_S}(?:nasabah|pelanggan|penerima|pengirim|pemesan|akun|rekening|debitur|peminjam"
    rf"|ahli{_S}waris|{_REL_ID})(?:nya)?(?:{_S}{_SELF})?",
    rf"(?:pemilik|pemegang){_S}(?:rekening|rek|kartu|akun)(?:nya)?",
    rf"atas{_S}{_NAMA}",
    r"a[ \t]?\.[ \t]?n\b\.?|a/n|an\.",
    rf"{_NAMA}[ \t]*:",
    # English
    rf"(?:my|his|her|their|the|your|full|first|last|legal|customer'?s?|account|card)"
    rf"{_S}(?:full{_S}|first{_S}|last{_S}|legal{_S})?(?:{_NAME}{_S}is|{_NAME}'s|surname{_S}is)",
    rf"{_NAME}{_S}on{_S}(?:the{_S}|my{_S}|this{_S})?(?:bank{_S})?(?:account|card)(?:{_S}is)?",
    rf"(?:account|card)[ \t]?holder(?:'?s)?(?:{_S}{_NAME})?(?:{_S}is)?",
    rf"(?:(?:my|his|her|the){_S})?mother'?s{_S}maiden{_S}{_NAME}(?:{_S}is)?",
    rf"maiden{_S}{_NAME}(?:{_S}is)?",
    rf"(?:(?:my|his|her|the){_S})?{_REL_EN}'?s?{_S}(?:full{_S})?{_NAME}(?:{_S}is)?",
    rf"under{_S}the{_S}{_NAME}(?:{_S}of)?",
    rf"(?:full[ \t]+)?{_NAME}[ \t]*:",
]
_MEDIUM_CUES = [
    rf"bernama|namanya|{_NAMA}{_S}panggilan(?:{_S}{_SELF})?",
    rf"(?:biasa{_S})?(?:di)?panggil(?:{_S}(?:saja|aja|sj))?",
    r"(?:penerima|pengirim|pemesan)(?:nya)?",
    rf"{_NAME}{_S}is|{_NAME}'s|call{_S}me|i{_S}go{_S}by",
]
_GREETINGS = (
    rf"hi|hai|halo|hallo|helo|hello|hey|dear|thank{_S}you|thanks|terima{_S}kasih|makasih"
    rf"|selamat{_S}(?:pagi|siang|sore|malam)|good{_S}(?:morning|afternoon|evening)"
)


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_CUE_RE = re.compile(
    _B
    + "(?:"
    + rf"(?P<strong>{_alt(_STRONG_CUES)})"
    + rf"|(?P<medium>{_alt(_MEDIUM_CUES)})"
    + rf"|(?P<relation>{_REL_ID}{_S}{_SELF}|my{_S}{_REL_EN}(?!'|s\b))"
    + rf"|(?P<greet>{_GREETINGS})"
    + rf"|(?P<this_is>this{_S}is|it'?s|it’s|here'?s)"
    + rf"|(?P<en_self>i'?m|i’m|i{_S}am)"
    + rf"|(?P<en_ask>(?:speak|speaking|talk|talking){_S}(?:with|to)|ask(?:ing)?{_S}for"
    + rf"|transfer{_S}me{_S}to|connect{_S}me{_S}(?:with|to))"
    + rf"|(?P<sendiri>(?:saya|sy|aku){_S}sendiri)"
    + r"|(?P<dengan>dengan|dgn|dg)"
    + rf"|(?P<self>{_SELF}|ini)"
    + rf"|(?P<hon>{_HON_ID})\.?"
    + rf"|(?P<hon_en>{_HON_EN})\.?"
    + ")"
    + r"(?:(?<=[:.])|(?![\p{L}\p{N}_]))",
    re.IGNORECASE,
)
#: "Budi ini, mau tanya" / "Oni Puspita ini mau komplain": the name comes before the cue.
_INI_AFTER_RE = re.compile(
    r"(?<=\p{L}[ \t]+)ini(?=[ \t]*,|[ \t]+(?:mau|mo|ingin|pengen|dari|kak|gan|min)\b)",
    re.IGNORECASE,
)

#: Separator between a cue and the name: spaces, ":"/"=", "adalah", ASR fillers.
_AFTER_CUE_RE = re.compile(
    r"[ \t]*(?:[:=\-–][ \t]*)?"
    r"(?:(?:nya[ \t]+)?(?:adalah|ialah|yaitu|yakni|is|eh|em|emm|ehm|hmm|uh|um|anu|nya)[ \t]+)?"
    r"(?:[:=\-–][ \t]*)?",
    re.IGNORECASE,
)
_HON_AFTER_CUE_RE = re.compile(rf"(?:{_HON_ID}|{_HON_EN})\.?[ \t]+(?=\p{{L}})", re.IGNORECASE)
_WORD_RE = re.compile(r"\p{L}[\p{L}\p{M}]*+(?:['’\-]\p{L}[\p{L}\p{M}]*+)*+")
_SEP_RE = re.compile(r"[ \t]+")
_PREV_TOKENS_RE = re.compile(r"[\p{L}\p{M}'’\-]+|[^\s\p{L}\p{M}'’\-]")
#: Sentence boundaries (line breaks, ?!, emoji, a dot after a word) for the casing test.
_BOUNDARY_RE = re.compile(r"\n|[!?\p{So}]+|(?<=\p{L}{4}|\p{N})\.(?=\s)")
#: A Titlecase word that does not open its sentence: the writer uses case.
_CASED_RE = re.compile(r"(?<=[\p{L},;:.)][ \t]+)\p{Lu}\p{Ll}")
#: How far around a cue (within its sentence) the casing test looks.
_CASE_WINDOW = 60

#: Lowercase Indonesian inflections that are never names: -nya, di-/me-/ber-...-kan, ke-an, pe-an.
_ID_AFFIX_RE = re.compile(
    r"^(?:\p{L}{4,}nya|(?:di|ber|ter|per|me[mn]?g?y?)\p{L}{2,}kan|ke\p{L}{3,}an"
    r"|pe[mn]g?y?\p{L}{3,}an)$"
)
#: me- verbs ("menunggu", "mengirim"); not applied right after a strong cue ("Mentari").
_ID_ME_RE = re.compile(r"^me(?:ng|ny|m|n)\p{L}{4,}$")
#: English -ing/-tion words; only checked for the first word after a weak cue.
_EN_AFFIX_RE = re.compile(r"^\p{L}{4,}(?:ing|tion|sion)$")


def _is_swap_typo(word: str) -> bool:
    """A common word with two adjacent letters swapped ("plaese", "syaa", "tlong")."""
    if len(word) < 4:
        return False
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            if word[:i] + word[i + 1] + word[i] + word[i + 2 :] in _TYPO_BASE:
                return True
    return False


class _Text:
    """Per-call helper over one text: does the writer use case near a position?"""

    __slots__ = ("text", "_bounds")

    def __init__(self, text: str) -> None:
        self.text = text
        self._bounds: list[int] | None = None

    def cased(self, pos: int) -> bool:
        """Is there a Titlecase word, other than a sentence opener, near ``pos`` in its sentence?

        ASR output, all-lowercase and all-caps chat are caseless: there, lowercase names are
        accepted after weak cues and a name does not stop at a lowercase word. Messages are
        often glued together, so only a window around the cue counts.
        """
        if self._bounds is None:
            self._bounds = [m.end() for m in _BOUNDARY_RE.finditer(self.text)]
        i = bisect_right(self._bounds, pos)
        start = max(self._bounds[i - 1] if i else 0, pos - _CASE_WINDOW)
        end = min(self._bounds[i] if i < len(self._bounds) else len(self.text), pos + _CASE_WINDOW)
        return _CASED_RE.search(self.text, start, end) is not None


class PersonCueRecognizer(LocalRecognizer):
    """PERSON names introduced by conversational cues (see module docstring)."""

    ENTITY = "PERSON"

    def __init__(
        self,
        supported_language: str = ANALYZER_LANGUAGE,
        supported_entity: str = ENTITY,
        name: str | None = None,
        min_score: float = 0.5,
        max_name_words: int = 4,
    ) -> None:
        self.min_score = min_score
        self.max_name_words = max_name_words
        super().__init__(
            supported_entities=[supported_entity],
            supported_language=supported_language,
            name=name,
        )

    def load(self) -> None:  # everything is precompiled at import
        pass

    # -----------------------------------------------------------------------------------------
    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        if not text or (entities and self.supported_entities[0] not in entities):
            return []
        doc = _Text(text)
        best: dict[tuple[int, int], tuple[float, str]] = {}

        def keep(found, kind: str) -> None:
            if found is None:
                return
            start, end, score = found
            if score >= self.min_score and best.get((start, end), (0.0,))[0] < score:
                best[(start, end)] = (score, kind)

        for cue in _CUE_RE.finditer(text):
            keep(self._name_after_cue(doc, cue), cue.lastgroup)
        for cue in _INI_AFTER_RE.finditer(text):
            keep(self._name_before_ini(doc, cue.start()), "ini_after")
        return self._results(best)

    # -----------------------------------------------------------------------------------------
    def _name_after_cue(self, doc: _Text, cue: re.Match):
        text = doc.text
        kind = cue.lastgroup
        pos = _AFTER_CUE_RE.match(text, cue.end()).end()
        if kind in ("hon", "hon_en"):
            # The name must follow the honorific directly ("pak, saya mau" is no name).
            if pos == cue.end() or text[cue.end() : pos].strip():
                return None
            if self._prev_word(text, cue.start(), skip_dots=True) in _STREET_WORDS:
                return None  # "Jl. Dr. Djunjunan", "Jalan Mas Mansyur": an address
        elif kind != "self":
            hon = _HON_AFTER_CUE_RE.match(text, pos)
            if hon:
                pos = hon.end()

        cased = doc.cased(cue.start())
        span = self._scan_name(text, pos, cased, strong=kind == "strong")
        if span is None:
            return None
        start, end, first_cap = span

        if kind == "strong":
            return start, end, STRONG
        if kind == "medium":
            return start, end, MEDIUM
        if not first_cap and self._next_word(text, end) == "nya":
            return None  # "kak fitur nya error": a noun, not a name
        if kind == "hon":
            return start, end, MEDIUM if first_cap else WEAK
        if kind == "hon_en":
            if cue.group("hon_en").lower() == "miss":
                # "i miss you", "don't miss ..." are verbs
                if cased and not first_cap:
                    return None
                if self._prev_word(text, cue.start()) in _PRONOUNS_BEFORE_MISS:
                    return None
            return start, end, MEDIUM if first_cap else WEAK

        # Weak cues: in a sentence that uses case, the name must be Capitalised.
        if cased and not first_cap:
            return None
        right = self._right_context(text, end)
        if kind in ("relation", "sendiri", "en_ask", "greet"):
            return start, end, WEAK
        if kind == "dengan":
            if (
                right == "strong"
                or self._prev_word(text, cue.start()) in _DENGAN_LEFT
                or (right is not None and self._left_ok(text, cue.start()))
            ):
                return start, end, WEAK
            return None
        if kind == "this_is":
            if right == "strong":
                return start, end, MEDIUM
            if cased and right is not None and self._left_ok(text, cue.start()):
                return start, end, WEAK
            return None
        # "saya X," / "ini X" / "I'm X": a message/turn start and a clear end of the intro.
        if right is not None and (first_cap or self._left_ok(text, cue.start())):
            return start, end, WEAK
        if kind == "self" and not cased and self._next_word(text, end) == "tadi":
            return start, end, WEAK  # ASR: turn boundaries are invisible ("... saya budi tadi")
        return None

    def _name_before_ini(self, doc: _Text, ini_start: int):
        """"Budi Santoso ini, mau tanya": 1-3 name words opening a message, then "ini"."""
        text = doc.text
        window = text[max(0, ini_start - 80) : ini_start]
        words = list(_WORD_RE.finditer(window))[-3:]
        offset = max(0, ini_start - 80)
        cased = doc.cased(ini_start)
        for m in words:  # longest candidate first
            start = offset + m.start()
            if not self._left_ok(text, start):
                continue
            span = self._scan_name(text, start, cased, strong=False)
            if span is None or span[0] != start:
                continue
            if text[span[1] : ini_start].strip():
                continue  # the name must run right up to "ini"
            if cased and not span[2]:
                return None
            return span[0], span[1], WEAK
        return None

    # -----------------------------------------------------------------------------------------
    def _scan_name(self, text: str, pos: int, cased: bool, strong: bool):
        """Return (start, end, first_word_capitalised) of the name starting at ``pos``."""
        tokens: list[tuple[int, int, str, str]] = []  # (start, end, word, kind)
        n = len(text)
        names = 0
        cap_mode = False
        while len(tokens) < self.max_name_words + 3:
            m = _WORD_RE.match(text, pos)
            if not m:
                break
            w_start, w_end = m.span()
            word = m.group()
            nxt = text[w_end] if w_end < n else ""
            # Glued to digits/underscore/@: a username or code, not a name.
            if nxt and (nxt.isdigit() or nxt in "_@"):
                break
            possessive = word.endswith(("'s", "’s"))
            if possessive:
                word = word[:-2]
                w_end -= 2
            first = not tokens
            is_cap = word[0].isupper()
            if first:
                cap_mode = cased and is_cap
            kind = self._classify(text, w_end, word, is_cap, cased, cap_mode, first, strong, tokens)
            if kind is None:
                break
            if kind == "abbr":
                w_end += 1  # keep the dot: "M. Yusuf"
            tokens.append((w_start, w_end, word, kind))
            if kind == "name":
                names += 1
                if names >= self.max_name_words:
                    break
            if possessive:
                break
            sep = _SEP_RE.match(text, w_end)
            if not sep:
                break
            pos = sep.end()
        # Trailing particles / abbreviations / Balinese openers are not a name on their own.
        while tokens and tokens[-1][3] in ("particle", "abbr", "opener"):
            tokens.pop()
        if not any(t[3] == "name" for t in tokens):
            return None
        return tokens[0][0], tokens[-1][1], cased and tokens[0][2][0].isupper()

    def _classify(self, text, w_end, word, is_cap, cased, cap_mode, first, strong, tokens):
        lower = word.lower().replace("’", "'")
        nxt = text[w_end] if w_end < len(text) else ""
        # Initials / name abbreviations followed by a dot ("M. Yusuf", "Muh. Rizky", "Budi S.").
        if nxt == "." and (
            (len(word) == 1 and (word.isupper() or not cased)) or lower in NAME_ABBREVIATIONS
        ):
            after = w_end + 1
            if after < len(text) and text[after] in " \t" and _WORD_RE.match(text, after + 1):
                return "abbr"
            if len(word) == 1 and word.isupper() and tokens:
                return "name"  # final initial: "Budi S." -> "Budi S"
            return None
        # Balinese "I"/"Ni" and "Anak Agung" openers.
        if lower in ("i", "ni") and self._next_word(text, w_end) in BALINESE:
            return "opener" if (is_cap or not cap_mode) else None
        if lower == "anak" and self._next_word(text, w_end) == "agung":
            return "opener" if (is_cap or not cap_mode) else None
        if len(word) == 1:
            return None
        if not first and lower in PARTICLES:
            return "particle"
        # Casing: after a Capitalised first word, a lowercase word ends the name, except after
        # a strong cue ("nama saya Budi santoso"), where only common words end it.
        if cap_mode and not is_cap and not strong:
            return None
        if "'" in lower and lower.rsplit("'", 1)[1] in _CONTRACTION_TAILS:
            return None  # I've, we'll, don't
        if lower in STOP_WORDS:
            if lower in CAPITALISED_NAME_EXCEPTIONS and cased and is_cap and not word.isupper():
                return "name"
            if lower in MIDDLE_NAME_EXCEPTIONS and tokens and self._next_is_name(text, w_end):
                return "name"
            if lower == "made" and (
                (tokens and tokens[-1][2].lower() in _BALI_CONTEXT) or (first and strong)
            ):
                return "name"
            return None
        if len(lower) > 20:
            return None
        if not (cased and is_cap):
            # Lowercase (or caseless) words: reject obvious inflected verbs/nouns.
            if _ID_AFFIX_RE.match(lower):
                return None
            if not (first and strong) and _ID_ME_RE.match(lower):
                return None
            if first and not strong and _EN_AFFIX_RE.match(lower):
                return None
        if first and not strong and _is_swap_typo(lower):
            return None
        return "name"

    # -----------------------------------------------------------------------------------------
    def _next_is_name(self, text: str, pos: int) -> bool:
        word = self._next_word(text, pos)
        return bool(word) and len(word) > 1 and word not in STOP_WORDS

    @staticmethod
    def _next_word(text: str, pos: int) -> str:
        sep = _SEP_RE.match(text, pos)
        if not sep:
            return ""
        m = _WORD_RE.match(text, sep.end())
        return m.group().lower() if m else ""

    @staticmethod
    def _prev_tokens(text: str, pos: int, limit: int) -> list[str]:
        start = max(0, pos - 80)
        tokens = _PREV_TOKENS_RE.findall(text, start, pos)
        if start > 0 and tokens:
            tokens = tokens[1:]  # the first one may be cut in half
        return tokens[-limit:]

    def _prev_word(self, text: str, pos: int, skip_dots: bool = False) -> str:
        tokens = self._prev_tokens(text, pos, 2)
        if skip_dots and tokens and tokens[-1] == ".":
            tokens.pop()
        return tokens[-1].lower() if tokens else ""

    def _left_ok(self, text: str, pos: int) -> bool:
        """True at a message/turn start: only greetings or punctuation before ``pos``."""
        for token in reversed(self._prev_tokens(text, pos, 8)):
            if not token[0].isalpha():
                return True  # punctuation/emoji: a new sentence or clause starts here
            if token.lower().replace("’", "'") not in _LEAD_WORDS:
                return False
        return True

    @staticmethod
    def _right_context(text: str, end: int):
        """'strong' / 'ok' when what follows the name confirms an introduction, else None."""
        rest = text[end : end + 40].lstrip(" \t")
        if not rest or not rest[0].isalnum():
            return "ok"  # end, punctuation, emoji
        m = _WORD_RE.match(rest)
        if not m:
            return None
        word = m.group().lower()
        if word in _STRONG_CONTINUATION:
            return "strong"
        if word == "di" and rest[m.end() :].lstrip().lower().startswith("sini"):
            return "strong"
        if word in _CONTINUATION_WORDS:
            return "ok"
        return None

    # -----------------------------------------------------------------------------------------
    def _results(self, best: dict) -> list[RecognizerResult]:
        # Longest span first at each start; drop spans inside a better-or-equal one.
        spans = sorted(best.items(), key=lambda kv: (kv[0][0], kv[0][0] - kv[0][1]))
        results: list[RecognizerResult] = []
        active: list[RecognizerResult] = []  # kept results that may still contain later spans
        for (start, end), (score, kind) in spans:
            active = [r for r in active if r.end > start]
            if any(end <= r.end and r.score >= score for r in active):
                continue
            result = RecognizerResult(
                entity_type=self.supported_entities[0],
                start=start,
                end=end,
                score=score,
                analysis_explanation=AnalysisExplanation(
                    recognizer=self.name,
                    original_score=score,
                    pattern_name=f"person_cue_{kind}",
                    textual_explanation=f"PERSON after a '{kind}' cue",
                ),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    # Scored from its own cue: Presidio must not boost it again.
                    RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                },
            )
            results.append(result)
            active.append(result)
        return results
