"""Fail-safe numbers: every digit run that may be an identifier is masked, valid or not.

The recognizers find identifiers by checksum and structure, which only chooses the *label*:
real input is typed with typos and heard with wrong digits, so a card with one wrong digit is
still fifteen real digits of a card. After the recognizers, this pass masks every digit run
(written or spoken, after normalisation) that none of them covered:

* a run of 8 or more digits, wherever it is;
* a run of 4 or more right after an identifier or secret cue ("kartu", "nik", "otp", "pin").

A run is one number even when it is broken by what people put inside numbers: spaces and
dashes, fillers ("eh", "bentar ya", "let me check"), self-corrections ("eh salah"), the other
speaker's backchannels and speaker labels ("customer: 5505 agent: iya kak customer: 9425"),
and, in a number said aloud, one short word ASR wrote for a digit it misheard ("zero eight six
one nine the two zero eight").
Every piece of it is masked, the words between are not.

Only runs that positively look benign stay readable: an amount with a currency word or sign,
a date, a time, a percentage, a quantity with its unit, and a number whose nearest cue is an
allow-cue (``resi``, ``no order``, ``tiket``, ...; ``allow_cues`` in the policy).

The label comes from the cue ("kartu" -> CREDIT_CARD even with a bad Luhn digit), else from the
shape (a valid card, NIK or mobile number), else it is the generic ``NUMBER``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import regex as re

from recognizers.bank_account_recognizer import BankAccountRecognizer
from recognizers.base import SPEAKER_LABEL, context_regex, only_digits
from recognizers.card_cvv_recognizer import CVV_CONTEXT
from recognizers.credit_card_recognizer import CARD_CONTEXT
from recognizers.date_of_birth_recognizer import BIRTH_CONTEXT
from recognizers.id_bpjs_recognizer import IdBpjsRecognizer
from recognizers.id_nik_recognizer import KK_CONTEXT, IdNikRecognizer
from recognizers.id_npwp_recognizer import IdNpwpRecognizer
from recognizers.id_passport_recognizer import IdPassportRecognizer
from recognizers.otp_recognizer import OTP_CONTEXT
from recognizers.pin_recognizer import PIN_CONTEXT
from recognizers.split_number_recognizer import entity_of
from recognizers.vocabulary import STOP_WORDS

#: The label of a number that no cue and no shape types.
GENERIC_NUMBER = "NUMBER"
PASSPORT = IdPassportRecognizer.ENTITY
ALLOWED = "ALLOWED"  # the pseudo-type of an allow-cue
MIN_DIGITS = 8  # masked wherever it is
MIN_CUED_DIGITS = 4  # masked right after an identifier or secret cue
CUE_WINDOW = 80  # how far before a number its cue may stand (an agent's question)
NEAR_CUE = 45  # "right after": at most this far
MAX_GAP = 60

PHONE_CUES = [
    "hp", "handphone", "ponsel", "telp", "tlp", "telepon", "telpon", "wa", "whatsapp", "phone",
    "mobile", "cell", "call me", "call me back", "call me back on", "reach me", "sms",
    "hubungi", "contact", "kontak", "phone number", "nomor telepon", "no telp",
]
GENERIC_CUES = [
    "nomor", "nomer", "nmr", "no", "number", "num", "id", "kode", "code", "akun",
    "nomor pelanggan", "id pelanggan", "customer id", "customer number", "member id",
    "nomor anggota", "nomor member",
]
DATE_DIGITS = 8  # "tanggal 12 03 2024" is a date; 16 digits after "tanggal" are not
# (A birth date is no benign date: its cues are an identifier's, below.)
DATE_CUES = ["tanggal", "tgl", "date", "tahun", "year"]
# Order matters where cues share a word: "kartu keluarga" before "kartu", "kode otp" and
# allow-cues ("kode booking", "no order") before the generic "kode" / "no".
_CUE_TYPES: tuple[tuple[str, list[str]], ...] = (
    ("ID_KK", KK_CONTEXT),
    ("ID_BPJS", IdBpjsRecognizer.CONTEXT),
    ("ID_NPWP", IdNpwpRecognizer.CONTEXT),
    ("ID_NIK", IdNikRecognizer.CONTEXT),
    (PASSPORT, IdPassportRecognizer.CONTEXT),
    ("DATE_OF_BIRTH", BIRTH_CONTEXT),
    ("OTP", OTP_CONTEXT),
    ("PIN", PIN_CONTEXT),
    ("CARD_CVV", CVV_CONTEXT),
    ("US_SSN", ["ssn", "social security", "social security number"]),
    ("CREDIT_CARD", CARD_CONTEXT),
    ("PHONE_NUMBER", PHONE_CUES),
    ("BANK_ACCOUNT", [*BankAccountRecognizer.CONTEXT, "va", "virtual account", "no va"]),
)

_SPECIFIC_TYPES = frozenset(entity_type for entity_type, _ in _CUE_TYPES)

_FILLER_PHRASES = (
    # hesitations and "and then"
    "eh|ehm|em|emm|um|umm|uh|uhm|ah|er|erm|anu|apa|terus|trus|lanjut|lanjutkan|lalu|then|next|"
    "habis itu|abis itu|and then|apa ya|gimana ya|bentar ya|bentar|sebentar|"
    "tunggu sebentar|tunggu ya|tunggu|sorry|maaf|hold on|let me check|let me see|wait|"
    "one sec|one second|sec|"
    # self-corrections and repeats
    "salah|ralat|bukan|koreksi|maksudnya|maksud saya|yang benar|yang bener|yang betul|i mean|"
    "no wait|ulang|saya ulang|repeat|again|lagi|"
    # the other speaker's backchannels
    "iya|ya|yah|yes|yep|yeah|ok|oke|okay|okey|he eh|heeh|hmm|hm|mm|mhm|uh huh|baik|right|"
    "go on|sip|siap|betul|benar|correct|got it|noted|silakan|continue|alright|sure|"
    "kak|pak|bu|mas|mbak|sis|gan|min|bapak|ibu"
).split("|")
_FILLER_ALTERNATIVES = sorted(set(_FILLER_PHRASES), key=len, reverse=True)
_FILLER = r"(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _FILLER_ALTERNATIVES) + r")(?![\w])"
_FILLERS_ONLY = re.compile(rf"(?:[\s,;.\-!?]|(?<![\w]){_FILLER})*", re.IGNORECASE)
_LABEL = r"\p{L}[\p{L}\d'’()]*(?:[ \t]\p{L}[\p{L}'’()]*){0,2}[ \t]?:"
_TIMESTAMP = r"\[[^\]\n]{0,30}\]"
_GAP = re.compile(
    rf"(?:[\s,;.\-–—/|!?]|{_TIMESTAMP}|(?<![\w]){_FILLER}|(?:(?<=^|\n)|(?<=\s)){_LABEL})*",
    re.IGNORECASE,
)
#: Short words ASR writes for a digit it misheard inside a dictation ("zero eight six one
#: nine the two zero eight", "empat tiga nah tujuh enam"): one of them still joins two spoken
#: pieces of a number.
_MISHEARD_DIGIT = r"(?:the|a|an|and|than|it|in|on|at|or|are|if|dan|lah|nah|ada|kan|tu|deh|sih|si)"
_MISHEARD_GAP = re.compile(rf"{_GAP.pattern}(?<![\w]){_MISHEARD_DIGIT}(?![\w]){_GAP.pattern}", re.IGNORECASE)
# One piece: digits, maybe grouped by dots, dashes, slashes or colons; not part of a code
# ("TKL-2505-315914", "INV/20241126/MPL") nor glued to letters.
_PIECE = re.compile(r"(?<![\w])(?<![\w][/\-])\d+(?:[.\-/:]\d+)*(?![\w])(?![/\-:]\w)")

_TIME = re.compile(r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d)?")
_DATE = re.compile(
    r"(?:0?[1-9]|[12]\d|3[01])([/.\-])(?:0?[1-9]|[12]\d|3[01])\1(?:\d{2}|\d{4})"  # d/m or m/d
    r"|(?:19|20)\d{2}([/.\-])(?:0?[1-9]|1[0-2])\2(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|1[0-2])/(?:\d{2}|\d{4})"
)
_ROUND_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})*\.000(?:,\d+)?")
_MONEY_BEFORE = re.compile(
    r"(?:rp\.?|idr|usd|sgd|myr|us\$|\$|€|£|¥|harga|total|biaya|bayar|tagihan|saldo|nominal|"
    r"sebesar|senilai|cost|costs|price|fee|amount|balance|charged|refund|cashback|diskon|"
    r"discount|ongkir)[\s:]*(?:nya\s*)?(?:rp\.?\s*)?$",
    re.IGNORECASE,
)
_AFTER_BENIGN = re.compile(
    r"\s?(?:%|persen|percent|rupiah|ribu|rb|jt|juta|miliar|k|perak|dollars?|usd|idr|,-|\.-|"
    r"hundred|thousand|million|billion|"
    r"gb|mb|kb|tb|kg|gr|gram|g|ml|liter|l|km|m|meter|cm|mm|mbps|kbps|pcs|buah|unit|biji|lembar|"
    r"botol|kotak|box|kali|x|orang|hari|minggu|bulan|tahun|menit|detik|jam|days?|weeks?|"
    r"months?|years?|minutes?|hours?|seconds?|items?|pieces?|points?|poin|diamonds?|koin|"
    r"coins?|people|persons?|pax|malam|nights?|"
    # a count of digits or letters ("pin 6 digit 447120"), which must not take the cue's place
    r"digits?|angka|huruf|karakter|characters?|letters?)(?![\w])",
    re.IGNORECASE,
)
# "at" but not "call me at" / "reach me at", which announce a phone number.
_CLOCK_BEFORE = re.compile(r"(?:jam|pukul|pkl|(?<!\bme\s+)at|around|sekitar)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberPiece:
    start: int
    end: int
    digits: str


@dataclass(frozen=True)
class NumberFound:
    """A run to mask: its pieces, its label, and whether it spans lines (messages, turns)."""

    entity_type: str
    pieces: tuple[NumberPiece, ...]
    across_lines: bool


class CueFinder:
    """Finds the nearest cue before a position and says what it announces."""

    def __init__(self, allow_cues: Iterable[str]) -> None:
        groups = [(ALLOWED, list(allow_cues)), *_CUE_TYPES, ("DATE", DATE_CUES),
                  (GENERIC_NUMBER, GENERIC_CUES)]
        self._types = [entity_type for entity_type, _ in groups]
        # Trying three hundred cues at every word of a conversation was a tenth of a chat
        # message's CPU. A cue starts with its first one or two characters: where a word
        # starts with those of some cue, only the cues that do are tried.
        prefixes = {_prefix(cue) for _, cues in groups for cue in cues if cue.strip()}
        self._starts = re.compile(
            r"(?<![\w])(?:" + "|".join(map(re.escape, sorted(prefixes, key=len, reverse=True))) + ")",
            re.IGNORECASE)
        self._groups, self._prefixes = groups, prefixes
        # Each compiled when first needed: all of them at start-up took 130 ms.
        self._by_start: dict[str, re.Pattern] = {}

    @staticmethod
    def _compiled(groups: list[tuple[str, list[str]]], prefixes: set[str]) -> re.Pattern:
        """One pattern of the cues starting with one of ``prefixes``, each group named after
        its place in ``groups``."""
        return re.compile("|".join(
            # Exact cues: typos in cue words are forgiven by the recognizers, and fuzzy
            # matching every cue around every number would cost more than all of them.
            f"(?P<g{i}>{context_regex(chosen, fuzzy=False).pattern})"
            for i, (_, cues) in enumerate(groups)
            if (chosen := [cue for cue in cues if cue.strip() and _prefix(cue) in prefixes])
        ), re.IGNORECASE)

    def _cues_starting(self, start: str) -> re.Pattern:
        """The cues a word that starts with ``start`` may open: those with that prefix or its
        first character; all of them for the few letters whose lower case is no prefix ("İD"
        is "i̇d")."""
        if start not in self._by_start:
            chosen = {start, start[:1]} if start in self._prefixes else self._prefixes
            self._by_start[start] = self._compiled(self._groups, chosen)
        return self._by_start[start]

    def _finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match]:
        """The cues in ``text[start:end]``, left to right, none overlapping."""
        end = len(text) if end is None else end
        for candidate in self._starts.finditer(text, start, end):
            if candidate.start() < start:
                continue
            found = self._cues_starting(candidate.group().lower()).match(text, candidate.start(), end)
            if found:
                start = found.end()
                yield found

    def nearest(self, text: str, start: int, end: int) -> tuple[str, int] | None:
        """(type announced, where the cue ends) of the last cue in text[start:end]. A generic
        cue right after a specific one belongs to it: "tiket nomor", "nik number". So does an
        allow-cue after a specific one in a question answered on a later line: "nomor paspor
        yg dipakai saat booking kak?" asks for a passport number (a reference number masked by
        mistake only hides a reference); "soal order ID 9159 4785" announces its own."""
        found = list(self._finditer(text, start, end))
        if not found:
            return None
        last = found[-1]
        entity_type = self._type(last)
        if entity_type == GENERIC_NUMBER and len(found) > 1 and last.start() - found[-2].end() <= 2:
            entity_type = self._type(found[-2])
        elif entity_type == ALLOWED and "\n" in text[last.end():end]:
            line_start = text.rfind("\n", 0, last.start()) + 1
            specific = [m for m in found if m.start() >= line_start and self._type(m) in _SPECIFIC_TYPES]
            if specific:
                entity_type = self._type(specific[-1])
        return entity_type, last.end()

    def last_specific(self, text: str, count: int) -> list[re.Match]:
        """The last ``count`` identifier or secret cues in ``text``, in order: "kode OTP yang
        kami kirim lewat SMS" asks for an OTP, not a phone number."""
        found = [match for match in self._finditer(text) if self._type(match) in _SPECIFIC_TYPES]
        return found[-count:]

    def answer_end(self, text: str, cue: re.Match) -> int:
        """Where what answers ``cue`` must stand by: the next cue of another type ("kode OTP?"
        / "otp yang masuk 7512" answers it; "otp tidak masuk" / "nomor hp?" / "0812..." not)."""
        asked = self._type(cue)
        return next((found.start() for found in self._finditer(text, cue.end())
                     if self._type(found) != asked), len(text))

    def _type(self, match: re.Match) -> str:
        return self._types[int(match.lastgroup[1:])]


