"""English spaCy NER's PERSON spans, minus Capitalised Indonesian words (PersonNerRecognizer)."""
from __future__ import annotations

import pytest

import recognizers.person_ner_recognizer as person_ner
from redactor import Redactor


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


# Capitalised Indonesian words that English NER took for names (IndoNLU news, cased), and the
# person in the same sentence, who must still be masked.
ORDINARY_WORDS_BESIDE_NAMES = [
    ("Mahkamah agung mengabulkan permohonan Hairul Saleh .", "Mahkamah", "Hairul Saleh"),
    ("Sidang dipimpin ketua komisi i dpr Mahfudz Siddik .", "Sidang", "Mahfudz Siddik"),
    ("Kesan itu muncul akibat pernyataan panglima tni , jenderal Gatot Nurmantyo .", "Kesan",
     "Gatot Nurmantyo"),
    ("Genangan air di tol mengarah Bandara Cengkareng sudah surut .", "Genangan", None),
]


@pytest.mark.parametrize(("text", "word", "name"), ORDINARY_WORDS_BESIDE_NAMES)
def test_a_capitalised_ordinary_word_opening_a_sentence_stays_readable(redactor, text, word, name):
    masked = redactor.redact(text).text
    assert masked.startswith(word)
    if name:
        assert name not in masked and "<PERSON>" in masked


def test_without_the_word_list_english_ner_masks_the_ordinary_word(redactor, monkeypatch):
    text = ORDINARY_WORDS_BESIDE_NAMES[0][0]
    monkeypatch.setattr(person_ner, "ORDINARY_ID_WORDS", frozenset())
    assert redactor.redact(text).text.startswith("<PERSON>")  # the failure the list prevents


# A single ordinary word inside a sentence can be a name ("Putri", "Indah", "Intan").
@pytest.mark.parametrize(("text", "name"), [
    ("I spoke with Putri yesterday about my card", "Putri"),
    ("My name is Indah Sari", "Indah Sari"),
])
def test_an_ordinary_word_that_is_a_name_is_still_masked(redactor, text, name):
    assert name not in redactor.redact(text).text


def test_the_word_list_is_shipped_and_holds_no_common_given_name():
    assert len(person_ner.ORDINARY_ID_WORDS) > 10_000
    assert {"mahkamah", "genangan", "sidang"} <= person_ner.ORDINARY_ID_WORDS
    assert not {"budi", "agus", "wahyu", "bayu", "rahmat"} & person_ner.ORDINARY_ID_WORDS
