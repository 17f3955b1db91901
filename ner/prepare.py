"""Build the training and dev corpora (spaCy DocBins) for the Indonesian NER model.

``python -m ner.prepare --data ../shared/data/indonlu-ner --out ner/corpus [--seed 0]``

Training: NER-PROSA (``nerp_train.txt``, lowercased news), NERGrit (``nergrit_train.txt``,
cased) and a lowercase copy of it, a copy of some NER-PROSA sentences with their names and
places capitalised as a writer would, a copy of each sentence naming someone with other
people's names in them (from our lists, every Faker locale and the names in the training news:
``ner/names.py``), everyday English words that name nobody, contact-centre text from
``ner/augment.py``, and hand-written contact-centre text (``ner/written.py``).
Dev (never trained on): ``nerp_valid.txt``, augmented text from held-out templates, and every
tenth hand-written line.
Labels: PERSON, LOCATION, ORGANIZATION (EVT and FNB are dropped).

``--ordinary-words FILE`` also writes the Indonesian words that are ordinary words rather than
names, one a line, for ``recognizers/person_ner_recognizer.py``; ``--known-words FILE`` the
frequent English and Indonesian words, for ``redactor/name_echo.py``.
"""
from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin
from wordfreq import iter_wordlist, top_n_list, word_frequency, zipf_frequency

from . import written
from .augment import INDONESIAN, Example, NameMaker, generate
from .names import corpus_pool, faker_pools, given_name_locales

LABELS = {
    "PPL": "PERSON", "PLC": "LOCATION", "IND": "ORGANIZATION",  # NER-PROSA
    "PERSON": "PERSON", "PLACE": "LOCATION", "ORGANISATION": "ORGANIZATION",  # NERGrit
}
NO_SPACE_BEFORE = frozenset(",.;:!?)%")
NO_SPACE_AFTER = frozenset("(")
TRAIN_FILES = ("nerp_train.txt", "nergrit_train.txt")
AUGMENTED_TRAIN = 9000
AUGMENTED_DEV = 1000
CASED_NERP_SHARE = 0.3
ENGLISH_NEGATIVES = 4000  # sentences of everyday English words, none of them a name
FREQUENT_WORDS = 20_000  # top words of each language (wordfreq): no names unless news uses them so
# A given name of this many Faker locales is a name, not an ordinary word, though the web's
# Indonesian uses it often ("andreas", "regina", "lia")...
NAME_LOCALES = 3
# ... unless it is this frequent a word (per word of Indonesian or English text): "dana", "june".
FREQUENT_AS_WORD = 20e-6
# Words at least this frequent (wordfreq's Zipf scale: 3 is once per million words) are known
# words: about 28,000 English and 23,000 Indonesian ones.
KNOWN_WORD_ZIPF = 3.0
# Indonesian and Sundanese words that are given names elsewhere: "edit alamat", "mika hp".
WORDS_NOT_NAMES = frozenset("edit mika kari pol sami aya hana ole cas oto aura chase crystal".split())


