"""Words that are never a person's name, and the forms of address around names.

Shared by the PERSON recognizers (cue rules, our NER model, English spaCy's NER) and the name
echoes: a word here ends a name and is never one by itself. Chat and domain lists are kept free
of common given names and surnames (checked against Faker's id_ID/en_US lists); the names that
are also everyday words ("Dewi", "Intan", "Hari") are listed in CAPITALISED_NAME_EXCEPTIONS.
Each list was measured on 2026-12-06 (the cue tables, the dev sets and the looked-at names
sets): emptying any one of them took 5 to 460 more ordinary tokens for names and caught at most
two more name tokens.
"""
from __future__ import annotations

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS as _EN_STOP_WORDS
from spacy.lang.id.stop_words import STOP_WORDS as _ID_STOP_WORDS

#: Honorifics / forms of address. Followed by a name they mark a PERSON (honorific excluded).
HONORIFICS_ID = (
    "bapak bpk bp pak ibu ibuk bu kakak kak mas mbak mba mbk mb dik adik adek bang abang om "
    "tante sdr sdri saudara saudari kang koh bli dokter dok drg suster bidan mbah neng ustadz "
    "ustad ustadzah bibi bik bi mbok cik ci cece ko engkoh uni teteh akang "
    "ny nyonya tn tuan opung ompung inang nona nyong"
).split()
#: English and academic titles (Ir., Drs., Dra.: engineer, doctorandus, doctoranda).
HONORIFICS_EN = "mr mrs ms mx miss missus mister dr prof ir drs dra".split()

#: ASR hesitations and typed ones: never part of a name, even where a model takes them in.
#: Not "e", "em", "er": letters of a spelled name.
HESITATIONS = frozenset("ee eee eh ehh emm ehm hm hmm mhm mhmm mm uh uhm um umm anu".split())

#: Chat and domain words that are never (part of) a name. Kept free of common given names
#: and surnames (checked against Faker's id_ID/en_US lists; see CAPITALISED_NAME_EXCEPTIONS).
CHAT_WORDS_ID = """
cc berangkat nyampe nitip titip dititip maksud maksudnya lengkapnya gabung digabung pisah dipisah
pasien dirawat batuk pilek demam flu
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
kerja bekerja kuliah pergi pulang meninggal almarhum almarhumah alm almh ulang natal idul
lebaran gaes gais guys semuanya kalian tim team bosku kakak2 rs klinik hotel apotek
btw fyi asap lol omg bau cepetan buruan duluan beneran mulu valued dana silakan silahkan
pls plz plis tlng
nol kosong enam tujuh delapan sembilan sepuluh sebelas belas puluh ratus ribu juta miliar
seratus seribu setengah rupiah rp
saking badhe bade sampun nggih mboten su pu allah tuhan kulo kula wonten pripun nuwun sewu dereng
panjenengan sampeyan njih kls
bgt banget bngt emg gpp gapapa bnyk byk bnr jdi trs kmu dri bwt doank yok ayok pliss mksh tks anjir anjay
anjrit gabut mager julid judes xixi awokwok otw otewe cmiiw gws hbd yaelah yailah elah maap cm
kenalin
""".split()

