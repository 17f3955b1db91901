"""The fast Indonesian tokenizer splits exactly as spaCy's own, which the NER model was trained
with: hyphenated words whole, also inside longer hyphen chains, emoticons, abbreviations."""
from __future__ import annotations

import random

import pytest
import spacy

from recognizers.id_ner_model import DEFAULT_MODEL_PATH, IdNerModel
from recognizers.id_tokenizer import HYPHENATED, NAME, IndonesianTokenizer


@pytest.fixture(scope="module")
def spacy_own():
    return spacy.blank("id").tokenizer


@pytest.fixture(scope="module")
def ours():
    return spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": NAME}}}).tokenizer


def tokens(tokenizer, text: str) -> list[tuple[int, str]]:
    return [(token.idx, token.text) for token in tokenizer(text)]


@pytest.mark.parametrize("text", [
    "anak-anak saya dua",
    "(anak-anak), kupu-kupu.",
    "ANAK-ANAK! Anak-Anak?",
    "Hasil-Hasil-2 dan Bergunduk-Gunduk-2",  # a listed word inside a longer chain
    "Hasil-Hasil-C++",
    "EDITOR-IN-CHIEF",
    "e-KTP no 3171-0101-0101-0001",
    "hp 0812-3456-7890 a.n. Budi dll.",
    "ok :-) (-: ;-) :’-)",
    "jl. sudirman no.5, kota-kota besar",
    "anak-anaknya, anak-anak-nya",
    "",
])
def test_tokens_are_spacys_own(spacy_own, ours, text):
    assert tokens(ours, text) == tokens(spacy_own, text)


def test_fuzzed_hyphen_chains_tokenize_as_spacys_own(spacy_own, ours):
    rng = random.Random(11)
    listed = sorted(HYPHENATED)
    others = ["saya", "Budi", "no.", "a.n.", "dr.", "0812-3456-7890", ":)", "C++", "-", "e-mail", "e-KTP", ":-P"]
    edges = ["", ",", ".", ")", "(", '"', ":", ";", "-", "--", "nya", "-nya", "...", "2", "-2", ":-)"]
    for _ in range(3000):
        words = []
        for _ in range(rng.randint(1, 6)):
            word = rng.choice(listed) if rng.random() < 0.6 else rng.choice(others)
            word = rng.choice([word, word, word.upper(), word.title()])
            words.append(rng.choice(edges) + word + rng.choice(edges))
        text = rng.choice([" ", "-", " - ", "\n", ""]).join(words)
        assert tokens(ours, text) == tokens(spacy_own, text), text


def test_the_ner_model_reads_through_it():
    assert isinstance(IdNerModel(DEFAULT_MODEL_PATH).nlp.tokenizer, IndonesianTokenizer)
