"""Synthetic development set: Indonesian/English contact-centre chat lines and call transcripts.

``generate(n, seed)`` returns ``Sample`` objects with gold PII spans (character offsets into
``text``). Written samples look like chat messages (typos, slang, lowercase, emoji) and agent
lines; spoken samples look like ASR output (lowercase, no punctuation, numbers as words).
Many samples also carry negative content (prices, times, ticket numbers, product names, ...)
that must not be masked, and about a quarter carry no PII at all.

CLI: ``python -m benchmarks.dataset --n 1500 --seed 1 --out benchmarks/devset.jsonl``
"""
from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from faker import Faker
from num2words import num2words

ENTITY_TYPES: tuple[str, ...] = (
    "CREDIT_CARD", "CARD_CVV", "CARD_EXPIRY", "ID_NIK", "ID_KK", "ID_NPWP", "ID_BPJS",
    "ID_PASSPORT", "PHONE_NUMBER", "BANK_ACCOUNT", "EMAIL_ADDRESS", "PERSON", "ADDRESS",
)
SPOKEN_SHARE = 0.4
NO_PII_SHARE = 0.25


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str


@dataclass
class Sample:
    id: str
    text: str
    mode: str  # "written" | "spoken"
    lang: str  # "id" | "en" | "mixed"
    spans: list[Span] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_dict(cls, raw: dict) -> Sample:
        spans = [Span(s["start"], s["end"], s["type"]) for s in raw["spans"]]
        return cls(raw["id"], raw["text"], raw["mode"], raw["lang"], spans)


def load(path: str | Path) -> list[Sample]:
    with open(path, encoding="utf-8") as fh:
        return [Sample.from_dict(json.loads(line)) for line in fh if line.strip()]


# --------------------------------------------------------------------------- reference data

PROVINCE_CODES = (
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
    61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
)
BANK_ACCOUNT_LENGTHS = {
    "BCA": (10,), "BRI": (15,), "BNI": (10,), "Mandiri": (13,), "CIMB Niaga": (13, 14),
    "BSI": (10,), "Permata": (10, 16),
}
KELURAHAN = (
    "Sukamaju", "Cempaka Putih", "Menteng", "Kebon Jeruk", "Tegalsari", "Sumberrejo",
    "Karanganyar", "Sidomulyo", "Margahayu", "Pasir Kaliki", "Rawamangun", "Jatiwaringin",
    "Pondok Kelapa", "Kedung Baruk", "Mekarsari", "Tanjung Rejo", "Lempuing", "Pakuncen",
    "Sukadamai", "Wonokromo", "Cilandak Barat", "Kuta", "Panakkukang", "Sungai Bambu",
)
KECAMATAN = (
    "Cibinong", "Tebet", "Coblong", "Lowokwaru", "Medan Baru", "Panakkukang", "Genteng",
    "Sukajadi", "Bojongsari", "Cilandak", "Kebayoran Baru", "Kemayoran", "Ngaglik",
    "Banjarsari", "Rungkut", "Tembalang", "Ilir Timur I", "Tampan", "Sukolilo", "Kuta Utara",
)
KABKOTA = (
    "Kab. Bogor", "Kab. Sleman", "Kab. Bandung", "Kab. Sidoarjo", "Kab. Gresik",
    "Kab. Deli Serdang", "Kab. Tangerang", "Kab. Bekasi", "Kab. Malang", "Kab. Badung",
    "Kota Bandung", "Kota Surabaya", "Kota Medan", "Kota Makassar", "Kota Semarang",
    "Kota Depok", "Kota Malang", "Kota Palembang", "Kota Pekanbaru", "Jakarta Selatan",
    "Jakarta Timur", "Kota Yogyakarta",
)
PERUM = ("Griya Asri", "Bumi Serpong Damai", "Taman Sari Indah", "Villa Melati Mas",
         "Puri Cendana", "Citra Raya", "Graha Permai", "Pondok Hijau Permai")
CITIES = ("Surabaya", "Bandung", "Medan", "Makassar", "Yogyakarta", "Bekasi", "Semarang",
          "Denpasar", "Palembang", "Balikpapan", "Malang", "Bogor", "Tangerang", "Jakarta")
PRODUCTS_ID = ("Paket Unlimited 50GB", "Kartu Kredit Platinum", "Indihome 30 Mbps",
               "Tabungan Tahapan", "kuota 25GB", "paket Combo Sakti", "Samsung Galaxy A54",
               "iPhone 15 Pro", "voucher game 100 diamond", "asuransi Prima Sehat")
PRODUCTS_EN = ("Premium plan", "iPhone 15 Pro", "Samsung Galaxy A54", "Platinum credit card",
               "50GB data package", "Family Plus bundle", "AirPods Pro", "travel insurance")
BRANDS = ("MajuBank", "TokoKita", "HaloCare", "Telkomsel", "Indihome", "Shopee", "Tiket Kita")
EMOJI = ("🙏", "😊", "👍", "😭", "🙂", "😅", "🤔", "😡", "🥲")
EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "yahoo.co.id",
                 "outlook.com", "hotmail.com", "ymail.com", "majubank.co.id", "ptsentosa.co.id",
                 "company.com", "mail.ugm.ac.id")
ID_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
ID_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# Chat shorthand expanded when a written template is used in spoken mode (ASR writes words).
SPOKEN_WORDS = {
    "a.n.": "atas nama", "a.n": "atas nama", "an.": "atas nama", "no.": "nomor", "no": "nomor",
    "jl.": "jalan", "sy": "saya", "rek": "rekening", "rek.": "rekening", "tf": "transfer",
    "yg": "yang", "blm": "belum", "sdh": "sudah", "udh": "udah", "tp": "tapi", "pls": "please",
    "thx": "thanks", "gk": "nggak", "ga": "nggak", "tlg": "tolong", "dgn": "dengan",
    "utk": "untuk", "mr.": "mister", "mrs.": "missus", "ms.": "miss", "asap": "as soon as possible",
    "&": "dan", "%": " persen", "tgl": "tanggal", "acc": "account", "nmr": "nomor",
    "kec.": "kecamatan", "kab.": "kabupaten", "kel.": "kelurahan", "exp": "expired",
}


# --------------------------------------------------------------------------- helpers

def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    """Random digits after ``prefix`` up to ``length`` with a valid Luhn check digit."""
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def group(digits: str, sizes: tuple[int, ...], sep: str) -> str:
    parts, pos = [], 0
    for size in sizes:
        if pos >= len(digits):
            break
        parts.append(digits[pos:pos + size])
        pos += size
    if pos < len(digits):
        parts.append(digits[pos:])
    return sep.join(parts)


def rand_digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def n2w(number: int | float, lang: str, to: str = "cardinal") -> str:
    return num2words(number, lang=lang, to=to).replace("-", " ").replace(",", "")


def spoken_text(text: str, lang: str) -> str:
    """Literal template text as ASR would print it: lowercase words, numbers as words."""
    words = []
    for raw in text.split():
        low = raw.lower()
        key = low.rstrip(",:;!?")
        words.append(SPOKEN_WORDS.get(key, SPOKEN_WORDS.get(key.rstrip("."), low)))
    out = " ".join(words).replace("'", "").replace("’", "")
    out = re.sub(r"(\d+)x(\d+)", r"\1 kali \2" if lang == "id" else r"\1 times \2", out)
    out = re.sub(r"\d+", lambda m: " " + n2w(int(m.group()), lang) + " ", out)
    out = re.sub(r"[^\w\s]|_", " ", out)
    return " ".join(out.split())


