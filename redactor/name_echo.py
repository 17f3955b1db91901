"""A name found once in a conversation is masked wherever it comes back, and so is the name
that corrects it.

Calls confirm names by repeating them ("nama saya Bunga Lestari" - "bunga ya bu"), spell them
("be u de i budi") and agents echo them ("baik pak hartanto"). The repetition has no cue of its
own, and a bare given name in "bunga ya bu" looks like an ordinary word; but once the
conversation has shown it to be a name, every other occurrence of it is the same person.
Callers also correct themselves ("bambang eh bambang sugiharto", "dodi eh bukan dody"): what
follows the correction is the name, said again. And a particle between two names is part of
the one name ("Syarifah Aminah binti Alwi"), and so is a word next to a name that is no known
word at all ("bertha natalia ruruk kariman" when the model stopped at "natalia"): a name
read on too far hides a typo, one cut short leaks a surname.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

import regex as re

from recognizers.id_ner_model import KNOWN_WORDS, ORDINARY_ID_WORDS, is_chat_word
from recognizers.spelled_recognizer import SPELLING_CUES, spelled_word
from recognizers.vocabulary import (
    HESITATIONS,
    HONORIFICS_EN,
    HONORIFICS_ID,
    PARTICLES,
    PLACES_AND_ORGS,
    SPACY_STOP_WORDS,
    STOP_WORDS,
)
from redactor.numbers import only_fillers

Span = tuple[int, int]
#: Echoes are as sure as the weakest cue.
ECHO_SCORE = 0.6
#: Words no echo masks: function words and forms of address ("pak budi" echoes "budi" alone).
#: Ordinary words are echoed once they were part of a name: "Bunga Lestari", then "bunga ya".
NOT_NAMES = SPACY_STOP_WORDS | frozenset(HONORIFICS_ID) | frozenset(HONORIFICS_EN)
#: Function, chat and domain words and forms of address: a name runs on over them only where
#: its writer capitalised them too, on the way to another name word ("Istri Mas Laksmi").
NOT_RUN_ON = NOT_NAMES | STOP_WORDS

#: Shorter words are initials or particles ("i", "ni", "al").
MIN_NAME_LENGTH = 3
#: Names this long are also found misspelt by one letter ("Sumiyati" / "Sumiati").
MIN_TYPO_NAME_LENGTH = 6
#: Names this long are also found with two neighbouring letters swapped ("Jhoni" / "Johni").
MIN_SWAP_NAME_LENGTH = 5
#: Names this long are also found split in pieces by ASR ("wulan dari", "nur hi dayah").
MIN_SPLIT_NAME_LENGTH = 6
_WORD_PATTERN = r"\p{L}[\p{L}\p{M}'’\-]*"
_WORD = re.compile(_WORD_PATTERN)
_SPELLING_TOKEN = re.compile(r"[^\s,.\-]+")
#: Right after a name: "eh", "eh bukan", "maksud saya", "sorry", "i mean" ...
_CORRECTION = re.compile(
    r"[ \t,./\n]*(?:(?:eh+m*|em+|maaf|sorry|sori|salah|bukan|maksud(?:nya|[ \t]+saya)?|i[ \t]+mean)"
    r"[ \t,./\n]+){1,3}",
    re.IGNORECASE,
)
#: ... then the name again, up to four words, ending at a chat or function word ("pake", "ya").
MAX_CORRECTED_WORDS = 4
_GAP = re.compile(r"[ \t]+")
#: A name runs on into at most this many unknown words on each side.
MAX_RUN_ON_WORDS = 2
#: A name's next piece comes after at most this many turns of backchannels, in a turn of at
#: most this many words.
MAX_BACKCHANNEL_TURNS = 3
MAX_PIECE_WORDS = 3
#: A word said in up to this many pieces, beside the same word said whole ("an di andi"),
MAX_SPOKEN_PIECES = 8
#: and at least this long.
MIN_PIECES_WORD_LENGTH = 4
#: The end of a turn: a line break (or " / ", as transcripts are often pasted), then the next
#: turn's words after its speaker label, if any.
_TURN_BREAK = r"(?:\n|[ \t]/[ \t]|$)"
_TURN_END = re.compile(rf"[ \t,.]*{_TURN_BREAK}[ \t]*")
_NOT_IN_NAMES = re.compile(r"[^\p{L}\p{M}'’\- \t]")
_TURN = re.compile(rf"(?:\p{{L}}+[ \t]*:[ \t]*)?(?P<words>.*?)[ \t,.]*(?={_TURN_BREAK})")
_NEXT_WORD = re.compile(rf"[ \t]+({_WORD_PATTERN})(?![\p{{L}}\p{{N}}_])")
#: Indonesian word-building that names do not show: ber-/me-/di-...-kan, -nya, ngajuin, and
#: reduplication ("lagu-lagu", "turun-temurun").
_INFLECTED = re.compile(
    r"(?:ber|ter|mem|men|meng|meny|memper|diper|per)\p{L}{4,}|\p{L}{3,}(?:nya|kan)"
    r"|(?:di|ng|nge)\p{L}{3,}(?:in|kan|i)|(\p{L}+)-\1|(\p{L}{2})\p{L}*-\2\p{L}*")
_LATIN_WORD = re.compile(r"[\p{Latin}\p{M}'’\-]+")
_LAST_WORD = re.compile(rf"(?<![\p{{L}}\p{{N}}_]){_WORD_PATTERN}$")
_PREV_WORD = re.compile(rf"(?<![\p{{L}}\p{{N}}_])({_WORD_PATTERN})[ \t]+$")
_PARTICLE_GAP = re.compile(rf"[ \t]+({'|'.join(sorted(PARTICLES))})[ \t]+", re.IGNORECASE)


def name_words(text: str, people: Sequence[Span]) -> set[str]:
    """The lowercase words of the ``people`` spans of ``text``; for spelled names, the words
    they spell and the letters themselves, as said ("be u de i")."""
    words, spellings = set(), set()
    for start, end in people:
        span = text[start:end].lower()
        spelled = spelled_word(span)
        if len(spelled.replace(" ", "")) >= MIN_NAME_LENGTH:  # not a name such as "El"
            words |= set(spelled.split())
            spellings.add(" ".join(_SPELLING_TOKEN.findall(span)))
        else:
            parts = _WORD.findall(span)
            words |= set(parts) | _glued([part for part in parts if part not in NOT_NAMES])
    return spellings | {word for word in words
                        if len(word) >= MIN_NAME_LENGTH and word.isalpha() and word not in NOT_NAMES}


def _glued(parts: Sequence[str]) -> set[str]:
    """Neighbouring words of a name written as one ("kusuma wardhani" -> "kusumawardhani"):
    callers are asked whether the name is one word or two, and answer both ways."""
    joined = ("".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1))
    return {word for word in joined if len(word) >= MIN_SPLIT_NAME_LENGTH}


def corrected_names(text: str, people: Sequence[Span]) -> list[Span]:
    """The names that follow a correction right after a name: "lukas eh lukas tanoto"."""
    found = []
    for _, end in people:
        correction = _CORRECTION.match(text, end)
        if correction is None:
            continue
        name_end, pos = None, correction.end()
        for _ in range(MAX_CORRECTED_WORDS):
            word = _WORD.match(text, pos)
            if word is None or re.sub("['’]", "", word.group().lower()) in STOP_WORDS:
                break  # "i'm" too
            name_end = word.end()
            gap = _GAP.match(text, name_end)
            if gap is None:
                break
            pos = gap.end()
        if name_end is not None:
            found.append((correction.end(), name_end))
    return found


def joining_particles(text: str, people: Sequence[Span]) -> list[Span]:
    """The particle between two names of one person: "Aminah binti Alwi", "Anna van Dijk"."""
    ordered = sorted(people)
    return [(gap.start(1), gap.end(1)) for (_, end), (start, _) in zip(ordered, ordered[1:])
            if (gap := _PARTICLE_GAP.fullmatch(text, end, start))]


def name_run_ons(text: str, people: Sequence[Span]) -> list[Span]:
    """The words a name runs on into that are no known word: "bertha natalia ruruk kariman"
    when only "bertha natalia" was found; and an ordinary word on the way to one (a surname
    that is also a word: "hajar daeng ngai"), though never a function word or a title."""
    found = []
    for start, end in people:
        for _ in range(MAX_RUN_ON_WORDS):
            word = _NEXT_WORD.match(text, end)
            if word is None or _case_ends_name(
                    _LAST_WORD.search(text, max(0, end - 40), end), word.group(1)):
                break
            if not _unknown_word(word.group(1)):
                after = _NEXT_WORD.match(text, word.end())
                if (after is None or is_chat_word(word.group(1), NOT_RUN_ON)
                        or not _unknown_word(after.group(1))):
                    break
                found.append(word.span(1))
                word = after
            found.append(word.span(1))
            end = word.end()
        for _ in range(MAX_RUN_ON_WORDS):
            word = _PREV_WORD.search(text, max(0, start - 40), start)
            if word is None:
                break
            # a particle before a name opens it: "la ode", "van dijk", "al habsyi"
            if word.group(1).lower() not in PARTICLES and (
                    not _unknown_word(word.group(1))
                    or _case_ends_name(_WORD.match(text, start), word.group(1))):
                break
            found.append(word.span(1))
            start = word.start()
    return found


def cased_run_ons(text: str, people: Sequence[Span], taken: Sequence[Span]) -> list[Span]:
    """The words a Capitalised name runs on into when the writer capitalised them as well: "St
    Hajar Daeng Ngai", "LIEM KOK HWA", "Anak Agung Istri Mas Laksmi", and an initial, "Untung
    P.". The case says they belong to the name even where the words are ordinary ones; function
    words only on the way to a name word ("Budi Dari Jakarta" stops at "Budi")."""
    found = []
    for start, end in people:
        last = _LAST_WORD.search(text, start, end)
        shape = last and _case_shape(text, last)
        if shape is None:
            continue
        run = []
        for _ in range(2 * MAX_RUN_ON_WORDS):
            word = _NEXT_WORD.match(text, end)
            if word is None or _case_shape(text, word, 1) not in (shape, "initial"):
                break
            lower = word.group(1).lower()
            if lower in PLACES_AND_ORGS or _overlaps(word.span(1), taken):
                break
            run.append(word.span(1))
            if lower not in NOT_RUN_ON:
                found += run
                run = []
            end = word.end()
    return found


def _case_shape(text: str, word: re.Match, group: int = 0) -> str | None:
    """"title" (Budi), "upper" (BUDI), "initial" (the P. of "Untung P.") or None."""
    letters = word.group(group)
    if len(letters) == 1:
        dotted = text[word.end(group):word.end(group) + 1] == "."
        return "initial" if letters.isupper() and dotted else None
    if letters.isupper():
        return "upper"
    return "title" if letters[0].isupper() and letters[1:].islower() else None


def unknown_word_pairs(text: str, taken: Sequence[Span]) -> list[Span]:
    """Two words in a row that no word list knows, outside the ``taken`` spans (places,
    organisations, numbers): names the model never learnt, such as "slaven bilic" or "stephane
    sessegnon" in lowercase news."""
    words = list(_WORD.finditer(text))
    return [(first.start(), second.end()) for first, second in zip(words, words[1:])
            if _GAP.fullmatch(text, first.end(), second.start())
            and _unknown_name(first.group()) and _unknown_name(second.group())
            and not _case_ends_name(first, second.group())  # "Elisabeth Wonda kls 5B"
            and not _overlaps((first.start(), second.end()), taken)]


