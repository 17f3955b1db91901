"""Spoken-number normalisation for call transcripts (English, Indonesian, code-mixed).

Our pattern recognizers (cards, NIK, phones, accounts, CVV, expiry, ...) work on digits, but
ASR transcripts spell numbers out: "kosong delapan satu dua", "forty five thirty two",
"double five oh". :func:`normalize_spoken` rewrites every run of number words to one digit
string and keeps a piecewise offset map, so a detection found in the normalised text is
reported on exactly the source words that carried it (:meth:`NormalizedText.to_source`).

Quantities ("dua ratus lima puluh ribu rupiah", "five thousand dollars") are left as words:
they are amounts, not identifiers, and turning them into digits would only feed false
positives to the digit recognizers.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

# --- lexicon -------------------------------------------------------------------------------
# Token kinds. A "multiplier" (puluh, belas, ratus, hundred) only means something after a
# digit word; on its own it behaves like a scale word (an amount such as "fifteen hundred").
(
    _DIGIT,  # 0-9, always a number
    _WEAK_ZERO,  # oh / o / kosong: 0 only next to another number word
    _TEEN,  # 10-19
    _TENS,  # 20, 30, ... 90
    _PULUH,
    _BELAS,
    _RATUS,
    _HUNDRED,
    _SERATUS,  # "seratus" = 100, a complete hundreds word
    _REPEAT,  # double / triple
    _SCALE,  # ribu, juta, thousand, million ...: the compound is an amount
    _SLASH,  # "slash", "garis miring", a written "/", "titik", "strip": a separator
    _AND,  # "and" inside "four hundred and five" / "two thousand and five"
    _WRITTEN,  # digits already written
    _SEGMENT,  # not a token: the kind of a parsed number segment (see _Item)
    _HOMOPHONE,  # for / to / ate / won: a digit only inside a dictation (ASR mishearing)
    _TIMES,  # "kali" in "nol tiga kali": the digit before, said that many times
) = range(17)

_SCALE_LIKE = frozenset({_SCALE, _PULUH, _BELAS, _RATUS, _HUNDRED})
_INDONESIAN_WORDS = frozenset(
    "nol kosong satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas puluh "
    "belas ratus seratus dobel tripel lapan tuju smbilan semilan".split()
)
# Words that multiply or extend the digit word before them.
_MULTIPLIERS = (_PULUH, _BELAS, _RATUS, _HUNDRED)

_LEXICON: dict[str, tuple[int, int | str]] = {
    **{w: (_DIGIT, v) for v, w in enumerate(
        "zero one two three four five six seven eight nine".split())},
    **{w: (_DIGIT, v) for v, w in enumerate(
        "nol satu dua tiga empat lima enam tujuh delapan sembilan".split())},
    **{w: (_WEAK_ZERO, 0) for w in ("oh", "o", "kosong")},
    # Colloquial and clipped Indonesian digits, as people say them and ASR writes them.
    "lapan": (_DIGIT, 8), "tuju": (_DIGIT, 7), "smbilan": (_DIGIT, 9), "semilan": (_DIGIT, 9),
    # English words ASR writes for digits it heard: "four" -> "for", "two" -> "to".
    **{w: (_HOMOPHONE, v) for w, v in (
        ("for", 4), ("fore", 4), ("to", 2), ("too", 2), ("ate", 8), ("won", 1))},
    **{w: (_TEEN, 10 + v) for v, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())},
    "sepuluh": (_TEEN, 10),
    "sebelas": (_TEEN, 11),
    **{w: (_TENS, 20 + 10 * v) for v, w in enumerate(
        "twenty thirty forty fifty sixty seventy eighty ninety".split())},
    "puluh": (_PULUH, 10),
    "belas": (_BELAS, 10),
    "ratus": (_RATUS, 100),
    "hundred": (_HUNDRED, 100),
    "seratus": (_SERATUS, 100),
    **{w: (_REPEAT, 2) for w in ("double", "dobel")},
    **{w: (_REPEAT, 3) for w in ("triple", "tripel")},
    # Scale words, their "se-" forms and plurals, plus fractions that only occur in amounts
    # ("satu setengah juta"): any compound containing one is a quantity and stays as words.
    **{w: (_SCALE, 0) for w in (
        "thousand million billion trillion thousands millions billions trillions hundreds "
        "dozen dozens ribu juta miliar milyar triliun seribu sejuta ribuan jutaan miliaran "
        "ratusan puluhan belasan lusin setengah").split()},
    # Separators read out between the groups of a number ("npwp sembilan dua titik tujuh satu
    # empat titik ... strip ..."): kept only between two numbers.
    "slash": (_SLASH, "/"),
    "garis miring": (_SLASH, "/"),
    "/": (_SLASH, "/"),
    "titik": (_SLASH, "."),
    "point": (_SLASH, "."),  # "sektor satu point dua"
    "strip": (_SLASH, "-"),
    "and": (_AND, 0),
    "kali": (_TIMES, 0),
}


def _trie_pattern(words: list[str]) -> str:
    """An alternation factored by common prefixes: Python's regex engine tries a flat
    alternation word by word at every position, a trie rejects a position after one char."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(trie)