def _prefix(cue: str) -> str:
    """The first one or two characters a cue's text starts with, lowercase ("no. rek": "no";
    "a.n.": "a", its dot being optional)."""
    word = cue.strip().split()[0].lower()
    return word[:2] if word[:2].isalnum() else word[:1]


def readable(text: str, start: int, end: int, cues: CueFinder) -> bool:
    """Is the digit run ``text[start:end]`` positively benign: an amount, date, time, percentage
    or quantity, or announced by an allow-cue ("no order", "resi") or a date cue?"""
    piece = NumberPiece(start, end, only_digits(text[start:end]))
    if _benign(text, piece):
        return True
    cue = cues.nearest(text, max(0, start - CUE_WINDOW), start)
    return cue is not None and (cue[0] == ALLOWED or (cue[0] == "DATE" and len(piece.digits) <= DATE_DIGITS))


def allow_cued_phone(text: str, start: int, end: int, cues: CueFinder) -> bool:
    """A "phone number" right after an allow-cue ("nomor resinya 0012 3456 7890") is the
    reference the cue announces, unless it has a mobile number's shape (then it stays masked:
    ambiguous numbers err toward masking)."""
    digits = only_digits(text[start:end])
    if _MOBILE_SHAPE.fullmatch(digits) or _MOBILE_SHAPE.fullmatch("0" + digits):
        return False
    cue = cues.nearest(text, max(0, start - CUE_WINDOW), start)
    return cue is not None and cue[0] == ALLOWED and start - cue[1] <= NEAR_CUE


