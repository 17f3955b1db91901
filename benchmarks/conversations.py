"""Conversational dev set: multi-turn chats and call transcripts the way they really come in.

Written independently of the rules and of ``benchmarks/dataset.py``'s templates. Each sample is
a short stretch of one conversation (2-8 turns) in which PII is given the way customers give
it, not the way a form would:

* numbers read or typed in pieces, with the agent's backchannels ("iya", "he eh", "mhm",
  "lanjut", "go on", "uh huh") and the customer's own fillers ("bentar ya", "hold on", "let
  me check") between the pieces; chat bubbles sent one by one;
* typos and misheard digits (a card or NIK with one wrong digit fails its checksum), and
  self-corrections where the first attempt is wrong;
* ASR output: lowercase, no punctuation, digits as words, English homophones ("for", "to",
  "ate", "won", "oh"), clipped Indonesian digits ("lapan", "tuju", "smbilan");
* secrets: OTP and verification codes, PINs, passwords, security answers;
* names and emails spelled letter by letter;
* negatives that must stay readable: prices, dates, times, quantities, order / resi / ticket
  numbers, percentages.

CLI: ``python -m benchmarks.conversations --n 800 --seed 7 --out benchmarks/convset.jsonl``
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from faker import Faker

from benchmarks.dataset import PROVINCE_CODES, Sample, Span, luhn_complete

ID_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# What ASR writes for a digit it heard, and how people clip digits in fast speech.
EN_NOISY = {"0": ("oh", "o", "zero"), "1": ("won",), "2": ("to", "too"), "4": ("for", "fore"),
            "8": ("ate",)}
ID_NOISY = {"0": ("kosong",), "7": ("tuju",), "8": ("lapan",), "9": ("smbilan",)}
BACKCHANNELS = {
    "id": ("iya", "iya kak", "he eh", "mhm", "ok", "oke lanjut", "lanjut", "terus", "baik",
           "iya terus", "sip", "ya"),
    "en": ("mhm", "uh huh", "ok", "right", "go on", "yes", "got it", "okay", "yep"),
}
FILLERS = {
    "id": ("bentar ya", "tunggu sebentar", "gimana ya", "eh", "apa ya", "sorry", "em"),
    "en": ("hold on", "let me check", "sorry", "uh", "um", "wait"),
}
CORRECTIONS = {"id": ("eh salah", "eh bukan", "maaf salah", "ralat"), "en": ("sorry i mean", "no wait", "i mean")}
LABELS = {"written": (("Customer", "Agent"), ("Pelanggan", "CS"), ("customer", "agent")),
          "spoken": (("customer", "agent"), ("a", "b"), ("pelanggan", "agen"))}


class Conversations:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = {"id": Faker("id_ID"), "en": Faker("en_US")}
        for i, fake in enumerate(self.fake.values()):
            fake.seed_instance(seed + i)

    # ------------------------------------------------------------------ values
    def card(self) -> str:
        prefix = self.rng.choice(("4", "51", "52", "55", "37", "6011"))
        return luhn_complete(prefix, 15 if prefix == "37" else 16, self.rng)

    def nik(self) -> str:
        r = self.rng
        day = r.randint(1, 28) + (40 if r.random() < 0.5 else 0)
        return (f"{r.choice(PROVINCE_CODES)}{r.randint(1, 79):02d}{r.randint(1, 40):02d}"
                f"{day:02d}{r.randint(1, 12):02d}{r.randint(60, 99):02d}{r.randint(1, 9999):04d}")

    def phone(self) -> str:
        return "08" + self.rng.choice(("1", "5", "7", "9", "2")) + "".join(
            self.rng.choice("0123456789") for _ in range(self.rng.randint(8, 10)))

    def account(self) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(self.rng.choice((10, 13, 15, 16))))

    def misheard(self, digits: str) -> str:
        """One digit typed or heard wrong: checksums fail, the digits are still real."""
        i = self.rng.randrange(len(digits))
        return digits[:i] + self.rng.choice([d for d in "0123456789" if d != digits[i]]) + digits[i + 1:]

    # ------------------------------------------------------------------ saying numbers
    def say(self, digits: str, lang: str) -> str:
        words, noisy = (EN_DIGITS, EN_NOISY) if lang == "en" else (ID_DIGITS, ID_NOISY)
        out = []
        for d in digits:
            if d in noisy and self.rng.random() < 0.3:
                out.append(self.rng.choice(noisy[d]))
            else:
                out.append(words[int(d)])
        return " ".join(out)

    def split(self, digits: str) -> list[str]:
        """Pieces of 2-6 digits, as people read or type a long number: often whole, often in
        groups, the groups not always the printed ones."""
        if self.rng.random() < 0.35:
            return [digits]
        pieces, i = [], 0
        while i < len(digits):
            size = self.rng.choice((2, 3, 4, 4, 4, 5, 6))
            if len(digits) - (i + size) < 2:
                size = len(digits) - i
            pieces.append(digits[i:i + size])
            i += size
        return pieces

    def group(self, digits: str) -> str:
        style = self.rng.random()
        if style < 0.4:
            return digits
        sep = self.rng.choice((" ", "-", " "))
        return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))


class Builder:
    """Accumulates turns and the gold spans inside them."""

    def __init__(self, mode: str, labels: tuple[str, str], one_line: bool) -> None:
        self.mode, self.labels, self.one_line = mode, labels, one_line
        self.text, self.spans = "", []

    def turn(self, speaker: int, *parts: tuple[str, str | None]) -> None:
        """A turn made of (text, gold type or None) parts, joined by spaces."""
        if self.text:
            self.text += " " if self.one_line else "\n"
        self.text += f"{self.labels[speaker]}: "
        for i, (part, entity_type) in enumerate(p for p in parts if p[0]):
            if i:
                self.text += " "
            if entity_type:
                self.spans.append(Span(len(self.text), len(self.text) + len(part), entity_type))
            self.text += part


CUES = {
    "CREDIT_CARD": {"id": ("nomor kartu saya", "kartu kredit saya", "no kartunya", "kartu debit saya"),
                    "en": ("my card number is", "the card is", "card number")},
    "ID_NIK": {"id": ("nik saya", "no ktp saya", "nomor ktp", "NIK nya"),
               "en": ("my nik is", "my id number is", "ktp number")},
    "PHONE_NUMBER": {"id": ("nomor hp saya", "no wa saya", "bisa hubungi di", "hp saya"),
                     "en": ("my phone number is", "you can call me on", "my number is")},
    "BANK_ACCOUNT": {"id": ("no rekening BCA saya", "rek mandiri", "nomor VA nya", "rekening saya"),
                     "en": ("my account number is", "the bank account is", "virtual account")},
    "OTP": {"id": ("kode OTP nya", "kode verifikasi saya", "otp yang masuk"),
            "en": ("the verification code is", "my otp is", "the one-time password is")},
    "PIN": {"id": ("pin atm saya", "PIN nya", "pin m-banking saya"), "en": ("my pin is", "the pin is")},
}
ASKS = {
    "CREDIT_CARD": {"id": "boleh nomor kartunya kak?", "en": "could I have the card number please?"},
    "ID_NIK": {"id": "untuk verifikasi boleh NIK sesuai KTP?", "en": "can you confirm your NIK?"},
    "PHONE_NUMBER": {"id": "nomor hp yang bisa dihubungi?", "en": "what's the best number to reach you?"},
    "BANK_ACCOUNT": {"id": "nomor rekeningnya berapa kak?", "en": "which account should we refund to?"},
    "OTP": {"id": "silakan sebutkan kode OTP yang masuk", "en": "please read me the code we just sent"},
    "PIN": {"id": "mohon konfirmasi PIN nya", "en": "please confirm the pin"},
}


def number_scene(gen: Conversations, b: Builder, lang: str, spoken: bool) -> None:
    entity_type = gen.rng.choice(list(CUES))
    value = {"CREDIT_CARD": gen.card, "ID_NIK": gen.nik, "PHONE_NUMBER": gen.phone,
             "BANK_ACCOUNT": gen.account, "OTP": lambda: f"{gen.rng.randint(0, 999999):06d}",
             "PIN": lambda: f"{gen.rng.randint(0, 999999):06d}"}[entity_type]()
    if gen.rng.random() < 0.3:
        value = gen.misheard(value)
    render = (lambda d: gen.say(d, lang)) if spoken else gen.group
    asked = gen.rng.random() < 0.5
    if asked:
        b.turn(1, (ASKS[entity_type][lang], None))
    cue = "" if asked and gen.rng.random() < 0.5 else gen.rng.choice(CUES[entity_type][lang])
    if gen.rng.random() < 0.2:  # a wrong first attempt, corrected
        b.turn(0, (cue, None), (render(gen.misheard(value)[:gen.rng.randint(4, len(value))]), entity_type),
               (gen.rng.choice(CORRECTIONS[lang]), None), (render(value), entity_type))
        return
    pieces = gen.split(value)
    first = True
    for piece in pieces:
        parts = [(cue, None)] if first else []
        if not first and gen.rng.random() < 0.5:
            b.turn(1, (gen.rng.choice(BACKCHANNELS[lang]), None))
        if not first and gen.rng.random() < 0.25:
            parts.append((gen.rng.choice(FILLERS[lang]), None))
        parts.append((render(piece), entity_type))
        b.turn(0, *parts)
        first = False


def secret_scene(gen: Conversations, b: Builder, lang: str, spoken: bool) -> None:
    r = gen.rng
    kind = r.choice(("PASSWORD", "SECURITY_ANSWER", "SPELLED"))
    if kind == "PASSWORD":
        word = gen.fake[lang].word().capitalize() + str(r.randint(1, 999)) + r.choice(("", "!", "#"))
        if spoken:
            word = word.lower().rstrip("!#")
        cue = r.choice(("password saya", "kata sandi saya", "sandi nya") if lang == "id"
                       else ("my password is", "the passcode is", "password"))
        b.turn(0, (cue, None), (word, "PASSWORD"))
    elif kind == "SECURITY_ANSWER":
        pet = r.choice(("Mochi", "Bruno", "Kitty", "Max", "Luna", "Simba", "Oyen", "Choco"))
        b.turn(1, ("pertanyaan keamanan, nama hewan peliharaan pertama?" if lang == "id"
                   else "security question, what was your first pet's name?", None))
        cue = "nama hewan peliharaan saya" if lang == "id" else "my first pet's name is"
        b.turn(0, (cue, None), (pet.lower() if spoken else pet, "SECURITY_ANSWER"))
    else:
        name = gen.fake["id"].first_name().lower()
        letters = " ".join(name)
        if r.random() < 0.5:
            b.turn(0, ("nama saya", None), (name, "PERSON"), ("eja" if lang == "id" else "spelled", None),
                   (letters, "PERSON"))
        else:
            last = gen.fake["id"].last_name().lower()
            email = f"{letters} {'garis bawah' if lang == 'id' else 'underscore'} {last} at gmail dot com"
            b.turn(0, ("email saya" if lang == "id" else "my email is", None), (email, "EMAIL_ADDRESS"))


def negative_scene(gen: Conversations, b: Builder, lang: str, spoken: bool) -> None:
    r = gen.rng
    price = r.choice((25, 50, 75, 150, 250, 1250)) * 1000
    if spoken:
        options = {
            "id": (f"tagihannya {gen.say(str(price // 1000), 'id')} ribu rupiah ya kak",
                   f"paketnya aktif tanggal {r.randint(1, 28)} jam {r.randint(7, 21)}",
                   f"nomor resi nya {gen.say(str(r.randint(10**9, 10**10)), 'id')}",
                   "saya pesan dua buah yang warna hitam",
                   f"nomor tiket {gen.say(str(r.randint(100000, 999999)), 'id')} sudah kami teruskan"),
            "en": (f"the bill is {price // 1000} thousand rupiah",
                   f"your ticket number is {gen.say(str(r.randint(100000, 999999)), 'en')}",
                   "it should arrive in three to five days",
                   "i bought two of them for my kids",
                   f"the order number is {gen.say(str(r.randint(10**7, 10**8)), 'en')}"),
        }
    else:
        options = {
            "id": (f"totalnya Rp {price:,}".replace(",", "."), f"dikirim tgl {r.randint(1, 28)}/{r.randint(1, 12)}/2025",
                   f"no resi JNE {r.randint(10**11, 10**12)}", f"order id {r.randint(10**9, 10**10)} belum sampai",
                   f"diskon {r.choice((10, 20, 50))}% sampai jam {r.randint(10, 22)}:00",
                   f"tiket #{r.randint(100000, 999999)} sudah diproses"),
            "en": (f"I was charged ${r.randint(10, 500)}.{r.randint(10, 99)} twice",
                   f"invoice {r.randint(10**7, 10**9)} is still unpaid", f"see you at {r.randint(1, 12)}:30 pm",
                   f"booking {r.randint(10**6, 10**8)} was cancelled on {r.randint(1, 12)}/{r.randint(1, 28)}/2025",
                   "I ordered 3 units of the 25GB plan"),
        }
    if r.random() < 0.35:  # the cue in the agent's question, the bare number in the answer
        ask, number = r.choice(_ASKED_NEGATIVES[lang])
        b.turn(1, (ask, None))
        digits = str(r.randint(10 ** (number - 1), 10 ** number - 1))
        b.turn(0, (gen.say(digits, lang) if spoken else digits, None))
        return
    b.turn(r.randint(0, 1), (r.choice(options[lang]), None))


#: Reference numbers asked for in one turn and given bare in the next: (question, digits).
_ASKED_NEGATIVES = {
    "id": (("boleh nomor resinya kak?", 12), ("no order nya berapa kak?", 10), ("nomor tiketnya?", 8),
           ("kode booking nya kak?", 8)),
    "en": (("what's the tracking number?", 12), ("what is the order number?", 10),
           ("your ticket number please", 8), ("the invoice number?", 9)),
}


SMALL_TALK = {
    "id": ("halo kak", "selamat siang, ada yang bisa dibantu?", "saya mau tanya soal tagihan",
           "baik mohon ditunggu", "terima kasih kak", "kartu saya keblokir", "sudah saya coba tadi"),
    "en": ("hi there", "thanks for calling, how can I help?", "I have a question about my bill",
           "one moment please", "thank you", "my card got blocked", "I already tried that"),
}


def sample(gen: Conversations, index: int) -> Sample:
    r = gen.rng
    mode = "spoken" if r.random() < 0.5 else "written"
    lang = r.choice(("id", "id", "en", "mixed"))
    b = Builder(mode, r.choice(LABELS[mode]), one_line=mode == "spoken" and r.random() < 0.5)
    scenes = r.choices((number_scene, secret_scene, negative_scene), weights=(5, 2, 3), k=r.randint(1, 3))
    for scene in scenes:
        scene_lang = r.choice(("id", "en")) if lang == "mixed" else lang
        if r.random() < 0.4:
            b.turn(r.randint(0, 1), (r.choice(SMALL_TALK[scene_lang]), None))
        scene(gen, b, scene_lang, mode == "spoken")
    text = b.text.lower() if mode == "spoken" else b.text
    return Sample(f"c{index:05d}", text, mode, lang, b.spans)


def generate(n: int = 800, seed: int = 7) -> list[Sample]:
    gen = Conversations(seed)
    return [sample(gen, i) for i in range(n)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=800)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("convset.jsonl"))
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8") as fh:
        for s in generate(args.n, args.seed):
            fh.write(s.to_json() + "\n")


if __name__ == "__main__":
    main()
