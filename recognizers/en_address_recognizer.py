"""ADDRESS recognizer for US-style English addresses, written or normalised-spoken.

Covers "123 Main Street, Apt 4B, Springfield, IL 62704", "742 Evergreen Terrace", Faker en_US
output ("1234 Smith Roads Suite 567\\nNew Jessica, TX 12345", "PSC 1234, Box 5678\\nAPO AA
12345", "USNS Foo\\nFPO AE 12345") and the lower-case form our spoken normaliser produces
("30600 ward gateway apt 111 north jessicatown m n 34014" - state letters spelled out).
Written ALL IN CAPITALS, where case says nothing, an address is read like lower-case text
(spelled state letters, "NORTH CORY" after the unit), and "SPRINGFIELD, IL 62704" is a city and
state when it has its comma.

Same machinery as the Indonesian recognizer (:class:`ChainAddressRecognizer`): components
(street = house number + name + street-suffix word, unit, PO box, military address, state,
ZIP, "City, ST 12345"), chained over commas/spaces/newlines with an unknown city name
absorbed between two components, one span per chain. An unknown city after the street line
("…, Clarkburgh Phone: …", "…, North Wesley, +81 …", "12 Baker Street, London") is taken in
when it ends cleanly; spoken, without commas, only a prefixed one ("… apt 678 north wesley").

A number followed by ordinary words ("3 items", "10 minutes drive") is not a street: the
street needs a suffix word, and the name words before it may not be function words, chat
words or units of quantity.
"""
from __future__ import annotations

import regex as re

from recognizers.id_address_recognizer import (
    BLOCK_WORDS,
    CONDITION_WORDS,
    GAP,
    TAIL_LABELS,
    Casing,
    ChainAddressRecognizer,
    Component,
    PlaceIndex,
)

STREET = "STREET"
UNIT = "UNIT"
POBOX = "POBOX"
MIL = "MIL"  # PSC 1234, Box 5678 / USNS Foo
MILSTATE = "MILSTATE"  # APO AA
STATE = "STATE"
ZIP = "ZIP"
CITYSTATE = "CITYSTATE"  # "Springfield, IL 62704"
COUNTRY = "COUNTRY"

#: Everyday suffixes: a Title-case "742 Evergreen Terrace" alone is a confident match.
COMMON_SUFFIXES = frozenset(
    """
    street st str avenue ave av road rd boulevard blvd lane ln drive dr court ct way place pl
    terrace ter terr circle cir highway hwy parkway pkwy square sq trail trl alley aly plaza plz
    crescent cres route rte expressway expy freeway fwy turnpike tpke pike row loop
    """.split()
)

#: The rest of the USPS / Faker en_US suffixes (singular and plural): weaker alone, because
#: many are ordinary nouns ("3 red lights", "2 big islands").
OTHER_SUFFIXES = frozenset(
    """
    alley alleys branch branches bridge bridges brook brooks burg burgs bypass camp camps canyon
    canyons cape capes causeway center centers centre circles cliff cliffs club clubs common
    commons corner corners course courses courts cove coves creek creeks crest crests crossing
    crossroad crossroads curve curves dale dales dam dams divide divides drives estate estates
    expressways extension extensions ext fall falls ferry ferries field fields flat flats ford
    fords forest forests forge forges fork forks fort forts freeways garden gardens gateway
    gateways glen glens green greens grove groves harbor harbors harbour haven havens heights hts
    highways hill hills hollow hollows inlet inlets island islands isle isles junction junctions
    key keys knoll knolls lake lakes land lands landing landings lanes light lights loaf lock
    locks lodge lodges loops mall malls manor manors meadow meadows mews mill mills mission
    missions motorway motorways mount mountain mountains mt mtn neck necks orchard orchards oval
    ovals overpass overpasses park parks parkways pass passage passages path paths pikes pine
    pines places plain plains plazas point points port ports prairie prairies radial radials
    ramp ramps ranch ranches rapid rapids rest rests ridge ridges river rivers roads routes rows
    rue rues run runs shoal shoals shore shores skyway skyways spring springs spur spurs squares
    station stations stravenue stravenues stream streams streets summit summits terraces
    throughway throughways trace traces track tracks trafficway trafficways trails tunnel
    tunnels turnpikes underpass underpasses union unions valley valleys via viaduct viaducts
    view views village villages ville villes vista vistas walk walks wall walls ways well wells
    """.split()
)
SUFFIXES = COMMON_SUFFIXES | OTHER_SUFFIXES