def find_numbers(text: str, covered: Sequence[tuple[int, int, str]], cues: CueFinder,
                 said_before: Sequence[str] = (),
                 spoken: Callable[[int, int], bool] = lambda start, end: False) -> list[NumberFound]:
    """Every run of ``text`` (normalised: spoken digits already digits) that must be masked
    and is not fully ``covered`` by a detection (start, end, type) already; and every run
    that repeats digits masked earlier in the conversation (``said_before``) or elsewhere in
    ``text``, or a piece of them, cue or none. ``spoken(start, end)``: whether that span was
    said in words (ASR may have written a word for one of its digits)."""
    pieces = [p for p in _pieces(text) if not _benign(text, p)]
    # Numbers masked elsewhere in this text count as said before: the agent reads one back in
    # the next turn ("kartu saya 4532 0151 1283 0366" - "yang berakhiran 0366 ya pak").
    masked_here = [(start, end, digits) for start, end, _ in covered
                   if len(digits := only_digits(text[start:end])) >= MIN_CUED_DIGITS]
    found, previous_end = [], 0
    for chain in _chains(text, pieces, spoken):
        said = [*said_before, *(digits for start, end, digits in masked_here
                                if end <= chain[0].start or chain[-1].end <= start)]
        decided = _decide(text, chain, covered, cues, previous_end, said)
        previous_end = chain[-1].end
        if decided is not None:
            found.append(decided)
    return found


