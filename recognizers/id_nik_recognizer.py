"""Indonesian NIK (Nomor Induk Kependudukan), the 16-digit number on the KTP identity card."""
from __future__ import annotations

import calendar

from presidio_analyzer import Pattern

from .base import ContextPatternRecognizer, digits_regex, only_digits

# Province codes (Kemendagri). NIK and KK numbers both start with one of these.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
     61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)

KK_CONTEXT = ["kk", "kartu keluarga", "family card", "no kk", "nomor kk", "no. kk"]


def is_valid_region(digits: str) -> bool:
    """Province, regency and district codes of the first six digits look real."""
    return int(digits[:2]) in PROVINCE_CODES and digits[2:4] != "00" and digits[4:6] != "00"


def is_valid_birth_date(ddmmyy: str, female_offset: int = 40) -> bool:
    """DDMMYY, where women's day of birth is stored plus 40."""
    day, month = int(ddmmyy[:2]), int(ddmmyy[2:4])
    if day > female_offset:
        day -= female_offset
    if not 1 <= month <= 12:
        return False
    # The century is unknown: allow 29 February whatever the year.
    return 1 <= day <= max(calendar.monthrange(2000, month)[1], 1)


class IdNikRecognizer(ContextPatternRecognizer):
    """NIK: region code (6) + birth date DDMMYY, day + 40 for women (6) + serial (4)."""

    ENTITY = "ID_NIK"
    PATTERNS = [Pattern("NIK (16 digits, any grouping)", digits_regex(16, 16), 0.6)]
    CONTEXT = [
        "nik", "ktp", "e-ktp", "ektp", "no ktp", "nomor ktp", "nomor induk kependudukan",
        "kependudukan", "identitas", "national id", "id number", "identity number", "id card",
    ]
    # "NIK" cues are weaker than "KK" cues sitting nearer to the number; a KK cue nearest to
    # the number drops it below the threshold (the KK recognizer reports it instead).
    COMPETING_CONTEXT = KK_CONTEXT
    COMPETING_PENALTY = 0.2

    def validate_result(self, pattern_text: str) -> bool | None:
        # None (not True) keeps the graded score: True would force 1.0 and leave no room
        # for context to tell a NIK from a KK number of the same shape.
        return None if is_valid_nik(only_digits(pattern_text)) else False


def is_valid_nik(digits: str) -> bool:
    return (
        len(digits) == 16
        and is_valid_region(digits)
        and is_valid_birth_date(digits[6:12])
        and digits[12:] != "0000"
    )
