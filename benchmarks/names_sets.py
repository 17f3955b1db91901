"""Names in conversations written independently of our rules: ``benchmarks/names/*.jsonl``.

``python -m benchmarks.names_sets [--out benchmarks/results.md]``

Four sets, each written by someone who had not seen the engine's rules or data: typed chat
(``chat.jsonl``, 300 lines), ASR call transcripts (``calls.jsonl``, 300 lines), a mixed set
(``mixed.jsonl``, 200 typed and 200 spoken lines) and a blind set (``blind.jsonl``, 120 typed
and 120 spoken lines, written by hand line by line). Each line lists the person names in its
text; a quarter of the lines name nobody but hold look-alikes (banks, streets named after
heroes, ordinary words that are also names). A second blind set (``blind2.jsonl``, 120 typed and
120 spoken lines, also written by hand) came after the cue rules were cut on 2026-12-06 and is
likewise only scored. ``dev3.jsonl`` (150 typed, 150 spoken lines, written the same way) was
looked at while the name rules were improved that afternoon: a dev set. Later, two more
came, written by helpers given only a description of contact-centre text: ``blind3.jsonl``
(120 typed, 120 spoken lines; only ever scored) and ``dev4.jsonl`` (150 and 150; looked at).
``blind4.jsonl`` (150 typed, 150 spoken lines, a third of them look-alikes only) came from a
fifth helper on 2026-12-06, after the rules above; only ever scored. Two more helpers wrote
``dev5.jsonl`` (150 typed, 150 spoken lines; looked at) and ``blind5.jsonl`` (120 and 120; only
ever scored) on 2026-12-07, and two more ``dev6.jsonl`` (150 and 150; looked at) and
``blind6.jsonl`` (120 and 120; only ever scored) later that day. ``blind7.jsonl`` (1,080
spoken lines of ASR calls about banks, government offices, claims, health, commerce and travel,
and 360 typed lines of marketplace, social and group chats; only ever scored) came from four
more, who wrote it as NER training data after the model of 2026-12-07 evening was trained; it
was kept out of training to measure that model instead.
Metrics over ``\\w+`` tokens:

* name tokens leaked: tokens inside a listed name not fully covered by any predicted span;
* other tokens taken for a person: other tokens touched by a PERSON prediction.

The chat and call sets, and the even lines of the mixed set, were looked at while the name
rules of 2026-12-06 were written: they are dev sets now. The odd lines of the mixed set were
not, and are reported on their own; both halves were generated from the same 150 sentence
patterns, though, so they are less independent than a newly written set would be. The blind
set was written after those rules and only ever scored.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from benchmarks.run import OurRedactor, Pred, StockPresidio, coverage, out_path, score_table, tokens

DATA = Path(__file__).with_name("names")
SECTION = "## Names in independently written conversations"


def occurrences(name: str, text: str) -> list[tuple[int, int]]:
    """Where ``name`` stands in ``text`` as words of its own: "tom" in "my name is tom", not
    in "customer"."""
    return [found.span() for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


@dataclass
class Score:
    names: int = 0
    leaked: int = 0
    other: int = 0
    taken: int = 0

    def add(self, text: str, names: list[str], predictions) -> None:
        covered = coverage(len(text), predictions)
        person = coverage(len(text), [p for p in predictions if p.entity_type == "PERSON"])
        in_name = coverage(len(text), [Pred(start, end, "PERSON")
                                       for name in names for start, end in occurrences(name, text)])
        for start, end in tokens(text):
            if any(in_name[start:end]):
                self.names += 1
                self.leaked += not all(covered[start:end])
            else:
                self.other += 1
                self.taken += any(person[start:end])

    def cell(self) -> str:
        return (f"{self.leaked / self.names:.1%} ({self.leaked}/{self.names}) / "
                f"{self.taken / self.other:.2%}")


def subsets(path: Path) -> dict[str, list[dict]]:
    """The lines of one set, by mode where it has both; of the mixed set, the odd lines only."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    label = {"mixed": "mixed, {}, odd lines (held out)",
             "blind": "blind, {} (never looked at)",
             "blind2": "blind 2, {} (never looked at)",
             "dev3": "dev 3, {} (looked at)",
             "blind3": "blind 3, {} (never looked at)",
             "dev4": "dev 4, {} (looked at)",
             "blind4": "blind 4, {} (never looked at)",
             "dev5": "dev 5, {} (looked at)",
             "blind5": "blind 5, {} (never looked at)",
             "dev6": "dev 6, {} (looked at)",
             "blind6": "blind 6, {} (never looked at)",
             "blind7": "blind 7, {} (never looked at)"}.get(path.stem)
    if label is None:
        return {path.stem: lines}
    if path.stem == "mixed":
        lines = lines[1::2]
    return {label.format(mode): [d for d in lines if d["mode"] == mode] for mode in ("typed", "spoken")}


def render(results: dict[str, dict[str, Score]]) -> str:
    lines = [SECTION, "",
             "`benchmarks/names/`: typed chat (`chat.jsonl`), ASR call transcripts "
             "(`calls.jsonl`), a mixed set (`mixed.jsonl`) and a blind set (`blind.jsonl`), "
             "written by helpers who had not seen the engine, its rules or its data; a quarter "
             "of the lines name nobody but hold look-alikes. The chat and call sets and the even lines of the mixed set were looked "
             "at while the name rules of 2026-12-06 were written; the odd lines were not (they "
             "share the mixed set's 150 sentence patterns, though). The blind set was written "
             "by hand after those rules and only ever scored; so is blind 2, written by hand later the same day. "
             "Dev 3, written the same way, was looked at while the rules were improved further. "
             "Blind 3 (only scored) and dev 4 (looked at) came later, written by two more "
             "helpers, and blind 4 (only scored) after them, by a fifth. Dev 5 (looked at) and "
             "blind 5 (only scored) came on 2026-12-07 from two more; as they came, dev 5 leaked "
             "0.9% typed and 2.9% spoken, blind 5 2.1% and 4.3%. Dev 6 (looked at) and blind 6 "
             "(only scored) came later that day from two more; as they came, dev 6 leaked 4.3% "
             "typed and 2.5% spoken, blind 6 5.8% and 5.0%. Blind 7 (only scored; 360 typed "
             "and 1,080 spoken lines) came that evening from four more, written as NER "
             "training data after the model that learnt from hand-written lines and kept out "
             "of its training; with the model before that one, it leaked 9.6% typed and 2.9% "
             "spoken.", "",
             "Each cell: name tokens leaked (tokens of a listed name not fully masked) / other "
             "tokens taken for a person (touched by a PERSON prediction).", "",
             *score_table("set", results)]
    return "\n".join(lines + [""])


def main(argv: list[str] | None = None) -> None:
    from benchmarks.real_text import write_section

    out = out_path(argv, __doc__.splitlines()[0])
    systems = {"ours": OurRedactor(), "stock Presidio": StockPresidio()}
    results = {}
    for path in sorted(DATA.glob("*.jsonl")):
        for subset, lines in subsets(path).items():
            results[subset] = {name: Score() for name in systems}
            for line in lines:
                for name, system in systems.items():
                    results[subset][name].add(line["text"], line["names"], system.redact(line["text"]))
    section = render(results)
    write_section(out, section, SECTION)
    print(section)


if __name__ == "__main__":
    main()
