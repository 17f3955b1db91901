"""Per-message language guess (Indonesian vs English) from function words.

Contact-centre messages are short and often code-mixed, so a character n-gram model buys
little; counting frequent function words is fast, predictable and good enough to decide
whether running the English NER model is worth it.
"""
from __future__ import annotations

from typing import Literal

import regex as re

Language = Literal["id", "en"]

_WORD = re.compile(r"[^\W\d_]+")

INDONESIAN_WORDS = frozenset(
    """
    yang dan di ke dari ini itu ada tidak tak gak ga nggak enggak bukan untuk dengan saya sy aku
    kamu anda kami kita mereka dia ia nya mau ingin tolong bisa sudah udah udh sdh belum blm akan
    juga atau tapi karena kalau kalo jika apa apakah bagaimana gimana gmn kenapa mengapa kapan
    mana berapa siapa sama pak bu bapak ibu kak mas mbak min gan dong deh sih ya iya nih tuh lagi
    masih baru harus boleh terima kasih makasih mohon silakan selamat pagi siang sore malam
    nomor no rekening kartu alamat nama tanggal lahir tinggal jalan kirim transfer bayar
    sudah telah dalam pada oleh agar supaya seperti saat waktu jam hari besok kemarin sekarang
    satu dua tiga empat lima enam tujuh delapan sembilan nol kosong puluh belas ratus ribu juta
    """.split()
)

ENGLISH_WORDS = frozenset(
    """
    the a an and or but of to in on at for with from by is are was were be been am i you he she
    we they it my your his her our their me him us them this that these those what which who
    how why when where can could would should will do does did have has had not no yes please
    thank thanks hello hi name number card account address phone email call calling speaking
    here there just want need help about my mine so if then than also very
    zero one two three four five six seven eight nine ten twenty thirty forty fifty hundred
    """.split()
)


def language_scores(text: str) -> tuple[int, int]:
    """Count (Indonesian, English) function words in ``text``."""
    indonesian = english = 0
    for match in _WORD.finditer(text):
        word = match.group().lower()
        indonesian += word in INDONESIAN_WORDS
        english += word in ENGLISH_WORDS
    return indonesian, english


def detect_language(text: str) -> Language:
    """The dominant language of ``text``; ties go to Indonesian, our first market."""
    indonesian, english = language_scores(text)
    return "en" if english > indonesian else "id"


def has_english(text: str) -> bool:
    """True when English carries a real share of the message (English or code-mixed)."""
    indonesian, english = language_scores(text)
    return english >= 2 and english * 2 >= indonesian
