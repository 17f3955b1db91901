"""Identifiers typed with keyboard slips, and amounts typed beside them.

``python -m benchmarks.typed_numbers [--out benchmarks/results.md] [--n 2000] [--seed 11]``

People type card, NIK, phone and account numbers on phone keyboards: a key next to the
digit ("4r32" for "4432"), two digits swapped, one dropped or doubled, the letter O for a
zero, a space in the wrong place, and groups of three or four joined by spaces, dashes or
dots, or none at all. A number with one slip is still all but one of its real digits. Each
identifier follows one of the cues customers write ("no kartu sy", "nik nya", "wa saya",
"norek"), with or without a word after it.

Negatives: prices, quantities with units, dates and times typed the same way (slips
included), which must stay readable.

Metrics:

* identifiers with a digit left readable: at least one digit of the value not masked;
* digits leaked: the value's digits not masked, over all values' digits;
* negatives masked: negatives with any digit masked.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.run import coverage, seeded_set_main

SECTION = "## Identifiers typed with keyboard slips"
#: Keys around each digit on a phone's QWERTY keyboard (and the row above the letters).
NEIGHBOUR_KEYS = {"0": "o9p", "1": "q2`", "2": "w13", "3": "e24", "4": "r35", "5": "t46",
                  "6": "y57", "7": "u68", "8": "i79", "9": "o80"}
SLIPS = ("neighbour key", "swap", "drop", "double", "O for 0", "space", "none")
CUES = {
    "card": ("no kartu sy", "kartu kredit saya", "cc nya", "my card number is", "nomor kartunya"),
    "NIK": ("nik sy", "NIK saya", "no ktp", "nik nya"),
    "phone": ("no hp sy", "wa saya", "nomor hp", "my number is", "hp"),
    "account": ("no rek", "rekening bca sy", "norek", "account no"),
}
AFTER = ("", "", " ya", " kak", " ya min", " tolong dicek", ", thanks", " 🙏")
NEGATIVES = (
    "harga {a}.000 ongkir {b}.000 total {c}.000 ya kak", "beli {q}ml {r}ml sama {s} botol",
    "paket {q}k {r}k {s}k", "transfer {a}.000 tgl {d}-{m}-2024 jam {h}.{mi}",
    "diskon {p}% dari {a}.000", "kirim {q} pcs tgl {d}/{m} jam {h}:{mi}",
)


@dataclass
class Score:
    values: int = 0
    readable: int = 0
    digits: int = 0
    leaked: int = 0
    negatives: int = 0
    masked: int = 0
    readable_by_slip: Counter = field(default_factory=Counter)

    def cells(self) -> tuple[str, str, str]:
        return (f"{self.readable / self.values:.1%} ({self.readable}/{self.values})",
                f"{self.leaked / self.digits:.2%}",
                f"{self.masked / self.negatives:.1%} ({self.masked}/{self.negatives})")


class Typist:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def digits(self, kind: str) -> str:
        rng = self.rng
        if kind == "card":
            return rng.choice("456") + "".join(rng.choice("0123456789") for _ in range(15))
        if kind == "NIK":
            return rng.choice("3156") + "".join(rng.choice("0123456789") for _ in range(15))
        if kind == "phone":
            return "08" + rng.choice("1235") + "".join(rng.choice("0123456789") for _ in range(rng.choice((8, 9))))
        return "".join(rng.choice("0123456789") for _ in range(rng.choice((10, 12, 13))))

    def grouped(self, digits: str) -> str:
        size = self.rng.choice((3, 4, 4, 4))
        groups = [digits[i:i + size] for i in range(0, len(digits), size)]
        style = self.rng.choice(("space", "space", "none", "dash", "dot", "mixed"))
        if style == "none":
            return digits
        if style == "mixed":
            return "".join(g + self.rng.choice((" ", "-", ".", "", "  ")) for g in groups).strip(" -.")
        return {"space": " ", "dash": "-", "dot": "."}[style].join(groups)

    def slipped(self, value: str) -> tuple[str, str]:
        slip = self.rng.choice(SLIPS)
        i = self.rng.choice([i for i, c in enumerate(value) if c.isdigit()])
        if slip == "neighbour key":
            return value[:i] + self.rng.choice(NEIGHBOUR_KEYS[value[i]]) + value[i + 1:], slip
        if slip == "swap" and i + 1 < len(value) and value[i + 1].isdigit():
            return value[:i] + value[i + 1] + value[i] + value[i + 2:], slip
        if slip == "drop":
            return value[:i] + value[i + 1:], slip
        if slip == "double":
            return value[:i] + value[i] + value[i:], slip
        if slip == "O for 0" and "0" in value:
            return value.replace("0", "O", 1), slip
        if slip == "space":
            return value[:i] + " " + value[i:], slip
        return value, "none"

    def identifier(self) -> tuple[str, str, str, str]:
        """(text, the value as typed, its kind, the slip)."""
        kind = self.rng.choice(tuple(CUES))
        value, slip = self.slipped(self.grouped(self.digits(kind)))
        return f"{self.rng.choice(CUES[kind])} {value}{self.rng.choice(AFTER)}", value, kind, slip

    def negative(self) -> str:
        rng = self.rng
        text = rng.choice(NEGATIVES).format(
            a=rng.randint(10, 999), b=rng.randint(5, 50), c=rng.randint(20, 999), q=rng.choice((2, 5, 10, 50, 250, 500, 600)),
            r=rng.choice((100, 250, 1000, 1500)), s=rng.randint(1, 12), d=rng.randint(1, 28), m=rng.randint(1, 12),
            h=rng.randint(7, 21), mi=rng.choice(("00", "15", "30", "45")), p=rng.choice((5, 10, 15, 20, 50)))
        if rng.random() < 0.3:  # the same slips as the identifiers: a neighbour key or O for 0
            i = rng.choice([i for i, c in enumerate(text) if c.isdigit()])
            text = text[:i] + rng.choice(NEIGHBOUR_KEYS[text[i]] + "O") + text[i + 1:]
        return text


def run(n: int, seed: int, systems: dict) -> dict[str, Score]:
    typist = Typist(seed)
    scores = {name: Score() for name in systems}
    for _ in range(n):
        text, value, kind, slip = typist.identifier()
        start = text.index(value)
        for name, system in systems.items():
            covered = coverage(len(text), system.redact(text))
            shown = [i for i in range(start, start + len(value)) if text[i].isdigit() and not covered[i]]
            score = scores[name]
            score.values += 1
            score.digits += sum(c.isdigit() for c in value)
            score.leaked += len(shown)
            score.readable += bool(shown)
            score.readable_by_slip[slip] += bool(shown)
    for _ in range(n // 4):
        text = typist.negative()
        for name, system in systems.items():
            covered = coverage(len(text), system.redact(text))
            scores[name].negatives += 1
            scores[name].masked += any(covered[i] for i, c in enumerate(text) if c.isdigit())
    return scores


def render(scores: dict[str, Score], n: int, seed: int) -> str:
    lines = [SECTION, "",
             f"`benchmarks/typed_numbers.py`: {n} card, NIK, phone and account numbers after the "
             "cues customers type, each with one keyboard slip or none (a neighbouring key, two "
             "digits swapped, one dropped or doubled, O for 0, a stray space) and grouped in threes, "
             f"fours or not at all; and {n // 4} prices, quantities with units, dates and times typed "
             f"beside them, 30% with a slip too (seed {seed}).", "",
             "| system | identifiers with a digit left readable | digits leaked | negatives masked |",
             "| --- | ---: | ---: | ---: |"]
    lines += [f"| {name} | " + " | ".join(score.cells()) + " |" for name, score in scores.items()]
    ours = scores["ours"]
    by_slip = ", ".join(f"{slip} {ours.readable_by_slip[slip]}" for slip in SLIPS)
    lines += ["", f"- Ours, identifiers with a digit left readable, by slip: {by_slip}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    seeded_set_main(argv, __doc__.splitlines()[0], SECTION, 2000, 11, run, render)


if __name__ == "__main__":
    main()
