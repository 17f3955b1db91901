"""Passport numbers (Indonesian: one or two letters + 6-7 digits), reported next to a cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer


class IdPassportRecognizer(ContextPatternRecognizer):
    ENTITY = "ID_PASSPORT"
    PATTERNS = [
        # "B1234567", "X 123456", and spoken letters kept apart by the ASR: "a b 1234567".
        Pattern(
            "Passport (letters + digits)",
            r"(?<![^\W\d_])(?<!['’])(?:[a-z]\s?){1,2}\d{6,8}(?![\w])",
            0.25,
        ),
        # Other countries' layouts: digits only ("746111355") or letters and digits mixed
        # ("LH0AVTDR8", "P5397880J"); only straight after the cue, as the look-behind says.
        Pattern(
            "Passport (other layouts)",
            r"(?<=(?:pas+port|paspor)(?:-?nya)?(?:[ \t]+(?:no|number|nomor|num|saya|sy|my|is))*"
            r"[ \t]*[:.#=-]?[ \t]*)(?=[a-z]*\d)[a-z0-9]{6,10}(?![\w])",
            0.05,
        ),
    ]
    CONTEXT = [
        "paspor", "passport", "no paspor", "nomor paspor", "passport number", "passport no",
        "pasport",
    ]
    # The cue is often in the agent's question and the number in the answer after it, with a
    # speaker label and the name in between; the first number after the cue is the passport.
    CONTEXT_BEFORE = 120
    CONTEXT_BOOST = 0.6
    FIRST_NUMBER_ONLY = True
