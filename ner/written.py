"""Hand-written contact-centre text for NER training: ``ner/written/*.jsonl``.

Templates (``ner/augment.py``) teach the model the sentences we thought of; these lines were
written by hand, by writers who never saw our rules, templates or benchmark sets: chats, ASR
call transcripts, case notes and regional speech, each line labelled with the people, places
and organisations it names::

    {"text": "...", "people": ["..."], "places": ["..."], "orgs": ["..."], "mode": "typed"}

Every listed string is labelled wherever it stands as whole words in its text. Every
``DEV_EVERY``-th line of each file is dev only (``dev_written.spacy``), never trained on; each
training line is also trained on once more with its people renamed (as the news is).
"""
from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import regex as re

from .augment import Example, NameMaker

FOLDER = Path(__file__).with_name("written")
DEV_EVERY = 10
LABELS = {"people": "PERSON", "places": "LOCATION", "orgs": "ORGANIZATION"}


def rows(folder: Path = FOLDER) -> Iterator[tuple[str, int, dict]]:
    """(file name, line number from 0, line) for every line of every file, in a stable order."""
    for path in sorted(folder.glob("*.jsonl")):
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        for number, line in enumerate(lines):
            yield path.name, number, json.loads(line)


def read(folder: Path = FOLDER) -> Iterator[tuple[bool, Example]]:
    """(is dev, example) for every line of every file in ``folder``."""
    for _, number, row in rows(folder):
        yield number % DEV_EVERY == 0, (row["text"], labelled_spans(row))


def labelled_spans(row: dict) -> list[tuple[int, int, str]]:
    """Each listed string wherever it stands as whole words; where two overlap, the longer
    ("RSUP Dr. Sardjito" is an organisation, not the person Sardjito)."""
    text = row["text"]
    found = [(match.start(), match.end(), label)
             for key, label in LABELS.items() for value in row.get(key, []) if value.strip()
             for match in re.finditer(rf"(?<![\p{{L}}\p{{N}}]){re.escape(value)}(?![\p{{L}}\p{{N}}])", text)]
    kept: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: s[0] - s[1]):
        if all(span[1] <= start or end <= span[0] for start, end, _ in kept):
            kept.append(span)
    return sorted(kept)


def renamed(example: Example, maker: NameMaker, rng: random.Random) -> Example:
    """The line with each person's name drawn anew, in the case it was written in."""
    text, spans = example
    out, new_spans, pos = [], [], 0
    for start, end, label in spans:
        out.append(text[pos:start])
        value = written = text[start:end]
        if label == "PERSON":
            value = maker.world() if rng.random() < 0.5 else maker.full()
            value = value.lower() if written.islower() else value.upper() if written.isupper() else value
        offset = sum(map(len, out))
        new_spans.append((offset, offset + len(value), label))
        out.append(value)
        pos = end
    out.append(text[pos:])
    return "".join(out), new_spans
