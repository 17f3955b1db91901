"""Real-text PERSON benchmark: IndoNLU NER-PROSA validation sentences (``nerp_valid.txt``).

``python -m benchmarks.real_text [--data DIR] [--out benchmarks/results.md] [--n N]``

Each sentence's tokens are joined with spaces (lowercase news, as the file has it) and, as a
second set, with its names, places, organisations and first word capitalised the way a writer
would. Three systems in one run: ours with cues only (``REDACTOR_ID_NER_MODEL=off``: cue
rules + English spaCy), ours with our NER model, and stock Presidio. Metrics, over tokens with
a letter or digit:

* PERSON tokens caught: gold PERSON tokens fully covered by any predicted span;
* whole names caught: gold PERSON spans whose tokens are all caught;
* non-person tokens masked: other tokens with any character covered by any predicted span.

A second table sweeps the PERSON bias of our model (``REDACTOR_ID_NER_PERSON_BIAS``): the same
metrics, and what it costs in the conversational sets (``benchmarks/run.py``'s over-redaction
and leaked PERSON tokens).

The section is written at the end of ``--out`` (replacing an earlier one), after
``benchmarks.run`` has written the rest.
"""
from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.run import ROOT, StockPresidio, percentile

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "indonlu-ner"
DATA_ENV = "INDONLU_NER_DIR"
DEFAULT_OUT = Path(__file__).with_name("results.md")
SECTION = "## Real text: names in IndoNLU NER-PROSA validation sentences"
PERSON_BIASES = (0.0, 1.0, 2.0, 3.0)


@dataclass
class Sentence:
    text: str
    tokens: list[tuple[int, int, bool]]  # start, end, is PERSON
    names: list[tuple[int, int]]  # token index ranges of gold PERSON spans


def read_sentences(path: Path, cased: bool) -> list[Sentence]:
    from ner.prepare import cased_copy, read_conll

    sentences = []
    for words, tags in read_conll(path):
        if cased:
            words = cased_copy(words, tags)
        text, tokens, names = "", [], []
        for i, (word, tag) in enumerate(zip(words, tags)):
            start = len(text) + (1 if text else 0)
            text = f"{text} {word}" if text else word
            tokens.append((start, len(text), tag.endswith("PERSON")))
            if tag == "B-PERSON":
                names.append([i, i + 1])
            elif tag == "I-PERSON":
                names[-1][1] = i + 1
        sentences.append(Sentence(text, tokens, [tuple(n) for n in names]))
    return sentences


@dataclass
class Score:
    person: int = 0
    caught: int = 0
    names: int = 0
    names_caught: int = 0
    other: int = 0
    masked: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    def add(self, sentence: Sentence, spans: list[tuple[int, int]]) -> None:
        covered = [False] * len(sentence.text)
        for start, end in spans:
            covered[start:end] = [True] * (end - start)
        caught = []
        for start, end, is_person in sentence.tokens:
            if not any(ch.isalnum() for ch in sentence.text[start:end]):
                caught.append(False)
                continue
            if is_person:
                self.person += 1
                caught.append(all(covered[start:end]))
                self.caught += caught[-1]
            else:
                self.other += 1
                self.masked += any(covered[start:end])
                caught.append(False)
        for first, last in sentence.names:
            self.names += 1
            self.names_caught += all(caught[first:last])


class Ours:
    def __init__(self, with_model: bool, person_bias: float | None = None) -> None:
        from recognizers.id_ner_model import MODEL_ENV, PERSON_BIAS_ENV

        settings = {} if with_model else {MODEL_ENV: "off"}
        if person_bias is not None:
            settings[PERSON_BIAS_ENV] = str(person_bias)
        saved = {name: os.environ.get(name) for name in settings}
        _set_environ(settings)
        try:
            from redactor import Redactor

            self.redactor = Redactor()
        finally:
            _set_environ(saved)

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [(e.start, e.end) for e in self.redactor.redact(text).entities]


def _set_environ(settings: dict[str, str | None]) -> None:
    for name, value in settings.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


class Stock:
    def __init__(self) -> None:
        self.presidio = StockPresidio()

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [(p.start, p.end) for p in self.presidio.redact(text)]


def score(system, sentences: list[Sentence]) -> Score:
    result = Score()
    for sentence in sentences[:20]:
        system.spans(sentence.text)  # warm-up
    for sentence in sentences:
        start = time.perf_counter()
        spans = system.spans(sentence.text)
        result.latencies_ms.append((time.perf_counter() - start) * 1000)
        result.add(sentence, spans)
    return result