def spell_digits(digits: str, lang: str, rng: random.Random) -> str:
    """Digit string read out: mostly digit by digit, sometimes in pairs or mixed groups."""
    zero = rng.choice(("nol", "kosong")) if lang == "id" else rng.choice(("zero", "oh", "oh"))
    style = rng.choices(("digit", "pair", "mixed"), (65, 20, 15))[0]
    if style == "digit":
        return _by_digit(digits, lang, zero, rng.random() < 0.35 and lang == "en")
    if style == "pair":
        return _by_pair(digits, lang, zero)
    chunks = [digits[i:i + 4] for i in range(0, len(digits), 4)]
    return " ".join(_by_pair(c, lang, zero) if rng.random() < 0.4 else _by_digit(c, lang, zero, False)
                    for c in chunks)


def _digit_word(d: str, lang: str, zero: str) -> str:
    if d == "0":
        return zero
    return (ID_DIGITS if lang == "id" else EN_DIGITS)[int(d)]


def _by_digit(digits: str, lang: str, zero: str, doubles: bool) -> str:
    if not doubles:
        return " ".join(_digit_word(d, lang, zero) for d in digits)
    words, i = [], 0
    while i < len(digits):
        run = 1
        while i + run < len(digits) and digits[i + run] == digits[i] and run < 3:
            run += 1
        word = _digit_word(digits[i], lang, zero)
        words.append({1: word, 2: f"double {word}", 3: f"triple {word}"}[run])
        i += run
    return " ".join(words)


def _by_pair(digits: str, lang: str, zero: str) -> str:
    words = []
    start = len(digits) % 2
    if start:
        words.append(_digit_word(digits[0], lang, zero))
    for i in range(start, len(digits), 2):
        pair = digits[i:i + 2]
        if pair[0] == "0":
            words.append(f"{zero} {_digit_word(pair[1], lang, zero)}")
        else:
            words.append(n2w(int(pair), lang))
    return " ".join(words)


# --------------------------------------------------------------------------- generation context

@dataclass
class Ctx:
    rng: random.Random
    fake_id: Faker
    fake_en: Faker
    spoken: bool
    lang: str  # language of the current utterance: id | en | mixed
    bank: str
    name: str
    female: bool

    def num_lang(self) -> str:
        """Language numbers are read in."""
        if self.lang == "mixed":
            return "id" if self.rng.random() < 0.7 else "en"
        return self.lang

    def pick(self, seq):
        return self.rng.choice(seq)


def make_name(rng: random.Random, fid: Faker, fen: Faker, english: bool) -> tuple[str, bool]:
    female = rng.random() < 0.5
    if english:
        first = fen.first_name_female() if female else fen.first_name_male()
        return f"{first} {fen.last_name()}", female
    first = fid.first_name_female() if female else fid.first_name_male()
    shape = rng.random()
    if shape < 0.25:
        return first, female
    if shape < 0.85:
        return f"{first} {fid.last_name()}", female
    middle = fid.first_name_female() if female else fid.first_name_male()
    return f"{first} {middle} {fid.last_name()}", female


# --------------------------------------------------------------------------- PII slots

def s_name(c: Ctx) -> str:
    return c.name.lower() if c.spoken else c.name


def s_other_name(c: Ctx) -> str:
    english = c.lang == "en" and c.rng.random() < 0.6
    name, _ = make_name(c.rng, c.fake_id, c.fake_en, english)
    return name.lower() if c.spoken else name


def s_first_name(c: Ctx) -> str:
    first = c.name.split()[0]
    return first.lower() if c.spoken else first


def region_prefix(c: Ctx) -> str:
    regency = c.rng.choice((c.rng.randint(1, 30), c.rng.randint(71, 79)))
    return f"{c.pick(PROVINCE_CODES):02d}{regency:02d}{c.rng.randint(1, 40):02d}"


def nik_digits(c: Ctx) -> str:
    day = c.rng.randint(1, 28) + (40 if c.rng.random() < 0.5 else 0)
    date = f"{day:02d}{c.rng.randint(1, 12):02d}{c.rng.randint(0, 99):02d}"
    return region_prefix(c) + date + f"{c.rng.randint(1, 150):04d}"


def kk_digits(c: Ctx) -> str:
    date = f"{c.rng.randint(1, 28):02d}{c.rng.randint(1, 12):02d}{c.rng.randint(0, 24):02d}"
    return region_prefix(c) + date + f"{c.rng.randint(1, 60):04d}"


def speak_or_write(c: Ctx, digits: str, written: Callable[[str], str]) -> str:
    return spell_digits(digits, c.num_lang(), c.rng) if c.spoken else written(digits)


def s_nik(c: Ctx) -> str:
    def fmt(d: str) -> str:
        return c.rng.choices((d, group(d, (4, 4, 4, 4), " "), group(d, (6, 6, 4), "-")), (80, 15, 5))[0]
    return speak_or_write(c, nik_digits(c), fmt)


def s_kk(c: Ctx) -> str:
    def fmt(d: str) -> str:
        return c.rng.choices((d, group(d, (4, 4, 4, 4), " ")), (85, 15))[0]
    return speak_or_write(c, kk_digits(c), fmt)


def s_npwp(c: Ctx) -> str:
    kind = c.rng.random()
    if kind < 0.25:  # new 16-digit NPWP: the NIK, or 0 + old number
        digits = nik_digits(c) if c.rng.random() < 0.6 else "0" + _old_npwp(c)
        return speak_or_write(c, digits, lambda d: d)
    digits = _old_npwp(c)

    def fmt(d: str) -> str:
        dotted = f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
        return c.rng.choices((dotted, d, dotted.replace(".", " ").replace("-", " ")), (65, 28, 7))[0]
    return speak_or_write(c, digits, fmt)


def _old_npwp(c: Ctx) -> str:
    return f"{c.rng.randint(1, 99):02d}" + rand_digits(c.rng, 7) + f"{c.rng.randint(1, 999):03d}" + \
        c.pick(("000", "000", "001", "002"))


def s_bpjs(c: Ctx) -> str:
    digits = "000" + rand_digits(c.rng, 10) if c.rng.random() < 0.8 else "0" + rand_digits(c.rng, 12)
    return speak_or_write(c, digits, lambda d: c.rng.choices((d, group(d, (4, 4, 5), " ")), (85, 15))[0])


def s_passport(c: Ctx) -> str:
    if c.rng.random() < 0.75:
        letters, digits = c.pick("ABCEXW"), rand_digits(c.rng, 7)
    else:
        letters = c.pick("ABCEX") + c.pick("ABCDEHRT")
        digits = rand_digits(c.rng, c.pick((6, 7)))
    if c.spoken:
        return " ".join(letters.lower()) + " " + spell_digits(digits, c.num_lang(), c.rng)
    sep = c.rng.choices(("", " "), (80, 20))[0]
    return f"{letters}{sep}{digits}"


