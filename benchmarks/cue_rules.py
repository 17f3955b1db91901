"""Which PERSON cue rules still add recall beside the NER model.

``python -m benchmarks.cue_rules [--data benchmarks/devset.jsonl]``

For every gold PERSON token of the conversational dev set, which detectors cover it: the NER
model, English spaCy, and each kind of cue (``PersonCueRecognizer``'s ``person_cue_<kind>``).
A kind's *own* tokens are those no other detector covers: what removing it would leak. Its
*false* tokens are non-PII tokens only it covers: what removing it would unmask.
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from benchmarks.dataset import load
from benchmarks.run import DEFAULT_DATA, tokens


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    from redactor import Redactor

    redactor = Redactor()
    own, false, total = Counter(), Counter(), Counter()
    gold_tokens = 0
    for sample in load(args.data):
        found = detectors(redactor, sample.text)
        for start, end in tokens(sample.text):
            gold = next((s.type for s in sample.spans if s.start < end and start < s.end), None)
            covering = {kind for s, e, kind in found if s <= start and end <= e}
            if gold == "PERSON":
                gold_tokens += 1
                total.update(covering)
            if len(covering) == 1:
                (own if gold == "PERSON" else false if gold is None else Counter()).update(covering)
    print(f"{gold_tokens} gold PERSON tokens\n")
    print("| detector | PERSON tokens covered | only by it | non-PII tokens only by it |")
    print("|---|---:|---:|---:|")
    for kind in sorted(set(total) | set(false), key=lambda k: -total[k]):
        print(f"| {kind} | {total[kind]} | {own[kind]} | {false[kind]} |")


if __name__ == "__main__":
    main()
