"""All PII in conversations written independently of our rules: ``benchmarks/blind/``.

``python -m benchmarks.blind_conversations [--out benchmarks/results.md]``

Three sets of 160 conversations ("customer: ..." / "agent: ..."), each 80 typed chats (slang,
typos, numbers typed in groups or sent in pieces) and 80 ASR call transcripts (lowercase,
numbers said as Indonesian or English words, misheard digits, fillers, self-corrections, the
agent's backchannels between the pieces); Indonesian, English and mixed. Each conversation lists
its PII values as they appear; about a fifth hold only look-alikes (order and ticket numbers,
prices, dates, quantities, banks, cities). Helpers wrote them from a description of
contact-centre talk, without seeing the engine, its rules or its data:

* ``conversations.jsonl`` (2026-12-06, 2-8 turns): cards, some with a wrong digit, CVV, expiry,
  NIK, KK, NPWP, BPJS, passports, phones, accounts, OTP, PIN, emails, addresses, names;
* ``conversations2.jsonl`` (2026-12-06, 4-12 turns, each value typed): the same and dates of
  birth, vehicle plates, insurance policy numbers, virtual accounts, passwords.
* ``conversations3.jsonl`` (2026-12-06, 4-12 turns, each value typed): ten kinds of contact
  centre (telco, e-commerce, ride-hailing, clinics and BPJS, travel, government services,
  loans, utilities, insurance, banking); member ids and mothers' maiden names too.

Each was scored once as it came, then its leaks were looked at and some fixed: both are dev
sets now (the first scores are in the commits that added them, and below).

Each system reads every conversation whole, as its own pipeline would: ours as one text, as a
chat (each turn a ``ChatSession`` message) and as a call (each turn a recognizer final), and
stock Presidio as one text. Metrics over ``\\w+`` tokens, role labels excepted:

* PII tokens leaked: tokens inside a listed value not fully covered by any predicted span;
* other tokens masked: other tokens touched by any prediction.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.run import CallPath, ChatPath, OurRedactor, Pred, StockPresidio, coverage, out_path, score_table, tokens

DATA = Path(__file__).with_name("blind")
SETS = {"set 1": DATA / "conversations.jsonl", "set 2": DATA / "conversations2.jsonl",
        "set 3": DATA / "conversations3.jsonl"}
KINDS = {"chat": "typed chats (80)", "call": "call transcripts (80)"}
SECTION = "## All PII in independently written conversations"
_ROLE = re.compile(r"^(?:customer|agent):[ \t]?", re.MULTILINE)


@dataclass
class Score:
    pii: int = 0
    leaked: int = 0
    other: int = 0
    masked: int = 0
    by_type: Counter = field(default_factory=Counter)  # type -> PII tokens
    leaked_by_type: Counter = field(default_factory=Counter)

    def add(self, text: str, values: list[str], predictions: list[Pred],
            types: list[str] | None = None) -> None:
        covered = coverage(len(text), predictions)
        gold = [None] * len(text)
        for value in _value_spans(text, values, types):
            gold[value.start:value.end] = [value.entity_type] * (value.end - value.start)
        roles = coverage(len(text), [Pred(m.start(), m.end(), "ROLE") for m in _ROLE.finditer(text)])
        for start, end in tokens(text):
            if roles[start]:
                continue
            kind = next((t for t in gold[start:end] if t), None)
            if kind:
                leaked = not all(covered[i] or not gold[i] for i in range(start, end))
                self.pii += 1
                self.leaked += leaked
                self.by_type[kind] += 1
                self.leaked_by_type[kind] += leaked
            else:
                self.other += 1
                self.masked += any(covered[start:end])

    def cell(self) -> str:
        return f"{self.leaked / self.pii:.1%} ({self.leaked}/{self.pii}) / {self.masked / self.other:.1%}"


def _value_spans(text: str, values: list[str], types: list[str] | None) -> list[Pred]:
    """Each listed value where it occurs, in the order listed: after the value before it (a
    piece read back, "tujuh lima nol tiga", is the agent's, not the same digits inside the
    customer's number said earlier), else after its own last occurrence, else anywhere."""
    spans, after, previous_end = [], {}, 0
    for value, kind in zip(values, types or ["PII"] * len(values)):
        start = text.find(value, previous_end)
        start = text.find(value, after.get(value, 0)) if start < 0 else start
        start = text.find(value) if start < 0 else start
        if start >= 0:
            after[value] = previous_end = start + len(value)
            spans.append(Pred(start, start + len(value), kind))
    return spans


def render(results: dict[str, dict[str, Score]]) -> str:
    lines = [SECTION, "",
             "`benchmarks/blind/`: three sets of 80 typed chats and 80 ASR call transcripts with every "
             "kind of PII, read in pieces between backchannels, typed with typos; each written by "
             "a helper who had not seen the engine (method: `benchmarks/blind_conversations.py`). "
             "Scored once as they came, then looked at and some of their leaks fixed. Set 1, as it "
             "came: chats 4.0% leaked through the chat path, calls 0.5% through the call path "
             "(stock Presidio 23.4% and 69.5%). Set 2, as it came: chats 14.6%, calls 18.5% "
             "(stock Presidio 32.1% and 68.0%): every date of birth, nearly every vehicle plate "
             "and most insurance policy numbers leaked, types the engine had no recognizer for. "
             "Set 3, as it came (after the fixes set 2 led to): chats 2.5%, calls 7.0% (stock "
             "Presidio 26.6% and 67.4%): passports read in pieces and read back, NPWPs said with "
             "'titik', spoken dates of birth.",
             "", "Each cell: PII tokens leaked / other tokens masked.", "",
             *score_table("conversations", results), "",
             "Sets 2 and 3, PII tokens leaked by type (chats through our chat path, calls through "
             "our call path):", "",
             *_by_type_table(results)]
    return "\n".join(lines + [""])


def _by_type_table(results: dict[str, dict[str, Score]]) -> list[str]:
    columns = {f"{KINDS[kind]}: {system}": _summed(results, [f"{name}, {KINDS[kind]}" for name in ("set 2", "set 3")],
                                                   system)
               for kind, ours in (("chat", "ours (chat path)"), ("call", "ours (call path)"))
               for system in (ours, "stock Presidio")}
    kinds = sorted({k for score in columns.values() for k in score.by_type})
    lines = ["| type | " + " | ".join(columns) + " |", "| --- |" + " ---: |" * len(columns)]
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(
            f"{score.leaked_by_type[kind]}/{score.by_type[kind]}" if score.by_type[kind] else "-"
            for score in columns.values()) + " |")
    return lines


def _summed(results: dict[str, dict[str, Score]], subsets: list[str], system: str) -> Score:
    total = Score()
    for subset in subsets:
        total.by_type.update(results[subset][system].by_type)
        total.leaked_by_type.update(results[subset][system].leaked_by_type)
    return total


def main(argv: list[str] | None = None) -> None:
    from benchmarks.real_text import write_section

    out = out_path(argv, __doc__.splitlines()[0])
    systems = {"ours (whole text)": OurRedactor(), "ours (chat path)": ChatPath(),
               "ours (call path)": CallPath(), "stock Presidio": StockPresidio()}
    results = {}
    for name, path in SETS.items():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        for kind, subset in KINDS.items():
            scores = results[f"{name}, {subset}"] = {system: Score() for system in systems}
            for row in (r for r in rows if r["kind"] == kind):
                for system_name, system in systems.items():
                    scores[system_name].add(row["text"], row["pii"], system.redact(row["text"]),
                                            row.get("types"))
    section = render(results)
    write_section(out, section, SECTION)
    print(section)


if __name__ == "__main__":
    main()