CARD_BRANDS: tuple[tuple[tuple[str, ...], int, tuple[int, ...]], ...] = (
    (("4",), 16, (4, 4, 4, 4)),
    (("4",), 13, (4, 4, 5)),
    (("4",), 19, (4, 4, 4, 4, 3)),
    (("51", "52", "53", "54", "55", "2221", "2720"), 16, (4, 4, 4, 4)),
    (("34", "37"), 15, (4, 6, 5)),
    (("3528", "3566", "3589"), 16, (4, 4, 4, 4)),
)


def s_card(c: Ctx) -> str:
    prefixes, length, sizes = c.rng.choices(CARD_BRANDS, (40, 4, 4, 30, 10, 12))[0]
    digits = luhn_complete(c.pick(prefixes), length, c.rng)
    if c.spoken:
        return spell_digits(digits, c.num_lang(), c.rng)
    sep = c.rng.choices((" ", "-", "", "  "), (50, 20, 27, 3))[0]
    return group(digits, sizes, sep) if sep else digits


def s_cvv(c: Ctx) -> str:
    digits = rand_digits(c.rng, 3 if c.rng.random() < 0.85 else 4)
    return speak_or_write(c, digits, lambda d: d)


def s_expiry(c: Ctx) -> str:
    month, year = c.rng.randint(1, 12), c.rng.randint(2025, 2032)
    if c.spoken:
        return _speak_expiry(c, month, year)
    yy = f"{year % 100:02d}"
    forms = (f"{month:02d}/{yy}", f"{month:02d}/{year}", f"{month:02d}-{yy}", f"{month:02d}{yy}",
             f"{month}/{yy}", f"{month:02d} / {yy}")
    return c.rng.choices(forms, (45, 15, 12, 10, 10, 8))[0]


def _speak_expiry(c: Ctx, month: int, year: int) -> str:
    lang = c.num_lang()
    zero = ("kosong" if lang == "id" else "oh")
    if month < 10 and c.rng.random() < 0.5:
        m = f"{zero} {_digit_word(str(month), lang, zero)}"
    elif lang == "en" and c.rng.random() < 0.25:
        m = EN_MONTHS[month - 1].lower()
    else:
        m = n2w(month, lang)
    y = c.rng.choices((n2w(year % 100, lang), n2w(year, lang),
                       _by_digit(f"{year % 100:02d}", lang, zero, False)), (60, 20, 20))[0]
    return f"{m} {y}"


ID_MOBILE = ("811", "812", "813", "821", "822", "823", "852", "853", "851", "814", "815", "816",
             "817", "818", "819", "855", "856", "857", "858", "859", "877", "878", "895", "896",
             "897", "898", "899", "881", "882", "883", "887", "831", "832", "838")
LANDLINE_AREAS = ("21", "22", "24", "31", "61", "274", "361", "411", "341")


def phone_parts(c: Ctx) -> tuple[str, str]:
    """(written form, digits as read out including a leading '+' marker)."""
    kind = c.rng.choices(("mobile", "landline", "intl"), (72, 14, 14 if c.lang != "id" else 6))[0]
    if kind == "mobile":
        sub = c.pick(ID_MOBILE) + rand_digits(c.rng, c.pick((6, 7, 8, 8)))
        return _mobile_written(c, sub), c.pick(("0" + sub, "0" + sub, "+62" + sub, "62" + sub))
    if kind == "landline":
        area, local = c.pick(LANDLINE_AREAS), rand_digits(c.rng, c.pick((7, 8)))
        forms = (f"(0{area}) {local}", f"0{area}-{local}", f"0{area} {local[:4]} {local[4:]}",
                 f"+62 {area} {local}", f"0{area}{local}")
        return c.pick(forms), "0" + area + local
    country = c.pick(("1", "65", "44"))
    if country == "1":
        a, b, d = rand_digits(c.rng, 3), rand_digits(c.rng, 3), rand_digits(c.rng, 4)
        a = str(c.rng.randint(2, 9)) + a[1:]
        forms = (f"+1 ({a}) {b}-{d}", f"+1 {a}-{b}-{d}", f"+1{a}{b}{d}", f"({a}) {b}-{d}")
        return c.pick(forms), "+1" + a + b + d
    if country == "65":
        local = c.pick("689") + rand_digits(c.rng, 7)
        return c.pick((f"+65 {local[:4]} {local[4:]}", f"+65{local}", f"+65-{local}")), "+65" + local
    local = "7" + rand_digits(c.rng, 9)
    return c.pick((f"+44 {local[:4]} {local[4:]}", f"+44 {local}", f"+44-{local[:4]}-{local[4:]}")), \
        "+44" + local


def _mobile_written(c: Ctx, sub: str) -> str:
    full = "0" + sub
    forms = (
        full, full, group(full, (4, 4, 4), "-"), group(full, (4, 4, 4), " "),
        "+62" + sub, "+62 " + group(sub, (3, 4, 4), "-"), "+62 " + group(sub, (3, 4, 4), " "),
        "62" + sub, f"(+62) {sub}", group(full, (4, 4, 4), "."),
    )
    return c.rng.choices(forms, (22, 14, 12, 10, 10, 8, 8, 8, 3, 5))[0]


def s_phone(c: Ctx) -> str:
    written, digits = phone_parts(c)
    if not c.spoken:
        return written
    lang = c.num_lang()
    if digits.startswith("+"):
        cc_len = 1 if digits.startswith("+1") else 2
        head, body = digits[1:1 + cc_len], digits[1 + cc_len:]
        plus = "plus " if c.rng.random() < 0.8 else ""
        return plus + _by_digit(head, lang, "nol" if lang == "id" else "zero", False) + " " + \
            spell_digits(body, lang, c.rng)
    return spell_digits(digits, lang, c.rng)


def s_account(c: Ctx) -> str:
    length = c.pick(BANK_ACCOUNT_LENGTHS[c.bank]) if c.rng.random() < 0.93 else c.pick((8, 9, 11, 12))
    digits = rand_digits(c.rng, length)
    if c.bank in ("BRI",) and c.rng.random() < 0.3:
        digits = rand_digits(c.rng, 4) + "01" + rand_digits(c.rng, 9)

    def fmt(d: str) -> str:
        if c.bank == "BRI" and len(d) == 15 and c.rng.random() < 0.35:
            return group(d, (4, 2, 6, 2, 1), "-")
        if len(d) == 10 and c.rng.random() < 0.2:
            return group(d, (3, 3, 4), c.pick(("-", " ")))
        if c.rng.random() < 0.15:
            return group(d, (4, 4, 4, 4), " ")
        return d
    return speak_or_write(c, digits, fmt)


def email_local(c: Ctx) -> str:
    parts = [p.lower() for p in re.findall(r"[A-Za-z]+", c.name)] or ["user"]
    first, last = parts[0], parts[-1]
    if len(parts) == 1:
        return c.pick((first, f"{first}{c.rng.randint(1, 99)}", f"{first}.{c.rng.randint(1970, 2005)}"))
    forms = (f"{first}.{last}", f"{first}{last}", f"{first}_{last}", f"{first}{c.rng.randint(1, 99)}",
             f"{first}.{last}{c.rng.randint(70, 99)}", f"{last}.{first}", f"{first[0]}{last}")
    return c.pick(forms)


