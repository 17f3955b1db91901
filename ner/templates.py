"""Contact-centre sentence templates for the augmentation (``ner/augment.py``).

Slots: ``{P}`` a person's full name, ``{F}`` a given name alone, ``{H}`` a form of address
(pak, bu, kak, ...), ``{B}`` a bank, ``{O}`` a brand or company, ``{L}`` a place, ``{W}`` a chat
word that follows a form of address and is no name ("kak barusan"), ``{D}`` a digit string
(phone, account, order), ``{R}`` a speaker label. Templates are split by position between
training and dev (``ner/augment.py``), so the dev score shows generalisation to unseen phrasing.
"""
from __future__ import annotations

TEMPLATES = """
nama saya {P}, mau tanya soal kartu {B} saya
sy {P} mau blokir kartu {B}
saya {P} dari {L}, paket saya belum sampai
halo kak, saya {F} mau komplain pesanan di {O}
{R}: Bapak/Ibu siapa? {R}: {P}
{R}: dengan siapa saya bicara? {R}: {P}
{R}: boleh disebutkan nama lengkapnya? {R}: {P}
{R}: atas nama siapa kak? {R}: {P} kak
nama ibu kandung {R}: {P}
nama ibu kandung: {P}
{P} - {D}
{P}, {D}, {L}
{P} {D}
rekening {B} {D} a.n. {P}
transfer ke rek {B} {D} atas nama {P}
tolong kirim ke {P} di {L} ya
under {P}
the account is under {P}
my name is {P} and I live in {L}
hi, this is {P} from {O}, how can I help you?
hello {F}, thank you for contacting {O}
{H} {F} mohon ditunggu sebentar ya
baik {H} {F}, saya cek dulu datanya
terima kasih {H} {P}, ada lagi yang bisa dibantu?
{H} {W} saya transfer ke {B} tapi belum masuk
{H} {W} saya belum sampai padahal udah 3 hari
{H} {W} ini gimana ya
{H} {W} banget pelayanannya
halo {H}, {W} saya kok belum diproses
hp {W} rusak, mau klaim garansi {O}
aplikasi {B} error terus dari kemarin
saya pakai {B}, bukan {B}
saldo {O} saya kepotong tapi transaksi gagal
kenapa top up {O} saya belum masuk {H}
saya tinggal di {L}, dekat {L}
kirim ke {L} berapa hari {H}?
cabang {B} {L} buka jam berapa?
penerima {P}, alamat di {L}
penerimanya {F} {H}, adik saya
suami saya {P} yang punya kartunya
istri saya {F} udah telpon kemarin
anak saya {F} yang pakai akun {O}
kata {H} {F} tadi bisa direfund
yang urus kemarin {H} {F} dari {O}
{F} ini yang kemarin chat soal refund
{P} yang kemarin komplain, kak
ini {F}, pesanan saya atas nama {P}
{R}: {P}, nik {D}
{R}: {P} no hp {D}
data: {P} / {D} / {L}
nama pemilik rekening {P} bank {B}
pemilik kartu {P}, kartu {B}
dengan {H} {P}, benar?
betul, dengan {P} sendiri
iya saya sendiri {F}
{R}: {F}? {R}: iya betul
tolong hubungi {F} di {D}
bilang ke {F} ya {H}
chat sama {F} aja {H}
kurirnya {F} dari {O} belum datang
driver {O} namanya {P}
can I speak with {P} please
I'm calling on behalf of {P}
my wife {F} opened the account at {B}
please send it to {P}, {L}
the card holder is {P}
{F} here, my {O} order hasn't arrived
hi {F}, sure, let me check that for you
thanks {F}, have a nice day
yes this is {F} speaking
{P} called yesterday about the same issue
saya mau tanya {H}, promo {O} masih ada?
{B} lagi gangguan ya {H}?
{O} {L} tutup jam berapa
tiket ke {L} atas nama {P} dan {P}
penumpang {P} sama {P}
{P} ({D})
saya {F}, {H}, anaknya {P}
pak {F} {H} {F}? maksud saya {P}
{W} {H}, makasih ya
oke {H} {W}
iya {H}, {W} aja
{F} {W} udah bayar kok
saya {W} transfer lewat {B}
sudah {H}, tadi lewat {O}
nomor virtual account {B} {D}
ini {F} {H}, mau reschedule penerbangan {O} ke {L}
maaf {H} {F}, sistem kami sedang gangguan
selamat pagi, dengan {F} dari {O}, ada yang bisa dibantu?
selamat siang {H} {P}
salam, {P}
regards, {P}
{R}: {P}
{R}: saya {P}, {D}
{P} mau ganti nomor hp
{P} udah transfer tadi pagi
dari {P} untuk {P}
ke {P} via {B}
{H} {F} dari {L} ya?
asal {L}, sekarang kerja di {O}
kantor {O} di {L}
saya nasabah {B} cabang {L}
yang ngirim {O} atau {O} kak?
""".strip().splitlines()

