"""Social-media handles and usernames: "follow IG aku @rina_putri92", "username: budi.s88".

A handle finds the person behind it as surely as a name does, and often spells the name
("@rina_putri92"). Customers give them to be found ("DM ke @..."), to have an account
checked ("username tokped saya ...") or in complaints. A brand's handle is masked too ("@lazada_id"):
which accounts are people's no list can tell. Only "@" before a chat word is read as "at".
"""
from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from .base import ANALYZER_LANGUAGE, CuedValueRecognizer
from .id_ner_model import ORDINARY_ID_WORDS
from .vocabulary import STOP_WORDS

ENTITY = "USERNAME"
_PLATFORMS = [
    "ig", "instagram", "tiktok", "twitter", "telegram", "line", "fb", "facebook", "shopee",
    "tokped", "tokopedia", "lazada", "bukalapak", "blibli", "gojek", "grab", "traveloka", "dana",
    "ovo", "gopay", "steam", "roblox", "ml", "ff",
]


class HandleRecognizer(PatternRecognizer):
    """"@name": not inside an email address ("budi@mail.com") nor after a word, and not a
    chat word after "@" for "at" ("transfer @rek bca")."""

    PATTERNS = [
        Pattern("@handle", r"(?<![\w@.+\-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])",
                0.7),
    ]

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE, **kwargs) -> None:
        super().__init__(supported_entity=ENTITY, patterns=self.PATTERNS,
                         supported_language=supported_language, **kwargs)

    def validate_result(self, pattern_text: str) -> bool | None:
        return False if pattern_text[1:].lower() in STOP_WORDS else None


class UsernameRecognizer(CuedValueRecognizer):
    """The username typed or said after its cue, with no "@": "username saya budi_s88", "id
    line nya rinaputri", "akun ig gw: dodi.kurniawan"."""

    ENTITY = ENTITY
    CUES = [
        "username", "user name", "uname", "user id", "id ig", "id instagram",
        "id line", "line id", "id tiktok", "id telegram", "akun ig", "akun instagram",
        "akun tiktok", "akun twitter", "akun x", "akun telegram", "akun fb", "akun facebook",
        "ig", "instagram", "tiktok", "twitter", "telegram",
    ]
    #: Words between the cue and the value, the app's name among them ("username shopee saya").
    CONNECTORS = [
        "saya", "sy", "aku", "aq", "gw", "gue", "nya", "is", "ku", "ya", "itu", "adalah", "kak",
        "min", "my", "its", "it's", "di", "@", *_PLATFORMS,
    ]
    VALUE = r"[a-z0-9_][a-z0-9_.]{2,29}"
    SCORE = 0.8
    FUZZY = False  # typo-tolerant cues cost ten times as much here, for cue words this short

    def plausible(self, value: str) -> bool:
        """A word that is no ordinary word, or has digits, dots or underscores: not the start
        of a sentence ("akun ig saya kena hack", "username apa ya")."""
        lower = value.lower().rstrip(".")
        if any(c.isdigit() or c in "_." for c in lower):
            return True
        return lower not in STOP_WORDS and lower not in ORDINARY_ID_WORDS