def s_email(c: Ctx) -> str:
    local, domain = email_local(c), c.pick(EMAIL_DOMAINS)
    if not c.spoken:
        return f"{local}@{domain}"
    lang = c.num_lang()
    dot = "titik" if lang == "id" and c.rng.random() < 0.7 else "dot"
    at = c.pick(("et", "at")) if lang == "id" else "at"
    under = "garis bawah" if lang == "id" and c.rng.random() < 0.5 else "underscore"

    def say(part: str) -> str:
        part = part.replace(".", f" {dot} ").replace("_", f" {under} ")
        return re.sub(r"\d+", lambda m: " " + spell_digits(m.group(), lang, c.rng) + " ", part)
    return " ".join(f"{say(local)} {at} {say(domain)}".split())


def s_address(c: Ctx) -> str:
    english = c.lang == "en" and c.rng.random() < 0.55
    parts = en_address(c) if english else id_address(c)
    if c.spoken:
        return " ".join(sp for _, sp in parts)
    sep = c.rng.choices((", ", " ", ","), (70, 25, 5))[0]
    text = sep.join(w for w, _ in parts)
    return text.lower() if (not english and c.rng.random() < 0.3) else text


SPOKEN_LABELS = {
    "Jl.": "jalan", "Jalan": "jalan", "Jln": "jalan", "jl": "jalan", "Gg.": "gang", "Gang": "gang",
    "Perum": "perum", "Komp.": "komplek", "Perumahan": "perumahan", "Komplek": "komplek",
    "Kel.": "kelurahan", "Kelurahan": "kelurahan", "Kel": "kelurahan", "Desa": "desa", "Ds.": "desa",
}
Part = tuple[str, str]  # (written, spoken)


def _housing_part(c: Ctx) -> Part:
    name, prefix = c.pick(PERUM), c.pick(("Perum", "Komp.", "Perumahan", "Komplek"))
    letter, blok, no = c.pick("ABCDEFGH"), c.rng.randint(1, 12), c.rng.randint(1, 40)
    spoken = f"{SPOKEN_LABELS[prefix]} {spoken_text(name, 'id')} blok {letter.lower()} {n2w(blok, 'id')} " \
             f"nomor {n2w(no, 'id')}"
    return f"{prefix} {name} Blok {letter}{blok} No. {no}", spoken


def _street_part(c: Ctx) -> Part:
    street = c.fake_id.street()
    prefix = c.rng.choices(("Jl.", "Jalan", "Jln", "Gg.", "Gang", "jl"), (40, 25, 8, 12, 10, 5))[0]
    no = c.rng.randint(1, 250)
    no_w = c.rng.choices((f"No. {no}", f"No.{no}", f"no {no}", f"nomor {no}", str(no)), (45, 15, 20, 10, 10))[0]
    return f"{prefix} {street} {no_w}", f"{SPOKEN_LABELS[prefix]} {spoken_text(street, 'id')} nomor {n2w(no, 'id')}"


def _rt_rw_part(c: Ctx) -> Part:
    rt, rw = c.rng.randint(1, 15), c.rng.randint(1, 12)
    written = c.rng.choices((f"RT {rt:02d}/RW {rw:02d}", f"RT {rt} RW {rw}", f"RT.{rt:03d}/RW.{rw:03d}",
                             f"rt{rt:02d} rw{rw:02d}", f"RT {rt:03d} / RW {rw:03d}"), (35, 25, 15, 15, 10))[0]
    return written, f"rt {n2w(rt, 'id')} rw {n2w(rw, 'id')}"


def _kelurahan_part(c: Ctx) -> Part:
    kel, label = c.pick(KELURAHAN), c.pick(("Kel.", "Kelurahan", "Desa", "Ds.", "Kel"))
    return f"{label} {kel}", f"{SPOKEN_LABELS[label]} {spoken_text(kel, 'id')}"


def _kecamatan_part(c: Ctx) -> Part:
    kec, label = c.pick(KECAMATAN), c.pick(("Kec.", "Kecamatan", "Kec"))
    return f"{label} {kec}", "kecamatan " + spoken_text(kec, "id")


def _kabkota_part(c: Ctx) -> Part:
    kabkota = c.pick(KABKOTA)
    bare = kabkota.split(" ", 1)[1] if kabkota.startswith(("Kab. ", "Kota ")) else kabkota
    written = kabkota if c.rng.random() < 0.7 else bare
    return written, spoken_text(written.replace("Kab.", "kabupaten"), "id")


def _province_part(c: Ctx) -> Part:
    province = c.fake_id.state()
    return province, spoken_text(province, "id")


def _postcode_part(c: Ctx) -> Part:
    postcode = f"{c.rng.randint(10, 99)}{c.rng.randint(0, 999):03d}"
    label_w, label_s = c.rng.choices((("", ""), ("Kode Pos ", "kode pos ")), (75, 25))[0]
    return label_w + postcode, label_s + spell_digits(postcode, "id", c.rng)


# optional address parts in their usual order, with the chance each is given
ID_ADDRESS_PARTS: tuple[tuple[float, Callable[[Ctx], Part]], ...] = (
    (0.6, _rt_rw_part), (0.55, _kelurahan_part), (0.6, _kecamatan_part), (0.8, _kabkota_part),
    (0.45, _province_part), (0.6, _postcode_part),
)


def id_address(c: Ctx) -> list[Part]:
    """Indonesian address: street or housing estate, then any subset of the smaller units."""
    parts = [_housing_part(c) if c.rng.random() < 0.2 else _street_part(c)]
    parts += [make(c) for chance, make in ID_ADDRESS_PARTS if c.rng.random() < chance]
    if len(parts) > 3 and c.rng.random() < 0.15:  # someone typing out of order
        i = c.rng.randint(1, len(parts) - 2)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    return parts


def en_address(c: Ctx) -> list[Part]:
    street = c.fake_en.street_address()
    num, rest = street.split(" ", 1)
    rest_spoken = re.sub(r"\d+", lambda m: " " + spell_digits(m.group(), "en", c.rng) + " ", rest)
    parts = [(street, f"{spell_digits(num, 'en', c.rng)} {spoken_text(rest_spoken, 'en')}")]
    city, state, zipc = c.fake_en.city(), c.fake_en.state_abbr(), c.fake_en.zipcode()
    parts.append((city, spoken_text(city, "en")))
    parts.append((f"{state} {zipc}", f"{' '.join(state.lower())} {spell_digits(zipc, 'en', c.rng)}"))
    return parts


# --------------------------------------------------------------------------- negative slots

PRICE_AMOUNTS = (15000, 25000, 50000, 75000, 99000, 150000, 250000, 350000, 500000, 1250000, 2500000)


def s_price(c: Ctx) -> str:
    lang = c.num_lang() if c.spoken else c.lang
    if lang == "en" and c.rng.random() < 0.6:
        dollars, cents = c.rng.randint(5, 300), c.pick((0, 99, 50, 49))
        if c.spoken:
            out = f"{n2w(dollars, 'en')} dollars"
            return out + (f" {n2w(cents, 'en')} cents" if cents else "")
        return c.pick((f"${dollars}.{cents:02d}", f"USD {dollars}", f"${dollars}"))
    amount = c.pick(PRICE_AMOUNTS)
    if c.spoken:
        return n2w(amount, lang) + c.pick((" rupiah", "", " rupiah"))
    dotted = f"{amount:,}".replace(",", ".")
    forms = (f"Rp {dotted}", f"Rp{dotted}", f"{amount // 1000}rb", f"Rp {amount // 1000} ribu",
             f"IDR {dotted}", f"Rp {dotted},-", f"{amount // 1000}k")
    return c.pick(forms)