#: Speaker labels of chat exports and diarised transcripts.
SPEAKERS = """Customer|Agent|CS|Pelanggan|Nasabah|Penelepon|Caller|A|B|Me|Anda|User|Admin|Operator|
Petugas|Cust|Agen|Speaker 1|Speaker 2""".replace("\n", "").split("|")

#: Chat words written after a form of address that are no names ("kak barusan", "hp laa").
CHAT_WORDS = """barusan pesenan pesanan paketnya saldonya mau udah sudah gimana tolong kenapa kok
ini itu belum bisa gak nggak nanti tadi minta ada boleh jadi terus mohon maaf kapan berapa
dimana sebentar nomor akun kartu dana jago mantap oke siap laa lah nih dong sih deh kan loh
kemarin kemaren td kmrn tolongin cepetan buruan aja doang ya iya nggih makasih terimakasih
lama lambat ribet mahal murah keren parah banget bener betul sama juga lagi masih baru pagi
siang sore malam semua semuanya langsung segera pesen barang orderan refund cashback promo
voucher ongkir paket kurir resi transfer saldo tagihan cicilan limit pin otp sandi aplikasi
sinyal kuota pulsa jaringan""".split()

HONORIFICS = """pak bu kak mas mbak mba bapak ibu kakak bang om tante mbk ka kk ko ci dek
sis gan bro""".split()

#: Contact-centre sentences with no name: dates, amounts, codes, card and delivery talk in
#: English, Indonesian and both, so that the model learns what is *not* a person. ``{D}`` digits,
#: ``{M}`` a month, ``{B}``/``{O}``/``{L}`` as above.
NEGATIVES = """
your order will arrive {M} {D}
the package will arrive next monday
it will arrive on the third of {M}
okay so the best number to reach you is {D}
valid thru 06/28
card valid thru {D}, security code nya {D} kak
expires {M} 2029
the card expires next year
I've sent a verification link to your email
please do not share your otp with anyone
your reference number is {D}
here is your ticket number: {D}
my {O} account is inactive, can you check?
kok inactive ya kak akun {O} saya
the platinum credit card costs seventy five thousand rupiah per month
the annual fee is waived for the first year
can the technician come on {M} seventh
I bought 8 units but was charged twice
I was charged twice for the same order
sorry for the late reply, I was in a meeting
sorrry kak baru bales, td lagi meeting
saya sudh coba login 5x tapi gagal terus
ga bissa dipake di RS kak
mau reschedule jaadi tanggal {D} bisa?
kak plaese refund ke rek {B} ya
thank you for calling {O}, how may I help you today
is there anything else I can help you with
let me transfer you to the right department
please hold while I check your account
the system is down at the moment, please try again later
could you confirm the last four digits of your card
could you please spell that for me
I would like to cancel my subscription
I want to file a complaint about the delivery
the refund will be processed within 14 working days
we have escalated your case to our team
terima kasih sudah menghubungi {O}, ada lagi yang bisa dibantu?
mohon maaf atas ketidaknyamanannya
saldo saya kepotong dua kali kak
limit kartu kredit saya berapa ya
tagihan bulan ini kok naik
kode otp nya gak masuk masuk
paket saya nyangkut di gudang {L} udah seminggu
kurir bilang alamat tidak ditemukan
barangnya rusak pas sampai, mau retur
promo cashback nya berlaku sampai kapan
minimal transaksi berapa buat dapet poin
baik, mohon ditunggu, saya cek dulu
sinyal di daerah {L} jelek terus
pembayaran via {O} gagal terus dari tadi
case closed, thank you
noted with thanks
iya betul, sudah sesuai
oke siap, makasih banyak ya
yes that is correct
no, that's all, thank you
I think it is fine now
it is {D} I think
yes I think that's right, I ordered it within the week
I mean the card, not the account
mhm okay I think so
I haven't received it, she said it was already sent
fine, I will wait then
i think the address is fine
boleh dieja pelan pelan kak
eja ulang ya pak, saya catat
mhm iya betul yang itu
the invoice says combo package, I think that's wrong
""".strip().splitlines()

MONTHS = """january february march april may june july august september october november december
januari februari maret april mei juni juli agustus september oktober november desember""".split()
