"""Helpers shared by the recognizer tests."""
from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

#: The engine's default score threshold: "detected" means scored at or above it.
THRESHOLD = 0.5
FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE  # as the analyzer passes them


def detected_results(recognizer: EntityRecognizer, text: str) -> list[RecognizerResult]:
    results = recognizer.analyze(
        text, entities=recognizer.supported_entities, nlp_artifacts=None, regex_flags=FLAGS
    )
    return sorted((r for r in results if r.score >= THRESHOLD), key=lambda r: r.start)


def detected(recognizer: EntityRecognizer, text: str) -> list[str]:
    """Span texts the recognizer reports at or above the threshold, in text order."""
    return [text[r.start : r.end] for r in detected_results(recognizer, text)]
