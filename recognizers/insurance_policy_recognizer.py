"""Insurance policy numbers, next to a policy cue: codes of letters and digits in any grouping.

A policy number leads to its holder, so it is masked whole, letters included: "HK-2019-00381726",
"AUTO/2023/JKT/004518", "UL 7730 4418", and said aloud "p l 2019 3..." (spoken numbers already
normalised). The fail-safe number rule leaves codes glued to letters readable ("INV/2024/MPL"
is an invoice), so without this recognizer the letters and often the digits of a policy number
would be let out.
"""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer

_LETTERS = r"[a-z]{1,5}"
_GROUP = r"(?:[a-z]{1,5}|\d{1,10})"


class InsurancePolicyRecognizer(ContextPatternRecognizer):
    ENTITY = "INSURANCE_POLICY"
    PATTERNS = [
        # "HK-2019-00381726", "AUTO/2023/JKT/004518", "TRV-24-0918273", "POL123456789"
        Pattern("Policy code",
                rf"(?<![\w/\-])(?=[\w/\-]*\d{{2}})(?:{_GROUP}[/\-.]){{1,4}}{_GROUP}(?![\w/\-])", 0.1),
        Pattern("Policy letters+digits", rf"(?<![\w/\-]){_LETTERS}\d{{5,12}}(?![\w/\-])", 0.1),
        # "UL 7730 4418", "p l 2019 3", "j w 0019 2": letters (typed or said one by one), digits
        Pattern("Policy letters then digit groups",
                r"(?<![\w/\-])(?:[a-z]{1,3}|[a-z](?:\s[a-z]){1,2})\s\d(?:\s?\d){3,15}(?![\w/\-])", 0.1),
    ]
    CONTEXT = [
        "polis", "polisnya", "nomor polis", "no polis", "nomer polis", "e-polis", "policy",
        "policy number", "policy no", "nomor sertifikat", "certificate number",
    ]
    CONTEXT_BEFORE = 60  # "Mohon nomor polis dan nama anak." / "polis HK-2019-00381726"
    FUZZY_CONTEXT = False  # "nomor polis" one letter short of "nomor polisi", a plate's cue
    NEEDS_CONTEXT = True
    CONTEXT_BOOST = 0.75
    # "nomor polis dan nomor polisi kendaraan" / "polis AUTO/2023/JKT/004518, plat D 1446 ZAF"
    COMPETING_CONTEXT = ["plat", "nopol", "nomor polisi", "polisi", "hp", "telp", "rekening", "kartu"]