#: Contact-centre domain vocabulary (telco, banking, e-commerce, logistics, health, travel)
#: and everyday verbs/adjectives that follow an honorific ("kak fitur ...", "pak sinyal ...").
DOMAIN_WORDS_ID = """
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
cetak statement usaha bisnis ulangi periksa catat laksanakan lanjutkan lanjut selesai beres
kelar tuntas oke sip mantap mantul
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

CHAT_WORDS_EN = """
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
hour hours minute minutes seconds week weeks month months year years days ago billing
shipping mailing review investigation dispute dewasa bayi balita lansia spell spelled spelt
spelling
""".split()

#: Form labels, role labels of chat exports/transcripts and answers that are no names: they end
#: a name ("Nm: RAFI SITOMPUL Qty: 2") and keep "caller:" / "hah" from being read as one.
LABELS_AND_ROLES = """
qty pcs sku dob zip postcode tel ttl umur usia pekerjaan agama gender kelamin catatan ket note
notes remarks total item items city state country kontak darurat emergency pemohon pelapor attn
reminder pengingat pengumuman alert warning log meeting agenda level tier terlampir menyusul
nyusul idem tba tbd cp pic cvv cvc ccv exp expiry contact reference ship rapat
penelepon penelpon caller system sistem bot chatbot official store helpdesk center centre hotline
care assistant asisten speaker pembicara receiver recipient sender consignee shipper penipu
scammer sales
marketing telemarketing collector dc finance accounting akunting keuangan procurement
purchasing operasional ops
hah heh huh pardon excuse bentar bntr suara putus hold wait hang let repeat sec moment unknown
private joint bersama gabungan mate man dude buddy pal love luck job sale flash plus semoga moga
sukses berkah aamiin gercep heere
kosan kontrakan apartemen asrama mertua sodara sepupu
""".split()
#: What follows "it's" / "this is" / precedes "here" when it is not a name ("it's broken",
#: "this is insane", "click here").
EN_STATES = """
broken gone late expired declined stolen frozen dead fixed solved resolved closed open off
normal real fake legit safe secure slow fast cheap expensive hard easy simple crazy insane
stupid nonsense bullshit crap rubbish spam madness unfair absurd serious mine yours hers ours
theirs old different similar horrible awful alright useless nuts empty full missing unclear
unreal enough fair okay cancelled canceled finished forever click klik tap sign come look stay
sit stand park press scroll swipe type enter
""".split()

#: Stop words that are also given names / surnames. Accepted when written Titlecase in a
#: sentence that uses case ("Dan", "May", "Wong", "Hari", "Tanya", "Dini", "Made", "Good").
CAPITALISED_NAME_EXCEPTIONS = frozenset(
    "dan may will hari kala among tanya wong yang dini made sari bung ken good sabar uda "
    "branch dana emas tim villa rose grace hope joy june april august faith bill mark mike "
    "bunga intan permata mutiara berlian mawar melati bulan".split()
)
#: The rarer of those are also kept lowercase between two name words ("lanjar kala setiawan").
MIDDLE_NAME_EXCEPTIONS = frozenset("kala among wong dini made sari bung sabar uda".split())

#: spaCy's Indonesian stop words, and its Indonesian and English ones, lowercase.
SPACY_ID_STOP_WORDS = frozenset(w.lower() for w in _ID_STOP_WORDS)
SPACY_STOP_WORDS = SPACY_ID_STOP_WORDS | frozenset(w.lower() for w in _EN_STOP_WORDS)

STOP_WORDS = frozenset(
    SPACY_STOP_WORDS
    | set(CHAT_WORDS_ID)
    | set(DOMAIN_WORDS_ID)
    | set(CHAT_WORDS_EN)
    | set(LABELS_AND_ROLES)
    | set(EN_STATES)
    | set(HONORIFICS_ID)
    | set(HONORIFICS_EN)
)


#: Lowercase particles kept inside a name when followed by another name word.
PARTICLES = frozenset(
    "bin binti bte bt van von der den de da del della dos das du la le al el ibn ter ten".split()
)
#: Places, banks, brands and agencies. Not stop words (some are also given names: "Mega",
#: "Permata" and "Gading" are left out here), but the looser cues of the cue recognizer
#: ("hubungi X", "kirim ke X", a chat-export sender) must not take them for a person.
PLACES_AND_ORGS = frozenset(
    """
    indonesia aceh sumatra sumatera jawa kalimantan sulawesi papua maluku nusa tenggara riau jambi
    bengkulu lampung banten gorontalo ntt ntb kepri babel jabodetabek jabar jateng jatim diy dki
    sumut sumbar sumsel sulsel sulut kaltim kalbar kalsel kalteng utara selatan barat timur
    tengah pusat raya manado kendari palu ambon jayapura sorong kupang mataram lombok padang
    pontianak banjarmasin balikpapan samarinda tarakan bukittinggi cirebon tasikmalaya garut
    sukabumi cianjur karawang cikarang purwakarta subang serang cilegon tegal pekalongan
    purwokerto magelang salatiga kudus jepara klaten sragen madiun kediri blitar jember banyuwangi
    probolinggo pasuruan mojokerto sidoarjo gresik lamongan tuban bojonegoro ngawi ponorogo
    tulungagung lumajang situbondo sumenep madura singaraja gianyar tabanan badung kuta ubud
    sanur cibubur cileungsi ciputat serpong bintaro bsd kemang menteng senayan sudirman thamrin
    kuningan kelapa cengkareng bekasi tangsel jaksel jaktim jakbar jakut jakpus
    singapore singapura malaysia kuala lumpur brunei thailand bangkok vietnam filipina
    philippines china cina tiongkok japan jepang tokyo korea seoul taiwan hongkong hong kong
    arab saudi mekkah makkah madinah dubai qatar mesir turki eropa europe amerika america
    usa uk london australia melbourne perth belanda jerman
    mandiri maybank panin muamalat sinarmas jago seabank allo blu bukopin mayapada
    hsbc citibank citi uob dbs bjb bpd nobu mnc btpn wokee digibank motion superbank krom
    telkom indihome im3 simpati halo paypal visa mastercard amex jcb doku midtrans xendit
    flip akulaku kredivo indodana kredit pintar adira fif wom bfi finance amazon ebay zalora
    indomaret alfamart alfamidi hypermart carrefour transmart lotte ikea informa matahari
    google apple samsung xiaomi oppo vivo realme huawei iphone ipad macbook netflix spotify
    youtube facebook fb instagram ig tiktok twitter microsoft windows zoom gmail yahoo outlook
    garuda citilink batik airasia kai pelni damri bluebird
    jnt spx idexpress rpx sap lex kgx borzo deliveree shopeefood gofood grabfood
    dukcapil samsat polres polsek polda polri kominfo ojk bi ylki bpom bpn kemenkes imigrasi
    pajak kemendag bappenas kejaksaan pengadilan
    call center centre hotline care helpdesk desk official store shop resmi manajemen
    management divisi departemen department legal finance hrd hr pihak gedung wisma menara
    tower plaza mall ruko graha lantai lt bandara stasiun terminal pelabuhan kampus pabrik masjid
    gereja sekolah warehouse building unit room floor suite gate block lobby
    disney hotstar vidio viu wetv iflix prime
    """.split()
)

#: Heads of the names of places and institutions named after people: "Bandara Soekarno-Hatta",
#: "RSUP Dr. Sardjito", "Universitas Gadjah Mada", "Jl. Ahmad Yani", "Stadion Gelora Bung Karno".
NAMED_PLACE_HEADS = frozenset(
    "jl jln jalan gg gang lorong bandara rs rsu rsud rsup rsia universitas univ institut stadion "
    "gelora masjid gereja taman museum gedung wisma graha monumen terminal stasiun pelabuhan kcp "
    "kcu lapangan pasar apartemen street road rd avenue ave".split()
)
_PLACE_HEAD_BEFORE = re.compile(
    r"(?<![\p{L}\p{N}])(\p{L}+)\.?[ \t]+(?:(?:dr|prof|h|hj|ir|kh|drs)\.?[ \t]+)*$", re.IGNORECASE)
_LETTERS = re.compile(r"\p{L}+")


_GRANDPARENT_TITLES = r"(?:mbah|embah|eyang)[ \t]+"
_GRANDPARENT_TITLE = re.compile(rf"(?<!\p{{L}}){_GRANDPARENT_TITLES}$", re.IGNORECASE)
_GRANDPARENT = re.compile(rf"({_GRANDPARENT_TITLES})?(?:putri|putra|kakung|uti|kung)", re.IGNORECASE)


def names_a_grandparent(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` the "putri" of "mbah putri" (Javanese: grandmother), the
    "kakung" of "eyang kakung" (grandfather), with or without the title?"""
    words = _GRANDPARENT.fullmatch(text, start, end)
    return words is not None and (words.group(1) is not None or bool(
        _GRANDPARENT_TITLE.search(text, max(0, start - 10), start)))


def names_a_place(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` the name of a place or institution ("Soekarno-Hatta" after
    "Bandara", "Sardjito" after "RSUP Dr."), or does it open with its head?"""
    first = _LETTERS.match(text, start, end)
    if first is not None and first.group().lower() in NAMED_PLACE_HEADS:
        return True
    head = _PLACE_HEAD_BEFORE.search(text, max(0, start - 40), start)
    return head is not None and head.group(1).lower() in NAMED_PLACE_HEADS
