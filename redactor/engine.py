"""The engine: analyze (written + spoken forms) and mask one message, failing closed."""
from __future__ import annotations

import logging
import os
import threading
import time
from bisect import bisect_left
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Literal

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from recognizers import ANALYZER_LANGUAGE, build_registry, english_only_entities
from recognizers.base import SPEAKER_LABEL, ContextPatternRecognizer
from recognizers.id_ner_model import shared_model
from recognizers.person_cue_recognizer import last_name_question
from recognizers.presidio_predefined import BareNumberCheck
from recognizers.split_number_recognizer import SplitNumberRecognizer

from .config import RedactorConfig
from .corrections import corrected_values
from .erasure import SubjectIndex
from .numbers import (
    GENERIC_NUMBER,
    MIN_CUED_DIGITS,
    CueFinder,
    allow_cued_phone,
    find_numbers,
    only_fillers,
    prefix_start,
    readable,
    with_homophones,
)
from .errors import DetectionError, InvalidInputError, RedactorError
from .language import Language, detect_language, has_english
from .name_echo import (
    ECHO_SCORE,
    cased_run_ons,
    corrected_names,
    echoes,
    joining_particles,
    name_run_ons,
    pieces_after_backchannels,
    unknown_word_pairs,
    without_hesitations,
    words_said_in_pieces,
)
from .nlp import OnDemandNerEngine, names_left_for_ner, worth_running_ner
from .operators import Operators, decrypt_text
from .spoken import NormalizedText, normalize_spoken, spoken_digits, with_lookalike_digits, without_quotes

logger = logging.getLogger("redactor")

LangOption = Literal["auto", "id", "en"]
LANG_OPTIONS: tuple[str, ...] = ("auto", "id", "en")
#: Entity type and text of a message masked whole because its analysis failed.
FAIL_CLOSED_ENTITY = "REDACTED"
FAIL_CLOSED_TEXT = "<REDACTED>"
#: How much of the conversation before a text is read with it: the agent's question and the
#: pieces of a number read out between backchannels (the fail-safe pass looks for a number's
#: cue at most 80 characters back, ``numbers.CUE_WINDOW``). What earlier turns told beyond
#: that is kept by the sessions instead of being read again: the names said (``NameMemory``)
#: and the number left open (``OpenNumber``). 160 characters cost 2.0x a message's own
#: analysis; 80, 1.6x.
MAX_CONTEXT_CHARS = 80
#: How many of a long question's identifier or secret cues beyond that end are carried.
CARRIED_CUES = 2
#: How many names found in a conversation's earlier turns are kept to be masked again.
REMEMBERED_NAMES = 8
#: Score of a number masked by the fail-safe pass (no recognizer vouched for it).
FAIL_SAFE_SCORE = 0.5


@dataclass(frozen=True)
class Entity:
    """One detection; ``start``/``end`` are offsets into the text given to the engine."""

    entity_type: str
    start: int
    end: int
    score: float
    # One piece of a number split over messages, turns or results: a policy that shows part
    # of a value (``mask``, keep last 4) shows none of a piece, so the pieces together never
    # show more than the whole number would.
    partial: bool = False


class NameMemory:
    """The names and numbers found in a conversation's earlier turns, kept in memory only
    (never stored), so they are masked where they come back after their turn left the
    context."""

    def __init__(self, size: int = REMEMBERED_NAMES) -> None:
        self._names: deque[str] = deque(maxlen=size)
        self._numbers: deque[str] = deque(maxlen=size)

    def remember(self, text: str, entities: Sequence[Entity]) -> None:
        self._names.extend(text[e.start : e.end] for e in entities if e.entity_type == "PERSON")
        # The digits of every number masked, written or spoken: the agent reads them back
        # ("so p a four eight two nine one seven three"), without the cue they came with.
        self._numbers.extend(digits for e in entities if e.entity_type != "PERSON"
                             and len(digits := spoken_digits(text[e.start:e.end])) >= MIN_CUED_DIGITS)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._names)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(self._numbers)


