"""spaCy's Indonesian tokenizer, built in milliseconds instead of seconds.

spaCy keeps the 15,577 hyphenated words of Indonesian ("anak-anak", "kupu-kupu", "Tip-Off")
whole as special cases, and adding each one re-tokenizes it and makes its lexemes: 1.6 to 2 s
of every start of a server, a batch worker or ``redactor redact``. Here a hyphenated word in
that list is kept whole by ``token_match`` (one set lookup), and the one thing special cases
do beyond that is redone after tokenizing: a listed word inside a longer hyphen chain
("Hasil-Hasil-2") is merged back, as spaCy's special-case matcher does. The tokens are the
same as spaCy's on IndoNLU, our dev sets and 100,000 fuzzed hyphen chains
(``tests/test_id_tokenizer.py``), so the NER model sees what it was trained on.
"""
from __future__ import annotations

import regex as re
from spacy.lang.id import Indonesian
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans, registry

NAME = "redactor.indonesian_tokenizer.v1"

_EXCEPTIONS = Indonesian.Defaults.tokenizer_exceptions
# Words and hyphens only: emoticons with a hyphen (":-)") stay special cases, as few as they are.
HYPHENATED = frozenset(k for k in _EXCEPTIONS if re.fullmatch(r"\w+(?:-\w+)+", k))
_OTHER_EXCEPTIONS = {k: v for k, v in _EXCEPTIONS.items() if k not in HYPHENATED}
# A listed word split at its hyphens: word, "-", word, ... (the longest, "Man-in-the-middle": 7 tokens).
_MAX_TOKENS = 2 * max(k.count("-") for k in HYPHENATED) + 1


class IndonesianTokenizer(Tokenizer):
    def __call__(self, text: str) -> Doc:
        doc = super().__call__(text)
        if "-" in text and (chains := filter_spans(_listed_chains(doc))):
            with doc.retokenize() as retokenizer:
                for span in chains:
                    retokenizer.merge(span)
        return doc


def _listed_chains(doc: Doc) -> list[Span]:
    """Runs of tokens with no space between them that spell a listed hyphenated word, the
    longest from each start."""
    found = []
    for start in range(len(doc) - 2):
        if doc[start].whitespace_ or doc[start + 1].text != "-":  # split at a hyphen, or no chain
            continue
        for end in range(min(len(doc), start + _MAX_TOKENS), start + 2, -1):
            if not any(doc[i].whitespace_ for i in range(start, end - 1)) and doc[start:end].text in HYPHENATED:
                found.append(doc[start:end])
                break
    return found


@registry.tokenizers(NAME)
def create_indonesian_tokenizer():
    def create(nlp) -> Tokenizer:
        defaults = nlp.Defaults
        url_match, own_match = defaults.url_match, defaults.token_match

        def token_match(text: str) -> bool:
            return text in HYPHENATED or bool(own_match and own_match(text))

        return IndonesianTokenizer(
            nlp.vocab, rules=_OTHER_EXCEPTIONS,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=token_match, url_match=url_match,
        )

    return create