def _pieces(text: str) -> list[NumberPiece]:
    return [NumberPiece(m.start(), m.end(), only_digits(m.group())) for m in _PIECE.finditer(text)]


def _benign(text: str, piece: NumberPiece) -> bool:
    """An amount, date, time, percentage or quantity: readable, and no part of a number."""
    value = text[piece.start:piece.end]
    before = text[max(0, piece.start - 24):piece.start]
    if _TIME.fullmatch(value) or _DATE.fullmatch(value) or _ROUND_AMOUNT.fullmatch(value):
        return True
    if _MONEY_BEFORE.search(before) or _AFTER_BENIGN.match(text, piece.end):
        return True
    return len(piece.digits) <= 4 and bool(_CLOCK_BEFORE.search(before))


def _chains(text: str, pieces: list[NumberPiece], spoken: Callable[[int, int], bool]) -> list[list[NumberPiece]]:
    chains: list[list[NumberPiece]] = []
    for piece in pieces:
        if chains and _joined(text, chains[-1][-1], piece, spoken):
            chains[-1].append(piece)
        else:
            chains.append([piece])
    return chains


def _joined(text: str, left: NumberPiece, right: NumberPiece, spoken: Callable[[int, int], bool]) -> bool:
    if right.start - left.end > MAX_GAP:
        return False
    if _reaches(_GAP, text, left.end, right.start):
        return True
    return (spoken(left.start, left.end) and spoken(right.start, right.end)
            and _reaches(_MISHEARD_GAP, text, left.end, right.start))