@dataclass(frozen=True)
class RedactionResult:
    text: str  # the masked text
    entities: tuple[Entity, ...]
    language: Language
    failed: bool = False  # analysis failed or timed out: ``text`` is the whole message masked
    error: str | None = None  # why, never containing the message itself


class Redactor:
    """Loads models once; ``redact`` and ``analyze`` are safe to call from many threads."""

    def __init__(
        self,
        config: RedactorConfig | str | Path | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        if config is None:
            config = RedactorConfig()
        elif not isinstance(config, RedactorConfig):
            config = RedactorConfig.from_file(config)
        self.config = config
        self._environ = os.environ if environ is None else environ
        self._operators = Operators(config, self._environ)  # missing keys fail here, not later
        # Keyed hashes of detected identifiers, stored for erasure requests (None: not kept).
        self.subject_index = SubjectIndex.from_config(config, self._environ)
        self._nlp = OnDemandNerEngine()
        self._id_model = shared_model()  # its spans decide whether English NER must run too
        self._nlp.load()
        registry = build_registry()
        for recognizer in deny_list_recognizers(config):
            registry.add_recognizer(recognizer)
        for recognizer in registry.recognizers:
            if isinstance(recognizer, ContextPatternRecognizer):
                recognizer.scan_without_cue_from(config.threshold(recognizer.supported_entities[0]))
        self._analyzer = GroupingAnalyzerEngine(
            registry=registry, nlp_engine=self._nlp, supported_languages=[ANALYZER_LANGUAGE],
            context_aware_enhancer=OnlyUnboostedEnhancer(),
        )
        self._bare_numbers = BareNumberCheck(registry.recognizers)
        disabled = {name for name, policy in config.entities.items() if not policy.enabled}
        supported = self._analyzer.get_supported_entities(ANALYZER_LANGUAGE)
        self._entities = sorted(set(supported) - disabled)
        self._entities_no_english = sorted(set(self._entities) - english_only_entities())
        # Types the fail-safe number pass may use: every type not disabled, and NUMBER itself.
        self._enabled = frozenset({*self._entities, GENERIC_NUMBER} - disabled)
        self._allow_list = frozenset(item.casefold().strip() for item in config.allow_list)
        self._cues = CueFinder(config.allow_cues)
        # Detection is GIL-bound Python: two threads analysing at once only contend for the GIL
        # (the server, 60 chat sessions: 12 ms of CPU per message on one thread, 23 ms on
        # four). One analysis at a time; Kaldi and I/O, which release the GIL, go on meanwhile.
        self._one_at_a_time = threading.Lock()

    def analyze(self, text: str, lang: LangOption = "auto", *, context: str = "",
                names: Sequence[str] = (), numbers: Sequence[str] = ()) -> list[Entity]:
        """Detect PII. Raises :class:`DetectionError` on failure or when over the time budget.

        ``context`` is the conversation just before ``text`` (earlier messages, the agent's
        question): it supplies cues and the first half of a split number, but only entities
        reaching into ``text`` are returned, with offsets into ``text``. ``names`` are the
        names found earlier in the conversation: where they come back in ``text``, they are
        masked too, without the turns that said them being read again; so are ``numbers``,
        the digits of the numbers masked earlier, read back.
        """
        _check_input(text, lang)
        _check_input(context, lang)
        context = self._focused(context, text)
        if not context:
            return self._analyze_within_budget(text, lang, names=names, numbers=numbers)
        offset = len(context) + 1
        entities = self._analyze_within_budget(f"{context}\n{text}", lang, ner_from=offset,
                                               names=names, numbers=numbers)
        return [
            Entity(e.entity_type, max(e.start - offset, 0), e.end - offset, e.score,
                   e.partial or e.start < offset)
            for e in entities
            if e.end > offset
        ]

    def _focused(self, context: str, text: str) -> str:
        """The end of ``context`` read with ``text``, at most ``MAX_CONTEXT_CHARS``. A long
        question can leave its cues further back ("kode OTP yang kami kirim lewat SMS tadi
        boleh dibacakan pelan-pelan ya bu, jangan ..." / "4417"): those cut off are repeated
        at the end, right before the answer, so it is read as what was asked for: the last
        identifier or secret cues not answered yet, when the end has no cue of its own or its
        cue was answered (an OTP asked for, then the phone number, then "oh wait it just came,
        5521"), and a name question cut off the last line (an earlier one was answered). Not between the
        pieces of a number: the end's digits and those ``text`` opens with."""
        tail = _tail(context, MAX_CONTEXT_CHARS)
        if len(tail) == len(context):
            return tail
        last_line = normalize_spoken(tail[tail.rfind("\n") + 1:]).text
        if any(c.isdigit() for c in last_line) and _opens_with_number(text):
            return tail
        cut = context[: len(context) - len(tail)]
        asked = []
        if "\n" not in tail and not last_name_question(tail):
            asked += filter(None, [last_name_question(cut, cut.rfind("\n") + 1)])
        own = self._cues.nearest(tail, 0, len(tail))  # "... boleh nomor resinya?"
        if own is None or _has_digits(tail[own[1]:]):
            asked += self._unanswered_cues(context, len(cut))
        cues = " ".join(" ".join(match.group().split()) for match in asked)
        return f"{tail} … {cues}" if cues else tail

    def awaited(self, context: str, within: int) -> str:
        """The identifier or secret cues in ``context[:within]`` that nothing after them in
        ``context`` answered yet, as words: what a session keeps of the turns it lets go of
        ("... kami kirimkan 4 digit kode verifikasi ke email kakak", then four turns about
        the spam folder, then "8 3 1 7"). Cue words only, never a value."""
        return " ".join(" ".join(cue.group().split()) for cue in self._unanswered_cues(context, within))

    def _unanswered_cues(self, context: str, within: int) -> list:
        """The last identifier or secret cues in ``context[:within]`` with no digits (written or
        spoken) after them in ``context`` before a cue of another type."""
        return [cue for cue in self._cues.last_specific(context[:within], CARRIED_CUES)
                if not _has_digits(context[cue.end():self._cues.answer_end(context, cue)])]

    def _analyze_within_budget(self, text: str, lang: LangOption, ner_from: int = 0,
                               names: Sequence[str] = (), numbers: Sequence[str] = ()) -> list[Entity]:
        # Analysis runs on the caller's thread: handing every message to a pool thread to be
        # able to stop waiting for it cost 60% more CPU per message on a 2-core VM. Python
        # code cannot be stopped midway anyway, so the budget is checked when it returns.
        with self._one_at_a_time:
            started = time.monotonic()
            try:
                entities = self._analyze_now(text, lang, ner_from, names, numbers)
            except RedactorError:
                raise
            except Exception as exc:  # any recognizer bug: report the kind, never the text
                raise DetectionError(f"analysis failed with {type(exc).__name__}") from None
            elapsed = time.monotonic() - started
        if elapsed > self.config.time_budget_ms / 1000:
            raise DetectionError(
                f"analysis exceeded its time budget of {self.config.time_budget_ms} ms"
            )
        return entities

    def redact(self, text: str, lang: LangOption = "auto", *, context: str = "") -> RedactionResult:
        """Mask every detected entity per policy; on any detection failure mask it all.
        ``context``: as for :meth:`analyze`; it is never part of the result."""
        _check_input(text, lang)
        language = detect_language(text) if lang == "auto" else lang
        try:
            entities = self.analyze(text, lang, context=context)
            masked = self.mask(text, entities)
        except Exception as exc:
            error = str(exc) if isinstance(exc, RedactorError) else type(exc).__name__
            logger.warning("message of %d chars masked whole (fail closed): %s", len(text), error)
            return fail_closed(text, language, error)
        return RedactionResult(masked, tuple(entities), language)

    def decrypt(self, text: str) -> str:
        """Restore ``encrypt``-policy tokens in masked text (needs the encryption key)."""
        return decrypt_text(text, self._environ, self.config.encryption_key_env)

    def _analyze_now(self, text: str, lang: LangOption, ner_from: int = 0,
                     names: Sequence[str] = (), numbers: Sequence[str] = ()) -> list[Entity]:
        text = without_quotes(with_lookalike_digits(text))
        normalized = normalize_spoken(text)
        # Whether NER pays is decided by the text itself, not by its context (whose names
        # are not reported anyway).
        own_text = normalize_spoken(text[ner_from:]).text if ner_from else normalized.text
        with_ner = self._english_ner_pays(own_text, lang)
        english = lang == "en" or (lang == "auto" and has_english(own_text))
        results = self._analyzer.analyze(
            normalized.text,
            language=ANALYZER_LANGUAGE,
            entities=self._entities if english else self._entities_no_english,
            nlp_artifacts=self._nlp.artifacts(normalized.text, with_ner,
                                              _normalized_offset(normalized, ner_from)),
        )
        results = [r for r in results if r.score >= self.config.threshold(r.entity_type)
                   and self._bare_numbers.keep(r, normalized.text)
                   and not (r.entity_type == "PHONE_NUMBER"
                            and allow_cued_phone(normalized.text, r.start, r.end, self._cues))]
        results += corrected_values(normalized.text, results)
        entities = [
            Entity(result.entity_type, *normalized.to_source(result.start, result.end), result.score,
                   _is_piece(result))
            for result in results
        ]
        entities += self._fail_safe_numbers(normalized, results, numbers)
        entities = [_with_prefix(text, e) for e in entities]
        entities += self._name_echoes(text, entities, self._model_places(normalized, ner_from), names)
        entities = [e for e in map(partial(_without_hesitations, text), entities)
                    if e is not None and not self._allowed(text, e)]
        return merge_overlaps(entities, text)

    def _name_echoes(self, text: str, entities: list[Entity], places: list[tuple[int, int]],
                     names: Sequence[str]) -> list[Entity]:
        """Names said again: corrected right after they were said, or anywhere else in the
        conversation (``names``: those of turns no longer in ``text``); the particle joining
        two names of one person, the unknown words a name runs on into (and any it runs on into
        in the writer's capitals), a word said in pieces beside itself whole, and two words in
        a row that no word list knows (``name_echo``).
        """
        people = [(e.start, e.end) for e in entities if e.entity_type == "PERSON"]
        corrected = corrected_names(text, people)
        said_again = (corrected + echoes(text, people + corrected, remembered=names)
                      + words_said_in_pieces(text))
        said = people + said_again
        taken = [(e.start, e.end) for e in entities if e.entity_type != "PERSON"] + places
        found = (said_again + joining_particles(text, people) + name_run_ons(text, said)
                 + cased_run_ons(text, said, taken)
                 + pieces_after_backchannels(text, said)
                 + unknown_word_pairs(text, taken))
        return [Entity("PERSON", start, end, ECHO_SCORE) for start, end in found]

    def _model_places(self, normalized: NormalizedText, ner_from: int) -> list[tuple[int, int]]:
        """Where our model read a place or an organisation in the text's own part (already
        read for IdNerRecognizer: the same lines, from the model's cache)."""
        if not self._id_model:
            return []
        own_from = _normalized_offset(normalized, ner_from)
        return [normalized.to_source(start, end) for start, end, label
                in self._id_model.entities(normalized.text, own_from, people_only=True)
                if label != "PERSON"]

    def _english_ner_pays(self, text: str, lang: LangOption) -> bool:
        """English spaCy NER runs where it may find a name our Indonesian model did not."""
        if not (lang == "en" or (lang == "auto" and worth_running_ner(text))):
            return False
        return not self._id_model or names_left_for_ner(text, self._id_model.entities(text, people_only=True))

    def _fail_safe_numbers(self, normalized: NormalizedText, results: list,
                           said_before: Sequence[str] = ()) -> list[Entity]:
        """Digit runs no recognizer covered, masked anyway (see :mod:`redactor.numbers`);
        a type the policy disables is masked under the generic label."""
        if GENERIC_NUMBER not in self._enabled:
            return []
        covered = [(r.start, r.end, r.entity_type) for r in results]

        def spoken(start: int, end: int) -> bool:
            source_start, source_end = normalized.to_source(start, end)
            return not any(c.isdigit() for c in normalized.source[source_start:source_end])

        return [
            Entity(number.entity_type if number.entity_type in self._enabled else GENERIC_NUMBER,
                   *with_homophones(normalized.source, *normalized.to_source(p.start, p.end)),
                   FAIL_SAFE_SCORE, number.across_lines)
            for number in find_numbers(normalized.text, covered, self._cues, said_before, spoken)
            for p in number.pieces
        ]

    def readable_number(self, text: str, start: int, end: int) -> bool:
        """Is the digit run ``text[start:end]`` one the policy leaves readable (an amount, a
        date, a number after an allow-cue)? Open pieces of numbers are masked unless it is."""
        return readable(text, start, end, self._cues)

    def mask_value(self, entity_type: str, value: str, partial: bool = False) -> str:
        """What the policy puts in place of one detected ``value`` (``partial``: one piece of
        a split number, of which a ``mask`` policy shows no digit)."""
        return self._operators.apply(entity_type, value, partial)

    def _allowed(self, text: str, entity: Entity) -> bool:
        return text[entity.start : entity.end].casefold().strip() in self._allow_list

    def mask(self, text: str, entities: Sequence[Entity]) -> str:
        """``text`` with each of ``entities`` (sorted, not overlapping) replaced per policy."""
        pieces, cursor = [], 0
        for entity in entities:
            pieces.append(text[cursor : entity.start])
            pieces.append(self.mask_value(entity.entity_type, text[entity.start : entity.end],
                                          entity.partial))
            cursor = entity.end
        pieces.append(text[cursor:])
        return "".join(pieces)


class GroupingAnalyzerEngine(AnalyzerEngine):
    """Presidio's analyzer, sorting the results by recognizer once. Presidio filters every
    result against every recognizer to hand each its own and the others' (0.1 ms a message),
    although only a recognizer that overrides ``enhance_using_context`` looks at them."""

    def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        by_recognizer: dict[str, list[RecognizerResult]] = {}
        for result in raw_results:
            by_recognizer.setdefault(_recognizer_id(result), []).append(result)
        results = []
        for recognizer in recognizers:
            own = by_recognizer.get(recognizer.id, [])
            if type(recognizer).enhance_using_context is not EntityRecognizer.enhance_using_context:
                own = recognizer.enhance_using_context(
                    text=text, raw_recognizer_results=own,
                    other_raw_recognizer_results=[
                        r for r in raw_results if _recognizer_id(r) != recognizer.id],
                    nlp_artifacts=nlp_artifacts, context=context)
            results.extend(own)
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=results, nlp_artifacts=nlp_artifacts,
            recognizers=recognizers, context=context)


