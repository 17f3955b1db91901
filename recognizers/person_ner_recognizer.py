"""PERSON spans from spaCy's English NER, minus the mistakes it makes on Indonesian chat."""
from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.id.stop_words import STOP_WORDS as INDONESIAN_STOP_WORDS

from .base import ANALYZER_LANGUAGE

HONORIFICS = frozenset(
    "bapak bpk pak ibu bu kak kakak mas mbak mba dik adik bang om tante sdr sdri saudara saudari "
    "mr mrs ms miss dr prof sir madam".split()
)
# Words English NER takes for names in Indonesian text: address parts, chat words, banks.
NOT_NAMES = frozenset(
    "kec kel kab jl jln jalan gg rt rw no kota desa prov kode pos ktp nik npwp bpjs kk rek "
    "min gan sis bro halo hai hallo terima kasih makasih mohon maaf tolong selamat pagi siang "
    "sore malam oke ok sip baik siap bca bri bni mandiri cimb niaga bsi gopay ovo dana shopee "
    "tokopedia whatsapp wa email cvv exp visa mastercard rp idr usd sgd wib wita wit "
    "nama name alamat address domisili bank passport paspor family card nomor phone hp telp "
    "qty total order id".split()
)
_WORD = re.compile(r"[^\W\d_][^\W\d_'.-]*")


class PersonNerRecognizer(SpacyRecognizer):
    """Keeps an NER PERSON only if it has a capitalised word that is not a common word,
    and trims the common words and honorifics around it ("Pak Budi" -> "Budi")."""

    def __init__(self, supported_language: str = ANALYZER_LANGUAGE, **kwargs) -> None:
        super().__init__(supported_language=supported_language, supported_entities=["PERSON"],
                         **kwargs)

    def analyze(self, text, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            if text[result.end : result.end + 1].isalnum():
                continue  # glued to more characters: a code such as "INC9490622"
            words = list(_WORD.finditer(text, result.start, result.end))
            names = [i for i, word in enumerate(words) if is_name_word(word.group())]
            if names:
                # Trim what NER glues to a name: "Baik Kak Ulya", "Mursinin Yuniar ya".
                result.start, result.end = words[names[0]].start(), words[names[-1]].end()
                kept.append(result)
        return kept


def is_name_word(word: str) -> bool:
    lower = word.lower().rstrip(".")
    return (
        word[0].isupper()
        and not (word.isupper() and len(word) <= 4)  # acronyms: WIB, INC, BCA
        and lower not in NOT_NAMES
        and lower not in HONORIFICS
        and lower not in INDONESIAN_STOP_WORDS
        and lower not in ENGLISH_STOP_WORDS
    )