def _overlaps(span: Span, spans: Sequence[Span]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _unknown_name(word: str) -> bool:
    """Unknown to our word lists, which are Latin-script: a Hangul or Arabic word is unknown
    to them without being any more likely a name."""
    lower = word.lower()
    return (_LATIN_WORD.fullmatch(word) is not None and _unknown_word(word)
            and lower not in KNOWN_WORDS and not _INFLECTED.fullmatch(lower))


def _case_ends_name(name_word: re.Match | None, word: str) -> bool:
    """A writer who capitalises a name and not the word beside it says where the name ends:
    "si Rafa alergi susu", "driver atas nama Dedi ramah"."""
    return name_word is not None and name_word.group()[:1].isupper() and word.islower()


def _unknown_word(word: str) -> bool:
    """No ordinary, chat or function word, nor a spelling cue: as likely a name as anything."""
    lower = word.lower()
    return (len(word) >= MIN_NAME_LENGTH and lower not in ORDINARY_ID_WORDS
            and lower not in SPELLING_CUES and not is_chat_word(lower, STOP_WORDS))


def words_said_in_pieces(text: str) -> list[Span]:
    """A word said in pieces and whole, side by side: "su ti ya ti sutiyati", "bu di san to so
    budi santoso", "o ktavianus ee oktavianus". Callers spell their names that way; no cue is
    needed, and nothing else in a call is said so."""
    words = [w for w in _WORD.finditer(text) if w.group().lower() not in HESITATIONS]
    lowered = [w.group().lower() for w in words]
    ends = [0]  # ends[i]: letters in the first i words, so that equal lengths are found cheaply
    for word in lowered:
        ends.append(ends[-1] + len(word))
    found = []
    for first in range(len(words)):
        for middle in range(first + 1, min(first + MAX_SPOKEN_PIECES, len(words))):
            letters = ends[middle] - ends[first]
            last = bisect_left(ends, ends[middle] + letters)
            if (last >= len(ends) or ends[last] != ends[middle] + letters
                    or last - middle == middle - first or letters < MIN_PIECES_WORD_LENGTH
                    or max(middle - first, last - middle) > MAX_SPOKEN_PIECES):
                continue
            if "".join(lowered[first:middle]) == "".join(lowered[middle:last]):
                found.append((words[first].start(), words[last - 1].end()))
    return found


def without_hesitations(text: str, start: int, end: int) -> Span | None:
    """A name's span without the "ee", "um" that a model or a cue took in at its edges (None:
    nothing else in it)."""
    words = list(_WORD.finditer(text, start, end))
    kept = [i for i, word in enumerate(words) if word.group().lower() not in HESITATIONS]
    if not kept:
        return None
    first, last = kept[0], kept[-1]
    return (words[first].start() if first else start,
            words[last].end() if last < len(words) - 1 else end)


def pieces_after_backchannels(text: str, people: Sequence[Span]) -> list[Span]:
    """The rest of a name said in pieces between the other speaker's "iya": a name that ends
    its turn, then turns of backchannels only, then a short turn of name words ("nama lengkap
    saya siti / he eh / nur / iya / haliza")."""
    found = []
    for _, end in people:
        pos = end
        for _ in range(MAX_BACKCHANNEL_TURNS + 1):
            turn_end = _TURN_END.match(text, pos)
            if turn_end is None or turn_end.end() == len(text):
                break
            turn = _TURN.match(text, turn_end.end())
            if not only_fillers(turn.group("words")):
                piece = _name_piece(text, *turn.span("words"))
                if piece is not None:
                    found.append(piece)
                break
            pos = turn.end()
    return found


def _name_piece(text: str, start: int, end: int) -> Span | None:
    """The 1-3 words of ``text[start:end]``, before any backchannel ("soetrisno ya"), if none
    is a function or chat word and one is no ordinary word."""
    words = list(_WORD.finditer(text, start, end))
    while words and only_fillers(words[-1].group()):
        words.pop()
    if not words or len(words) > MAX_PIECE_WORDS:
        return None
    piece_end = words[-1].end()
    if _NOT_IN_NAMES.search(text, start, piece_end) or not only_fillers(text[piece_end:end]):
        return None  # digits or punctuation: no bare name
    if any(is_chat_word(word.group(), STOP_WORDS) for word in words):
        return None
    if all(word.group().lower() in ORDINARY_ID_WORDS for word in words):
        return None
    return start, piece_end


def echoes(text: str, people: Sequence[Span], remembered: Sequence[str] = ()) -> list[Span]:
    """The other occurrences, in ``text``, of the names in the ``people`` spans and of the
    ``remembered`` names: as words, as letters said one by one, and as ASR splits them
    ("wulandari" heard as "wulan dari")."""
    words = name_words(text, people).union(*(name_words(name, [(0, len(name))])
                                             for name in remembered))
    if not words:
        return []
    tokens = list(_WORD.finditer(text))
    # By length: a word is only compared with names it could be a typo of (the remembered
    # names of a long chat made this a third of a message's CPU).
    typo_of = _by_length(word for word in words if len(word) >= MIN_TYPO_NAME_LENGTH)
    swap_of = _by_length(word for word in words if len(word) >= MIN_SWAP_NAME_LENGTH and " " not in word)
    found = {token.span() for token in tokens
             if (word := token.group().lower()) in words or word.removesuffix("nya") in words
             or any(_one_letter_apart(word, name)
                    for size in (len(word) - 1, len(word), len(word) + 1) for name in typo_of.get(size, ()))
             or any(_two_letters_swapped(word, name) for name in swap_of.get(len(word), ()))}
    found |= set(_split_echoes(text, tokens, words))
    spellings = [word for word in words if " " in word]
    if spellings:  # rare: letters said one by one, matched as a phrase
        alternatives = "|".join(r"[ \t,.\-]+".join(map(re.escape, spelling.split()))
                                for spelling in spellings)
        pattern = re.compile(rf"(?<![\p{{L}}\p{{N}}_])(?:{alternatives})(?![\p{{L}}\p{{N}}_])",
                             re.IGNORECASE)
        found |= {match.span() for match in pattern.finditer(text)}
    return [(start, end) for start, end in sorted(found)
            if not any(p_start <= start and end <= p_end for p_start, p_end in people)]


def _by_length(names: Iterable[str]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for name in names:
        grouped.setdefault(len(name), []).append(name)
    return grouped


def _one_letter_apart(word: str, name: str) -> bool:
    """One letter added, dropped or changed: "Wahyuningsih" / "Wahyuningsi", "Sumiyati" /
    "Sumiati" (a name and its misspelling, complained about side by side)."""
    if abs(len(word) - len(name)) > 1 or word == name:
        return False
    prefix = 0
    while prefix < min(len(word), len(name)) and word[prefix] == name[prefix]:
        prefix += 1
    return (word[prefix + (len(word) >= len(name)):] == name[prefix + (len(name) >= len(word)):])


def _two_letters_swapped(word: str, name: str) -> bool:
    """Two neighbouring letters swapped: "jhoni" / "johni" (a name and how it is spelled)."""
    if len(word) != len(name) or word == name:
        return False
    differ = [i for i, (a, b) in enumerate(zip(word, name)) if a != b]
    return (len(differ) == 2 and differ[1] == differ[0] + 1
            and word[differ[0]] == name[differ[1]] and word[differ[1]] == name[differ[0]])


def _split_echoes(text: str, tokens: list[re.Match], words: set[str]) -> list[Span]:
    """Runs of words, one space apart, that make one of the long name ``words``: split by ASR
    ("wulan dari") or spelled letter by letter ("n a s s e r")."""
    long_words = {word for word in words if len(word) >= MIN_SPLIT_NAME_LENGTH and " " not in word}
    if not long_words:
        return []
    longest = max(map(len, long_words))
    found = []
    for i, first in enumerate(tokens):
        joined = first.group().lower()
        run = tokens[i : i + longest]
        for previous, token in zip(run, run[1:]):
            joined += token.group().lower()
            if len(joined) > longest or not _GAP.fullmatch(text, previous.end(), token.start()):
                break
            if joined in long_words:
                found.append((first.start(), token.end()))
    return found