#: Units of quantity and other nouns that follow numbers in chat ("3 items", "2 hours").
QUANTITY_WORDS = frozenset(
    """
    time times item items pc pcs piece pieces hour hours hr hrs minute minutes min mins second
    seconds sec secs day days week weeks month months year years yr yrs people person persons
    order orders package packages parcel parcels box boxes unit units dollar dollars usd bucks
    cent cents percent pct gb mb kb tb kg g gram grams km kilometers kilometres mile miles meter
    meters metre metres m cm mm ft feet foot inch inches lb lbs star stars call calls ticket
    tickets attempt attempts business working more less different other others extra total
    payment payments installment installments transaction transactions card cards account
    accounts digit digits number numbers times-a-day rupiah ribu juta rb jt x nights night
    rooms adults kids children guests seats tabs pages lines
    """.split()
)

#: Stop words that do occur in US street names.
NAME_OK = frozenset(
    """
    first third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth twentieth
    thirtieth fortieth fiftieth hundredth front back top
    """.split()
)

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "Virgin Islands", "UM": "United States Minor Outlying Islands",
    "FM": "Federated States of Micronesia", "MH": "Marshall Islands", "PW": "Palau",
    "AA": "Armed Forces Americas", "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific",
}
_ABBRS = "|".join(sorted(US_STATES))
_ABBR_SET = frozenset(a.lower() for a in US_STATES)

_ZIP = r"\d{5}(?:-\d{4})?(?![\w]|[.,:/\-]\d)"
_HOUSE_RE = re.compile(
    r"(?<![\w$€£¥.,:/#\-+])(?:\d{1,6}[A-Za-z]?|\d{1,5}-\d{1,4}[A-Za-z]?)"
    r"(?=[ \t]{1,3}[A-Za-z0-9])"
)
_NAME_TOKEN_RE = re.compile(
    r"[ \t]{1,3}(?P<w>[A-Za-z][A-Za-z'’]{0,30}(?:-[A-Za-z]{1,20})?|\d{1,3}(?:st|nd|rd|th))"
    r"(?P<dot>\.)?(?![\w])",
    re.IGNORECASE,
)
_DIRECTION_RE = re.compile(r"[ \t]{1,2}(?:N|S|E|W|NE|NW|SE|SW)\.?(?![\w])")
_UNIT_RE = re.compile(
    r"(?<![\w#])(?:apt|apartment|suite|ste|unit|rm|room|fl|floor|bldg|building|dept|lot|trlr|#)"
    r"\.?[ \t]{0,2}#?[ \t]{0,2}(?:\d{1,5}[A-Za-z]?|[A-Za-z]\d{0,4})(?![\w])",
    re.IGNORECASE,
)
_POBOX_RE = re.compile(
    r"(?<![\w])p\.?[ \t]?o\.?[ \t]{0,2}box[ \t]{0,2}#?[ \t]{0,2}\d{1,6}(?![\w])", re.IGNORECASE
)
_MIL_RE = re.compile(
    r"(?<![\w])(?:psc|unit|cmr)[ \t]{1,2}\d{3,5}[ \t]{0,2},?[ \t]{0,2}box[ \t]{1,2}\d{1,5}(?![\w])",
    re.IGNORECASE,
)
_SHIP_RE = re.compile(r"(?<![\w])(?:USS|USNS|USNV|USCGC)[ \t]{1,2}[A-Z][A-Za-z'\-]{1,30}(?![\w])")
_SHIP_LOWER_RE = re.compile(
    r"(?<![\w])(?:uss|usns|usnv|uscgc)[ \t]{1,2}[a-z][a-z'\-]{1,30}(?![\w])"
)
_MILSTATE_RE = re.compile(r"(?<![\w])(?:APO|FPO|DPO)[ \t]{1,2}(?:AA|AE|AP)(?![\w])", re.IGNORECASE)
_ZIP_RE = re.compile(r"(?<![\w.,/:\-$])" + _ZIP)
#: Upper-case state code: before a ZIP, or after a comma at the end of a line/sentence.
_STATE_ABBR_RE = re.compile(
    r"(?<![\w])(?:" + _ABBRS + r")(?![\w])(?=[ \t]{1,3}\d{5}(?!\d)|[ \t]*(?:[.!?]|$))",
    re.MULTILINE,
)
#: Lower-case state code, written ("il") or spelled by ASR ("i l"), only right before a ZIP;
#: applied only where the text is lower-case (or ALL CAPS, which gives no case cue either).
_STATE_LOWER_RE = re.compile(
    r"(?<![\w])(?P<a>[a-z])[ \t]?(?P<b>[a-z])(?=[ \t]{1,3}\d{5}(?!\d))", re.IGNORECASE
)
_STATE_O_ZIP_RE = re.compile(r"(?<![\w])(?P<a>[a-z])[ \t]0\d{5}(?!\d)", re.IGNORECASE)
_CITYSTATE_RE = re.compile(
    r"(?<![\w])(?P<city>[A-Z][a-z]{1,30}(?:[ \t][A-Z][a-z]{1,30}){0,2}),?[ \t]{1,2}"
    r"(?:" + _ABBRS + r")[ \t]{1,2}" + _ZIP
)
#: The same written ALL IN CAPITALS ("SPRINGFIELD, IL 62704"): only with its comma.
_CITYSTATE_CAPS_RE = re.compile(
    r"(?<![\w])(?P<city>[A-Z]{3,30}(?:[ \t][A-Z]{2,30}){0,2}),[ \t]{1,2}"
    r"(?:" + _ABBRS + r")[ \t]{1,2}" + _ZIP
)
_EN_PLACES = PlaceIndex(
    {
        **{name: STATE for name in US_STATES.values()},
        "USA": COUNTRY, "U.S.A.": COUNTRY, "United States": COUNTRY,
        "United States of America": COUNTRY,
    }
)