def s_time(c: Ctx) -> str:
    h, m = c.rng.randint(7, 20), c.pick((0, 0, 15, 30, 45))
    if c.lang == "en" or (c.spoken and c.num_lang() == "en"):
        if c.spoken:
            mins = "" if m == 0 else " " + n2w(m, "en")
            return c.pick(("at ", "tomorrow at ", "")) + n2w(h % 12 or 12, "en") + mins + c.pick(("", " pm", " am"))
        return c.pick((f"at {h}:{m:02d}", f"at {h % 12 or 12}pm", f"tomorrow at {h % 12 or 12} am", f"{h}:{m:02d}"))
    part = "pagi" if h < 11 else "siang" if h < 15 else "sore" if h < 18 else "malam"
    if c.spoken:
        mins = "" if m == 0 else " " + n2w(m, "id")
        return c.pick(("jam ", "besok jam ", "pukul ")) + n2w(h if c.rng.random() < 0.3 else h % 12 or 12, "id") + \
            mins + c.pick(("", f" {part}"))
    return c.pick((f"jam {h % 12 or 12} {part}", f"jam {h}.{m:02d}", f"pukul {h:02d}.{m:02d} WIB",
                   f"besok jam {h % 12 or 12}", f"jam {h}:{m:02d}"))


def s_date(c: Ctx) -> str:
    d, mo, y = c.rng.randint(1, 28), c.rng.randint(1, 12), c.rng.randint(2024, 2026)
    en = c.lang == "en" or (c.spoken and c.num_lang() == "en")
    if c.spoken:
        if en:
            return c.pick((f"{EN_MONTHS[mo - 1].lower()} {n2w(d, 'en', 'ordinal')}", "next monday",
                           f"the {n2w(d, 'en', 'ordinal')}"))
        return c.pick((f"tanggal {n2w(d, 'id')} {ID_MONTHS[mo - 1].lower()}", "senin depan",
                       f"tanggal {n2w(d, 'id')}"))
    if en:
        return c.pick((f"{EN_MONTHS[mo - 1]} {d}", f"on the {n2w(d, 'en', 'ordinal')}", "next Monday",
                       f"{mo:02d}/{d:02d}/{y}", f"{d} {EN_MONTHS[mo - 1][:3]} {y}"))
    return c.pick((f"tanggal {d} {ID_MONTHS[mo - 1]}", f"tgl {d}", "Senin depan", f"{d} {ID_MONTHS[mo - 1]} {y}",
                   f"{d:02d}/{mo:02d}/{y}", f"{d}-{mo}-{y}"))


def s_order(c: Ctx) -> str:
    rng = c.rng
    if c.spoken:
        lang = c.num_lang()
        label = c.pick(("nomor tiket", "tiket nomor", "nomor pesanan")) if lang == "id" else \
            c.pick(("ticket number", "order id", "case number"))
        return f"{label} {spell_digits(rand_digits(rng, rng.randint(4, 8)), lang, rng)}"
    if c.lang == "en":
        forms = (f"ticket #{rng.randint(10000, 99999)}", f"order ID {rand_digits(rng, 4)} {rand_digits(rng, 4)}",
                 f"case CS-{rng.randint(10000, 99999)}", f"order #{rng.randint(1000, 999999)}",
                 f"tracking no. JP{rand_digits(rng, 10)}")
    else:
        forms = (f"tiket #{rng.randint(10000, 99999)}", f"no. pesanan INV/2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}/MPL/{rand_digits(rng, 4)}",
                 f"order ID {rand_digits(rng, 4)} {rand_digits(rng, 4)}", f"resi JNT JP{rand_digits(rng, 10)}",
                 f"kode booking {''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ23456789') for _ in range(6))}")
    return c.pick(forms)


def s_qty(c: Ctx) -> str:
    n = c.rng.randint(2, 12)
    if c.spoken:
        lang = c.num_lang()
        word = c.pick(("unit", "buah", "kotak")) if lang == "id" else c.pick(("items", "units", "boxes"))
        return f"{n2w(n, lang)} {word}"
    if c.lang == "en":
        return c.pick((f"{n} items", f"{n}x", f"{n} units", f"{n} boxes"))
    return c.pick((f"{n} pcs", f"{n}x", f"{n} unit", f"{n} buah", "dua unit", f"{n} kotak"))


def s_product(c: Ctx) -> str:
    product = c.pick(PRODUCTS_EN if c.lang == "en" else PRODUCTS_ID)
    return spoken_text(product, c.num_lang()) if c.spoken else product


def s_duration(c: Ctx) -> str:
    text = c.pick(("3-5 business days", "24 hours", "7 working days", "two weeks")) if c.lang == "en" \
        else c.pick(("2x24 jam", "3-5 hari kerja", "14 hari kerja", "seminggu", "1x24 jam"))
    return spoken_text(text.replace("-", " sampai " if c.lang != "en" else " to "), c.num_lang()) if c.spoken else text


def s_honorific(c: Ctx) -> str:
    if c.lang == "en":
        word = "Mrs." if c.female and c.rng.random() < 0.5 else "Ms." if c.female else "Mr."
    else:
        word = c.pick(("Ibu", "Bu", "Kak", "Mbak")) if c.female else c.pick(("Bapak", "Pak", "Kak", "Mas"))
    return spoken_text(word, "en") if c.spoken else word


def s_emoji(c: Ctx) -> str:
    return "" if c.spoken or c.rng.random() < 0.5 else c.pick(EMOJI)


def s_plain(values: tuple[str, ...]) -> Callable[[Ctx], str]:
    def slot(c: Ctx) -> str:
        value = c.pick(values)
        return spoken_text(value, c.num_lang()) if c.spoken else value
    return slot


def s_bank(c: Ctx) -> str:
    return c.bank.lower() if c.spoken else c.bank


# slot name -> (entity type or None, renderer)
SLOTS: dict[str, tuple[str | None, Callable[[Ctx], str]]] = {
    "NAME": ("PERSON", s_name), "NAME2": ("PERSON", s_other_name), "FNAME": ("PERSON", s_first_name),
    "CC": ("CREDIT_CARD", s_card), "CVV": ("CARD_CVV", s_cvv), "EXP": ("CARD_EXPIRY", s_expiry),
    "NIK": ("ID_NIK", s_nik), "KK": ("ID_KK", s_kk), "NPWP": ("ID_NPWP", s_npwp),
    "BPJS": ("ID_BPJS", s_bpjs), "PASPOR": ("ID_PASSPORT", s_passport),
    "PHONE": ("PHONE_NUMBER", s_phone), "REK": ("BANK_ACCOUNT", s_account),
    "EMAIL": ("EMAIL_ADDRESS", s_email), "ADDR": ("ADDRESS", s_address),
    "PRICE": (None, s_price), "TIME": (None, s_time), "DATE": (None, s_date), "ORDER": (None, s_order),
    "QTY": (None, s_qty), "PRODUCT": (None, s_product), "CITY": (None, s_plain(CITIES)),
    "BANK": (None, s_bank), "HON": (None, s_honorific), "EMOJI": (None, s_emoji),
    "DUR": (None, s_duration), "BRAND": (None, s_plain(BRANDS)),
}


