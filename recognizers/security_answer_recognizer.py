"""Answers to security questions: pet's name, mother's maiden name, "pertanyaan keamanan"."""
from __future__ import annotations

from .base import CuedValueRecognizer


class SecurityAnswerRecognizer(CuedValueRecognizer):
    ENTITY = "SECURITY_ANSWER"
    FUZZY = False  # long phrases: fuzzy matching them costs more than the typos it forgives
    CUES = [
        "nama hewan peliharaan", "hewan peliharaan", "nama peliharaan", "pertanyaan keamanan",
        "jawaban keamanan", "nama ibu kandung", "ibu kandung", "nama gadis ibu",
        "security question", "security answer", "secret question", "secret answer",
        "pet's name", "pets name", "name of your first pet", "first pet", "maiden name",
        "mother's maiden name",
    ]
    CONNECTORS = [
        "saya", "sy", "aku", "nya", "pertama", "dulu", "adalah", "yaitu", "itu", "is", "was",
        "my", "the", "answer", "jawaban", "jawabannya", "jawabnya", "namanya", "kak", "pak", "bu",
        "ya", "si",
    ]
    STOP_WORDS = frozenset(
        "apa siapa berapa gimana bagaimana nama yang untuk buat nggak gak tidak lupa belum "
        "sudah dan atau baik oke ok ya iya terima makasih boleh bisa mohon silakan tolong "
        "sebentar tunggu dulu nomor no nik ktp kode otp pin kartu alamat email mau tanya what who how is the a an do does did not forgot and or "
        "please thank thanks okay yes can could may".split()
    )
    # One or two words: "Mochi", "Siti Aminah".
    VALUE = r"[\p{L}][\p{L}'\-]*(?:[ \t]+(?!(?:ya|kak|pak|bu|dan|and|terus|deh|sih|kok|ok|oke)\b)[\p{L}][\p{L}'\-]*)?"