#: Indonesian stop/chat words that are also common US names ("Tanya Islands", "Wong Pass").
US_NAME_WORDS = frozenset("dan tanya wong yang may bung ada kita mas min".split())

#: Words that end an English street or city name: function words (both languages), chat
#: words, quantities.
EN_BLOCK_WORDS = ((BLOCK_WORDS | QUANTITY_WORDS | CONDITION_WORDS) - US_NAME_WORDS) - NAME_OK


#: Faker / US city-name prefixes: "North Wesley", "Port Jessica", "Lake Rebecca".
_CITY_PREFIX_RE = re.compile(
    r"[ \t]{1,2}(?:north|south|east|west|new|port|lake|fort|ft|saint|st|mount|mt)\.?[ \t]{1,2}[a-z]",
    re.IGNORECASE,
)


def _street_word_ok(word: str) -> bool:
    w = word.lower()
    return w in SUFFIXES or w not in EN_BLOCK_WORDS


class EnAddressRecognizer(ChainAddressRecognizer):
    """US-style street addresses ("123 Main Street, Apt 4B, Springfield, IL 62704")."""

    # -- components ---------------------------------------------------------------------
    def _street_at(self, text: str, num_end: int) -> tuple[int, bool, bool] | None:
        """(end, titled, common suffix) of "<name words> <suffix>" after a house number."""
        i = num_end
        tokens: list[tuple[int, str, bool]] = []  # (end, word, title)
        while len(tokens) < 5:
            m = _NAME_TOKEN_RE.match(text, i)
            if not m:
                break
            word = m.group("w")
            if not _street_word_ok(word):
                break
            tokens.append((m.end("w"), word, word[0].isupper() or word[0].isdigit()))
            i = m.end()
            if m.group("dot") and word.lower() not in SUFFIXES and len(word) > 3:
                break  # a sentence end
        last = None
        for k in range(1, len(tokens)):
            if tokens[k][1].lower() in SUFFIXES:
                last = k
        if last is None:
            return None
        end = tokens[last][0]
        suffix = tokens[last][1]
        if text[end : end + 1] == "." and suffix.lower() in COMMON_SUFFIXES and len(suffix) <= 4:
            end += 1  # "St." / "Ave."
        d = _DIRECTION_RE.match(text, end)
        if d:
            end = d.end()
        titled = all(t[2] for t in tokens[: last + 1])
        return end, titled, suffix.lower() in COMMON_SUFFIXES

    def find_components(self, text: str, casing: Casing) -> list[Component]:
        comps: list[Component] = []
        for m in _HOUSE_RE.finditer(text):
            street = self._street_at(text, m.end())
            if street is None:
                continue
            end, titled, common = street
            comps.append(
                Component(
                    m.start(), end, STREET, grade="common" if common else "other", titled=titled,
                    lower=casing.lower_near(m.start(), end),
                )
            )
        for m in _UNIT_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), UNIT, lead=False))
        for m in _POBOX_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), POBOX))
        for m in _MIL_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), MIL))
        for m in _SHIP_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), MIL))
        for m in _SHIP_LOWER_RE.finditer(text):
            if casing.lower_near(m.start(), m.end()):
                comps.append(Component(m.start(), m.end(), MIL))
        for m in _MILSTATE_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), MILSTATE))
        for m in _ZIP_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), ZIP, lead=False))
        for m in _STATE_ABBR_RE.finditer(text):
            comps.append(Component(m.start(), m.end(), STATE, lead=False))
        for m in _STATE_LOWER_RE.finditer(text):
            state = (m.group("a") + m.group("b")).lower()
            if state in _ABBR_SET and casing.lower_near(m.start(), m.end()):
                comps.append(Component(m.start(), m.end(), STATE, lead=False))
        for m in _STATE_O_ZIP_RE.finditer(text):
            # "m o 94338" normalised to "m 094338": the spoken letter "o" became a zero.
            if m.group("a").lower() + "o" in _ABBR_SET and casing.lower_near(m.start(), m.end()):
                comps.append(Component(m.start(), m.end(), STATE, count=2, lead=False))
        for start, end, kind in _EN_PLACES.scan(text):
            comps.append(Component(start, end, kind, lead=False))
        caps = [
            m for m in _CITYSTATE_CAPS_RE.finditer(text) if casing.lower_near(m.start(), m.end())
        ]
        for m in [*_CITYSTATE_RE.finditer(text), *caps]:
            city_words = m.group("city").split()
            while city_words and city_words[0].lower() in EN_BLOCK_WORDS:
                city_words.pop(0)  # "Ship to Springfield, IL ..." -> "Springfield"
            if not city_words or any(w.lower() in EN_BLOCK_WORDS for w in city_words):
                continue
            start = m.end("city") - len(" ".join(city_words))
            if text[start : m.end("city")] != " ".join(city_words):
                continue  # tabs/double spaces inside: keep it simple, skip
            comps.append(Component(start, m.end(), CITYSTATE, count=2))
        return comps

    # -- chain policy -------------------------------------------------------------------
    def starts_new_address(self, chain: list[Component], comp: Component) -> bool:
        if comp.kind not in (STREET, POBOX, MIL):
            return False
        return any(c.kind in (STREET, POBOX, MIL, ZIP, CITYSTATE) for c in chain)

    #: "171 Kent Walk Apt. 678, North Wesley, +81 …": a city after the street line.
    TAIL_AFTER = frozenset({STREET, UNIT, POBOX})
    TAIL_MAX_WORDS = 3

    def tail_without_comma(self, text: str, chain: list[Component], casing: Casing):
        # Spoken, no commas: "… apt 678 north wesley" - only a prefixed city name.
        last = chain[-1]
        if casing.lower_near(last.start, last.end) and _CITY_PREFIX_RE.match(text, last.end):
            return 2, True
        return None

    def tail_word_ok(self, word: str, lower_text: bool) -> bool:
        if word.lower() in TAIL_LABELS or not self.gap_word_ok(word, lower_text):
            return False
        return lower_text or word[0].isupper()

    def can_lead(self, chain: list[Component]) -> bool:
        # "Suite 200, 1 Infinite Loop, Cupertino, CA 95014": a unit before its street.
        return chain[0].kind == UNIT and len(chain) > 1 and chain[1].kind in (STREET, POBOX)

    def gap_word_ok(self, word: str, lower_text: bool) -> bool:
        w = word.lower().rstrip(".")
        if not w or w in EN_BLOCK_WORDS:
            return False
        return lower_text or word[0].isupper()

    def score_chain(self, chain: list[Component], text: str) -> float:
        real = [c for c in chain if c.kind != GAP]
        kinds = {c.kind for c in real}
        n = sum(c.count for c in chain)
        if STREET in kinds:
            if n >= 2:
                return 0.85
            street = real[0]
            if street.titled and street.grade == "common" and not street.lower:
                return 0.85
            if street.grade == "common" or (street.titled and not street.lower):
                return 0.6
            return 0.0
        if kinds & {POBOX, MIL, MILSTATE}:
            return 0.85 if n >= 3 else 0.6
        if CITYSTATE in kinds:
            return 0.85 if n >= 3 else 0.6
        return 0.0