def _trie_node(node: dict) -> str:
    branches = [re.escape(char) + _trie_node(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if "" in node else body


# One scan finds every candidate token; \b keeps matches to whole words ("dua" not in "duat",
# digits not inside "abc123"). Scanning lowercased text case-sensitively is twice as fast as
# IGNORECASE, which remains the fallback when lowercasing would shift offsets ("İ").
_WORDS = sorted(w for w in _LEXICON if w[0].isalpha() and " " not in w)
_TOKEN_BODY = r"\b(?:[0-9]+|garis\s+miring|" + _trie_pattern(_WORDS) + r")\b|/"
_TOKEN_RE = re.compile(_TOKEN_BODY)
_TOKEN_RE_ANYCASE = re.compile(_TOKEN_BODY, re.IGNORECASE)
# What may separate two tokens of one run: whitespace, or a single hyphen/comma (chat).
_GAP_RE = re.compile(r"\s*(?:([-,])\s*)?")
# Hesitations and "and then" words people put between the digits they dictate:
# "kosong delapan eh sembilan", "oh eight nine six uh huh seven", "tiga satu habis itu dua".
_FILLERS = (
    "eh|ehm|em|emm|umm|um|uh|uhm|uh huh|ee+|e+h|hmm+|hm|er|erm|ah|anu|apa|terus|trus|"
    "habis itu|abis itu|abis tu|lanjut|lalu|then|and then|next"
)
_FILLER_GAP_RE = re.compile(rf"\s*,?(?:\s+(?:{_FILLERS}),?)+\s+", re.IGNORECASE)
_NON_DIGIT_RE = re.compile(r"[^0-9]+")
# Characters that fuse a number word into a longer word: "satu-satunya", "o'clock".
_JOINERS = "-'\u2019"

# Links between consecutive tokens.
_BROKEN, _LOOSE, _TIGHT = 0, 1, 2


class _Tok(NamedTuple):
    start: int
    end: int
    kind: int
    value: int | str  # numeric value, or the digit string of a written number
    key: str  # lowercased token text

    @property
    def spoken(self) -> bool:
        return self.kind != _WRITTEN and self.key != "/"


class _Item(NamedTuple):
    """One parsed unit of a run: a number segment or a connector word."""

    kind: int  # _SEGMENT for a number, else the token kind of a connector/scale word
    lo: int  # first token index in the chain
    hi: int  # last token index in the chain (inclusive)
    digits: str
    cardinal: bool  # a value >= 1 that can multiply or extend a scale word
    weak: bool  # a lone oh/o/kosong
    link: int  # how the item is attached to the one before


# --- public API ----------------------------------------------------------------------------
@dataclass(frozen=True)
class NormalizedText:
    source: str  # the original text
    text: str  # normalised text
    changed: bool  # False when text == source (no number words converted)
    # Piecewise map: _starts[k] is where piece k begins in `text`; _spans[k] is
    # (source_start, source_end, copied). Copied pieces map char by char, converted pieces
    # map every output char to the whole source compound.
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _spans: tuple[tuple[int, int, bool], ...] = field(default=(), repr=False, compare=False)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a span [start, end) of `text` back to the smallest span of `source` covering all
        source characters/words it came from. Digits produced by a number word map to that whole
        word (or whole compound like 'empat puluh lima'). Unchanged characters map 1:1."""
        size = len(self.text)
        start = min(max(start, 0), size)
        end = min(max(end, start), size)
        if not self._starts:  # identity map
            return start, end
        if start == end:  # a position: where the char at that position came from
            pos = self._char_span(start)[0] if start < size else len(self.source)
            return pos, pos
        # Pieces are in source order, so the first/last chars bound the whole span.
        return self._char_span(start)[0], self._char_span(end - 1)[1]

    def _char_span(self, index: int) -> tuple[int, int]:
        piece = bisect_right(self._starts, index) - 1
        src_start, src_end, copied = self._spans[piece]
        if copied:
            pos = src_start + index - self._starts[piece]
            return pos, pos + 1
        return src_start, src_end


#: A group of digits typed with letters for digits ("32O1 1548 0796 0002", "08l2 3456 7890"):
#: four or more characters, three of them digits.
_LOOKALIKE_GROUP_RE = re.compile(r"(?<![\w])(?=(?:[0-9OoIl]*\d){3})(?=[0-9]*[OoIl])[0-9OoIl]{4,}(?![\w])")
#: An I or l between two digits is a one; at the end of a group it may be a unit ("150l").
_ONE_RE = re.compile(r"(?<=[0-9Oo])[Il](?=[0-9Oo])")


#: Groups holding a digit, one or two separators apart: a number typed in groups or in one
#: run, perhaps with a key slipped ("310122283r598455", "08e 747 756 19", "6069-3`37-62").
_NUMBER_CHAIN_RE = re.compile(r"(?<![\w`])[0-9A-Za-z`]*\d[0-9A-Za-z`]*(?:[ .\-]{1,2}[0-9A-Za-z`]*\d[0-9A-Za-z`]*)*(?![\w`])")
_CHAIN_GROUP_RE = re.compile(r"[0-9A-Za-z`]+")
_LOOKS_LIKE_DIGIT = str.maketrans("OoIlSBGZ", "01115862")
#: A unit after a short number: "150l", "500ml", "2x", "50k", "50rb", "25GB", "20an".
_UNIT_END_RE = re.compile(r"\d(?:[mkc]?[lgm]|gr|rb|jt|k|pcs|[gmt]b|x|an)$", re.IGNORECASE)
MIN_SLIPPED_NUMBER_DIGITS = 8
#: The digits a code may have after its letter (a passport: 7 to 9). With more, the letter is a
#: key slipped before a phone, card or account number ("nomor hp p85990559287").
MAX_CODE_DIGITS = 9


def with_lookalike_digits(text: str) -> str:
    """``text`` with the letter O read as the zero it stands for inside groups of digits, I or
    l between digits as a one, and the keys slipped in a longer number read as digits; the
    length is kept, so offsets hold."""
    text = _LOOKALIKE_GROUP_RE.sub(lambda m: _ONE_RE.sub("1", m.group()).replace("O", "0").replace("o", "0"), text)
    return _NUMBER_CHAIN_RE.sub(_chain_with_slips_as_digits, text)


def _chain_with_slips_as_digits(chain: re.Match) -> str:
    """A chain with the slips in its groups read as the digits they look like (else zeros:
    the number is masked whatever its checksum), where the groups that may hold a slip, side
    by side, hold eight digits or more: "4532 0151 12a3 0366", "4532 0151 1283 O3G6"."""
    text = chain.group()
    if text.isdigit():
        return text
    groups = list(_CHAIN_GROUP_RE.finditer(text))
    runs: list[list[re.Match]] = [[]]
    for i, group in enumerate(groups):
        if _may_hold_a_slip(group.group(), _inside_number(groups, i)):
            runs[-1].append(group)
        else:
            runs.append([])
    for run in runs:
        if sum(c.isdigit() for group in run for c in group.group()) >= MIN_SLIPPED_NUMBER_DIGITS:
            for group in run:
                digits = re.sub(r"\D", "0", group.group().translate(_LOOKS_LIKE_DIGIT))
                text = text[: group.start()] + digits + text[group.end():]
    return text


def _inside_number(groups: list[re.Match], i: int) -> bool:
    """Digits follow group ``i``, or it is as long as the digit group before it ("7711-787l")."""
    after = groups[i + 1].group() if i + 1 < len(groups) else ""
    before = groups[i - 1].group() if i else ""
    return after.isdigit() or (before.isdigit() and len(before) == len(groups[i].group()))


def _may_hold_a_slip(group: str, inside_number: bool) -> bool:
    """A group of digits with one character that is no digit nor looks like one, and at
    most two letters besides O. Unless it stands inside a number ("0812 345l 7890",
    "350l-8463-7337-6", "t5553450.5279.6384", "7711-787l"), not a unit after a short number
    ("500ml") nor the letter a code starts with ("M469889032": a passport)."""
    digits = sum(c.isdigit() for c in group)
    slips = sum(not c.isdigit() for c in group.translate(_LOOKS_LIKE_DIGIT))
    letters = sum(c.isalpha() and c not in "Oo" for c in group)
    unit = digits <= 4 and not inside_number and _UNIT_END_RE.search(group)
    code = len(group) > 5 and not group[0].isdigit() and not inside_number and digits <= MAX_CODE_DIGITS
    return slips <= 1 and letters <= 2 and not unit and not code


#: A quotation mark around words ("chat sama 'Fajar'", "“Sumiati”"), not an apostrophe
#: inside one ("Jum'at", "it's").
_QUOTE_RE = re.compile(r"""(?<![\w])['"‘’“”`]+(?=\w)|(?<=\w)['"‘’“”`]+(?![\w])""")


def without_quotes(text: str) -> str:
    """``text`` with quotation marks around words read as spaces: a quoted name is still a
    name. The length is kept, so offsets hold."""
    return _QUOTE_RE.sub(lambda m: " " * len(m.group()), text)


def normalize_spoken(text: str) -> NormalizedText:
    """Rewrite each run of spoken number words (English/Indonesian) to digits, keeping offsets."""
    runs = _runs(text)
    if not runs:
        return NormalizedText(text, text, False)
    return _assemble(text, runs)


def spoken_digits(text: str) -> str:
    """The digits a span carries, whether written or spoken: '4532 0151' -> '45320151', 'empat
    lima tiga dua' -> '4532', 'double five oh' -> '550'. Used by the 'mask keeping last 4' policy
    on spoken spans."""
    return _NON_DIGIT_RE.sub("", normalize_spoken(text).text)


# --- tokenising ----------------------------------------------------------------------------
def _tokens(text: str) -> list[_Tok]:
    found = []
    lowered = text.lower()
    # lower() never shrinks a char, so equal length means offsets are unchanged.
    same_offsets = len(lowered) == len(text)
    matches = _TOKEN_RE.finditer(lowered) if same_offsets else _TOKEN_RE_ANYCASE.finditer(text)
    for match in matches:
        raw = match.group()
        if raw[0] in "0123456789":
            found.append(_Tok(match.start(), match.end(), _WRITTEN, raw, raw))
            continue
        key = " ".join(raw.lower().split())
        # IGNORECASE also matches look-alikes (Kelvin sign, long s); those are not our words.
        entry = _LEXICON.get(key)
        if entry is None or (key in ("oh", "o") and not text[match.start():match.end()].islower()):
            continue  # a capital "O"/"OH" is a letter or a US state, never a spoken zero
        found.append(_Tok(match.start(), match.end(), entry[0], entry[1], key))
    return [tok for i, tok in enumerate(found) if not _fused(text, found, i)]


def _fused(text: str, toks: list[_Tok], i: int) -> bool:
    """True for a number word that is part of a longer word: "satu-satunya", "one-off",
    "o'clock", "ke-tiga", or a reduplication such as "dua-dua" ("both")."""
    tok = toks[i]
    if not tok.spoken:
        return False
    after, before = text[tok.end:tok.end + 2], text[max(tok.start - 2, 0):tok.start]
    if len(after) == 2 and after[0] in _JOINERS and after[1].isalnum():
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if after[0] != "-" or nxt is None or nxt.start != tok.end + 1 or nxt.key == tok.key:
            return True
    if len(before) == 2 and before[1] in _JOINERS and before[0].isalnum():
        prev = toks[i - 1] if i > 0 else None
        if before[1] != "-" or prev is None or prev.end != tok.start - 1 or prev.key == tok.key:
            return True
    return False


def _link(text: str, left: _Tok, right: _Tok) -> int:
    gap = _GAP_RE.fullmatch(text, left.end, right.start)
    if gap is None:
        # A hesitation keeps the dictation going, weakly like a comma.
        return _LOOSE if _FILLER_GAP_RE.fullmatch(text, left.end, right.start) else _BROKEN
    # Commas join a run (spec: chat), but weaker: they never glue oh/kosong or compounds.
    return _LOOSE if gap.group(1) == "," else _TIGHT


class _Chain(NamedTuple):
    toks: list[_Tok]
    links: list[int]

    def tight(self, i: int, kinds: frozenset[int] | tuple[int, ...]) -> _Tok | None:
        """Token i if it is tightly linked to token i-1 and of one of `kinds`."""
        if i < len(self.toks) and self.links[i] == _TIGHT and self.toks[i].kind in kinds:
            return self.toks[i]
        return None


def _chains(text: str, toks: list[_Tok]) -> list[_Chain]:
    """Split tokens into chains of linked tokens; links[i] is how token i joins token i-1."""
    chains: list[_Chain] = []
    for i, tok in enumerate(toks):
        link = _link(text, toks[i - 1], tok) if i else _BROKEN
        if link == _BROKEN:
            chains.append(_Chain([], []))
        chains[-1].toks.append(tok)
        chains[-1].links.append(link)
    return chains


# --- parsing a chain into segments ---------------------------------------------------------
def _sub100(chain: _Chain, i: int) -> tuple[int, int] | None:
    """Parse a value below 100 at token i: (value, last token index)."""
    tok = chain.toks[i]
    if tok.kind == _TEEN:
        return tok.value, i
    if tok.kind == _TENS:  # "forty five"
        unit = chain.tight(i + 1, (_DIGIT,))
        if unit and unit.value and not chain.tight(i + 2, _MULTIPLIERS):
            return tok.value + unit.value, i + 1
        return tok.value, i
    if tok.kind != _DIGIT:
        return None
    if tok.value and chain.tight(i + 1, (_BELAS,)):  # "tiga belas"
        return 10 + tok.value, i + 1
    if tok.value and chain.tight(i + 1, (_PULUH,)):  # "empat puluh [lima]"
        unit = chain.tight(i + 2, (_DIGIT,))
        # Numbers read in pairs: in "delapan puluh lima puluh sembilan" (80 59) the "lima"
        # opens the next pair, because a multiplier follows it.
        if unit and unit.value and not chain.tight(i + 3, _MULTIPLIERS):
            return 10 * tok.value + unit.value, i + 2
        return 10 * tok.value, i + 1
    return tok.value, i


def _hundreds(chain: _Chain, i: int) -> tuple[int, int] | None:
    """Parse "seratus ...", "X ratus ...", "X hundred [and] ..." at token i."""
    tok = chain.toks[i]
    if tok.kind == _SERATUS:
        value, nxt = 100, i + 1
    elif tok.kind == _DIGIT and tok.value and chain.tight(i + 1, (_RATUS, _HUNDRED)):
        value, nxt = 100 * tok.value, i + 2
    else:
        return None
    # "four hundred and five": the "and" belongs to the number only if a rest follows it.
    start = nxt + 1 if chain.tight(nxt, (_AND,)) and chain.toks[nxt - 1].kind == _HUNDRED else nxt
    if chain.tight(start, (_DIGIT, _TEEN, _TENS)):
        rest = _sub100(chain, start)
        if rest and rest[0]:
            return value + rest[0], rest[1]
    return value, nxt - 1


def _repeated(chain: _Chain, i: int) -> _Item | None:
    """ "nol tiga kali dua" is 0002, "satu tiga kali lima" 1115: a digit, how many times (2-4)
    and "kali", inside a number being read out (a digit right before or after it). "dua kali"
    alone is "twice"."""
    tok, count = chain.toks[i], chain.tight(i + 1, (_DIGIT,))
    if (tok.kind not in (_DIGIT, _WEAK_ZERO) or count is None or not 2 <= count.value <= 4
            or not chain.tight(i + 2, (_TIMES,))):
        return None
    digits = (_DIGIT, _WEAK_ZERO, _WRITTEN)
    if not ((i and chain.links[i] == _TIGHT and chain.toks[i - 1].kind in digits)
            or chain.tight(i + 3, digits)):
        return None
    return _Item(_SEGMENT, i, i + 2, str(tok.value) * count.value, False, False, chain.links[i])


def _segment(chain: _Chain, i: int) -> _Item | None:
    """Parse one number segment starting at token i, or None if token i starts none."""
    tok, link = chain.toks[i], chain.links[i]
    if tok.kind == _WRITTEN:
        return _Item(_SEGMENT, i, i, tok.value, tok.value.strip("0") != "", False, link)
    if tok.kind in (_WEAK_ZERO, _HOMOPHONE):
        return _Item(_SEGMENT, i, i, str(tok.value), False, True, link)
    if tok.kind == _REPEAT:  # "double five", "dobel kosong", "triple 0"; "double ate": a digit in a dictation
        operand = chain.tight(i + 1, (_DIGIT, _WEAK_ZERO, _WRITTEN, _HOMOPHONE))
        if operand is None or len(str(operand.value)) != 1:
            return None
        return _Item(_SEGMENT, i, i + 1, str(operand.value) * tok.value, False, operand.kind == _HOMOPHONE, link)
    if repeated := _repeated(chain, i):
        return repeated
    parsed = _hundreds(chain, i) or _sub100(chain, i)
    if parsed is None:
        return None
    value, last = parsed
    return _Item(_SEGMENT, i, last, str(value), value > 0, False, link)


def _items(chain: _Chain) -> list[_Item]:
    items, i = [], 0
    while i < len(chain.toks):
        item = _segment(chain, i)
        if item is None:
            tok = chain.toks[i]
            kind = _SCALE if tok.kind in _SCALE_LIKE else tok.kind
            item = _Item(kind, i, i, "", False, False, chain.links[i])
        items.append(item)
        i = item.hi + 1
    return items


# --- deciding what converts ----------------------------------------------------------------
def _quantities(items: list[_Item]) -> list[bool]:
    """Mark each scale word with the number before it and the addend after it, as amounts."""
    qty = [False] * len(items)
    for q, item in enumerate(items):
        if item.kind != _SCALE:
            continue
        qty[q] = True
        if q and item.link == _TIGHT and items[q - 1].cardinal:  # "lima [ribu]"
            qty[q - 1] = True
        nxt = q + 1
        if nxt < len(items) and items[nxt].kind == _AND and items[nxt].link == _TIGHT:
            nxt += 1  # "two thousand and five"
        if nxt < len(items) and items[nxt].cardinal and items[nxt].link == _TIGHT:
            for k in range(q + 1, nxt + 1):
                qty[k] = True
    return qty


_THOUSANDS = frozenset({"ribu", "thousand"})
# A code asked for, then at most four words ("pin atm saya", "kode otp nya berapa bu?\ncustomer:").
_CODE_ASKED_RE = re.compile(
    r"\b(?:m-?pin|pin|otp|passcode|password|sandi|cvv|cvc|verifikasi|verification|code)\b[\s:,.?!]*(?:\w+[\s:,.?!]+){0,4}$",
    re.IGNORECASE)
_MONEY_RE = re.compile(r"\s*(?:rupiah|perak|rb|dollars?|bucks)\b", re.IGNORECASE)


def _fold_thousands(text: str, chain: _Chain, items: list[_Item]) -> list[_Item]:
    """Card and account numbers are also read in groups of four: "lima ribu empat ratus tujuh
    puluh sembilan, empat ribu …" is 5479 4…. A group of 1000-9999 that stands next to other
    digits of the same dictation, or right after a code was asked for ("pin atm saya dua ribu
    dua puluh empat"), becomes its four digits; on its own it stays an amount."""
    groups = _thousands_groups(chain, items)
    if not groups:
        return items
    folded, i = [], 0
    for start, end, value in groups:
        folded.extend(items[i:start])
        before = start > 0 and items[start - 1].kind == _SEGMENT and items[start].link
        after = end + 1 < len(items) and items[end + 1].kind == _SEGMENT and items[end + 1].link
        if before or after or len(groups) > 1 or _code_asked(text, chain, items[start], items[end]):
            first = items[start]
            folded.append(_Item(_SEGMENT, first.lo, items[end].hi, f"{value:04d}", True, False,
                                first.link))
        else:
            folded.extend(items[start:end + 1])
        i = end + 1
    folded.extend(items[i:])
    return folded


def _code_asked(text: str, chain: _Chain, first: _Item, last: _Item) -> bool:
    start, end = chain.toks[first.lo].start, chain.toks[last.hi].end
    return bool(_CODE_ASKED_RE.search(text, 0, start)) and not _MONEY_RE.match(text, end)


def _thousands_groups(chain: _Chain, items: list[_Item]) -> list[tuple[int, int, int]]:
    """(first item, last item, value) of each "X ribu [rest]" with X a single digit, and of
    each "seribu [rest]"."""
    groups, i = [], 0
    while i < len(items):
        item = items[i]
        key = chain.toks[item.lo].key if item.kind == _SCALE else ""
        multiplier = items[i - 1] if i and key in _THOUSANDS and item.link == _TIGHT else None
        if key == "seribu":
            first, value = i, 1000
        elif multiplier is not None and multiplier.kind == _SEGMENT and multiplier.digits in "123456789":
            first, value = i - 1, 1000 * int(multiplier.digits)
        else:
            i += 1
            continue
        end = i
        at = i + 2 if i + 2 < len(items) and items[i + 1].kind == _AND else i + 1  # "and thirty"
        rest = items[at] if at < len(items) else None
        if (rest is not None and rest.kind == _SEGMENT and rest.cardinal
                and rest.link == _TIGHT and int(rest.digits) < 1000
                and not (at + 1 < len(items) and items[at + 1].kind == _SCALE)):
            value, end = value + int(rest.digits), at
        groups.append((first, end, value))
        i = end + 1
    return groups


def _convertible(chain: _Chain, items: list[_Item]) -> list[bool]:
    """Which items become digits: numbers outside amounts, oh/kosong next to a number,
    slashes between two numbers."""
    qty = _quantities(items)
    ok = [it.kind == _SEGMENT and not it.weak and not qty[i] for i, it in enumerate(items)]
    _resolve_weak(chain, items, ok)
    _resolve_homophones(chain, items, ok)
    for i, item in enumerate(items):
        if item.kind == _SLASH:
            ok[i] = 0 < i < len(items) - 1 and ok[i - 1] and ok[i + 1]
    return ok


def _resolve_weak(chain: _Chain, items: list[_Item], ok: list[bool]) -> None:
    """A group of tightly linked oh/o/kosong is a zero only next to a real number:
    "kosong delapan" -> "08", "saldo kosong" and "oh okay" stay. A group of only oh/o needs an
    English neighbour: Indonesian speakers say "oh" as a filler ("nik saya oh tiga enam …")."""
    i = 0
    while i < len(items):
        if not items[i].weak or _homophone(chain, items[i]):
            i += 1
            continue
        english_only = chain.toks[items[i].lo].key in ("oh", "o")
        j = i
        while (j + 1 < len(items) and items[j + 1].weak and items[j + 1].link == _TIGHT
               and not _homophone(chain, items[j + 1])
               and (chain.toks[items[j + 1].lo].key in ("oh", "o")) == english_only):
            j += 1
        before = i > 0 and items[i].link == _TIGHT and ok[i - 1] and (
            not english_only or _speaks_english(chain, items[i - 1].hi))
        after = j + 1 < len(items) and items[j + 1].link == _TIGHT and ok[j + 1] and (
            not english_only or _speaks_english(chain, items[j + 1].lo))
        for k in range(i, j + 1):
            ok[k] = before or after
        i = j + 1


def _homophone(chain: _Chain, item: _Item) -> bool:
    return chain.toks[item.hi].kind == _HOMOPHONE  # "for", "double for"


def _resolve_homophones(chain: _Chain, items: list[_Item], ok: list[bool]) -> None:
    """"for" / "to" / "ate" / "won" (and "oh") are digits only inside a spoken English
    dictation: a tightly linked group of three or more digit-like words holding at least one
    real digit word ("four five for six", "oh ate one for", "won won eight three"). "go to the
    bank", "for two people", "i ate too much", "from 5 to 6" stay words."""
    i = 0
    while i < len(items):
        j = i
        while _english_digit_like(chain, items, ok, j) and j + 1 < len(items) \
                and items[j + 1].link == _TIGHT and _english_digit_like(chain, items, ok, j + 1):
            j += 1
        group = range(i, j + 1)
        if len(group) >= 3 and any(ok[k] and not items[k].weak for k in group):
            for k in group:
                ok[k] = True
        i = j + 1


def _english_digit_like(chain: _Chain, items: list[_Item], ok: list[bool], k: int) -> bool:
    item = items[k]
    if item.kind != _SEGMENT or chain.toks[item.lo].kind == _WRITTEN:
        return False
    return (ok[k] or item.weak) and _speaks_english(chain, item.lo) and _speaks_english(chain, item.hi)


def _speaks_english(chain: _Chain, index: int) -> bool:
    """True unless token ``index`` is an Indonesian number word (digits count as neutral)."""
    return chain.toks[index].key not in _INDONESIAN_WORDS


# --- assembling the output -----------------------------------------------------------------
# A converted run: one (source_start, source_end, output, copied) entry per item.
_Run = list[tuple[int, int, str, bool]]


def _runs(text: str) -> list[_Run]:
    runs: list[_Run] = []
    for chain in _chains(text, _tokens(text)):
        items = _fold_thousands(text, chain, _items(chain))
        ok = _convertible(chain, items)
        current: list[_Item] = []
        for i, (item, convert) in enumerate(zip(items, ok)):
            if convert:
                current.append(item)
                continue
            if _bridges(items, ok, i):
                continue  # "four six and then four oh seven": one dictation
            _close_run(chain, current, runs)
            current = []
        _close_run(chain, current, runs)
    return runs


def _bridges(items: list[_Item], ok: list[bool], i: int) -> bool:
    """An "and" between two converted numbers, followed by a hesitation ("and then", "and
    uh"), continues the dictation rather than ending it."""
    return (
        items[i].kind == _AND
        and 0 < i < len(items) - 1
        and ok[i - 1]
        and ok[i + 1]
        and items[i + 1].link == _LOOSE
    )


def _close_run(chain: _Chain, items: list[_Item], runs: list[_Run]) -> None:
    if not items:
        return
    # Written digits alone ("4532 0151") are already what the recognizers expect: keep them.
    if not any(tok.spoken for it in items for tok in chain.toks[it.lo:it.hi + 1]):
        return
    # A lone English "one" is a pronoun far more often than a digit: "the new one is C43…".
    if len(items) == 1 and items[0].lo == items[0].hi and chain.toks[items[0].lo].key == "one":
        return
    run = []
    for item in items:
        first, last = chain.toks[item.lo], chain.toks[item.hi]
        copied = item.lo == item.hi and not first.spoken  # written digits or a "/": 1:1
        output = item.digits if item.kind == _SEGMENT else str(first.value)
        run.append((first.start, last.end, output, copied))
    runs.append(run)


def _assemble(text: str, runs: list[_Run]) -> NormalizedText:
    parts: list[str] = []
    starts: list[int] = []
    spans: list[tuple[int, int, bool]] = []
    out_len = pos = 0

    def emit(chunk: str, src_start: int, src_end: int, copied: bool) -> None:
        nonlocal out_len
        if chunk:
            parts.append(chunk)
            starts.append(out_len)
            spans.append((src_start, src_end, copied))
            out_len += len(chunk)

    for run in runs:
        emit(text[pos:run[0][0]], pos, run[0][0], True)  # text between runs, unchanged
        for src_start, src_end, output, copied in run:  # gaps inside a run are dropped
            emit(output, src_start, src_end, copied)
        pos = run[-1][1]
    emit(text[pos:], pos, len(text), True)
    result = "".join(parts)
    return NormalizedText(text, result, result != text, tuple(starts), tuple(spans))