def _recognizer_id(result: RecognizerResult) -> str:
    return result.recognition_metadata[RecognizerResult.RECOGNIZER_IDENTIFIER_KEY]


class OnlyUnboostedEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma enhancer, given only the results it may boost: those of recognizers
    with context words that did not weigh their context themselves. It deep-copies what it is
    given, and copying every result of a text read with its conversation was a tenth of a
    chat message's CPU."""

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        with_context = {recognizer.id for recognizer in recognizers if recognizer.context}
        boostable = [r for r in raw_results if _may_boost(r, with_context)]
        if not boostable:
            return raw_results
        enhanced = iter(super().enhance_using_context(text, boostable, nlp_artifacts,
                                                      recognizers, context))
        return [next(enhanced) if _may_boost(r, with_context) else r for r in raw_results]


def _may_boost(result: RecognizerResult, with_context: set[str]) -> bool:
    metadata = result.recognition_metadata or {}
    return (metadata.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY) in with_context
            and not metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY))


def _normalized_offset(normalized: NormalizedText, source_offset: int) -> int:
    """The first position of the normalised text that comes from ``source_offset`` or later."""
    if not source_offset:
        return 0
    return bisect_left(range(len(normalized.text)), source_offset,
                       key=lambda i: normalized.to_source(i, i + 1)[0])