def render(results: dict[str, dict[str, Score]], data: Path, n: int) -> str:
    systems = list(next(iter(results.values())))
    lines = [
        SECTION, "",
        f"`{data.name}`: {n} sentences of Indonesian news (never trained on), tokens joined with "
        "spaces; \"cased\" is the same text with names, places, organisations and the first word "
        "capitalised. Ours with cues only: `REDACTOR_ID_NER_MODEL=off`. Goals: ≥ 92% of PERSON "
        "tokens caught, ≤ 2% of other tokens masked.", "",
        "| metric | " + " | ".join(systems) + " |",
        "| --- |" + " ---: |" * len(systems),
    ]
    for variant, by_system in results.items():
        scores = list(by_system.values())
        lines.append(f"| **{variant}**: PERSON tokens caught | "
                     + " | ".join(f"{s.caught / s.person:.1%}" for s in scores) + " |")
        lines.append(f"| {variant}: whole names caught | "
                     + " | ".join(f"{s.names_caught / s.names:.1%}" for s in scores) + " |")
        lines.append(f"| {variant}: non-person tokens masked | "
                     + " | ".join(f"{s.masked / s.other:.1%}" for s in scores) + " |")
        lines.append(f"| {variant}: latency p50 (ms/sentence) | "
                     + " | ".join(f"{percentile(s.latencies_ms, 50):.1f}" for s in scores) + " |")
    first = next(iter(next(iter(results.values())).values()))
    lines += ["", f"{first.person} PERSON tokens in {first.names} names; {first.other} other tokens.",
              ""]
    return "\n".join(lines)


@dataclass
class Conversational:
    over: int = 0
    other: int = 0
    person_leaked: int = 0


def conversational(system: Ours) -> dict[str, Conversational]:
    """Over-redaction and leaked PERSON tokens in the dev and conversational sets."""
    from benchmarks.dataset import load
    from benchmarks.run import CONVERSATION_DATA, DEFAULT_DATA, Pred, evaluate_sample

    results = {}
    for data in (DEFAULT_DATA, CONVERSATION_DATA):
        result = results[data.name] = Conversational()
        for sample in load(data):
            entities = system.redactor.redact(sample.text).entities
            evaluated = evaluate_sample(sample.text, sample.spans,
                                        [Pred(e.start, e.end, e.entity_type, e.score) for e in entities])
            result.over += evaluated.counts.over
            result.other += evaluated.counts.other_tokens
            result.person_leaked += sum(kind == "PERSON" for kind, *_ in evaluated.leaked_tokens)
    return results


def render_sweep(sweep: dict[float, tuple[dict[str, Score], dict[str, Conversational]]]) -> str:
    first_real, first_conv = next(iter(sweep.values()))
    header = ["PERSON bias", *(f"{v}: PERSON caught / other masked" for v in first_real),
              *(f"`{name}`: over-redaction / PERSON leaked" for name in first_conv)]
    lines = ["### PERSON bias of our model", "",
             "`REDACTOR_ID_NER_PERSON_BIAS`, added to the model's score for opening a PERSON span "
             "(0: the model as trained). Same run as the table above.", "",
             "| " + " | ".join(header) + " |", "| ---: |" + " ---: |" * (len(header) - 1)]
    for bias, (real, conv) in sweep.items():
        cells = [f"{s.caught / s.person:.1%} / {s.masked / s.other:.2%}" for s in real.values()]
        cells += [f"{c.over / c.other:.2%} / {c.person_leaked}" for c in conv.values()]
        lines.append(f"| {bias:g} | " + " | ".join(cells) + " |")
    return "\n".join(lines + [""])


def write_section(out: Path, section: str, heading: str = SECTION) -> None:
    """Put ``section`` in ``out`` in place of the one under ``heading``, or at the end."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    head, found, rest = old.partition(heading)
    tail = rest[rest.find("\n## ") + 1:] if found and "\n## " in rest else ""
    parts = [part.strip("\n") for part in (head, section, tail) if part.strip()]
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get(DATA_ENV, DEFAULT_DATA)),
                        help=f"IndoNLU NER folder (default ../shared/data/indonlu-ner, or ${DATA_ENV})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--n", type=int, default=None, help="only the first N sentences")
    args = parser.parse_args(argv)
    path = args.data / "nerp_valid.txt"
    if not path.is_file():
        parser.error(f"{path} not found (pass --data or set {DATA_ENV})")
    variants = {v: read_sentences(path, cased=v == "cased")[: args.n] for v in ("lowercase", "cased")}
    systems = {"ours, cues only": Ours(with_model=False), "ours + NER model": Ours(with_model=True),
               "stock Presidio": Stock()}
    results = {v: {name: score(system, sentences) for name, system in systems.items()}
               for v, sentences in variants.items()}
    sweep = {}
    for bias in PERSON_BIASES:
        system = Ours(with_model=True, person_bias=bias)
        sweep[bias] = ({v: score(system, sentences) for v, sentences in variants.items()},
                       conversational(system))
    section = render(results, path, len(variants["lowercase"])) + "\n" + render_sweep(sweep)
    write_section(args.out, section)
    print(section)


if __name__ == "__main__":
    main()
