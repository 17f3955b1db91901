"""Score an NER model on the dev corpora: per-label precision/recall/F and PERSON token recall.

``python -m ner.evaluate [--model recognizers/models/id_ner] [--corpus ner/corpus] [--dev F ...]``

Reads ``dev_news.spacy`` (IndoNLU ``nerp_valid.txt``), ``dev_chat.spacy`` (augmented text
from held-out templates) and ``dev_written.spacy`` (hand-written lines held out), or the files
given with ``--dev``: DocBins (``.spacy``) or labelled text in the IndoNLU format (token, tab,
BIO tag). Nothing here is trained on.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.training import Example

LABELS = ("PERSON", "LOCATION", "ORGANIZATION")


def person_token_recall(examples: list[Example]) -> float:
    gold = caught = 0
    for example in examples:
        predicted = {t.i for ent in example.predicted.ents if ent.label_ == "PERSON" for t in ent}
        for ent in example.reference.ents:
            if ent.label_ == "PERSON":
                span = example.predicted.char_span(ent.start_char, ent.end_char,
                                                   alignment_mode="expand")
                gold += len(ent)
                caught += len(ent) if span and all(t.i in predicted for t in span) else 0
    return caught / gold if gold else 0.0


def load_docs(nlp, path: Path) -> list:
    if path.suffix == ".spacy":
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    from .prepare import news_doc, read_conll

    return [news_doc(nlp.vocab, words, tags) for words, tags in read_conll(path)]


def evaluate(nlp, path: Path) -> list[str]:
    docs = load_docs(nlp, path)
    start = time.perf_counter()
    examples = [Example(nlp(doc.text), doc) for doc in docs]
    ms = (time.perf_counter() - start) * 1000 / max(len(docs), 1)
    scorer = nlp.get_pipe("ner").scorer
    scores = scorer(examples)
    lines = [f"## {path.name}: {len(docs)} texts, {ms:.2f} ms/text", "",
             "| label | precision | recall | F |", "|---|---:|---:|---:|"]
    per_type = scores.get("ents_per_type") or {}
    for label in LABELS:
        s = per_type.get(label, {"p": 0, "r": 0, "f": 0})
        lines.append(f"| {label} | {s['p']:.1%} | {s['r']:.1%} | {s['f']:.1%} |")
    lines.append(f"| all | {scores['ents_p']:.1%} | {scores['ents_r']:.1%} | {scores['ents_f']:.1%} |")
    lines += ["", f"PERSON tokens inside a predicted PERSON: {person_token_recall(examples):.1%}", ""]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("recognizers/models/id_ner"))
    parser.add_argument("--corpus", type=Path, default=Path("ner/corpus"))
    parser.add_argument("--dev", type=Path, nargs="*", help="DocBin files (default: the three dev sets)")
    args = parser.parse_args(argv)
    nlp = spacy.load(args.model)
    for path in args.dev or [args.corpus / f"dev_{name}.spacy" for name in ("news", "chat", "written")]:
        print("\n".join(evaluate(nlp, path)))


if __name__ == "__main__":
    main()
