"""Contact-centre text for NER training: chat and call templates filled with names.

Each template (``ner/templates.py``) is filled with names from every Indonesian naming
tradition and Faker's ``id_ID``/``en_US`` lists, banks, brands and places, then written in one
of the forms real text takes: cased chat, lowercase chat with dropped punctuation, ASR
transcripts (lowercase, no punctuation, digits spoken, hesitations), ALL CAPS data lines.
Templates are split between training and dev by position, so dev phrasing is never trained on.
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterator
from functools import cached_property

from faker import Faker

from . import names
from .templates import CHAT_WORDS, HONORIFICS, MONTHS, NEGATIVES, SPEAKERS, TEMPLATES

Example = tuple[str, list[tuple[int, int, str]]]  # text, (start, end, label) spans

DEV_EVERY = 6  # every 6th template is dev-only
SLOT_RE = re.compile(r"\{(\w)\}")
SLOT_LABELS = {"P": "PERSON", "F": "PERSON", "B": "ORGANIZATION", "O": "ORGANIZATION",
               "L": "LOCATION"}
DIGIT_WORDS = {
    "id": "nol satu dua tiga empat lima enam tujuh delapan sembilan".split(),
    "en": "zero one two three four five six seven eight nine".split(),
}
NEGATIVE_SHARE = 0.25  # of examples: sentences with no entity at all
TYPO_SHARE = 0.08  # of plain words in chat: a letter doubled, dropped or swapped
FILLERS = ("eh", "emm", "ehm", "hmm", "iya", "anu", "uh")
# Latin-script name lists news text draws on; zh_CN and ja_JP give romanised names.
WORLD_LOCALES = ("en_GB", "es_ES", "it_IT", "de_DE", "fr_FR", "nl_NL", "pt_BR", "pl_PL", "tr_TR",
                 "hr_HR", "sv_SE", "en_IN", "cs_CZ", "zh_CN", "ja_JP")
# Of names drawn: from the pools when given (``NameMaker``), Indonesian ones in the shapes
# Indonesians write their names in.
POOL_SHARE = 0.5
ID_NAME_SHAPES = ("gf",) * 6 + ("g", "g", "ggf", "gg", "ggf", "f")
STYLES = (("cased", 0.35), ("chat", 0.25), ("asr", 0.3), ("caps", 0.1))


INDONESIAN = "id"  # the pool of names from Indonesian text; the others are foreign


class NameMaker:
    """Full and given names, drawn across naming traditions.

    ``pools``: more names to draw from, by tradition (``names.faker_pools``,
    ``names.corpus_pool`` under ``INDONESIAN``).
    """

    def __init__(self, rng: random.Random, pools: dict[str, names.NamePool] | None = None) -> None:
        self.rng = rng
        self.pools = pools or {}
        self.fid, self.fen = Faker("id_ID"), Faker("en_US")
        self.fid.seed_instance(rng.random())
        self.fen.seed_instance(rng.random())

    def given(self) -> str:
        return self.full().split()[0] if self.rng.random() < 0.3 else self._pick_given()

    def _pick_given(self) -> str:
        pool = self.rng.choice((names.JAVANESE_GIVEN, names.SUNDANESE_GIVEN, names.BATAK_GIVEN,
                                names.CHINESE_GIVEN, names.BUGIS_GIVEN, names.MINANG_ARABIC,
                                names.EASTERN, None, None, None))
        if pool is None:
            return self.fen.first_name() if self.rng.random() < 0.3 else self.fid.first_name()
        return self.rng.choice(pool)

    def full(self) -> str:
        rng = self.rng
        if INDONESIAN in self.pools and rng.random() < POOL_SHARE:
            return self._pooled(self.pools[INDONESIAN], rng.choice(ID_NAME_SHAPES))
        kind = rng.random()
        if kind < 0.25:
            return self._faker_id()
        if kind < 0.37:
            return f"{self.fen.first_name()} {self.fen.last_name()}"
        if kind < 0.47:
            return f"{rng.choice(names.JAVANESE_GIVEN)} {rng.choice(names.JAVANESE_FAMILY)}"
        if kind < 0.55:
            return f"{rng.choice(names.SUNDANESE_GIVEN)} {rng.choice(names.SUNDANESE_FAMILY)}"
        if kind < 0.63:
            return f"{rng.choice(names.BALINESE_PREFIX)} {rng.choice(names.BALINESE_NAME)}"
        if kind < 0.72:
            return f"{rng.choice(names.BATAK_GIVEN + names.EASTERN[:10])} {rng.choice(names.BATAK_FAMILY)}"
        if kind < 0.81:
            return f"{rng.choice(names.CHINESE_GIVEN)} {rng.choice(names.CHINESE_FAMILY)}"
        if kind < 0.88:
            parts = rng.sample(names.BUGIS_GIVEN, 2) + [rng.choice(names.BUGIS_FAMILY)]
            return " ".join(parts[: rng.choice((1, 2, 3))])
        if kind < 0.95:
            return " ".join(rng.sample(names.MINANG_ARABIC, rng.choice((1, 2, 3))))
        return f"{rng.choice(names.EASTERN[:10])} {rng.choice(names.EASTERN[10:])}"

    def world(self) -> str:
        """A name from outside Indonesia, as news text mentions them: footballers, artists."""
        countries = [c for c in self.pools if c != INDONESIAN]
        if countries and self.rng.random() < POOL_SHARE:
            shape = "gf" if self.rng.random() < 0.8 else self.rng.choice(("f", "g"))
            return self._pooled(self.pools[self.rng.choice(countries)], shape)
        faker = self.rng.choice(self.world_fakers)
        if hasattr(faker, "romanized_name"):  # zh_CN, ja_JP: never in Han script
            return faker.romanized_name()
        if self.rng.random() < 0.2:
            return faker.last_name()
        return f"{faker.first_name()} {faker.last_name()}"

    @cached_property  # built on first use: most makers never draw a foreign name
    def world_fakers(self) -> list[Faker]:
        fakers = [Faker(locale) for locale in WORLD_LOCALES]
        for faker in fakers:
            faker.seed_instance(self.rng.random())
        return fakers

    def _pooled(self, pool: names.NamePool, shape: str) -> str:
        """A name of ``shape``: "g" a given name, "f" a surname ("ggf": two given, one surname)."""
        return " ".join(self.rng.choice(pool.given if part == "g" else pool.family)
                        for part in shape)

    def _faker_id(self) -> str:
        first = self.fid.first_name()
        shape = self.rng.random()
        if shape < 0.2:
            return first
        if shape < 0.8:
            return f"{first} {self.fid.last_name()}"
        return f"{first} {self.fid.first_name()} {self.fid.last_name()}"


def digits(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return "08" + "".join(rng.choice("0123456789") for _ in range(rng.randint(8, 10)))
    if kind < 0.6:
        return f"+62 8{rng.randint(11, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return "".join(rng.choice("0123456789") for _ in range(rng.choice((10, 13, 15, 16))))


def fill(template: str, rng: random.Random, maker: NameMaker) -> list[tuple[str, str | None]]:
    """The template as (text, label) parts; unlabelled parts are plain text."""
    parts: list[tuple[str, str | None]] = []
    cursor = 0
    for slot in SLOT_RE.finditer(template):
        parts.append((template[cursor : slot.start()], None))
        kind = slot.group(1)
        value = {
            "P": maker.full, "F": maker.given, "H": lambda: rng.choice(HONORIFICS),
            "B": lambda: rng.choice(names.BANKS), "O": lambda: rng.choice(names.BRANDS),
            "L": lambda: rng.choice(names.PLACES), "W": lambda: rng.choice(CHAT_WORDS),
            "D": lambda: digits(rng), "R": lambda: rng.choice(SPEAKERS),
            "M": lambda: rng.choice(MONTHS),
        }[kind]()
        parts.append((value, SLOT_LABELS.get(kind)))
        cursor = slot.end()
    parts.append((template[cursor:], None))
    return parts


def restyle(parts, style: str, rng: random.Random):
    if style == "cased":
        return [(_capitalise(text) if label == "PERSON" else text, label) for text, label in parts]
    if style == "caps":
        return [(text.upper(), label) for text, label in parts]
    if style == "chat":
        return [(_typos(_drop_punct(text.lower(), rng, 0.5), rng) if label is None else
                 text.lower(), label) for text, label in parts]
    return [(_asr(text, label, rng), label) for text, label in parts]  # asr


def _capitalise(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))


def _typos(text: str, rng: random.Random) -> str:
    """Chat typed in a hurry: "sudh", "bissa", "plaese" are no names."""
    def typo(word: re.Match) -> str:
        w = word.group()
        if len(w) < 4 or rng.random() > TYPO_SHARE:
            return w
        i = rng.randrange(1, len(w) - 1)
        kind = rng.random()
        if kind < 0.4:
            return w[:i] + w[i] + w[i:]  # doubled
        if kind < 0.7:
            return w[:i] + w[i + 1 :]  # dropped
        return w[: i - 1] + w[i] + w[i - 1] + w[i + 1 :]  # swapped

    return re.sub(r"[a-z]+", typo, text)


def _drop_punct(text: str, rng: random.Random, share: float) -> str:
    return re.sub(r"[,.?!:/()]", lambda m: "" if rng.random() < share else m.group(), text)


def _asr(text: str, label: str | None, rng: random.Random) -> str:
    text = re.sub(r"[^\w\s&+'-]", " ", text.lower()).replace("+", " ")
    if label is None:
        words = DIGIT_WORDS[rng.choice(("id", "en"))]
        text = re.sub(r"\d", lambda m: f" {words[int(m.group())]} ", text)
        words = text.split()
        if words and rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
        return f" {' '.join(words)} " if words else " "
    return " ".join(text.split())


def join(parts) -> Example:
    text, spans = "", []
    for value, label in parts:
        if label and value.strip():
            start = len(text)
            text += value
            spans.append((start, len(text), label))
        else:
            text += value
    # squeeze the spaces ASR styling left, shifting spans with the text
    out, shift, mapping = [], 0, []
    for i, ch in enumerate(text):
        mapping.append(i - shift)
        if ch == " " and (not out or out[-1] == " "):
            shift += 1
            continue
        out.append(ch)
    mapping.append(len(text) - shift)
    squeezed = "".join(out)
    stripped = squeezed.rstrip()
    spans = [(mapping[s], mapping[e], label) for s, e, label in spans]
    return stripped, [(s, min(e, len(stripped)), label) for s, e, label in spans if s < e]


def generate(n: int, seed: int, split: str,
             pools: dict[str, names.NamePool] | None = None) -> Iterator[Example]:
    """``n`` examples from the ``split`` ("train" or "dev") templates."""
    rng = random.Random(seed)
    maker = NameMaker(rng, pools)
    def held(templates: list[str]) -> list[str]:
        return [t for i, t in enumerate(templates) if (i % DEV_EVERY == 0) == (split == "dev")]

    pool, negatives = held(TEMPLATES), held(NEGATIVES)
    styles, weights = zip(*STYLES)
    for _ in range(n):
        template = rng.choice(negatives if rng.random() < NEGATIVE_SHARE else pool)
        parts = fill(template, rng, maker)
        yield join(restyle(parts, rng.choices(styles, weights)[0], rng))


if __name__ == "__main__":
    for example in generate(30, 1, "train"):
        print(example)