def read_conll(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """(words, BIO tags with our labels) per sentence of an IndoNLU file."""
    words, tags = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                yield words, repair(tags)
            words, tags = [], []
            continue
        word, tag = line.split("\t")
        prefix, _, label = tag.partition("-")
        words.append(word)
        tags.append(f"{prefix}-{LABELS[label]}" if label in LABELS else "O")
    if words:
        yield words, repair(tags)


def repair(tags: list[str]) -> list[str]:
    """Valid BIO: an I- tag that continues nothing starts an entity (the files have a few)."""
    fixed = []
    for i, tag in enumerate(tags):
        if tag.startswith("I-") and (i == 0 or fixed[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        fixed.append(tag)
    return fixed


def news_doc(vocab, words: list[str], tags: list[str]) -> Doc:
    """Tokens joined as written text: no space before a comma or after a bracket."""
    spaces = [
        i + 1 < len(words) and words[i + 1] not in NO_SPACE_BEFORE and word not in NO_SPACE_AFTER
        for i, word in enumerate(words)
    ]
    return Doc(vocab, words=words, spaces=spaces, ents=tags)


def cased_copy(words: list[str], tags: list[str]) -> list[str]:
    """A lowercased news sentence as written: names, places and the first word capitalised."""
    return [
        word[:1].upper() + word[1:] if tag != "O" or i == 0 else word
        for i, (word, tag) in enumerate(zip(words, tags))
    ]


def renamed_copy(words: list[str], tags: list[str], maker: NameMaker, rng: random.Random):
    """The sentence with each PERSON replaced by a name drawn anew, cased like the sentence.

    News mentions the same few hundred people; swapping them for names from every tradition
    and country teaches the model the contexts names stand in rather than the names.
    """
    lowercase = not any(word[:1].isupper() for word in words)
    new_words, new_tags = [], []
    for word, tag in zip(words, tags):
        if tag == "I-PERSON":
            continue
        if tag != "B-PERSON":
            new_words.append(word)
            new_tags.append(tag)
            continue
        name = (maker.world() if rng.random() < 0.5 else maker.full()).split()
        name = [part.lower() for part in name] if lowercase else name
        new_words += name
        new_tags += ["B-PERSON"] + ["I-PERSON"] * (len(name) - 1)
    return new_words, new_tags


def english_negatives(n: int, rng: random.Random, common: set[str]) -> Iterator[list[str]]:
    """Everyday English words in random order, none of them a name, half of them lowercase.

    Renamed copies show the model names from every country, so that a foreign-looking word
    in an Indonesian sentence reads as a name; these keep English words (code-mixed chat,
    "got rejected at the hospital", "i ordered it within a week") from looking foreign to it.
    """
    names = {name.lower() for pool in faker_pools(set()).values()
             for name in pool.given + pool.family}
    words = [word for word in top_n_list("en", FREQUENT_WORDS)
             if word.isalpha() and word in common and word not in names]
    for _ in range(n):
        sentence = rng.choices(words, k=rng.randint(4, 16))
        if rng.random() < 0.5:
            sentence[0] = sentence[0].capitalize()
            sentence.append(".")
        yield sentence


def example_doc(nlp, example: Example) -> Doc | None:
    text, spans = example
    doc = nlp.make_doc(text)
    ents = [doc.char_span(s, e, label=label, alignment_mode="expand") for s, e, label in spans]
    if any(ent is None for ent in ents):
        return None
    try:
        doc.ents = ents
    except ValueError:  # overlapping after expansion
        return None
    return doc


def word_counts(data: Path) -> tuple[Counter, Counter]:
    """How often each lowercase word of the training files is (part of) a PERSON, and not."""
    other, person = Counter(), Counter()
    for name in TRAIN_FILES:
        for words, tags in read_conll(data / name):
            for word, tag in zip(words, tags):
                (person if tag.endswith("PERSON") else other)[word.lower()] += 1
    return other, person


def ordinary_words(other: Counter, person: Counter, languages: tuple[str, ...]) -> set[str]:
    """The most frequent words of ``languages`` (wordfreq) that the news never uses in a name,
    and words the news uses otherwise at least twice and at least as often as in names."""
    frequent = {word for language in languages for word in top_n_list(language, FREQUENT_WORDS)}
    return ({word for word in frequent if not person[word]}
            | {word for word, n in other.items() if n >= 2 and n >= person[word]})


def common_words(data: Path) -> set[str]:
    """Lowercase words that are ordinary words rather than names, in English and Indonesian,
    stop words included."""
    stop = spacy.blank("id").Defaults.stop_words | spacy.blank("en").Defaults.stop_words
    return stop | ordinary_words(*word_counts(data), ("en", "id"))


def international_names() -> set[str]:
    """Given names of many countries that are no frequent word of Indonesian or English."""
    return {name for name, locales in given_name_locales().items()
            if locales >= NAME_LOCALES and name.isalpha() and name not in WORDS_NOT_NAMES
            and max(word_frequency(name, "id"), word_frequency(name, "en")) <= FREQUENT_AS_WORD}


def known_words() -> set[str]:
    """English and Indonesian words at least ``KNOWN_WORD_ZIPF`` frequent, except the given
    names of many countries: whatever is not among them is as likely a name as a word."""
    words = set()
    for language in ("en", "id"):
        for word in iter_wordlist(language):
            if zipf_frequency(word, language) < KNOWN_WORD_ZIPF:
                break
            words.add(word)
    return {word for word in words if word.isalpha()} - international_names()


def write_known_words(out: Path) -> None:
    words = sorted(known_words())
    out.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")
    print(f"{out}: {len(words)} known words")


def write_ordinary_indonesian_words(data: Path, out: Path) -> None:
    names = international_names()
    words = sorted(w for w in ordinary_words(*word_counts(data), ("id",))
                   if w.isalpha() and w not in names)
    out.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")
    print(f"{out}: {len(words)} ordinary words")


def person_spans(data: Path) -> list[list[str]]:
    """The words of every PERSON in the training files."""
    spans = []
    for name in TRAIN_FILES:
        for words, tags in read_conll(data / name):
            for word, tag in zip(words, tags):
                if tag == "B-PERSON":
                    spans.append([word])
                elif tag == "I-PERSON":
                    spans[-1].append(word)
    return spans


def build(data: Path, seed: int) -> dict[str, list[Doc]]:
    rng = random.Random(seed)
    nlp = spacy.blank("id")
    common = common_words(data)
    pools = faker_pools(common) | {INDONESIAN: corpus_pool(person_spans(data), common)}
    maker = NameMaker(random.Random(seed + 2), pools)
    train: list[Doc] = []

    def add(words: list[str], tags: list[str]) -> None:
        train.append(news_doc(nlp.vocab, words, tags))
        if "B-PERSON" in tags:  # and a copy with other people's names
            train.append(news_doc(nlp.vocab, *renamed_copy(words, tags, maker, rng)))

    for words, tags in read_conll(data / "nerp_train.txt"):
        add(words, tags)
        if rng.random() < CASED_NERP_SHARE:
            add(cased_copy(words, tags), tags)
    for words, tags in read_conll(data / "nergrit_train.txt"):
        add(words, tags)
        add([w.lower() for w in words], tags)
    for words in english_negatives(ENGLISH_NEGATIVES, rng, common):
        train.append(news_doc(nlp.vocab, words, ["O"] * len(words)))
    train += [example_doc(nlp, ex) for ex in generate(AUGMENTED_TRAIN, seed, "train", pools)]
    dev_written = []
    for is_dev, example in written.read():
        if is_dev:
            dev_written.append(example_doc(nlp, example))
        else:
            train += [example_doc(nlp, example), example_doc(nlp, written.renamed(example, maker, rng))]
    train = [doc for doc in train if doc is not None]
    dev_written = [doc for doc in dev_written if doc is not None]
    rng.shuffle(train)
    dev_news = [news_doc(nlp.vocab, w, t) for w, t in read_conll(data / "nerp_valid.txt")]
    dev_chat = [example_doc(nlp, ex) for ex in generate(AUGMENTED_DEV, seed + 1, "dev")]
    dev_chat = [doc for doc in dev_chat if doc is not None]
    return {"train": train, "dev": dev_news + dev_chat + dev_written, "dev_news": dev_news,
            "dev_chat": dev_chat, "dev_written": dev_written}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/indonlu-ner"))
    parser.add_argument("--out", type=Path, default=Path("ner/corpus"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ordinary-words", type=Path, metavar="FILE")
    parser.add_argument("--known-words", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    if not (args.data / "nerp_train.txt").is_file():
        parser.error(f"no IndoNLU NER files in {args.data} (set NER_DATA=/path/to/indonlu-ner)")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, docs in build(args.data, args.seed).items():
        DocBin(docs=docs, store_user_data=False).to_disk(args.out / f"{name}.spacy")
        print(f"{name}: {len(docs)} docs, {sum(len(d) for d in docs)} tokens")
    if args.ordinary_words:
        write_ordinary_indonesian_words(args.data, args.ordinary_words)
    if args.known_words:
        write_known_words(args.known_words)


if __name__ == "__main__":
    main()
