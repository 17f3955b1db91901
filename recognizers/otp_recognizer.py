"""One-time passwords and verification codes: 4-8 digits, only right after their cue."""
from __future__ import annotations

from presidio_analyzer import Pattern

from .base import REFERENCE_CUES, ContextPatternRecognizer, digits_regex

OTP_CONTEXT = [
    "otp", "kode otp", "kode verifikasi", "kode verif", "verification code", "verif code",
    "one-time password", "one time password", "one-time code", "one time code", "kode aktivasi",
    "activation code", "kode sms", "sms code", "kode token", "token", "kode unik",
]


class OtpRecognizer(ContextPatternRecognizer):
    ENTITY = "OTP"
    PATTERNS = [Pattern("OTP (4-8 digits)", digits_regex(4, 8), 0.1)]
    CONTEXT = OTP_CONTEXT
    CONTEXT_BEFORE = 60  # "kode OTP yang masuk ke hp saya 858761"
    CONTEXT_BOOST = 0.8
    NEEDS_CONTEXT = True  # every pattern scores below the threshold without its cue
    FIRST_NUMBER_ONLY = True
    # "do not share your otp with anyone. your case number 1484185": that one is a reference.
    COMPETING_CONTEXT = REFERENCE_CUES
