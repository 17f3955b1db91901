"""Our Indonesian/English NER model (``ner/``; shipped in ``recognizers/models/id_ner``).

A small spaCy pipeline (hash embeddings + CNN, no vectors) trained on IndoNLU news (cased and
lowercase) and contact-centre chat and call text. It tags PERSON, LOCATION and ORGANIZATION
in Indonesian, English and code-mixed text, cased or lowercase. It is loaded from a path,
never downloaded, once per process, and remembers its answers for the last few texts, so the
recognizers that consult it share one run per message.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import regex as re
import spacy

from recognizers.id_tokenizer import NAME as INDONESIAN_TOKENIZER
from recognizers.vocabulary import HESITATIONS, HONORIFICS_EN, HONORIFICS_ID, STOP_WORDS

#: Where the shipped model lives; ``REDACTOR_ID_NER_MODEL`` points at another one (a model
#: retrained on a contact centre's own data) or, set to ``off``, disables it.
DEFAULT_MODEL_PATH = Path(__file__).with_name("models") / "id_ner"
#: Indonesian words that are ordinary words, not names: the 20,000 most frequent (wordfreq)
#: that the training news never uses in a name, and the news's own ordinary words. ``make
#: model`` writes the list (``ner/prepare.py --ordinary-words``).
ORDINARY_ID_WORDS = frozenset(
    (Path(__file__).with_name("models") / "id_ordinary_words.txt").read_text("utf-8").split())
#: English and Indonesian words frequent enough to be words first, given names of many
#: countries aside (``ner/prepare.py --known-words``): a word outside it is as likely a name.
KNOWN_WORDS = frozenset(
    (Path(__file__).with_name("models") / "known_words.txt").read_text("utf-8").split())
MODEL_ENV = "REDACTOR_ID_NER_MODEL"
#: Added to the model's scores for starting a PERSON span (``REDACTOR_ID_NER_PERSON_BIAS``
#: overrides it). The model was trained to be right as often as it can, but here a missed
#: name leaks while a masked word only hides a word: a positive bias trades the second for
#: the first (benchmarks/results.md measures both). 2.0 since the model learnt from
#: hand-written contact-centre text (``ner/written/``): it leaks about as few names as the last
#: model at 1.0 in the looked-at names sets (42 and 40 of 4,450 tokens) and takes fewer other
#: words for names (2.0% against 2.6%).
DEFAULT_PERSON_BIAS = 2.0
PERSON_BIAS_ENV = "REDACTOR_ID_NER_PERSON_BIAS"
# Lines: a server interleaves hundreds of chats, each re-reading its last lines as context
# with every message. 256 held 50 sessions' lines but not 500's (8.5 -> 7.2 ms of CPU per
# message at 500 sessions on one worker); 4,096 lines of chat are a few MB.
CACHE_SIZE = 4096
#: Longer places and organisations are the model confused (see ``IdNerModel.labels``).
MAX_PLACE_OR_ORG_WORDS = 6

_HAS_WORD = re.compile(r"\p{L}{2}")
# Words that may be (part of) a name: two letters or more ("b:" labels a speaker, "k a d e k"
# spells; the spelled-word recognizer reads those).
_WORD = re.compile(r"\p{L}[\p{L}\p{M}'’.\-]*\p{L}")
_LOWER = re.compile(r"\p{Ll}")
_NAME_TOKEN = re.compile(r"[\p{L}\p{M}'’.\-]+")
#: A Capitalised word, then a lowercase word of four letters or more ("Bank of America" has
#: only a particle between its names).
_RAN_ON = re.compile(r"\p{Lu}\p{Ll}*[ \t]+\p{Ll}{4}")
_POSSESSIVES = frozenset({"my", "our", "your", "his", "her", "their"})

Span = tuple[int, int, str]  # start, end, label


class IdNerModel:
    """The spaCy pipeline and a small cache of its answers, by text (thread-safe)."""

    def __init__(self, path: str | Path, chat_words: frozenset[str] = frozenset(),
                 person_bias: float = DEFAULT_PERSON_BIAS) -> None:
        # Only the tokenizer, tok2vec and ner are in the pipeline; nothing else to disable.
        self.path = Path(path)
        # A line of only these words and numbers ("b: no order nya berapa kak?") names
        # nobody: finding people, it is not worth a run of the model.
        self.chat_words = chat_words
        # The saved tokenizer is the language's default one (ner/config.cfg never changes it),
        # which spaCy builds in seconds: the same tokenizer is built in milliseconds
        # (id_tokenizer), and the saved copy is not read again.
        self.nlp = spacy.load(self.path, exclude=["tokenizer"],
                              config={"nlp": {"tokenizer": {"@tokenizers": INDONESIAN_TOKENIZER}}})
        _bias_person_starts(self.nlp.get_pipe("ner"), person_bias)
        self._cache: OrderedDict[str, tuple[Span, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def entities(self, text: str, start: int = 0, end: int | None = None, *,
                 people_only: bool = False) -> tuple[Span, ...]:
        """The model's spans in the lines of ``text`` that overlap ``text[start:end]``, read
        line by line: a conversation's lines ("agent: ...", "customer: ...") are its
        sentences, and each is read once however many later messages carry it as context.
        ``people_only``: skip the lines that can name nobody (chat words and numbers)."""
        end = len(text) if end is None else end
        spans: list[Span] = []
        offset = 0
        for line in text.split("\n"):
            if offset <= end and start <= offset + len(line) and not (
                    people_only and self._names_nobody(line)):
                spans += [(s + offset, e + offset, label) for s, e, label in self._line(line)]
            offset += len(line) + 1
        return tuple(spans)

    def _names_nobody(self, line: str) -> bool:
        return all(is_chat_word(word.group(), self.chat_words) for word in _WORD.finditer(line))

    def _line(self, line: str) -> tuple[Span, ...]:
        with self._lock:
            if line in self._cache:
                self._cache.move_to_end(line)
                return self._cache[line]
        spans = self._predict(line)
        with self._lock:
            self._cache[line] = spans
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return spans

    def _predict(self, text: str) -> tuple[Span, ...]:
        if not _HAS_WORD.search(text):
            return ()
        # ALL CAPS data lines ("IFA WULANDARI, PASSPORT ...") carry no case signal: read them
        # as the lowercase text the model also knows. Offsets stay valid when lengths agree.
        lowered = text.lower()
        if not _LOWER.search(text) and len(lowered) == len(text):
            text = lowered
        spans = tuple(_trimmed(ent) for ent in self.nlp(text).ents)
        # A line with hesitations or restarts is read a second time without them, and the
        # spans of both readings count: read alone, the second lost names the first had found
        # ("saya teh asep asep sunandar"); together they only found more.
        fluent = FluentReading(text)
        if not fluent.changed or not _HAS_WORD.search(fluent.text):
            return spans
        fluent_spans = (span for ent in self.nlp(fluent.text).ents
                        for span in fluent.spans(_trimmed(ent)))
        return spans + tuple(span for span in fluent_spans if span not in spans)

    def labels(self, text: str, start: int, end: int) -> set[str]:
        """The labels of the model's spans overlapping ``text[start:end]``, except places and
        organisations where the model is confused, which must not veto a name: those that run
        on from a Capitalised word into a lowercase one ("Endah Pangestu said" read as an
        organisation), those longer than any ("customer: my colleague ahmed al mansoori
        will call you back tomorrow", all of it read as one), and those that swallowed a
        lowercase possessive ("my husband jean pierre dupont")."""
        return {label for s, e, label in self.entities(text, start, end)
                if s < end and start < e and not (label != "PERSON" and self._confused(text, s, e))}

    @staticmethod
    def _confused(text: str, start: int, end: int) -> bool:
        words = text[start:end].split()
        return (bool(_RAN_ON.search(text, start, end)) or len(words) > MAX_PLACE_OR_ORG_WORDS
                or words[0] in _POSSESSIVES)

    def is_place_or_org(self, text: str, start: int, end: int) -> bool:
        """The model reads ``text[start:end]`` as (part of) a place or an organisation, not
        as a person."""
        labels = self.labels(text, start, end)
        return bool(labels) and "PERSON" not in labels


# A word said again at once, and up to three words said again together ("putra putra pratama",
# "bu made eh bu made sri artini"): the speaker restarting, which the model never saw in news.
_MAX_REPEATED_WORDS = 3
_SPOKEN_WORD = re.compile(r"\S+")


class FluentReading:
    """A line as the model reads it best: without hesitations ("eh", "anu") and with a word
    or a few words said twice in a row said once. ``spans`` maps the model's spans back to the
    line: cut where a hesitation was left out, and with the copies each word stood for
    ("putra putra pratama": both "putra")."""

    def __init__(self, line: str) -> None:
        self._line = line
        said = list(_SPOKEN_WORD.finditer(line))
        words = [w for w in said if w.group().lower() not in HESITATIONS]
        self._hesitations = [w.span() for w in said if w.group().lower() in HESITATIONS]
        self._copies: dict[int, list[tuple[int, int]]] = {}  # kept word -> its dropped copies
        self._kept: list[tuple[int, re.Match]] = []
        i = 0
        while i < len(words):
            n = _repeated(words, i)
            for k in range(n):
                self._copies.setdefault(i + n + k, []).extend(
                    [words[i + k].span(), *self._copies.pop(i + k, [])])
            if not n:
                self._kept.append((i, words[i]))
            i += n or 1
        self.changed = len(self._kept) < len(said)
        self.text = " ".join(word.group() for _, word in self._kept)
        self._origin: list[int] = []  # character of ``text`` -> character of the line
        for _, word in self._kept:
            self._origin += [*range(word.start(), word.end()), word.end()]

    def spans(self, span: Span) -> list[Span]:
        start, end, label = span
        pieces = [(self._origin[start], self._origin[end - 1] + 1)]
        for hesitation in self._hesitations:
            pieces = [piece for s, e in pieces for piece in self._cut(s, e, *hesitation)]
        offset = 0
        for index, word in self._kept:
            if offset < end and start < offset + len(word.group()):
                pieces += [copy for copy in self._copies.get(index, ()) if not _within(copy, pieces)]
            offset += len(word.group()) + 1
        return [(s, e, label) for s, e in pieces]

    def _cut(self, start: int, end: int, cut_start: int, cut_end: int) -> list[tuple[int, int]]:
        """``start, end`` without ``cut_start, cut_end`` and the spaces around it."""
        if cut_end <= start or end <= cut_start:
            return [(start, end)]
        before = len(self._line[start:cut_start].rstrip())
        after = len(self._line[cut_end:end]) - len(self._line[cut_end:end].lstrip())
        return [(s, e) for s, e in ((start, start + before), (cut_end + after, end)) if s < e]


def _within(span: tuple[int, int], pieces: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in pieces)


def _repeated(words: list[re.Match], i: int) -> int:
    """How many words from ``words[i]`` on are said again right after them (0: none)."""
    for n in range(_MAX_REPEATED_WORDS, 0, -1):
        said = [w.group().lower() for w in words[i:i + 2 * n]]
        if len(said) == 2 * n and said[:n] == said[n:]:
            return n
    return 0


def _bias_person_starts(ner, bias: float) -> None:
    """Add ``bias`` to the output scores of the actions that open a PERSON span (B- and
    U-PERSON) in the NER's last layer: the greedy decoder then opens more of them."""
    if not bias:
        return
    upper = ner.model.get_ref("upper")
    scores = upper.get_param("b").copy()
    for action in range(ner.moves.n_moves):
        if ner.moves.get_class_name(action) in ("B-PERSON", "U-PERSON"):
            scores[action] += bias
    upper.set_param("b", scores)


def _trimmed(ent) -> Span:
    """A PERSON that starts with a name ends before its first token that is no part of one:
    the model sometimes runs on into what follows ("Arya <itsarya@gmail.com>"), which its
    own recognizer labels better. Spans with no name first are kept whole: masked anyway."""
    end = ent.start
    while ent.label_ == "PERSON" and end < ent.end and _NAME_TOKEN.fullmatch(ent.doc[end].text):
        end += 1
    if end in (ent.start, ent.end):
        return ent.start_char, ent.end_char, ent.label_
    return ent.start_char, ent.doc[end - 1].idx + len(ent.doc[end - 1]), ent.label_


def is_chat_word(word: str, chat_words: frozenset[str]) -> bool:
    """``word`` is one of ``chat_words``, or one of them with the suffix -nya ("pinnya",
    "otpnya", "rekeningnya"; a stem of three letters or more: "Anya", "Sonya" are names)."""
    lower = word.lower().rstrip(".")
    if lower in chat_words:
        return True
    stem = lower.removesuffix("nya").rstrip("-")
    return len(stem) >= 3 and stem != lower and stem in chat_words


def shared_model(environ: Mapping[str, str] = os.environ) -> IdNerModel | None:
    """The process-wide model (loaded once), or None when disabled with ``off``."""
    setting = environ.get(MODEL_ENV, "").strip()
    if setting.lower() == "off":
        return None
    return _load(str(Path(setting) if setting else DEFAULT_MODEL_PATH), _person_bias(environ))


def _person_bias(environ: Mapping[str, str]) -> float:
    setting = environ.get(PERSON_BIAS_ENV, "").strip()
    try:
        return float(setting) if setting else DEFAULT_PERSON_BIAS
    except ValueError:
        raise ValueError(f"{PERSON_BIAS_ENV} must be a number such as 1.0, not {setting!r}") from None


@cache
def _load(path: str, person_bias: float) -> IdNerModel:
    chat_words = STOP_WORDS | frozenset(HONORIFICS_ID) | frozenset(HONORIFICS_EN)
    return IdNerModel(path, chat_words, person_bias)
