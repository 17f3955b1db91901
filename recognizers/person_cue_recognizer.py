"""PERSON names found from conversational cues, for Indonesian, English and code-mixed text.

Our NER model (``id_ner_recognizer.py``) finds most names by themselves; this recognizer adds
the names that only what is said around them gives away (answers to "atas nama siapa?", form
labels, chat-export senders, "a.n." after an account). Its weak cues are checked against the
model: a bank, a brand or a place is no person (``_vetoed``). Cue kinds that added no recall
beside the model were removed (``python -m benchmarks.cue_rules`` measures what each adds).
The cut of 2026-12-06 ("X here", Capitalised openers, "0812... (X)", answers to a list of
fields) leaked no name token more on any test table, dev set or names set; that of 2026-12-07
("this is X", verbs that take a person, "kepala keluarga X" / "penumpang X") none on any set,
three of the test tables' phrasings (``tests/test_id_ner_recognizer.py``), and it unmasked
"ditelpon penagih" (a debt collector) and the like.
It uses no ``nlp_artifacts`` (for Indonesian messages the engine only tokenizes), only
precompiled ``regex`` scanning, and costs a few microseconds per chat message.

Cues and scores
---------------
* strong (0.85): "nama saya X", "namaku X", "nama lengkap: X", "atas (ehm) nama X", "a.n. X",
  "pemilik rekening X", "nama ibu kandung X", form labels ("nama: X", "Nm - X", "Name = X",
  "Contact person: X", "Data pemohon: X", "PIC: X"), "my name is X",
  "name on the account is X", "account holder X", "(mother's) maiden name is X",
  "my husband's name X", "under the name X", spoken a.n. after an account number or a bank
  ("1234567890 an X", "bca add X", "a n X"), the sender of a WhatsApp/Telegram export line
  ("[15:01, 18/8/2026] X: ...", "5/29/26 5:51 PM - X: ...", "[12:07] X: ...", roles like "CS"
  excepted, a phone-number label or a "(Agent)" role around the name skipped).
* medium (0.75): "bernama X", "namanya X", "panggil saja X", "penerima(nya) X", "receiver X",
  "name is X", "call me X", honorific + Capitalised name ("Pak Budi", "Mrs. Smith"), the
  answer to an agent's name question ("atas nama siapa?", "may I have your name?") in the
  next speaker turn or, in ASR, right after it ("it will be X", "nggih X"); an agent's
  introduction ("saya X dari bagian ...", "dengan X ya, ada yang bisa dibantu"); a speaker
  label that is a name ("Rahma (Agent): ..."); a bare "nama"/"name"/"full name"/"cardholder
  name"/"tertanggung"/"pic" and a name closed by an ID word, the next speaker, "noted" or the
  end ("nama agustina simatupang no lama 0817 ..."); 2-4 name words opening a turn before an
  ID, contact or bank data, the next speaker's label or the agent's "baik pak X" ("customer:
  wida dewi prasetyo, nik ...", "IFA WULANDARI, PASSPORT ...", "b: lukita mayasari a: ..."),
  one word before an ID with its value ("FERRY, NIK 8277..."); "attention X", "attn X", "up.
  X"; the holder after bank data ("BRI 366501878272960 CRYSTAL FOSTER"), an enumerated list
  entry ("1. I Nyoman Sanjaya - passport ..."), a name after an ID and a dash ("B3158197 -
  ratih adiputra"); customer labels ("Anda:", "me:") answer name questions.
* weak (0.6): honorific + lowercase name ("pak budi"), "dengan X" ("selamat pagi, dengan
  Rina", "iya dengan budi"), "saya X," / "ini X," / "X ini, mau ..."
  introducing oneself at the start of a message or turn, "saya X yang kemarin", "suami saya
  X" / "my wife X", "hi X" / "terima kasih X", "speaking with X", "dengan X" after a greeting
  or answered with "iya", "you're chatting with X", "told by X", "ask for X"; "Salam,\nX" /
  "Regards, X" closing a line.
  These looser cues also reject places, banks, brands, roles and acronyms ("lapor ke OJK").

Name extent
-----------
1-4 name words after the cue, stopping at punctuation, digits, line breaks and any
function/common word (``vocabulary.STOP_WORDS``).
Particles stay inside (bin/binti/van/de/al, Balinese I/Ni + Gusti/Made/Putu, "Anak Agung",
"Muh."/"M." initials, "m agus"). Where a sentence uses case, weak cues need a Capitalised name and,
except after a strong cue, a Capitalised first name word makes the name stop at the next
lowercase word; ASR output and all-lowercase chat accept lowercase names that are not common
words. ALL CAPS text gives no case signal and is read like lowercase ASR.
"""
from __future__ import annotations

from bisect import bisect_right

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from recognizers.base import ANALYZER_LANGUAGE, last_match, last_turn_start, shifted
from recognizers.id_ner_model import ORDINARY_ID_WORDS, is_chat_word, shared_model
from recognizers.vocabulary import (
    CAPITALISED_NAME_EXCEPTIONS,
    CHAT_WORDS_EN,
    CHAT_WORDS_ID,
    HONORIFICS_EN,
    HONORIFICS_ID,
    MIDDLE_NAME_EXCEPTIONS,
    PARTICLES,
    PLACES_AND_ORGS,
    SPACY_ID_STOP_WORDS,
    SPACY_STOP_WORDS,
    STOP_WORDS,
    names_a_grandparent,
    names_a_place,
)

STRONG = 0.85
MEDIUM = 0.75
WEAK = 0.6

# ---------------------------------------------------------------------------------------------
# Vocabulary of the cue rules (the words shared by every PERSON recognizer: ``vocabulary.py``)
# ---------------------------------------------------------------------------------------------

