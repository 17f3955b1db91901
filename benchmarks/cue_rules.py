"""Which PERSON cue rules still add recall beside the NER model.

``python -m benchmarks.cue_rules [--data FILE ...]``

For every name token of the dev sets and of the looked-at names sets (``benchmarks/names``:
chat, calls, the even lines of mixed), which detectors cover it: the NER
model, English spaCy, and each kind of cue (``PersonCueRecognizer``'s ``person_cue_<kind>``).
A kind's *own* tokens are those no other detector covers: what removing it would leak. Its
*false* tokens are non-PII tokens only it covers: what removing it would unmask.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from benchmarks.dataset import load
from benchmarks.names_sets import occurrences
from benchmarks.run import DEFAULT_DATA, tokens

NAMES = Path(__file__).with_name("names")
DEFAULT_SETS = [DEFAULT_DATA, DEFAULT_DATA.with_name("convset.jsonl"),
                NAMES / "chat.jsonl", NAMES / "calls.jsonl", NAMES / "mixed.jsonl"]


def detectors(redactor, text: str) -> list[tuple[int, int, str]]:
    """(start, end, detector) of every PERSON result, in ``text`` offsets."""
    from redactor.nlp import worth_running_ner
    from redactor.spoken import normalize_spoken

    normalized = normalize_spoken(text)
    analyzer = redactor._analyzer
    artifacts = redactor._nlp.artifacts(normalized.text, worth_running_ner(normalized.text))
    found = []
    for recognizer in analyzer.registry.recognizers:
        if "PERSON" not in recognizer.supported_entities:
            continue
        for result in recognizer.analyze(normalized.text, ["PERSON"], artifacts):
            explanation = result.analysis_explanation
            kind = explanation.pattern_name if explanation and explanation.pattern_name else recognizer.name
            found.append((*normalized.to_source(result.start, result.end), kind))
    return found


def samples(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """(text, spans of its person names) of a dev set or of a names set (``benchmarks/names``)."""
    if path.parent.name != "names":
        return [(s.text, [(span.start, span.end) for span in s.spans if span.type == "PERSON"])
                for s in load(path)]
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if path.stem == "mixed":
        lines = lines[::2]  # the odd lines are held out
    return [(d["text"], [span for name in d["names"] for span in occurrences(name, d["text"])])
            for d in lines]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=DEFAULT_SETS)
    args = parser.parse_args(argv)
    from redactor import Redactor

    redactor = Redactor()
    own, false, total = Counter(), Counter(), Counter()
    gold_tokens = 0
    for path in args.data:
        for text, names in samples(path):
            found = detectors(redactor, text)
            for start, end in tokens(text):
                in_name = any(s < end and start < e for s, e in names)
                covering = {kind for s, e, kind in found if s <= start and end <= e}
                if in_name:
                    gold_tokens += 1
                    total.update(covering)
                if len(covering) == 1:
                    (own if in_name else false).update(covering)
    print(f"{gold_tokens} name tokens in {', '.join(p.name for p in args.data)}\n")
    print("| detector | name tokens covered | only by it | other tokens only by it |")
    print("|---|---:|---:|---:|")
    for kind in sorted(set(total) | set(false), key=lambda k: -total[k]):
        print(f"| {kind} | {total[kind]} | {own[kind]} | {false[kind]} |")


if __name__ == "__main__":
    main()
