"""Identifiers read aloud, as ASR writes them.

``python -m benchmarks.spoken_numbers [--out benchmarks/results.md] [--n 1200] [--seed 13]``

A customer reads a card, NIK, phone or account number after the agent's cue, in Indonesian
or English, and ASR writes it down (lowercase, digits as words, speaker labels as the call
path gives them). What ASR and people do to it, one thing per number:

* nothing but ASR's own forms: "kosong" for 0, clipped "lapan", "tuju", "smbilan"; English
  homophones "oh", "won", "to"/"too", "for", "ate";
* a hesitation inside it ("eh", "uh", "bentar");
* a digit ASR dropped;
* a digit ASR heard as a short word ("the", "and", "dan", "ada", "nah");
* two equal digits said "double"/"dobel";
* the number read in two pieces with the agent's backchannel between them.

Metric: numbers with a digit word left readable (any word standing for one of its digits
not masked), and the share of digit words left readable.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.run import coverage, seeded_set_main

SECTION = "## Identifiers read aloud, with ASR noise"
WORDS = {"id": "nol satu dua tiga empat lima enam tujuh delapan sembilan".split(),
         "en": "zero one two three four five six seven eight nine".split()}
ASR_FORMS = {"id": {"0": ("kosong",), "7": ("tuju",), "8": ("lapan",), "9": ("smbilan",)},
             "en": {"0": ("oh", "o"), "1": ("won",), "2": ("to", "too"), "4": ("for",), "8": ("ate",)}}
CUES = {"id": {"card": "nomor kartunya", "NIK": "nik saya", "phone": "nomor hp saya", "account": "nomor rekening saya"},
        "en": {"card": "my card number is", "NIK": "my id number is", "phone": "my phone number is",
               "account": "my account number is"}}
HESITATIONS = {"id": ("eh", "ee", "bentar"), "en": ("uh", "um", "sorry")}
MISHEARD = {"id": ("dan", "ada", "nah", "lah"), "en": ("the", "and", "a", "then")}
BACKCHANNELS = {"id": ("iya", "he eh", "oke"), "en": ("mhm", "okay", "uh huh")}
DOUBLE = {"id": "dobel", "en": "double"}
LENGTHS = {"card": 16, "NIK": 16, "phone": 12, "account": 10}
NOISE = ("ASR forms only", "hesitation", "dropped digit", "digit heard as a word", "double", "two pieces")


@dataclass
class Score:
    numbers: int = 0
    readable: int = 0
    digit_words: int = 0
    leaked: int = 0
    readable_by_noise: Counter = field(default_factory=Counter)

    def cells(self) -> tuple[str, str]:
        return (f"{self.readable / self.numbers:.1%} ({self.readable}/{self.numbers})",
                f"{self.leaked / self.digit_words:.2%}")


class Caller:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, digits: str, lang: str) -> list[tuple[str, bool]]:
        """(word, stands for a digit) for each digit, ASR's forms for a third of them."""
        forms = ASR_FORMS[lang]
        return [(self.rng.choice(forms[d]) if d in forms and self.rng.random() < 0.3 else WORDS[lang][int(d)], True)
                for d in digits]

    def noisy(self, words: list[tuple[str, bool]], lang: str, noise: str) -> list[tuple[str, bool]]:
        rng, i = self.rng, self.rng.randrange(1, len(words) - 1)
        if noise == "hesitation":
            return words[:i] + [(rng.choice(HESITATIONS[lang]), False)] + words[i:]
        if noise == "dropped digit":
            return words[:i] + words[i + 1:]
        if noise == "digit heard as a word":
            return words[:i] + [(rng.choice(MISHEARD[lang]), False)] + words[i + 1:]
        if noise == "double":
            for k in range(len(words) - 1):
                if words[k] == words[k + 1]:
                    return words[:k] + [(DOUBLE[lang], True)] + words[k + 1:]
        return words

    def call(self) -> tuple[str, list[tuple[int, int]], str]:
        """(transcript, where each digit word stands, the noise)."""
        rng = self.rng
        lang, kind, noise = rng.choice(("id", "en")), rng.choice(tuple(CUES["id"])), rng.choice(NOISE)
        digits = "".join(rng.choice("0123456789") for _ in range(LENGTHS[kind]))
        if kind == "phone":
            digits = "08" + digits[2:]
        words = self.noisy(self.words(digits, lang), lang, noise)
        cut = rng.randrange(4, len(words) - 3) if noise == "two pieces" else len(words)
        text, spans = f"agent: {'boleh' if lang == 'id' else 'may i have'} {CUES[lang][kind]}\ncustomer:", []
        for k, (word, is_digit) in enumerate(words):
            if k == cut:
                text += f"\nagent: {rng.choice(BACKCHANNELS[lang])}\ncustomer:"
            spans += [(len(text) + 1, len(text) + 1 + len(word))] * is_digit
            text += f" {word}"
        return text, spans, noise


def run(n: int, seed: int, systems: dict) -> dict[str, Score]:
    caller = Caller(seed)
    scores = {name: Score() for name in systems}
    for _ in range(n):
        text, spans, noise = caller.call()
        for name, system in systems.items():
            covered = coverage(len(text), system.redact(text))
            shown = sum(not all(covered[start:end]) for start, end in spans)
            score = scores[name]
            score.numbers += 1
            score.digit_words += len(spans)
            score.leaked += shown
            score.readable += bool(shown)
            score.readable_by_noise[noise] += bool(shown)
    return scores


def render(scores: dict[str, Score], n: int, seed: int) -> str:
    lines = [SECTION, "",
             f"`benchmarks/spoken_numbers.py`: {n} card, NIK, phone and account numbers read after the "
             "agent's cue, in Indonesian or English, as ASR writes them (its digit forms and homophones), "
             "each with one of: nothing more, a hesitation, a dropped digit, a digit heard as a short "
             f"word, a \"double\", or a backchannel between two pieces (seed {seed}).", "",
             "| system | numbers with a digit word left readable | digit words left readable |",
             "| --- | ---: | ---: |"]
    lines += [f"| {name} | " + " | ".join(score.cells()) + " |" for name, score in scores.items()]
    ours = scores["ours"]
    by_noise = ", ".join(f"{noise} {ours.readable_by_noise[noise]}" for noise in NOISE)
    lines += ["", f"- Ours, numbers with a digit word left readable, by noise: {by_noise}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    seeded_set_main(argv, __doc__.splitlines()[0], SECTION, 1200, 13, run, render)


if __name__ == "__main__":
    main()