def _is_piece(result: RecognizerResult) -> bool:
    """A result that is one piece of a number found in pieces (see SplitNumberRecognizer)."""
    metadata = result.recognition_metadata or {}
    return metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY) == SplitNumberRecognizer.__name__


def _with_prefix(text: str, entity: Entity) -> Entity:
    """``entity`` widened over what belongs before its digits ("C 4829137", "plus six two")."""
    start = prefix_start(text, entity.entity_type, entity.start)
    return entity if start == entity.start else replace(entity, start=start)


def _has_digits(text: str) -> bool:
    """Written or spoken: an answer to the cue before ``text``."""
    return any(c.isdigit() for c in normalize_spoken(text).text)


def _opens_with_number(text: str) -> bool:
    """Does ``text`` begin with a number, written or spoken, after its speaker label and any
    fillers ("customer: eh 1283 0366")?"""
    label = SPEAKER_LABEL.match(text)
    head = normalize_spoken(text[label.end() if label else 0:][:80]).text
    digit = next((i for i, c in enumerate(head) if c.isdigit()), None)
    return digit is not None and only_fillers(head[:digit])


def _tail(context: str, limit: int) -> str:
    """The end of ``context``, at most ``limit`` characters, starting at a word."""
    if len(context) <= limit:
        return context
    cut = context[-limit:]
    return cut[cut.find(" ") + 1 :] if " " in cut else cut


