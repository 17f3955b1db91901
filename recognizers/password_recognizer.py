"""Passwords and passcodes: the value right after "password", "kata sandi", "passcode"."""
from __future__ import annotations

from .base import CuedValueRecognizer

_WORDS_AFTER_A_MENTION = (
    # "password saya lupa", "reset password dong", "passwordnya salah terus"
    "lupa salah reset ganti diganti ubah terkunci keblokir diblokir kadaluarsa expired error "
    "apa berapa gimana bagaimana nggak gak ga tidak belum sudah udah bisa dong kak pak bu ya "
    "yang untuk buat di ke dan atau tapi juga baru lama sama nya itu ini "
    "for to of is was the a an and or but not doesn't didn't isn't wasn't has have had will "
    "can cannot can't reset change changed expired locked wrong forgot please again field "
    "manager policy"
).split()


class PasswordRecognizer(CuedValueRecognizer):
    ENTITY = "PASSWORD"
    CUES = [
        "password", "kata sandi", "sandi", "passcode", "passwd", "pwd", "kata kunci",
        "pass code", "pw", "passnya", "pass nya", "pass akun",  # chat: "pass nya sayang88#"
    ]
    WORD_CUES = frozenset({"pass"})  # "user id ANDIKA0988 pass Bandung@88"
    CONNECTORS = [
        "saya", "sy", "aku", "ku", "nya", "akun", "baru", "lama", "sekarang", "adalah", "yaitu",
        "yakni", "itu", "tuh", "my", "new", "old", "is", "it's", "its", "kak", "pak", "bu",
    ]
    STOP_WORDS = frozenset(_WORDS_AFTER_A_MENTION)
    # One token, then any numbers said or typed after it ("rahasia 123", spoken digits).
    # A full stop or comma typed after it ends the sentence, not the password.
    VALUE = r"[^\s,.?]\S*?(?:\s+\d[\d\s]*?)?(?=[.,?]?(?:\s|$))"