# --------------------------------------------------------------------------- templates

@dataclass(frozen=True)
class Template:
    lang: str  # id | en | mixed
    kind: str  # chat (customer, written only) | any (customer, both) | agent (both) | call (spoken only)
    text: str

    @property
    def types(self) -> frozenset[str]:
        return frozenset(t for slot in SLOT_RE.findall(self.text) if (t := SLOTS[slot][0]))


SLOT_RE = re.compile(r"\{([A-Z0-9]+)\}")

_RAW_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("id", "chat"): (
        "halo kak, nama saya {NAME}, mau tanya soal tagihan kartu kredit {EMOJI}",
        "sy {NAME} gan, no hp {PHONE} tolong dihubungi ya",
        "kak tolong cek rek {BANK} sy {REK} a.n. {NAME} udah tf {PRICE} tp blm masuk",
        "min, sy udah tf ke no rek {REK} tadi {TIME} tapi saldo blm berubah",
        "alamat pengiriman: {ADDR}",
        "kirim ke {ADDR} ya kak, penerima {NAME2} {PHONE}",
        "nik sy {NIK} kak, buat verifikasi",
        "no kk {KK} , nik {NIK}",
        "email sy {EMAIL} kak, blm dapet invoice nya {EMOJI}",
        "kartu kredit sy {CC} exp {EXP} cvv {CVV} tolong diblokir aja 😭",
        "npwp sy {NPWP} mohon dicantumkan di faktur",
        "no kartu bpjs {BPJS} ga bisa dipake di RS kak",
        "paspor sy {PASPOR} masa berlaku paspornya sampai {DATE}",
        "{NAME} ini, mau komplain pesanan {ORDER} blm nyampe {EMOJI}",
        "ganti no hp jadi {PHONE} ya kak, yg lama udah ga aktif",
        "tolong tf ke rek {REK} ({BANK}) atas nama {NAME2}",
        "kak sy udah bayar {PRICE} pake kartu {CC} tapi statusnya masih pending",
        "no. rek: {REK}\nbank: {BANK}\na.n: {NAME}",
        "kode keamanan di belakang kartu {CVV}, berlaku sampai {EXP}",
        "bisa hubungi suami sy {NAME2} di {PHONE} kak",
        "sy mau update alamat ke {ADDR} {EMOJI}",
        "kk sy nomornya {KK}",
        "kis sy {BPJS} kak, faskes nya mau pindah ke {CITY}",
        "wa aja ke {PHONE} gan",
        "Selamat siang, saya {FNAME}, kemarin sudah isi form tapi belum ada kabar",
        "tolong kirim tagihan ke {EMAIL} aja kak, jgn ke alamat rumah",
        "{NAME2} udah tf blm ya kak? katanya udah dari {TIME}",
        "kartu debit sy nomornya {CC}, ketelen di atm {BANK} {CITY}",
        "NPWP: {NPWP}\nNama: {NAME}\nAlamat: {ADDR}",
        "alamat ktp sy {ADDR}, domisili sekarang di {CITY}",
        "nomor paspor {PASPOR} a.n. {NAME} buat pengajuan visa",
        "masa berlaku kartu {EXP} kak, cvv {CVV}",
    ),
    ("id", "any"): (
        "nama saya {NAME} mau konfirmasi pembayaran",
        "nomor hp saya {PHONE}",
        "nik saya {NIK}",
        "nomor kartu keluarga saya {KK}",
        "atas nama {NAME} nomor rekening {REK} di {BANK}",
        "alamat saya di {ADDR}",
        "nomor npwp saya {NPWP}",
        "nomor bpjs saya {BPJS}",
        "nomor paspor saya {PASPOR}",
        "nomor kartunya {CC} masa berlaku {EXP}",
        "cvv nya {CVV}",
        "emailnya {EMAIL}",
        "saya {FNAME}, tadi sudah telepon kemarin soal {ORDER}",
        "penerimanya {NAME2} di {ADDR}",
        "rekening {BANK} saya {REK} atas nama {NAME}",
        "nomor telepon rumah {PHONE} kalau hp tidak aktif",
    ),
    ("id", "agent"): (
        "Baik Bapak {NAME}, mohon ditunggu sebentar ya.",
        "Terima kasih Ibu {NAME}, nomor rekening {REK} sudah kami verifikasi.",
        "Selamat siang, dengan {NAME2} dari {BRAND}, ada yang bisa dibantu?",
        "Baik Kak {FNAME}, refund sebesar {PRICE} akan masuk ke rekening {BANK} {REK} dalam {DUR}.",
        "Kami sudah kirim kode ke email {EMAIL}, mohon dicek ya Bu.",
        "Untuk data yang terdaftar, alamat {ADDR} dan nomor telepon {PHONE}, apakah benar?",
        "Mohon maaf {HON} {NAME}, kartu dengan nomor {CC} sudah kami blokir sementara.",
        "Apakah benar NIK Bapak {NIK} atas nama {NAME}?",
        "Baik, NPWP {NPWP} sudah kami perbarui.",
        "Kurir akan menghubungi {HON} di nomor {PHONE} {TIME}.",
        "Baik {HON} {NAME}, nomor KK {KK} sudah sesuai dengan data kami.",
        "Nomor kartu BPJS {BPJS} statusnya aktif ya {HON}.",
    ),
    ("id", "call"): (
        "halo selamat pagi dengan bapak siapa saya bicara iya dengan {NAME}",
        "boleh disebutkan nomor ktp nya iya {NIK}",
        "nomor yang bisa dihubungi {PHONE} itu nomor whatsapp juga",
        "untuk verifikasi tanggal berlaku kartunya {EXP} kode cvv nya {CVV}",
        "oke saya ulangi ya nomor rekeningnya {REK} atas nama ibu {NAME}",
        "emailnya {EMAIL} pak",
        "baik alamat pengirimannya {ADDR} ya bu",
        "yang nomor kartu kredit {CC} itu yang saya pakai",
        "nomor kk nya {KK} pak",
        "npwp saya {NPWP} mbak",
        "iya saya sendiri {NAME} nomor hp nya {PHONE}",
        "nomor bpjs kesehatan saya {BPJS}",
        "nomor paspornya {PASPOR} mbak",
    ),
    ("en", "chat"): (
        "hi, my name is {NAME} and I can't log in to my account {EMOJI}",
        "pls call me back at {PHONE}, thx",
        "my card number is {CC}, exp {EXP}, cvc {CVV}. pls block it asap",
        "I sent {PRICE} to account {REK} ({BANK}) yesterday but it's still pending",
        "ship it to {ADDR} pls",
        "my email is {EMAIL}, haven't received the receipt",
        "passport no {PASPOR}, expires {DATE}",
        "this is {NAME}, following up on {ORDER}",
        "you can reach my wife {NAME2} on {PHONE}",
        "my NIK is {NIK} if you need it",
        "KK number {KK}",
        "NPWP: {NPWP}",
        "bpjs card no {BPJS} got rejected at the hospital {EMOJI}",
        "Name on the card: {NAME}. Card: {CC} Exp: {EXP}",
        "billing address is {ADDR}",
        "{NAME2} said she already paid {PRICE}, can u check?",
    ),
    ("en", "any"): (
        "my name is {NAME}",
        "my phone number is {PHONE}",
        "the name on the account is {NAME}",
        "card number {CC} expiry date {EXP}",
        "the security code is {CVV}",
        "my account number is {REK}",
        "my email address is {EMAIL}",
        "my address is {ADDR}",
        "my passport number is {PASPOR}",
        "my national id number NIK is {NIK}",
        "my tax number npwp is {NPWP}",
        "family card number {KK}",
        "my bpjs number is {BPJS}",
        "it's under my husband's name {NAME2}",
    ),
    ("en", "agent"): (
        "Thank you, {HON} {NAME}. I've updated your phone number to {PHONE}.",
        "Hi {FNAME}, I can see the payment of {PRICE} on {DATE}.",
        "The refund will go to account {REK} under the name {NAME} within {DUR}.",
        "Could you confirm the address on file, {ADDR}?",
        "I've sent a verification link to {EMAIL}.",
        "My name is {NAME2}, and I'll be assisting you today.",
        "The card {CC} has been blocked, {HON} {NAME}.",
    ),
    ("en", "call"): (
        "hello thank you for calling {BRAND} my name is {NAME2} how can i help",
        "could you spell your email for me yes it's {EMAIL}",
        "can i have the card number please sure it's {CC}",
        "and the expiry {EXP} and the three digit code on the back {CVV}",
        "okay so the best number to reach you is {PHONE} correct",
        "this is {NAME} calling about my account",
        "yes the account is {REK} with {BANK}",
    ),
    ("mixed", "chat"): (
        "hi kak, my order {ORDER} blm sampe, alamat {ADDR}",
        "sorry kak, typo, email yg bener {EMAIL}",
        "kak please refund ke rek {BANK} {REK} a.n. {NAME} ya, thx",
        "nama sy {NAME}, phone {PHONE}",
        "card sy {CC} kena charge double {PRICE} {EMOJI}",
        "expired date {EXP}, cvv {CVV} kak",
        "cek dong NIK sy {NIK}, ktp udah verified blm?",
        "account number nya {REK} bank {BANK}",
        "udah aku tf {PRICE} ke acc {REK}",
        "npwp perusahaan {NPWP}, invoice tolong atas nama {NAME}",
        "passport no {PASPOR} buat booking tiket ya",
        "my bpjs {BPJS} kok inactive ya",
        "kk number {KK} udah bener kan?",
        "ini {NAME2}, istrinya pak {NAME}",
        "security code nya {CVV} kak, valid thru {EXP}",
        "a.c. {REK} {BANK} ya kak",
    ),
    ("mixed", "any"): (
        "iya my number is {PHONE}",
        "alamatnya {ADDR} ya",
        "nomor kartunya {CC} expired {EXP}",
        "my name is {NAME} dari {CITY}",
        "nik nya {NIK} ya",
        "emailnya {EMAIL} ya",
        "bpjs number saya {BPJS}",
        "npwp number saya {NPWP}",
        "kartu keluarga number {KK}",
        "nomor passport saya {PASPOR}",
    ),
    ("mixed", "agent"): (
        "Baik Kak {FNAME}, your refund of {PRICE} is on the way ya.",
        "Noted Pak {NAME}, nomor HP sudah diupdate ke {PHONE}.",
        "Noted {HON}, email {EMAIL} sudah kami update.",
    ),
    ("mixed", "call"): (
        "oke my card number is {CC} dan cvv nya {CVV}",
        "sorry ulang ya nomor rekeningnya {REK}",
    ),
}