def deny_list_recognizers(config: RedactorConfig) -> list[PatternRecognizer]:
    """One recognizer per entity type whose policy lists terms to mask always."""
    return [
        PatternRecognizer(
            supported_entity=entity_type,
            deny_list=list(policy.deny_list),
            supported_language=ANALYZER_LANGUAGE,
            name=f"DenyList{entity_type}",
        )
        for entity_type, policy in config.entities.items()
        if policy.deny_list
    ]


def _without_hesitations(text: str, entity: Entity) -> Entity | None:
    if entity.entity_type != "PERSON":
        return entity
    span = without_hesitations(text, entity.start, entity.end)
    return span and Entity(entity.entity_type, *span, entity.score, entity.partial)


def merge_overlaps(entities: list[Entity], text: str) -> list[Entity]:
    """Overlapping detections become one span (their union: nothing leaks between them),
    typed by the most confident, then the longest, of them. Detections of one type with only
    white space between them become one span too ("<CREDIT_CARD>", not four of them)."""
    merged: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if merged and (entity.start < merged[-1].end or _adjacent(merged[-1], entity, text)):
            last = merged[-1]
            best = max(last, entity, key=lambda e: (e.score, e.end - e.start))
            merged[-1] = Entity(best.entity_type, last.start, max(last.end, entity.end), best.score,
                                last.partial or entity.partial)
        else:
            merged.append(entity)
    return merged


def _adjacent(left: Entity, right: Entity, text: str) -> bool:
    return left.entity_type == right.entity_type and not text[left.end : right.start].strip()


def fail_closed(text: str, language: Language, error: str) -> RedactionResult:
    entity = Entity(FAIL_CLOSED_ENTITY, 0, len(text), 1.0)
    return RedactionResult(FAIL_CLOSED_TEXT, (entity,), language, failed=True, error=error)


def _check_input(text: object, lang: object) -> None:
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be str, not {type(text).__name__}")
    if lang not in LANG_OPTIONS:
        raise InvalidInputError(f"lang must be one of {LANG_OPTIONS}, not {lang!r}")