def _reaches(gap: re.Pattern, text: str, start: int, end: int) -> bool:
    found = gap.match(text, start, end)
    return found is not None and found.end() == end


def _decide(
    text: str, chain: list[NumberPiece], covered: Sequence[tuple[int, int, str]],
    cues: CueFinder, previous_end: int, said_before: Sequence[str] = (),
) -> NumberFound | None:
    digits = "".join(p.digits for p in chain)
    open_pieces = [p for p in chain if not _fully_covered(p, covered)]
    if not open_pieces:
        return None
    window_start = max(previous_end, chain[0].start - CUE_WINDOW)  # only the first number after a cue
    cue = cues.nearest(text, window_start, chain[0].start)
    cue_type = cue[0] if cue else None
    # "so p a four eight two nine one seven three": read back, a masked number is no less one;
    # and so is a piece of it ("tadi tujuh lima nol tiga atau tujuh lima nol delapan?").
    repeated = len(digits) >= MIN_CUED_DIGITS and any(said in digits or digits in said
                                                      for said in said_before)
    if not repeated and (cue_type == ALLOWED or (cue_type == "DATE" and len(digits) <= DATE_DIGITS)):
        return None
    near = cue is not None and chain[0].start - cue[1] <= NEAR_CUE
    # After its cue, a number is masked from four digits on; so is the first piece of one read
    # out digit by digit, alone on its line ("agent: otp nya bu" / "customer: sebentar ya" /
    # "customer: lima"), however short.
    cued = near and (len(digits) >= MIN_CUED_DIGITS
                     or cue_type in _SPECIFIC_TYPES and _alone_on_line(text, chain))
    if not (repeated or len(digits) >= MIN_DIGITS or cued):
        return None
    label = _covering_type(chain, covered) or _label(digits, cue_type)
    across = "\n" in text[chain[0].start:chain[-1].end]
    return NumberFound(label, tuple(open_pieces), across)


def _alone_on_line(text: str, chain: list[NumberPiece]) -> bool:
    """Nothing but the chain, fillers and the speaker's label on the chain's line."""
    line_start = text.rfind("\n", 0, chain[0].start) + 1
    line_end = text.find("\n", chain[-1].end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:chain[0].start]
    if label := SPEAKER_LABEL.match(before):
        before = before[label.end():]
    return only_fillers(f"{before} {text[chain[-1].end:line_end]}")


def _fully_covered(piece: NumberPiece, covered: Sequence[tuple[int, int, str]]) -> bool:
    return any(start <= piece.start and piece.end <= end for start, end, _ in covered)


def _covering_type(chain: list[NumberPiece], covered: Sequence[tuple[int, int, str]]) -> str | None:
    """The type already given to another piece of the chain (the first attempt of a corrected
    number, the first half of a split one)."""
    for piece in chain:
        for start, end, entity_type in covered:
            if start < piece.end and piece.start < end:
                return entity_type
    return None


_MOBILE_SHAPE = re.compile(r"(?:0|62)8\d{7,12}")