#: Everyday words whose adjacent-letter-swap typos ("plaese", "syaa") are not names either.
#: Domain nouns are left out: "Kalim" is a name, not a typo of "klaim".
_TYPO_BASE = SPACY_STOP_WORDS | set(CHAT_WORDS_ID) | set(CHAT_WORDS_EN)
_TYPO_BASE -= CAPITALISED_NAME_EXCEPTIONS
#: Indonesian chat words whose doubled-letter typos ("maakasih", "tollong", "barru") are no
#: names either (English is left out: "Moore", "Booth", "Mooney" are surnames).
_DOUBLE_TYPO_BASE = frozenset(
    w for w in SPACY_ID_STOP_WORDS | set(CHAT_WORDS_ID) if len(w) >= 4
) - CAPITALISED_NAME_EXCEPTIONS

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
    um umm uh eh em emm ehm hmm nah nggih injih dear sir madam oh okey betul benar basically
    actually
    well anyway jadi gini begini maaf sorry""".split()
)
#: Lead words that open an answer, and so a turn.
_ANSWER_OPENERS = frozenset("iya iyaa iyah nggih injih betul benar yes yeah".split())
#: Words after a weakly-cued name that confirm an introduction ("Saya Budi, ..." / "... mau").
_CONTINUATION_WORDS = frozenset(
    """dari from mau mo mao ingin pengen pingin here speaking calling disini nasabah pelanggan
    customer member pemilik yang yg ada bisa siap and umur usia with at tadi kemarin gan kak ka
    min sis bro mas mbak mba pak bu bang soal tentang mengenai terkait about regarding
    saking badhe bade""".split()  # Javanese "from", "want": "kulo Rini saking Klaten"
)
#: Words after "dengan X" / "saya X" that confirm an introduction on their own.
_STRONG_CONTINUATION = frozenset(
    "speaking calling here heere disini dari from ada siap tadi again".split()
)
#: "saya X yang kemarin telepon", "aku X the account holder": the speaker identifies himself.
_INTRO_AFTER_RE = re.compile(
    r"(?:yang|yg)[ \t]+(?:kemarin|kemaren|kmrn|tadi|td|barusan|sebelumnya|waktu[ \t]+itu)\b"
    r"|(?:the[ \t]+)?(?:account|card)[ \t]?(?:holder|owner)\b"
    r"|,?[ \t]*(?:following[ \t]+up|checking[ \t]+in|reaching[ \t]+out)\b",
    re.IGNORECASE,
)
#: Words before "dengan" that make it an introduction ("saya dengan Budi", "bicara dengan X").
_DENGAN_LEFT = frozenset(
    "saya sy aku gue gw ini siapa ya iya bicara berbicara ngobrol terhubung tersambung dengan "
    "dgn".split()
)
#: Role labels of chat exports and transcripts ("[10:02, 3/4/26] CS: ...", "agen: ...").
_ROLE_WORDS = frozenset(
    """cs agent agen admin mimin customer pelanggan penelepon penelpon caller nasabah operator
    system sistem bot chatbot seller penjual pembeli buyer kurir driver you anda me saya aku
    official store toko support care team tim helpdesk service layanan user pengguna konsumen
    client klien petugas officer teller rep representative assistant asisten virtual ai""".split()
)
_NOT_NAME = PLACES_AND_ORGS | _ROLE_WORDS
#: After a "name": it was a shop or a company ("TOKOKITA OFFICIAL", "Berkah Store").
_SHOP_WORDS = frozenset("official store shop mart group corp company tbk indonesia".split())
_PRONOUNS_BEFORE_MISS = frozenset(
    "i we you they he she it dont don't not will would to really so also still".split()
)

# ---------------------------------------------------------------------------------------------
# Regexes
# ---------------------------------------------------------------------------------------------

_B = r"(?<![\p{L}\p{N}_])"  # left word boundary
_S = r"[ \t]+"  # spaces inside a cue
#: "I": also Javanese "kulo"/"kula", eastern "beta", Minang "ambo".
_SELF = r"(?:saya|sy|sya|aku|aq|ku|gue|gw|gua|ane|kulo|kula|beta|ambo)"
_NAMA = r"(?:nama|naam|nmaa|nm)"  # with the commonest typos and the form abbreviation
_NAME = r"(?:name|nmae|naem)"
#: Bank names as said before an account number ("BRI 3665...", "mandiri 566...").
_BANKS = (
    r"(?:bca|bri|bni|btn|bsi|mandiri|cimb(?:[ \t]niaga)?|niaga|danamon|permata|panin"
    r"|ocbc(?:[ \t]nisp)?|maybank|mega|jago|seabank|bjb|btpn|jenius|muamalat|sinarmas|bukopin"
    r"|uob|hsbc|dbs|citibank|blu|allo|bank[ \t]\p{L}+)"
)
#: How customers and agents address each other in chat; the next word is as often chat as a name.
_CHAT_ADDRESS = frozenset("kak ka kk kakak min admin gan sis".split())
_ACKNOWLEDGE = frozenset("baik oke ok okay noted siap kasih makasih thanks thank".split())
_TITLES = frozenset(HONORIFICS_ID + HONORIFICS_EN) - _CHAT_ADDRESS
#: Titles that also come before ordinary nouns: "dokter gigi", "mbah putri", "neng geulis".
_TITLES_OF_NOUNS = frozenset("dokter dok drg suster bidan mbah neng bi uni ko tuan nona".split())
_HON_ID = "|".join(sorted(HONORIFICS_ID, key=len, reverse=True))
_HON_EN = "|".join(sorted(HONORIFICS_EN, key=len, reverse=True))
_FILL = r"(?:e+h*m*|hm+|uh+|um+|er+|anu)"  # ASR hesitations: eh, em, emm, ehm, hmm, uh, um
#: English hesitations inside a cue: "my name you know is ...", "this uh is ...".
_EN_FILL = rf"(?:(?:you{_S}know|i{_S}mean|uh+|um+|er+|eh+|like|actually|so){_S})"
#: A form-label separator: "Nama: X", "Name = X", "Nm - X" (a dash only with a space after).
_LABEL_SEP = r"[ \t]*(?::|=|[-–—](?=[ \t]))"
_REL_ID = (
    r"(?:suami|istri|isteri|anak|ayah|bapak|bapa|ibu|mama|mamak|papa|kakak|adik|adek|mertua|teman"
    r"|sepupu|om|tante|keponakan|paman|bibi|nenek|kakek|simbah|mbah|pacar|tunangan|asisten"
    r"|sekretaris|atasan|bos|boss|rekan|ipar|cucu|cicit|menantu|ponakan|besan)"
)
#: "istri saya", and in the east "sa pu bapa", "beta punya mama": whose relative is named.
_MY_RELATIVE = rf"(?:{_REL_ID}{_S}{_SELF}|(?:sa|{_SELF}){_S}(?:pu|punya){_S}{_REL_ID})"
_REL_EN = (
    r"(?:wife|husband|son|daughter|mother|mom|mum|father|dad|brother|sister|friend|partner"
    r"|colleague|fianc[eé]e?|girlfriend|boyfriend|uncle|aunt|cousin|nephew|niece|grandmother"
    r"|grandfather|grandma|grandpa|assistant|secretary|manager|boss|coworker|co-worker|landlord"
    r"|lawyer|accountant|employer)"
)

_STRONG_CUES = [
    # Indonesian
    rf"{_NAMA}(?:{_S}gadis)?{_S}ibu{_S}kandung(?:nya)?(?:{_S}(?:{_SELF}|anda|bapak|ibu|kakak))?",
    rf"{_NAMA}(?:{_S}lengkap)?(?:{_S}{_SELF})?{_S}(?:sesuai|di|pada|yang{_S}(?:tertera|terdaftar)"
    rf"(?:{_S}di)?){_S}(?:ktp|kartu|rek(?:ening)?|buku{_S}tabungan|identitas|aplikasi|akun"
    rf"|passport|paspor)(?:nya)?",
    rf"{_NAMA}{_S}(?:lengkap{_S})?{_SELF}",
    rf"(?:{_SELF}|sa){_S}(?:pu|punya){_S}{_NAMA}",  # eastern "sa pu nama", "beta pu nama"
    rf"{_NAMA}(?:ku|{_S}lengkap(?:nya)?)",
    rf"{_NAMA}{_S}(?:pemilik|pemegang)(?:{_S}(?:rekening|rek|kartu|akun|nomor|no))?(?:nya)?",
    rf"{_NAMA}{_S}(?:nasabah|pelanggan|penerima|pengirim|pemesan|akun|rekening|debitur|peminjam"
    rf"|ahli{_S}waris|{_REL_ID})(?:nya)?(?:{_S}{_SELF})?",
    rf"(?:pemilik|pemegang){_S}(?:rekening|rek|kartu|akun)(?:nya)?",
    rf"atas{_S}(?:{_FILL}{_S}){{0,2}}{_NAMA}(?:{_S}{_SELF}|{_S}{_MY_RELATIVE})?",
    r"a[ \t]?\.[ \t]?n\b\.?|a/n|an\.|a[ \t]n(?=[ \t])",
    # spoken a.n. after an account number or a bank: "1234567890 an budi", "bca add budi"
    rf"(?:an|add)(?<=(?:\d{{3}}[ \t]{{0,3}},?[ \t]{{0,3}}|(?:rek|rekening|norek|account|{_BANKS})"
    r"[ \t]{1,3})(?:an|add))",
    rf"{_NAMA}{_LABEL_SEP}",
    # form / ticket labels
    rf"(?:contact{_S}person|emergency{_S}contact|kontak{_S}darurat)(?:nya)?(?:{_LABEL_SEP})?"
    rf"(?:{_S}(?:kamu|anda|saya|sy|bapak|ibu|kakak|kak|you|your))?"
    rf"(?:{_S}(?:masih|tetap|tetep|still|is))?",
    rf"(?:cp|pic|attn|(?:data{_S})?(?:pemohon|pelapor|pendaftar|tertanggung|debitur)"
    rf"|penanggung{_S}jawab){_LABEL_SEP}",
    # English
    rf"(?:my|his|her|their|the|your|full|first|last|legal|customer'?s?|account|card)"
    rf"{_S}(?:full{_S}|first{_S}|last{_S}|legal{_S})?(?:{_NAME}{_S}{_EN_FILL}{{0,2}}is|{_NAME}'s"
    rf"|surname{_S}is)",
    rf"{_NAME}{_S}on{_S}(?:the{_S}|my{_S}|this{_S})?(?:bank{_S})?(?:account|card)(?:{_S}is)?",
    rf"(?:account|card)[ \t]?holder(?:'?s)?(?:{_S}{_NAME})?(?:{_S}is)?",
    rf"(?:(?:my|his|her|the){_S})?mother'?s{_S}maiden{_S}{_NAME}(?:{_S}is)?",
    rf"maiden{_S}{_NAME}(?:{_S}is)?",
    rf"(?:(?:my|his|her|the){_S})?{_REL_EN}'?s?{_S}(?:full{_S})?{_NAME}(?:{_S}is)?",
    rf"under{_S}the{_S}{_NAME}(?:{_S}of)?",
    rf"(?:(?:full|first|last|legal|complete|customer|contact)[ \t]+)?{_NAME}{_LABEL_SEP}",
]
_MEDIUM_CUES = [
    # "attention attention nining wulandari", "attn um courtney whitaker", ", up. Imas Ginting"
    rf"(?:attention|attn)(?:{_S}(?:attention|attn))?|(?<=(?:^|[,;\n])[ \t]*)u\.?p\.",
    rf"bernama|namanya|named|{_NAMA}{_S}panggilan(?:{_S}{_SELF})?",
    # "nama chinese nya X", "nama aslinya X", "nama baptis saya X": a person's other names
    rf"{_NAMA}{_S}(?:asli|chinese|tionghoa|mandarin|baptis|kecil|lahir|belakang|depan|tengah"
    rf"|keluarga|marga)(?:[ \t]*nya|{_S}{_SELF})?",
    rf"(?:biasa{_S})?(?:di|me)?[pm]anggil(?:{_S}(?:dia|aku|saya|sy|beliau))?(?:{_S}(?:saja|aja|sj))?",
    r"(?:penerima|pengirim|pemesan)(?:nya)?",
    rf"(?:receiver|recipient|consignee)(?:'?s)?(?:{_S}{_NAME})?|(?:sender|shipper){_LABEL_SEP}",
    rf"{_NAME}{_S}{_EN_FILL}{{0,2}}(?:is|was)|{_NAME}'s|call{_S}me|i{_S}go{_S}by",
    # what a name tag or card says: "di name tag nya tulisannya SUPRIADI"
    # (the word first: a look-behind tried at every position would cost more than all the rest)
    rf"(?:tulisannya|tertulis(?:nya)?|ketulis)"
    rf"(?<=(?:nama|name|kartu|ktp|id{_S}card)[^\n]{{0,40}}(?:tulisannya|tertulis(?:nya)?|ketulis))",
]
#: "suami sy aja kak, Budi": words between a relation and the name.
_REL_FILL = r"(?:aja|saja|sj|ya|kak|ka|kk|min|gan|sis|mbak|mba|mas|pak|bu|eh|em|emm|hmm|anu|apa|si)"
_GREETINGS = (
    rf"hi|hai|halo|hallo|helo|hello|hey|dear"
    rf"|(?:thank{_S}you|thanks|thx|tq|terima{_S}kasih|makasih|makasi|mksh)(?:{_S}(?:ya|yah|yaa))?"
    rf"|selamat{_S}(?:pagi|siang|sore|malam)|good{_S}(?:morning|afternoon|evening)"
)


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_CUE_RE = re.compile(
    _B
    + "(?:"
    + rf"(?P<strong>{_alt(_STRONG_CUES)})"
    + rf"|(?P<medium>{_alt(_MEDIUM_CUES)})"
    + rf"|(?P<relation>(?:{_MY_RELATIVE}|(?:{_REL_ID}|kembaran)nya)(?:{_S}{_REL_FILL}){{0,2}}(?:[ \t]*,)?"
    + rf"|my{_S}(?:(?:you{_S}know|uh|um|er|like){_S}){{0,2}}{_REL_EN}(?!'|s\b))"
    + rf"|(?P<greet>{_GREETINGS})"
    + rf"|(?P<en_ask>(?:you(?:'re|’re|{_S}are|re){_S}(?:now{_S})?(?:chatting|speaking|talking)"
    + rf"|(?:speak|speaking|talk|talking)){_S}(?:with|to)|ask(?:ing)?{_S}for"
    + rf"|transfer{_S}me{_S}to|connect{_S}me{_S}(?:with|to)"
    + rf"|(?:spoke|spoken|talked|chatted){_S}(?:with|to)"
    + rf"|(?:told|handled|assisted|served|helped|called|contacted){_S}by)"
    + r"|(?P<dengan>dengan|dgn|dg)"
    + rf"|(?P<self>ini{_S}{_SELF}|{_SELF}|ini)"
    + rf"|(?P<hon>{_HON_ID}|si)\.?"  # "si Pelangi": the article of a name
    + rf"|(?P<hon_en>{_HON_EN})\.?"
    + ")"
    + r"(?:(?<=[:.=,(])|(?![\p{L}\p{N}_]))",
    re.IGNORECASE,
)
#: "Budi ini, mau tanya" / "Oni Puspita ini mau komplain": the name comes before the cue. Cut
#: once for adding nothing on whole texts, it came back: read message by message (the chat
#: path), "mahfud ini, mau komplain" has nothing else around it.
_INI_AFTER_RE = re.compile(
    r"(?<=\p{L}[ \t]+)ini(?=[ \t]*,|[ \t]+(?:mau|mo|ingin|pengen|dari|kak|gan|min)\b)",
    re.IGNORECASE,
)

_AFTER_CUE = (
    r"[ \t]*(?:[:=\-–][ \t]*)?"
    r"(?:(?:adalah|ialah|yaitu|yakni|is|{fill}|i[ \t]+mean|nya{ya}"
    r"|di[ \t]+(?:app|aplikasi|apk|sistem|system|ktp|kartu|akun|rekening|rek))"
    r"[ \t]+){{0,3}}"
    r"(?:[:=\-–][ \t]*)?"
)
#: Separator between a cue and the name: spaces, ":"/"=", "adalah", ASR fillers, where the
#: name is written ("namanya di app Untung P.").
_AFTER_CUE_RE = re.compile(_AFTER_CUE.format(fill=_FILL, ya=""), re.IGNORECASE)
#: After "nama saya" / "saya" also "ya": "iya saya ehm ya Budi" (not "thank you ya <next msg>").
_AFTER_SELF_CUE_RE = re.compile(_AFTER_CUE.format(fill=_FILL, ya="|ya|iya"), re.IGNORECASE)
_YA_CUE_KINDS = frozenset("strong medium self".split())
_HON_AFTER_CUE_RE = re.compile(
    rf"(?:{_HON_ID}|{_HON_EN}|sis|sist|sista|gan|agan|juragan|bro|bos|bosku)\.?[ \t]+(?=\p{{L}})",
    re.IGNORECASE,
)
#: An office or trade between a title and the name: "Pak Lurah Sugiono", "mas kurir joko".
_ROLE_AFTER_TITLE_RE = re.compile(
    r"(?:lurah|camat|kades|rt|rw|satpam|kurir|sopir|supir|driver|guru|mandor|manager|manajer"
    r"|direktur|kepala|kapten|sersan|kasir|teller)[ \t]+(?=\p{L})",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\p{L}[\p{L}\p{M}]*+(?:['’\-]\p{L}[\p{L}\p{M}]*+)*+")
_CODE_TAIL_RE = re.compile(r"[-/][\p{L}\p{N}]*\p{N}")  # "ORD-2024…", "INV/2024…"
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
    r"^(?:\p{L}{4,}(?:nya|kan)|\p{L}{2,}-nya|(?:di|ber|ter|per|me[mn]?g?y?)\p{L}{2,}kan"
    r"|ke\p{L}{3,}an"
    r"|pe[mn]g?y?\p{L}{3,}an)$"
)
#: me- verbs ("menunggu", "mengirim"); not applied right after a strong cue ("Mentari").
_ID_ME_RE = re.compile(r"^me(?:ng|ny|m|n)\p{L}{4,}$")
#: English -ing/-tion words; only checked for the first word after a weak cue.
_EN_AFFIX_RE = re.compile(r"^\p{L}{4,}(?:ing|tion|sion)$")
#: English participles/adjectives ("appreciated", "outrageous"): no lowercase name after "it's".
_EN_STATE_RE = re.compile(
    r"^(?!(?:moha?mm?ed|muhamm?ed)$)\p{L}{3,}(?:ed|ing|ous|ful|less|able|ible|ness|ment)$"
)
#: "MajuBank", "TokoKita": brands, not people (only checked by the looser cues).
_CAMEL_RE = re.compile(r"\p{Ll}\p{Lu}")
_LOWER_WORD_RE = re.compile(r"\p{Ll}{2}")
_TRIPLE_RE = re.compile(r"(\p{L})\1\1")
_NAME_CAMEL_RE = re.compile(r"^(?:Mc|Mac|De|Da|Di|Du|La|Le|Van|Von|St)\p{Lu}\p{Ll}")

# --- chat export headers -----------------------------------------------------------------------
_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ \t\u202f\u00a0]?[ap]\.?m\.?)?"
_SP = r"[ \t\u202f\u00a0]*"  # exports put narrow/no-break spaces in timestamps
_STAMP = rf"(?:(?:{_DATE}),?{_SP}(?:{_TIME})|(?:{_TIME}),?{_SP}(?:{_DATE}))"
#: WhatsApp/Telegram exports: "[15:01, 18/8/2026] Amalia: ...", "5/29/26 5:51 PM - Mahdi: ...",
#: and Telegram's "Amalia, [18.08.26 15:01]". The sender is checked word by word afterwards.
_HEADER_RE = re.compile(
    rf"(?:(?<![\p{{N}}/.:])\[[ \t]*(?:{_STAMP}|{_TIME})[ \t]*\]"
    rf"|(?m:^)[ \t\u200e\u200f]*{_STAMP}[ \t]*[-–—])"
    rf"[ \t\u202f\u00a0\u200e~]*(?P<sender>[^\n:\[\]]{{1,60}}?)[ \t]*:"
    rf"|(?m:^)[ \t\u200e]*(?P<sender2>[^\n:,\[\]]{{1,60}}?),[ \t]*\[[ \t]*{_STAMP}[ \t]*\]",
    re.IGNORECASE,
)
#: Anything but letters, spaces, initials' dots, apostrophes/hyphens and emoji: not a name.
_SENDER_JUNK_RE = re.compile(r"[^\p{L}\p{M}\p{So}\p{Sk}\p{Cf} .'’\-~\u00a0\u202f\ufe0f\u200d]")
#: Roles that may prefix a sender's name: "CS Rina", "Admin Dodi", "Kurir Joko".
_SENDER_PREFIX = frozenset(
    "cs agent agen admin mimin operator kurir driver petugas teller officer sales marketing "
    "teknisi".split()
) | frozenset(HONORIFICS_ID) | frozenset(HONORIFICS_EN)

# --- transcript speaker turns ------------------------------------------------------------------
#: A role in parentheses after a speaker's name: "Rahma (Agent):", "Taufik (CS):".
_ROLE_PAREN = (
    r"\([ \t]*(?:agent|agen|cs|csr|operator|customer|cust|pelanggan|nasabah|caller|penelepon"
    r"|penelpon|admin|petugas|officer|rep|representative|support|supervisor|spv|teller|client"
    r"|klien|konsumen|user|customer[ \t]service|call[ \t]cent(?:er|re)|host|moderator)[ \t]*\)"
)
_SPEAKER = (
    r"(?:agen|agent|cs|customer|cust|pelanggan|penelepon|penelpon|caller|nasabah|operator"
    r"|petugas|client|klien|konsumen|user|pengguna|admin|seller|penjual|pembeli|buyer|rep"
    r"|representative|officer|teller|support|anda|you|me|saya|aku|visitor|pengunjung"
    r"|(?:speaker|pembicara|spk)[ \t]?(?:\d{1,2}|[a-d])|[ab])[ \t]*:"
)
#: ... also "Rahma (Agent):" where a label is matched at a known position (not searched for).
_ANY_SPEAKER = rf"(?:{_SPEAKER}|\p{{L}}+(?:[ \t]\p{{L}}+)?[ \t]*{_ROLE_PAREN}[ \t]*:)"
_SPEAKER_RE = re.compile(_B + _SPEAKER, re.IGNORECASE)
_HON_WORDS = r"(?:bapak|ibu|pak|bu|kakak|kak|mas|mbak|mba|saudara|saudari|sdr|sdri|anda)"
#: The agent asks for a name; the answer is the next turn (or, in ASR, the next words).
_ASK_NAME = [
    rf"atas{_S}(?:{_FILL}{_S})?{_NAMA}{_S}(?:siapa|sapa)",
    rf"dengan{_S}(?:{_HON_WORDS}{_S})?(?:siapa|sapa)(?:{_S}(?:saya|sy){_S}(?:ber)?bicara)?",
    rf"(?:namanya|{_NAMA}{_S}(?:nya|lengkap(?:nya)?|{_HON_WORDS})(?:{_S}{_HON_WORDS})?)"
    rf"{_S}(?:siapa|sapa)",
    rf"siapa{_S}(?:namanya|{_NAMA}(?:{_S}(?:nya|lengkap(?:nya)?|{_HON_WORDS}))?)",
    rf"(?:boleh|bisa|mohon)(?:{_S}(?:saya|sy))?{_S}(?:tau|tahu|tw|minta|dikasih{_S}tau"
    rf"|(?:di)?sebutkan|dibantu|konfirmasi)(?:{_S}(?:dengan|untuk))?{_S}"
    rf"(?:namanya|{_NAMA}(?:{_S}(?:lengkap(?:nya)?|{_HON_WORDS}|pemilik\p{{L}}*))?)",
    rf"(?:your|the)(?:{_S}full)?{_S}{_NAME}{_S}please",
    rf"(?:may|can|could){_S}i{_S}(?:have|get|know|take|confirm|ask){_S}(?:your|the)(?:{_S}full)?"
    rf"{_S}{_NAME}",
    rf"what(?:'s|’s|{_S}is){_S}(?:your|the)(?:{_S}full)?{_S}{_NAME}",
    rf"{_NAME}{_S}on{_S}the{_S}(?:card|account)",
    rf"whose{_S}{_NAME}(?:{_S}(?:is|was){_S}(?:it|this|the{_S}(?:account|card|order))"
    rf"(?:{_S}(?:under|in))?)?",
    rf"who{_S}(?:am{_S}i|i'?m|i’m){_S}(?:speaking|talking){_S}(?:with|to)",  # ASR: "who im"
    rf"who(?:'s|’s|{_S}is){_S}(?:calling|speaking|this)",
]
_ASK_NAME_RE = re.compile(_B + f"(?:{_alt(_ASK_NAME)})" + r"(?![\p{L}\p{N}_])", re.IGNORECASE)


def last_name_question(text: str, start: int = 0) -> re.Match | None:
    """The last "boleh tahu nama lengkap" / "may I have your name" in ``text[start:]``."""
    return last_match(_ASK_NAME_RE, text, start, len(text))


#: Skipped between the question and the name: punctuation, the rest of the question ("and
#: account number"), the next speaker's label, the agent's politeness ("ya bu", "please") and
#: the answer's fillers ("iya saya", "it's").
_ANSWER_SKIP_RE = re.compile(
    r"[ \t\n]*(?:[?.!,;…\-–]+|"
    # the rest of a question that also asks for something else: "... name and account number"
    r"(?:and|dan|serta|&)(?:[ \t]+[\p{L}\-]+){1,3}(?=[ \t]*[?.!]*[ \t]*\n)|"
    + rf"\[[ \t]*{_TIME}[ \t]*\]|"
    + _ANY_SPEAKER
    + rf"|(?:ya|iya|iyaa|yaa|yes|yeah|yep|yup|sure|oh|{_FILL}|apa"
    r"|nggih|injih|enggih|inggih|it(?:'ll|’ll|[ \t]+will)[ \t]+be|it[ \t]+is|that(?:'s|’s"
    r"|[ \t]+is|[ \t]+would[ \t]+be|[ \t]+will[ \t]+be)|name[ \t]+first|nama|name"
    r"|you[ \t]+know|like|okay|ok|oke|boleh|saya|sy|aku|it'?s|it’s|this[ \t]+is|atas[ \t]+nama"
    r"|nama(?:[ \t]+lengkap)?[ \t]+saya|my[ \t]+(?:full[ \t]+)?name[ \t]+is|namanya|betul"
    r"|benar|dengan|with|sama|ini|i'?m|i[ \t]+am|baik|well|so|be|i[ \t]+mean|please|pls|dulu"
    r"|lengkapnya|nya"
    r"|bapak|ibu|pak|bu|kak|kakak|mas|mbak|mba|sir|ma'?am|madam|hi|hello|halo|hai|under)"
    r"(?![\p{L}\p{N}_'’]))",
    re.IGNORECASE,
)


# --- speaker names, mail headers, bare "nama", turn openers, bank data --------------------------
#: "Rahma (Agent):" - the name is read backwards from the role.
_ROLE_LABEL_RE = re.compile(rf"(?<=\p{{L}})[ \t]*{_ROLE_PAREN}[ \t]*:", re.IGNORECASE)
_SENDER_ROLE_RE = re.compile(rf"[ \t]*{_ROLE_PAREN}[ \t]*", re.IGNORECASE)
_PHONE_LABEL = r"\+?\d[\d \-.()\u00a0\u202f]{6,}\d"
_SENDER_PHONE_HEAD_RE = re.compile(rf"[ \t]*{_PHONE_LABEL}[ \t]*[~\-–]?[ \t~]*")
_SENDER_PHONE_TAIL_RE = re.compile(rf"[ \t~\-–]*\(?[ \t]*{_PHONE_LABEL}[ \t]*\)?[ \t]*")
#: A bare "nama"/"name" (or "full name", "cardholder name", "tertanggung", "pic") and a name
#: that is then closed by an ID/contact word, a speaker label, "noted"/"thank you", a comma or
#: the end ("nama agustina simatupang no lama 0817", "name nya rina wati, nik 3174").
_BARE_LABEL_RE = re.compile(
    r"\b(?:"
    + rf"(?:full|first|last|middle|given|family|legal|complete|cardholder|card{_S}holder"
    + rf"|account{_S}holder|insured|policyholder|policy{_S}holder|beneficiary|passenger|guest"
    + rf"|patient|customer|contact)(?:'s)?{_S}{_NAME}(?:[ \t]*-?[ \t]*nya)?"
    + rf"|{_NAMA}{_S}(?:depan|belakang|tengah|asli|tertanggung|peserta|pasien|penumpang|tamu"
    + rf"|pemegang{_S}polis)(?:nya)?"
    + rf"|(?P<plain>{_NAMA}|{_NAME}|tertanggung|pemegang{_S}polis|pic|peserta)"
    + rf"(?:[ \t]*-?[ \t]*nya)?(?:{_S}(?:sesuai|di|on|in){_S}(?:ktp|kartu|paspor|passport"
    + rf"|identitas|id|card|rekening|buku{_S}tabungan))?"
    + r")(?![\p{L}\p{N}_'’])",
    re.IGNORECASE,
)
#: Between a bare label and the name: a colon, ASR fillers, "ya" (not "is": "the pic is ...").
_AFTER_BARE_RE = re.compile(
    rf"[ \t]*(?:[:=][ \t]*)?(?:(?:{_FILL}|ya|iya|nggih)[ \t]+){{0,3}}",
    re.IGNORECASE,
)
#: Before a bare "name"/"nama": a noun phrase about a name, not a label ("the name matches").
_BARE_LEFT_STOP = frozenset(
    """the this that same which what whose a any no another correct wrong different other
    beda salah sama ganti ubah edit change update updated changed mengganti mengubah
    bukan""".split()
)
#: Words after "nama"/"name" that are things, not people ("nama merchant", "name change").
_NAMED_THINGS = frozenset(
    """merchant vendor usaha bisnis outlet brand restoran resto cafe kafe warung domain file
    folder grup group kontak perangkat device channel acara event kegiatan program lagu film game
    maskapai airline daerah wilayah lokasi kampus instansi lembaga organisasi komunitas kelompok
    tag badge field list plate mismatch match matches matched appears appear shows show looks
    seems spelled spelling typed printed server network product products company business store
    restaurant city street building school university hospital clinic pharmacy flight doesnt
    berubah berbeda tertukar terbalik kebalik muncul tampil tampilan syariah digital prioritas
    kcp kcu kc capem add change changes request kapal kendaraan mobil motor hewan samaran alias
    pena julukan""".split()
)
#: What closes a name after a bare label or bank data. The answer ends: the end of the text
#: or line, the next speaker's label, "noted"/"thank you", a closing "ya".
_ANSWER_END_RE = re.compile(
    r"[ \t]*(?:$|\n|(?:noted|thank|thanks|terima[ \t]+kasih|makasih"
    r"|(?:ya|nggih|yes)(?=[ \t]*(?:$|[,.!?\n]))"
    r"|(?:ya[ \t]+)?(?:bu|pak|kak|mbak|mas|sir|maam)(?=[ \t]*(?:$|[,.!?\n]))"  # "… ya bu"
    r"|(?:and|dan)[ \t]+(?:the|my|your|nomor|no|new|old))(?![\p{L}\p{N}_'’])"  # next field
    + rf"|\[[ \t]*{_TIME}[ \t]*\]|{_B}{_ANY_SPEAKER})",
    re.IGNORECASE,
)
#: ... or an ID/contact word follows ("nama budi santoso ktp 3174", "NO LAMA 0817") ...
_ID_RIGHT_RE = re.compile(
    r"[ \t]*,?[ \t]*(?:no|nomor|nomer|nmr|nik|ktp|kk|hp|handphone|paspor|passport|email|e-mail"
    r"|lahir|dob|tgl|tanggal|ttl|telp|telepon|tlp|phone|mobile|npwp|rek|rekening|norek|alamat"
    r"|address)(?![\p{L}\p{N}_'’])",
    re.IGNORECASE,
)
#: ... with its value soon after (a lone word before "no kontainer" is no name) ...
_ID_VALUE_RE = re.compile(r"[^\n]{0,30}?[\d@]")
#: ... or punctuation.
_PUNCT_RIGHT_RE = re.compile(r"[ \t]*[,.;!?/)]")
_LIST_GAP_RE = re.compile(r"[ \t]*[,;/]?[ \t]*")
#: A message or line opens, or a colon (a speaker turn, if a label ends there, see
#: _LABEL_BEFORE_RE); fillers before the answer are skipped.
_TURN_START_RE = re.compile(
    r"(?:(?m:^)|(?P<colon>:)|(?<![\p{L}\p{N}.,])\d{1,2}[.)])[ \t]*"
    r"(?:(?:ya|iya|oke|ok|okay|baik|boleh|nggih|injih|yes"
    r"|sure|yeah|yep)[ \t]*[,.]?[ \t]+)?(?=\p{L})",
    re.IGNORECASE,
)
_LABEL_BEFORE_RE = re.compile(rf"(?:{_B}{_SPEAKER}|{_ROLE_PAREN}[ \t]*:)\Z", re.IGNORECASE)
#: After a name that opens a turn: an ID, a contact or bank data ("wida dewi prasetyo, nik
#: 3174...", "Bayu Sulistyo mandiri 5660...", "IFA WULANDARI, PASSPORT B89...").
_ID_AFTER_NAME_RE = re.compile(
    r"[ \t]*[,(\-–]?[ \t]*(?:(?:(?:my|(?:the[ \t]+)?(?:old|new|lama|baru)"
    r"(?:[ \t]+(?:so|uh|um|eh))?)[ \t]+)?"
    r"(?:nik|ktp|paspor|passport|email|e-mail|lahir|dob|tgl|ttl|npwp|bpjs"
    r"|(?:no|nomor|nomer|nmr)\.?[ \t]*(?:hp|ktp|nik|telp|telepon|wa|rek|rekening|kartu|paspor"
    r"|passport|id)|hp|telp|phone|mobile|(?<=(?:old|new|lama|baru|so|uh|um|eh)[ \t]+)"
    r"(?:number|no|nomor|nomer))(?![\p{L}\p{N}_])"
    rf"|(?:bank[ \t]+)?{_BANKS}[ \t]*[:\-]?[ \t]*(?:(?:no|rek|rekening|norek)\.?[ \t:]*)?\d"
    r"|\p{L}{2,12}bank[ \t]*[:\-(]?[ \t]*\d|bank(?:[ \t]+\p{L}+){1,3}[ \t]*[:\-]?[ \t]*\d"
    r"|\+?\d[\d \-.]{6,}\d)",
    re.IGNORECASE,
)
#: What a one-word name opening a turn needs after it: an ID word with its value ("hadi nik
#: 5271...", "FERRY, NIK 8277..."), a phone or account number.
_ID_AFTER_ONE_NAME_RE = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:nik|ktp|paspor|passport|npwp|(?:no|nomor|nomer)\.?[ \t]*(?:hp|ktp|nik"
    r"|rek|rekening|paspor|passport))[ \t]*(?:[:\-][ \t]*)?\p{L}?[ \t]?\d|\+?\d[\d \-.]{6,}\d)",
    re.IGNORECASE,
)
#: "b: lukita mayasari a: untuk ...", "Customer: Natalia Safitri Agent: Which ...": the
#: answer closed by the next speaker's label.
_NEXT_SPEAKER_RE = re.compile(rf"[ \t]*,?[ \t]*{_B}{_ANY_SPEAKER}", re.IGNORECASE)
#: "... baik pak ahmad": the agent's acknowledgement, addressing the customer by name.
_ECHO_RE = re.compile(
    r"[ \t]*[,.]?[ \t]*(?:baik|oke|ok|okay|noted|siap|terima[ \t]+kasih|makasih|thank[ \t]+you"
    rf"|thanks)[ \t]*,?[ \t]*(?:{_HON_ID}|{_HON_EN})\.?[ \t]+(?P<name>\p{{L}}+)",
    re.IGNORECASE,
)
#: "michael barrett said she already paid": a reported speaker opening a message.
_SAID_RE = re.compile(r"[ \t]+(?:said|says|told|bilang)(?![\p{L}\p{N}_'’])", re.IGNORECASE)
#: "BRI 366501878272960 CRYSTAL FOSTER", "bca 1234567890 an budi santoso": bank, account
#: number, then the holder's name.
#: Found from the number (rarer than the banks' names), then the bank is checked before it.
_ACCOUNT_THEN_WORD_RE = re.compile(r"(?<![\p{L}\p{N}])\d[\d \-.]{5,}\d[ \t]*[,\-/]?[ \t]*(?=\p{L})")
#: "me: B3158197 - ratih adiputra", "X 8036708 - Embuh Hakim": an ID, a dash, then the name.
_ID_DASH_RE = re.compile(
    r"(?<![\p{L}\p{N}_])\p{L}{0,3}\d{5,}[ \t]*[-–—][ \t]*(?=\p{L})", re.IGNORECASE
)
_BANK_BEFORE_RE = re.compile(
    rf"{_B}(?:bank[ \t]+)?{_BANKS}[ \t]*[:\-]?[ \t]*(?:(?:no|rek|rekening|norek|acc|account)\.?"
    r"[ \t:]*)?\Z",
    re.IGNORECASE,
)
#: Cheap tests before the rarer rules are run at all.
_BARE_LABEL_HINTS = ("nam", "nm", "nma", "pic", "peserta", "tertanggung", "polis")
_TURN_OPENER_HINTS = (
    "nik", "ktp", "pasp", "passport", "mail", "lahir", "dob", "tgl", "ttl", "npwp", "bpjs", "hp",
    "telp", "phone", "mobile", "said", "says", "told", "bilang",
)
_DIGIT_RE = re.compile(r"\d")

# --- sign-offs ----------------------------------------------------------------------------------
#: "Salam,\nBudi Santoso", "Regards, John": a name closing the message (or its line).
_GAP_RE = re.compile(r"[ \t\n]*")
#: After an answer, these make it a verb or a noun: "contact my bank", "send to Warehouse 5",
#: "forward ke Finance", "cvv nya 123".
_OBJECT_WORDS = frozenset("my the a an your me us it him them this that to ke for nya".split())
_SIGNOFF_RE = re.compile(
    _B + r"(?:salam(?:[ \t]+(?:hangat|hormat|sukses|sehat))?|hormat[ \t]+(?:saya|kami)"
    r"|(?:(?:best|kind|warm|warmest|with)[ \t]+)?regards|thanks|thank[ \t]+you|thx|tks|trims"
    r"|terima[ \t]+kasih|makasih|cheers|sincerely|best|wassalam|tertanda|ttd)"
    r"[ \t]*(?:[,\-–—][ \t]*\n?|\n)[ \t]*"
    r"|(?<=^|\n)[ \t]*[\-–—~][ \t]*(?=\p{Lu})"  # a dash signature: "-Rani, Customer Care"
    # one after the last sentence: "... limit. — Fitri", "... doang. - Fajar"
    r"|(?<=[.!?][ \t]+)(?:[–—][ \t]*|-[ \t]+)(?=\p{Lu})",
    re.IGNORECASE,
)
_LINE_END_RE = re.compile(r"[ \t.!\p{So}\ufe0f]*(?:\n|$)")
#: After a signature's name, the sender's role or team to the end of the line: "Maya –
#: Instalasi Radiologi", "Rani, Customer Care J&T Express".
_SIGNATURE_ROLE_RE = re.compile(r"[ \t]*(?:,|[\-–—|])[ \t]*\p{Lu}[^\n]{0,60}(?:\n|$)")

_LOOSE_KINDS = frozenset("en_ask relation".split())
#: Words after "dengan X" at a turn start that close the name ("dengan dwi iya mas ...").
_DENGAN_REPLY = frozenset("ya iya nggih betul benar".split())
_GREETING_TIMES = frozenset("pagi siang sore malam".split())
_GREETING_WORDS = frozenset(
    "hi hai halo hallo helo hello hey pagi siang sore malam morning afternoon evening "
    "assalamualaikum".split()
)
#: After "saya X" / "dengan X": the agent's introduction goes on ("... dari
#: bagian kartu kredit", "..., ada yang bisa saya bantu?", "... speaking, how can I help").
_AGENT_RIGHT_RE = re.compile(
    r"[ \t]*(?:(?:ya|iya|nggih|di[ \t]*sini|disini|here)[ \t]*)?,?[ \t]*"
    r"(?:dari[ \t]+(?:bagian|tim|team|divisi|departemen|department|layanan|customer|cs|call"
    rf"|contact|kantor|unit|pusat|bank|pt|{_BANKS})"
    r"|from[ \t]+(?:the[ \t]+)?(?:team|bank|support|customer|department|billing|claims|card"
    r"|credit|call|contact|help|service)"
    r"|ada(?:[ \t]+ada)?[ \t]+yang[ \t]+(?:bisa|dapat|perlu)|yang[ \t]+akan[ \t]+membantu"
    r"|siap[ \t]+membantu"
    r"|speaking|how[ \t]+(?:can|may)[ \t]+i[ \t]+(?:help|assist))(?![\p{L}\p{N}_])",
    re.IGNORECASE,
)


def _is_swap_typo(word: str) -> bool:
    """A common word with two adjacent letters swapped ("plaese", "syaa") or, for Indonesian
    chat words, one letter doubled ("maakasih", "tollong", "banyyak")."""
    if len(word) < 4:
        return False
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            if word[:i] + word[i + 1] + word[i] + word[i + 2 :] in _TYPO_BASE:
                return True
        elif word[:i] + word[i + 1 :] in _DOUBLE_TYPO_BASE:
            return True
    return False


def _is_double_typo(word: str) -> bool:
    """An Indonesian chat word with one letter doubled ("udaah", "tollong"); no given name or
    surname in Faker's id_ID/en_US lists is one."""
    return len(word) > 4 and any(
        word[i] == word[i + 1] and word[:i] + word[i + 1 :] in _DOUBLE_TYPO_BASE
        for i in range(len(word) - 1)
    )


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

    def load(self) -> None:  # the rules are precompiled at import
        self.ner_model = shared_model()

    # -----------------------------------------------------------------------------------------
    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        if not text or (entities and self.supported_entities[0] not in entities):
            return []
        # Of the conversation read before the text's own part, only the last turn is read for
        # a cue with the name after it ("nama saya" / "Budi"), every turn for a question that
        # a later one answers.
        last_turn = last_turn_start(text, nlp_artifacts)
        results = self._analyze_text(text, last_turn)
        # In call transcripts every turn is a line: "…this is jefri\nhi i moved…". Read once
        # more with the turns run together (same offsets) for cues whose closing word opens
        # the next turn; keep what either reading finds.
        if "\n" in text[last_turn:]:
            found = {(r.start, r.end) for r in results}
            run_together = self._analyze_text(text[last_turn:].replace("\n", " "))
            results += [r for r in shifted(run_together, last_turn) if (r.start, r.end) not in found]
        return [r for r in results if not self._vetoed(text, r)]

    def _vetoed(self, text: str, result: RecognizerResult) -> bool:
        """A weak cue's name that the NER model reads as a bank, a brand or a place (unless a
        title such as "Pak" or "Mr." says it is a person); a grandparent ("mbah putri");
        ordinary words after a title that also comes before nouns ("dokter gigi"); or one
        lowercase word after a chat form of address that the model does not read as a name
        at all ("kak barusan", "kak pesenan": chat words are an open class, no list keeps up)."""
        if result.score >= MEDIUM:
            return False
        if names_a_grandparent(text, result.start, result.end):
            return True
        if self.ner_model is None:
            return False
        labels = self.ner_model.labels(text, result.start, result.end)
        if "PERSON" in labels:
            return False
        before = self._prev_word(text, result.start, skip_dots=True)
        word = text[result.start : result.end]
        if before in _TITLES_OF_NOUNS and (word.islower() or word.isupper()) and all(
                w in ORDINARY_ID_WORDS for w in word.lower().split()):
            return True
        if labels:
            return before not in _TITLES
        if not (word.islower() and " " not in word and before in _CHAT_ADDRESS):
            return False
        # "baik kak vero, refund ...": the agent acknowledging, with the customer's name.
        address = text.lower().rfind(before, 0, result.start)
        return self._prev_word(text, address) not in _ACKNOWLEDGE

    def _analyze_text(self, text: str, cues_from: int = 0) -> list[RecognizerResult]:
        """Names after (or right before) a cue from ``cues_from`` on; names answering a
        question anywhere."""
        doc = _Text(text)
        best: dict[tuple[int, int], tuple[float, str]] = {}

        def keep(found, kind: str) -> None:
            if found is None:
                return
            for start, end, score in found if isinstance(found, list) else [found]:
                if score >= self.min_score and best.get((start, end), (0.0,))[0] < score:
                    best[(start, end)] = (score, kind)

        for cue in _CUE_RE.finditer(text, cues_from):
            keep(self._name_after_cue(doc, cue), cue.lastgroup)
        for cue in _INI_AFTER_RE.finditer(text, cues_from):
            keep(self._name_before_ini(doc, cue.start()), "ini_after")
        for header in _HEADER_RE.finditer(text):
            keep(self._header_sender(text, header), "chat_header")
        for ask in _ASK_NAME_RE.finditer(text):
            keep(self._name_after_question(doc, ask.end()), "answer")
        for signoff in _SIGNOFF_RE.finditer(text, cues_from):
            keep(self._name_after_signoff(doc, signoff.end()), "signoff")
        if "(" in text:
            for label in _ROLE_LABEL_RE.finditer(text, cues_from):
                keep(self._name_before_role(doc, label.start()), "speaker_name")
        lower = text.lower()
        if any(hint in lower for hint in _BARE_LABEL_HINTS):
            for label in _BARE_LABEL_RE.finditer(text, cues_from):
                keep(self._name_after_bare_label(doc, label), "bare_label")
        if (
            ":" in text
            or _DIGIT_RE.search(text)
            or any(hint in lower for hint in _TURN_OPENER_HINTS)
        ):
            for turn in _TURN_START_RE.finditer(text, cues_from):
                colon = turn.end("colon")
                if colon > 0 and not _LABEL_BEFORE_RE.search(text, max(0, colon - 40), colon):
                    continue  # "Catatan: ...": no speaker label before the colon
                keep(self._name_opening_turn(doc, turn.end()), "turn_opener")
        for number in _ID_DASH_RE.finditer(text, cues_from):  # "B3158197 - ratih adiputra"
            keep(self._name_after_bank_data(doc, number.end()), "id_dash")
        for number in _ACCOUNT_THEN_WORD_RE.finditer(text, cues_from):  # "BRI 3665... CRYSTAL FOSTER"
            if _BANK_BEFORE_RE.search(text, max(0, number.start() - 40), number.start()):
                keep(self._name_after_bank_data(doc, number.end()), "bank_data")
        return self._results(best)

    # -----------------------------------------------------------------------------------------
    def _name_after_cue(self, doc: _Text, cue: re.Match):
        text = doc.text
        kind = cue.lastgroup
        after = _AFTER_SELF_CUE_RE if kind in _YA_CUE_KINDS else _AFTER_CUE_RE
        pos = after.match(text, cue.end()).end()
        if kind in ("hon", "hon_en"):
            # The name must follow the honorific directly ("pak, saya mau" is no name).
            if pos == cue.end() or text[cue.end() : pos].strip():
                return None
            if names_a_place(text, cue.start(), cue.end()):
                return None  # "Jl. Dr. Djunjunan", "RSUP Dr. Sardjito": a street, a hospital
            title, name = cue.group(kind), _WORD_RE.match(text, pos)
            if title.isupper() and len(title) == 2 and name and not name.group().isupper():
                return None  # "suku bunga BI Rate", "BP Batam": an acronym before a word
            role = _ROLE_AFTER_TITLE_RE.match(text, pos)
            pos = role.end() if role else pos
            if named := self._word_name_after_title(text, pos):
                return named
        elif kind != "self":
            hon = _HON_AFTER_CUE_RE.match(text, pos)
            if hon:
                pos = hon.end()

        cased = doc.cased(cue.start())
        # ASR "dengan made ada yang bisa dibantu": the Balinese name, read as after a strong cue.
        made = kind == "dengan" and not cased and text[pos : pos + 5].lower() in ("made", "made ")
        # Lowercase "saya X" likewise: ASR writes "halo saya bunga citra" with no capital to
        # tell the name "Bunga" from "bunga" (interest), a stop word.
        strong = kind == "strong" or made or (kind == "self" and not cased)
        span = self._scan_name(text, pos, cased, strong=strong)
        if span is None:
            return None
        start, end, first_cap = span
        if self._next_word(text, end) in _SHOP_WORDS:
            return None  # "Sender: TokoKita Official", "a.n. Berkah Store": a shop

        if kind == "strong":
            return start, end, STRONG
        if kind == "medium":
            return start, end, MEDIUM
        if not first_cap and self._next_word(text, end) == "nya":
            return None  # "kak fitur nya error": a noun, not a name
        if kind == "hon":
            if cue.group("hon").lower() == "si" and not first_cap and all(
                    word in ORDINARY_ID_WORDS for word in text[start:end].lower().split()):
                return None  # "si kecil", "si doi": the article before a noun
            return start, end, MEDIUM if first_cap else WEAK
        if kind == "hon_en":
            if cue.group("hon_en").lower() == "miss":
                # "i miss you", "don't miss ..." are verbs
                if cased and not first_cap:
                    return None
                if self._prev_word(text, cue.start()) in _PRONOUNS_BEFORE_MISS:
                    return None
            return start, end, MEDIUM if first_cap else WEAK

        agent = _AGENT_RIGHT_RE.match(text, end) is not None
        if kind in ("self", "dengan") and agent:
            # "... saya rina dari bagian kartu kredit", "dengan rina ya, ada yang bisa
            # dibantu?": an agent's introduction, anywhere in the turn.
            if (cased and not first_cap and not agent) or not (
                self._plain_name(text, start, end) and self._loose_name_ok(text, start, end)
            ):
                return None
            return start, end, MEDIUM

        # Weak cues: in a sentence that uses case, the name must be Capitalised.
        if cased and not first_cap:
            return None
        if kind in _LOOSE_KINDS and not self._loose_name_ok(text, start, end):
            return None
        right = self._right_context(text, end)
        if kind in ("relation", "en_ask", "greet"):
            return start, end, WEAK
        if kind == "dengan":
            if (
                right in ("strong", "intro")
                or self._prev_word(text, cue.start()) in _DENGAN_LEFT
                or (right is not None and self._left_ok(text, cue.start()))
            ):
                return start, end, WEAK
            # "halo kak dengan stella any issue ...", "dengan dwi jefri iya mas saya mau": an
            # introduction opening the turn after a greeting, or answered with "iya".
            if (
                self._left_ok(text, cue.start())
                and (
                    self._greeted(text, cue.start())
                    or self._next_word(text, end) in _DENGAN_REPLY
                )
                and self._plain_name(text, start, end)
                and self._loose_name_ok(text, start, end)
            ):
                return start, end, WEAK
            # The call-centre greeting, wherever the turn starts: "… layanan pajak selamat
            # siang dengan maria siang kak", "selamat malam dengan gilda reservasi hotel".
            if (
                self._prev_word(text, cue.start()) in _GREETING_TIMES
                and self._greeted(text, cue.start())
                and self._plain_name(text, start, end)
                and self._loose_name_ok(text, start, end)
            ):
                return start, end, WEAK
            return None
        if right == "intro":  # "saya budi yang kemarin telepon", "aku budi the account holder"
            return start, end, WEAK
        # "saya X," / "ini X": a message/turn start and a clear end of the intro.
        if right is not None and (first_cap or self._left_ok(text, cue.start())):
            if kind == "self" and cased and first_cap and self._left_ok(text, cue.start()) and (
                    self._loose_name_ok(text, start, end)):
                # "Hi kak, aku Chelsea. Mau ...": a person, whatever club the model reads
                return start, end, MEDIUM
            return start, end, WEAK
        if kind == "self" and not cased and self._next_word(text, end) == "tadi":
            return start, end, WEAK  # ASR: turn boundaries are invisible ("... saya budi tadi")
        return None

    def _name_before_ini(self, doc: _Text, ini_start: int):
        """"Budi Santoso ini, mau tanya": 1-3 name words opening a message, then "ini"."""
        text = doc.text
        offset = max(0, ini_start - 80)
        cased = doc.cased(ini_start)
        for m in list(_WORD_RE.finditer(text, offset, ini_start))[-3:]:  # longest first
            if not self._left_ok(text, m.start()):
                continue
            span = self._scan_name(text, m.start(), cased, strong=False)
            if span is None or span[0] != m.start() or text[span[1] : ini_start].strip():
                continue  # the name must run right up to "ini"
            return None if cased and not span[2] else (span[0], span[1], WEAK)
        return None

    def _header_sender(self, text: str, header: re.Match):
        """The sender of a chat-export line, unless it is a role ("CS", "Toko X Official")."""
        group = "sender" if header.group("sender") is not None else "sender2"
        start, end = header.span(group)
        # "+62 812-3456-7890 ~ Budi", "Budi (+62 812 ...)", "Rahma (Agent)": the number and
        # the role are labels around the name.
        for strip in (_SENDER_ROLE_RE, _SENDER_PHONE_TAIL_RE):
            m = strip.search(text, start, end)
            if m is not None and m.end() == end:
                end = m.start()
        m = _SENDER_PHONE_HEAD_RE.match(text, start, end)
        if m is not None:
            start = m.end()
        return self._sender_name(text, start, end, STRONG)

    def _sender_name(self, text: str, start: int, end: int, score: float):
        """The name of a chat sender / mail header, unless it is a role, shop, bank or brand."""
        if start >= end or _SENDER_JUNK_RE.search(text, start, end):
            return None  # digits (a phone number as sender), brackets, "@": no name
        words = list(_WORD_RE.finditer(text, start, end))
        # "Pak Budi", "CS Rina": the honorific/role is not part of the name.
        while len(words) > 1 and words[0].group().lower() in _SENDER_PREFIX:
            words.pop(0)
        if not 1 <= len(words) <= self.max_name_words + 1:  # "I Gusti Ayu Putu Sari"
            return None
        for m in words:
            word = m.group()
            lower = word.lower()
            if lower in _NOT_NAME or _CAMEL_RE.search(word) or len(word) > 20:
                return None
            if lower in STOP_WORDS and not (
                (lower in CAPITALISED_NAME_EXCEPTIONS and word[0].isupper())
                or lower in PARTICLES
                or lower in _BALI_CONTEXT
            ):
                return None
            if len(word) == 1 and len(words) == 1:
                return None
        return words[0].start(), words[-1].end(), score

    def _name_after_question(self, doc: _Text, pos: int):
        """The answer to "atas nama siapa?" / "may I have your name?": the next turn's name."""
        text = doc.text
        found = self._answer_name(doc, pos)
        if found is None:
            # The agent went on talking ("boleh tau namanya untuk verifikasi"): the answer
            # opens the next speaker turn, if one follows soon.
            label = _SPEAKER_RE.search(text, pos, pos + 160)
            if label is not None and not _ASK_NAME_RE.search(text, pos, label.start()):
                found = self._answer_name(doc, label.end())
        return found

    def _answer_name(self, doc: _Text, pos: int):
        text = doc.text
        last = ""
        for _ in range(12):  # bounded: at most a dozen fillers/labels between
            skip = _ANSWER_SKIP_RE.match(text, pos)
            if skip is None or skip.end() == pos:
                break
            pos = skip.end()
            last = skip.group().strip().lower()
        pos = _GAP_RE.match(text, pos).end()
        span = self._scan_name(text, pos, doc.cased(pos), strong=False)
        if span is None or span[0] != pos:
            return None
        start, end, _ = span
        if not self._loose_name_ok(text, start, end) or not self._plain_name(text, start, end):
            return None
        if self._next_word(text, end) in _OBJECT_WORDS:
            return None
        if last in ("saya", "sy", "aku") and self._right_context(text, end) is None:
            return None  # "saya sudh coba login": as for "saya X", the intro must end there
        return start, end, MEDIUM

    def _name_before_role(self, doc: _Text, pos: int):
        """"Rahma (Agent):", "taufik (cs):": the speaker's name, read back from the role."""
        text = doc.text
        line_start = max(text.rfind("\n", 0, pos) + 1, pos - 80)
        words = list(_WORD_RE.finditer(text, line_start, pos))[-self.max_name_words :]
        cased = doc.cased(pos)
        for m in words:  # longest candidate first
            span = self._scan_name(text, m.start(), cased, strong=False)
            if span is None or span[:2] != (m.start(), pos):
                continue
            if not self._loose_name_ok(text, span[0], span[1]):
                return None
            return span[0], span[1], MEDIUM
        return None

    def _name_after_bare_label(self, doc: _Text, label: re.Match):
        """"nama budi santoso ktp 3174...", "full name JOHN SMITH passport ...": a bare label,
        then a name closed by an ID word, a speaker label, "noted", a comma or the end."""
        text = doc.text
        if label.group("plain") and self._prev_word(text, label.start()) in _BARE_LEFT_STOP:
            return None  # "the name matches", "ganti nama jadi ..."
        pos = _AFTER_BARE_RE.match(text, label.end()).end()
        hon = _HON_AFTER_CUE_RE.match(text, pos)
        if hon:
            pos = hon.end()
        cased = doc.cased(label.start())
        span = self._scan_name(text, pos, cased, strong=True)
        if span is None or span[0] != pos:
            return None
        start, end, _ = span
        if not self._closed_name(text, start, end, cased):
            return None
        return start, end, MEDIUM

    def _closed_name(self, text: str, start: int, end: int, cased: bool) -> bool:
        """A name read after a bare label / bank data: no thing, verb or place, and closed."""
        words = _WORD_RE.findall(text, start, end)
        first = words[0].lower()
        if first in _NAMED_THINGS or _ID_ME_RE.match(first) or _is_swap_typo(first):
            return False
        if not (self._plain_name(text, start, end) and self._loose_name_ok(text, start, end)):
            return False
        if _ANSWER_END_RE.match(text, end):
            return True
        # One lowercase word ("nama kapal, no kontainer") needs an ID with its value after it.
        single = len([w for w in words if len(w) > 1]) == 1 and not (
            cased and words[0][0].isupper()
        )
        id_word = _ID_RIGHT_RE.match(text, end)
        if id_word:
            return not single or _ID_VALUE_RE.match(text, id_word.end()) is not None
        # "first name kevin last name hart", "nama depan budi, nama belakang santoso"
        if _BARE_LABEL_RE.match(text, _LIST_GAP_RE.match(text, end).end()):
            return True
        return not single and _PUNCT_RIGHT_RE.match(text, end) is not None

    def _name_opening_turn(self, doc: _Text, pos: int):
        """"customer: wida dewi prasetyo, nik 3174...", "IFA WULANDARI, PASSPORT B89...":
        2-4 name words open a turn or a message, then an ID, a contact, bank data or "said"."""
        text = doc.text
        cased = doc.cased(pos)
        # Data follows, so the name may look like a typo ("okta harahap nik ...", "sakti").
        span = self._scan_name(text, pos, cased, strong=True)
        if span is None or span[0] != pos:
            return None
        start, end, first_cap = span
        if cased and not first_cap:
            return None
        # The name may end before a bank read as a name word: "BAYU SULISTYO MANDIRI 566...".
        words = list(_WORD_RE.finditer(text, start, end))
        while words and (
            words[-1].group().lower() in _NOT_NAME
            or words[-1].group().lower().endswith("bank")  # "PERMATABANK (616...)"
            or (cased and not words[-1].group()[0].isupper())
            or not (
                _ID_AFTER_NAME_RE.match(text, end)
                or _SAID_RE.match(text, end)
                or _NEXT_SPEAKER_RE.match(text, end)
                or self._echoed(text, words[0].group(), end)
            )
        ):
            words.pop()
            end = words[-1].end() if words else start
        long_words = len([w for w in words if len(w.group()) > 1])
        if long_words == 0 or (long_words == 1 and not _ID_AFTER_ONE_NAME_RE.match(text, end)):
            return None
        first = words[0].group().lower()
        if (
            first in _NAMED_THINGS
            or _ID_ME_RE.match(first)
            or not self._plain_name(text, start, end)
        ):
            return None
        if not self._loose_name_ok(text, start, end) and not (
            # "Pelanggan: FERRY, NIK 8277...": an ALL CAPS given name, no acronym
            long_words == 1 and len(first) > 3 and first not in _NOT_NAME
        ):
            return None
        return start, end, MEDIUM

    def _echoed(self, text: str, first: str, end: int) -> bool:
        """"ahmad firmansyah baik pak ahmad": the agent acknowledges the answer by name."""
        echo = _ECHO_RE.match(text, end)
        return echo is not None and echo.group("name").lower() == first.lower()

    def _name_after_bank_data(self, doc: _Text, pos: int):
        """"BRI 366501878272960 CRYSTAL FOSTER": the account holder after bank and number."""
        text = doc.text
        cased = doc.cased(pos)
        span = self._scan_name(text, pos, cased, strong=True)
        if span is None or span[0] != pos or not self._closed_name(text, span[0], span[1], cased):
            return None
        return span[0], span[1], MEDIUM

    def _name_after_signoff(self, doc: _Text, pos: int):
        """"Salam,\nBudi Santoso" / "Regards, John": a name that closes its line."""
        text = doc.text
        hon = _HON_AFTER_CUE_RE.match(text, pos)
        if hon:
            pos = hon.end()
        cased = doc.cased(pos)
        span = self._scan_name(text, pos, cased, strong=False)
        if span is None or span[0] != pos:
            return None
        start, end, first_cap = span
        if cased and not first_cap:
            return None
        if not (_LINE_END_RE.match(text, end) or cased and _SIGNATURE_ROLE_RE.match(text, end)):
            return None  # "Salam hangat, Tim CS": more words follow, a team, not a name
        if not self._loose_name_ok(text, start, end) or not self._plain_name(text, start, end):
            return None
        return start, end, WEAK

    # -----------------------------------------------------------------------------------------
    @staticmethod
    def _word_name_after_title(text: str, pos: int) -> tuple[int, int, float] | None:
        """A word that is also a name ("hari", "dini", "wong") right after a title, closing
        the clause: "baik pak hari ya", "ok bu dini, saya cek", "dengan pak wong"; not "pak
        hari ini" nor "pak, hari ini"."""
        word = _WORD_RE.match(text, pos)
        if word is None or word.group().lower() not in CAPITALISED_NAME_EXCEPTIONS:
            return None
        if not (_ANSWER_END_RE.match(text, word.end()) or _PUNCT_RIGHT_RE.match(text, word.end())):
            return None
        return word.start(), word.end(), MEDIUM

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
            # Glued to digits/underscore/@: a username or code, not a name ("ORD-2024354117").
            if nxt and (nxt.isdigit() or nxt in "_@" or _CODE_TAIL_RE.match(text, w_end)):
                break
            possessive = word.lower().endswith(("'s", "’s"))  # also "IT'S" in all caps
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
        if (
            len(tokens) == 1
            and cap_mode
            and tokens[0][2].lower() in CAPITALISED_NAME_EXCEPTIONS
            and self._next_title_word(text, tokens[0][1]) in STOP_WORDS
        ):
            return None  # "Tim Finance", "Hari Senin", "Dana Darurat": a noun phrase
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
        if lower == "m" and (word == "M" or not cased) and self._next_is_name(text, w_end):
            return "opener"  # "m agus", "M Yusuf": Muhammad's initial without a dot
        if len(word) == 1:
            return None
        if not first and lower in PARTICLES:
            return "particle"
        # Casing: after a Capitalised first word, a lowercase word ends the name, except after
        # a strong cue ("nama saya Budi santoso"), where only common words end it.
        if cap_mode and not is_cap and (not strong or lower in ORDINARY_ID_WORDS):
            return None  # "a.n. Dedi Kurniawan ramah", though "nama saya Budi santoso"
        if "'" in lower and lower.rsplit("'", 1)[1] in _CONTRACTION_TAILS:
            return None  # I've, we'll, don't
        if lower in STOP_WORDS:
            if lower in CAPITALISED_NAME_EXCEPTIONS and cased and is_cap and not word.isupper():
                return "name"
            if lower in MIDDLE_NAME_EXCEPTIONS and tokens and self._next_is_name(text, w_end):
                return "name"
            if lower in CAPITALISED_NAME_EXCEPTIONS and first and strong and not cased and (
                self._next_is_name(text, w_end) or _ID_AFTER_ONE_NAME_RE.match(text, w_end)
                or _ANSWER_END_RE.match(text, w_end)
            ):
                return "name"  # ASR "atas nama emas hutapea", "a.n. hari dabukke", "nama saya bunga"
            if lower == "made" and (
                (tokens and tokens[-1][2].lower() in _BALI_CONTEXT) or (first and strong)
            ):
                return "name"
            return None
        if is_chat_word(lower, STOP_WORDS):
            return None  # "pinnya", "otpnya", "rekeningnya": a common word and its -nya
        if len(lower) > 20 or _TRIPLE_RE.search(lower):
            return None  # "sorrry", "kakkk", "pleeease": chat stretching, never a name
        if _CAMEL_RE.search(word) and not word.isupper() and not _NAME_CAMEL_RE.match(word):
            return None  # "TokoKita", "GrabExpress": a brand ("McDonald", "DeAngelo" pass)
        if not (cased and is_cap):
            # Lowercase (or caseless) words: reject obvious inflected verbs/nouns.
            if _ID_AFFIX_RE.match(lower):
                return None
            if not (first and strong) and _ID_ME_RE.match(lower):
                return None
            if first and not strong and _EN_AFFIX_RE.match(lower):
                return None
        if first and not strong and _is_swap_typo(lower) and not (
            # "Ms Okta!", "Pak Okta Wijaya": a Titlecase word closing a clause or followed by
            # a Titlecase name is no typo of "kota" ("kak Syaa sudah coba" is one of "saya").
            cased and is_cap and not word.isupper() and self._name_closes(text, w_end)
        ):
            return None
        if not (cased and is_cap) and _is_double_typo(lower):
            return None  # "a.n. Tiara Hutagalung udaah tf": the name ends before the typo
        return "name"

    # -----------------------------------------------------------------------------------------
    @staticmethod
    def _loose_name_ok(text: str, start: int, end: int) -> bool:
        """The looser cues do not take places, banks, brands, roles or acronyms for a name."""
        words = _WORD_RE.findall(text, start, end)
        if any(w.lower() in _NOT_NAME or _CAMEL_RE.search(w) for w in words):
            return False
        first = words[0]
        mixed_case = _LOWER_WORD_RE.search(text, max(0, start - 60), end + 60)
        all_caps_name = len(words) > 1 and all(w.isupper() for w in words)  # "IFA WULANDARI"
        if first.isupper() and 1 < len(first) <= 5 and mixed_case and not all_caps_name:
            return False  # "lapor ke OJK", "kurirnya (JNE)": an acronym in mixed-case text
        return True

    @staticmethod
    def _plain_name(text: str, start: int, end: int) -> bool:
        """A lowercase (or ALL CAPS) name after "it's" / a sign-off / a question is no English
        adjective ("IT'S CHARGED AGAIN")."""
        first = _WORD_RE.match(text, start).group()
        return (first[0].isupper() and not first.isupper()) or not (
            _EN_STATE_RE.match(first.lower()) or _EN_AFFIX_RE.match(first.lower())
        )

    def _greeted(self, text: str, pos: int) -> bool:
        """Is there a greeting among the lead words before ``pos`` ("hi kak, Rina here")?"""
        return any(t.lower() in _GREETING_WORDS for t in self._prev_tokens(text, pos, 4))

    @staticmethod
    def _next_title_word(text: str, pos: int) -> str:
        """The next word, lowercased, if it is Capitalised ("" otherwise)."""
        sep = _SEP_RE.match(text, pos)
        m = _WORD_RE.match(text, sep.end()) if sep else None
        return m.group().lower() if m and m.group()[0].isupper() else ""

    def _name_closes(self, text: str, pos: int) -> bool:
        """Punctuation, the end or a Titlecase non-common word follows ``pos``."""
        rest = text[pos : pos + 40].lstrip(" \t")
        if not rest or not rest[0].isalnum():
            return True
        title = self._next_title_word(text, pos)
        return bool(title) and title not in STOP_WORDS

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
            word = token.lower().replace("’", "'")
            if word in _ANSWER_OPENERS:
                # ASR runs the turns together: "ibu bunga ya bu iya saya bunga lestari".
                # An answer's "iya" opens a turn whatever was said before it.
                return True
            if word not in _LEAD_WORDS:
                return False
        return True

    @staticmethod
    def _right_context(text: str, end: int):
        """'strong' / 'ok' when what follows the name confirms an introduction, else None."""
        rest = text[end : end + 40].lstrip(" \t")
        if _INTRO_AFTER_RE.match(rest):
            return "intro"
        if not rest or not rest[0].isalnum():
            return "end"  # end, punctuation, emoji
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