# Negative templates: no PII, only content that must stay readable.
_RAW_NEGATIVES: dict[tuple[str, str], tuple[str, ...]] = {
    ("id", "chat"): (
        "harga paket {PRODUCT} berapa ya kak? kemarin {PRICE} {EMOJI}",
        "kak sy mau reschedule jadi {DATE} {TIME} bisa?",
        "saya beli {QTY} {PRODUCT} tapi yang datang cuma satu",
        "Cabang {CITY} buka jam berapa ya?",
        "pak RT belum kasih surat pengantar, jadi sy blm bisa urus ke kecamatan",
        "Kec. mana aja yang dicover promo ini kak? sy di {CITY}",
        "Transfer via {BANK} bisa kak? biaya adminnya {PRICE}?",
        "Saya sudah coba login 5x tapi gagal terus {EMOJI}",
        "min {ORDER} kok blm dikirim ya",
        "Ok kak makasih banyak 🙏",
        "Kenapa tagihan bulan ini jadi {PRICE}? biasanya cuma {PRICE}",
        "Kantor Kab. sama kantor Kec. udah sy datengin dua2nya",
        "ada promo {PRODUCT} di {CITY} gak kak",
    ),
    ("id", "any"): (
        "pembayarannya {PRICE} jatuh tempo {DATE}",
        "saya mau tanya status {ORDER}",
        "jadwal teknisinya {DATE} {TIME} ya",
        "saya sudah nunggu {DUR} tapi belum ada kabar",
        "Baik, terima kasih banyak ya",
        "Mau tanya cara ganti paket ke {PRODUCT}",
    ),
    ("id", "agent"): (
        "Baik, mohon ditunggu ya Kak {EMOJI}",
        "Untuk {ORDER}, paketnya akan dikirim {TIME}.",
        "Terima kasih telah menghubungi {BRAND}, {ORDER} sudah kami buat.",
        "Mohon maaf atas ketidaknyamanannya, proses refund memakan waktu {DUR}.",
        "Promo cashback 10% berlaku sampai {DATE} ya Kak.",
        "Kode OTP jangan diberikan ke siapa pun ya Kak, termasuk petugas {BRAND}.",
        "Untuk verifikasi, boleh disebutkan nomor KTP dan nama ibu kandung?",
        "Biaya penggantian kartu sebesar {PRICE}, akan ditagihkan di bulan depan.",
        "Baik {HON}, teknisi kami akan datang {DATE} {TIME}.",
        "Silakan datang ke kantor cabang {BANK} terdekat dengan membawa KTP asli.",
    ),
    ("id", "call"): (
        "baik mohon ditunggu sebentar saya cek dulu ya pak",
        "iya mbak tagihannya {PRICE} kok bisa naik",
        "saya di {CITY} mbak sinyalnya jelek terus",
        "kalau mau ganti ke {PRODUCT} biayanya berapa",
        "terima kasih sudah menunggu {HON} untuk pengajuannya kami proses {DUR}",
    ),
    ("en", "chat"): (
        "How much is the {PRODUCT}? it was {PRICE} last week",
        "Can we move the appointment to {DATE} {TIME}?",
        "I've been waiting {DUR} already {EMOJI}",
        "Is there a branch in {CITY}?",
        "I bought {QTY} but was charged twice",
        "hey, any update on {ORDER}?",
    ),
    ("en", "any"): (
        "I'd like to cancel my {PRODUCT} subscription",
        "the bill says {PRICE} but I only used half",
        "can the technician come {DATE} {TIME}",
        "Thanks, that's all for today",
    ),
    ("en", "agent"): (
        "Sure, let me check that for you.",
        "Your {ORDER} will arrive {DATE}.",
        "The {PRODUCT} costs {PRICE} per month.",
        "Please do not share your OTP or PIN with anyone.",
        "For verification, could you tell me your date of birth and the last transaction amount?",
        "Thank you for contacting {BRAND}, here is your reference: {ORDER}.",
    ),
    ("en", "call"): (
        "thank you for holding i'm just checking your account now",
        "so the charge of {PRICE} was on {DATE}",
        "the technician will call you {TIME}",
    ),
    ("mixed", "chat"): (
        "kak my {PRODUCT} ga bisa dipake sejak {DATE} {EMOJI}",
        "sorry kak baru bales, td lagi meeting",
        "refund {PRICE} nya kapan masuk ya? udah {DUR}",
        "Order {ORDER} status nya masih pending kak",
        "Kak, is the promo valid di {CITY} juga?",
    ),
    ("mixed", "any"): (
        "oke noted thank you ya",
        "jadi total nya {PRICE} right",
        "bisa reschedule ke {DATE} {TIME} gak",
    ),
    ("mixed", "agent"): (
        "Noted kak, we will follow up {ORDER} ya.",
        "Baik kak, please wait {DUR} for the refund ya.",
    ),
    ("mixed", "call"): (
        "oke jadi nanti teknisinya datang {DATE} {TIME} ya",
    ),
}