def _label(digits: str, cue_type: str | None) -> str:
    if cue_type == "DATE_OF_BIRTH" and len(digits) > DATE_DIGITS:
        cue_type = None  # too long for a date: "tanggal lahir saya 3171019901900003"
    if cue_type is not None and cue_type != GENERIC_NUMBER:
        return cue_type
    if shaped := entity_of(digits):
        return shaped
    return "PHONE_NUMBER" if _MOBILE_SHAPE.fullmatch(digits) else GENERIC_NUMBER


def only_fillers(text: str) -> bool:
    """True for text that carries nothing but fillers and backchannels ("iya kak", "bentar ya",
    "mhm", "ok lanjut"): it neither continues nor ends a number read out around it."""
    return _FILLERS_ONLY.fullmatch(text) is not None


# Digit words left out of a dictation at its edges: homophones, and a lone digit a hesitation
# or a misheard word cut off ("kosong eh delapan lima ...", "... satu dua um ate").
_EDGE_DIGIT = (r"(?:for|fore|to|too|ate|won|oh|o|zero|one|two|three|four|five|six|seven|eight|nine|"
               r"nol|kosong|satu|dua|tiga|empat|lima|enam|tujuh|tuju|delapan|lapan|sembilan|smbilan)")
_HESITATION = r"(?:eh|ehm|em|emm|ee|um|umm|uh|uhm|ah|er|erm|anu)"
_CUT_BY = rf"(?:{_HESITATION}|{_MISHEARD_DIGIT})(?![\w])"
_EDGE_DIGITS_BEFORE = re.compile(rf"(?:(?<![\w']){_EDGE_DIGIT}[ \t]+(?:{_CUT_BY}[ \t]+)?)+$", re.IGNORECASE)
_EDGE_DIGITS_AFTER = re.compile(rf"(?:[ \t]+(?:{_CUT_BY}[ \t]+)?{_EDGE_DIGIT}(?![\w']))+", re.IGNORECASE)


def with_homophones(source: str, start: int, end: int) -> tuple[int, int]:
    """A spoken piece of a masked number, widened over the digit homophones ASR wrote right
    next to it ("customer: five to" -> "five to"), and over a digit word a hesitation or a
    misheard word cut off from it: inside a number being masked they are its digits. Written
    digits are never widened ("transfer to 1234567890")."""
    if not any(c.isalpha() for c in source[start:end]):
        return start, end
    before = _EDGE_DIGITS_BEFORE.search(source, max(0, start - 40), start)
    after = _EDGE_DIGITS_AFTER.match(source, end)
    return (before.start() if before else start), (after.end() if after else end)


# What belongs to a number right before its digits: a passport's letters typed or spelled
# ("C 4829137", "AB 1234567", "b as in bravo two two nine ...": two lower-case letters are a
# word, "no", "ke"), a phone number's "plus" said aloud ("plus six two eight one one ...").
_PREFIXES = {
    PASSPORT: re.compile(
        r"(?<![\w'’])(?:[A-Z]{1,2}|(?i:[a-z](?:[ \t]+(?:as[ \t]+in|for|untuk|seperti|kayak)[ \t]+[a-z]+)?))"
        r"[ \t]*$"),
    "PHONE_NUMBER": re.compile(r"(?<![\w'’])(?i:plus)[ \t]+$"),
    # Any other identifier's own letters: a member or loyalty code typed in capitals ("member
    # ACR 2219 4487 01") or letters said one by one ("g a satu satu ..."), unless a word.
    GENERIC_NUMBER: re.compile(r"(?<![\w'’])(?:[A-Z]{2,4}|[a-z](?:[ \t]+[a-z]){0,2})[ \t]+$"),
}


def prefix_start(source: str, entity_type: str, start: int) -> int:
    """Where a number of ``entity_type`` whose digits start at ``start`` starts."""
    prefix = _PREFIXES.get(entity_type)
    before = prefix.search(source, max(0, start - 40), start) if prefix else None
    if before is None or (entity_type == GENERIC_NUMBER and _is_word(before.group())):
        return start
    return before.start()


#: Cues of identifiers that stand in capitals before them: a medical record (rekam medis),
#: a bank's customer file.
_CUE_ABBREVIATIONS = frozenset({"rm", "cif"})


def _is_word(letters: str) -> bool:
    """Capitals that are a word or a cue ("NIK", "HP", "BCA", "RM"), not a code's letters."""
    word = letters.strip().lower()
    return len(word) > 1 and (word in STOP_WORDS or word in _CUE_ABBREVIATIONS
                              or bool(_MONEY_BEFORE.fullmatch(word)))