def _build_templates(raw: dict[tuple[str, str], tuple[str, ...]]) -> tuple[Template, ...]:
    return tuple(Template(lang, kind, text) for (lang, kind), texts in raw.items() for text in texts)


PII_TEMPLATES = _build_templates(_RAW_TEMPLATES)
NEG_TEMPLATES = _build_templates(_RAW_NEGATIVES)
WRITTEN_KINDS = frozenset({"chat", "any", "agent"})
SPOKEN_KINDS = frozenset({"any", "agent", "call"})


# --------------------------------------------------------------------------- sample assembly

class _Builder:
    """Concatenates literal and entity pieces, recording entity spans."""

    def __init__(self, spoken: bool) -> None:
        self.spoken = spoken
        self.text = ""
        self.spans: list[Span] = []

    def _sep(self) -> None:
        if self.spoken and self.text and not self.text.endswith(" "):
            self.text += " "

    def literal(self, piece: str) -> None:
        if self.spoken:
            piece = piece.strip()
            if not piece:
                return
            self._sep()
        self.text += piece

    def entity(self, piece: str, etype: str) -> None:
        if self.spoken:
            self._sep()
        start = len(self.text)
        self.text += piece
        self.spans.append(Span(start, len(self.text), etype))


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randint(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.7:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def _chat_literal(text: str, rng: random.Random) -> str:
    return re.sub(r"[A-Za-z]+", lambda m: typo(m.group(), rng) if rng.random() < 0.03 else m.group(), text)


def render(template: Template, ctx: Ctx, out: _Builder) -> None:
    """Fill ``template`` into ``out`` in the context's mode."""
    lower = not ctx.spoken and template.kind in ("chat", "any") and ctx.rng.random() < 0.35
    for i, piece in enumerate(SLOT_RE.split(template.text)):
        if i % 2 == 0:
            if ctx.spoken:
                out.literal(spoken_text(piece, ctx.num_lang() if ctx.lang == "mixed" else ctx.lang))
            else:
                piece = _chat_literal(piece, ctx.rng) if template.kind == "chat" else piece
                out.literal(piece.lower() if lower else piece)
            continue
        etype, slot = SLOTS[piece]
        value = slot(ctx)
        value = value.lower() if lower else value
        if etype and value:
            out.entity(value, etype)
        elif value:
            out.literal(value)
        elif not ctx.spoken:  # empty optional slot (emoji): drop the space before it
            out.text = out.text.rstrip(" ")


def _pool(templates: tuple[Template, ...], lang: str, spoken: bool) -> list[Template]:
    kinds = SPOKEN_KINDS if spoken else WRITTEN_KINDS
    return [t for t in templates if t.lang == lang and t.kind in kinds]


def _utterance_langs(sample_lang: str, k: int, rng: random.Random) -> list[str]:
    if sample_lang != "mixed":
        return [sample_lang] * k
    langs = [rng.choices(("mixed", "id", "en"), (50, 30, 20))[0] for _ in range(k)]
    if k == 1 or all(lang == langs[0] for lang in langs):
        langs[0] = "mixed"
    return langs


def _pick_pii_template(etype: str, lang: str, spoken: bool, rng: random.Random) -> Template:
    for try_lang in (lang, "mixed", "id", "en"):
        pool = [t for t in _pool(PII_TEMPLATES, try_lang, spoken) if etype in t.types]
        if pool:
            return rng.choice(pool)
    raise ValueError(f"no template for {etype}")


def _choose_templates(rng: random.Random, spoken: bool, langs: list[str], has_pii: bool) -> list[Template]:
    chosen = []
    target = rng.randrange(len(langs)) if has_pii else -1
    for i, lang in enumerate(langs):
        if i == target:
            chosen.append(_pick_pii_template(rng.choice(ENTITY_TYPES), lang, spoken, rng))
        else:
            pii = has_pii and rng.random() < 0.4
            pool = [t for t in _pool(PII_TEMPLATES if pii else NEG_TEMPLATES, lang, spoken) if t not in chosen]
            chosen.append(rng.choice(pool))
    return chosen


def make_sample(idx: int, seed: int, rng: random.Random, fid: Faker, fen: Faker) -> Sample:
    spoken = rng.random() < SPOKEN_SHARE
    sample_lang = rng.choices(("id", "en", "mixed"), (45, 25, 30))[0]
    has_pii = rng.random() >= NO_PII_SHARE
    k = rng.choices((1, 2, 3, 4), (35, 35, 20, 10) if spoken else (60, 30, 10, 0))[0]
    langs = _utterance_langs(sample_lang, k, rng)
    english_name = sample_lang == "en" and rng.random() < 0.6
    name, female = make_name(rng, fid, fen, english_name)
    out = _Builder(spoken)
    for lang, template in zip(langs, _choose_templates(rng, spoken, langs, has_pii)):
        if out.text and not spoken:
            out.literal(rng.choices((" ", "\n"), (85, 15))[0])
        ctx = Ctx(rng, fid, fen, spoken, lang, rng.choice(tuple(BANK_ACCOUNT_LENGTHS)), name, female)
        render(template, ctx, out)
    text, spans = _trim(out.text, out.spans)
    real_lang = langs[0] if all(lang == langs[0] for lang in langs) else "mixed"
    return Sample(f"s{seed}-{idx:05d}", text, "spoken" if spoken else "written", real_lang, spans)


def _trim(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Strip outer whitespace, shifting the spans."""
    lead = len(text) - len(text.lstrip())
    return text.strip(), [Span(s.start - lead, s.end - lead, s.type) for s in spans]


def generate(n: int, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    fid, fen = Faker("id_ID"), Faker("en_US")
    fid.seed_instance(seed)
    fen.seed_instance(seed + 1)
    return [make_sample(i, seed, rng, fid, fen) for i in range(n)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="benchmarks/devset.jsonl")
    args = parser.parse_args(argv)
    samples = generate(args.n, args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.writelines(s.to_json() + "\n" for s in samples)
    print(f"wrote {len(samples)} samples to {args.out}")


if __name__ == "__main__":
    main()
