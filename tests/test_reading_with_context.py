"""A message read with the conversation before it: values are looked for from the last earlier
turn on (those before it were reported with their own turn), cues further back; and the cue
finder that every number asks, which tries only the cues a word could start."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from recognizers.id_nik_recognizer import IdNikRecognizer
from recognizers.person_cue_recognizer import PersonCueRecognizer
from redactor.config import DEFAULT_ALLOW_CUES
from redactor.numbers import ALLOWED, GENERIC_NUMBER, CueFinder


def _own_from(text: str) -> SimpleNamespace:
    """Artifacts saying that the text's last line is its own part, the rest context."""
    return SimpleNamespace(own_from=text.rfind("\n") + 1)


def _found(recognizer, text: str, artifacts=None) -> list[str]:
    entity = recognizer.supported_entities[0]
    return [text[r.start:r.end] for r in recognizer.analyze(text, [entity], artifacts)]


def test_names_of_turns_before_the_last_earlier_one_are_not_read_again():
    text = "customer: nama saya Budi Santoso\nagent: baik, atas nama siapa kak?\ncustomer: Rina"
    recognizer = PersonCueRecognizer()
    assert "Budi Santoso" in _found(recognizer, text)  # read whole, as one text
    found = _found(recognizer, text, _own_from(text))
    assert "Budi Santoso" not in found
    assert "Rina" in found  # the question of the last earlier turn still cues the answer


def test_a_name_cue_ending_the_last_earlier_turn_still_names_the_next():
    text = "agent: boleh dibantu nama lengkapnya\ncustomer: dengan\ncustomer: Yohanes Kurniawan"
    assert "Yohanes Kurniawan" in _found(PersonCueRecognizer(), text, _own_from(text))


def test_identifiers_of_earlier_turns_are_not_scanned_again():
    text = "customer: nik saya 3174012508900003\nagent: baik\ncustomer: makasih kak"
    recognizer = IdNikRecognizer()
    assert _found(recognizer, text) == ["3174012508900003"]
    assert _found(recognizer, text, _own_from(text)) == []


def test_a_cue_two_turns_back_still_vouches_for_the_answer():
    text = "agent: nomor NIK sesuai KTP nya kak?\ncustomer: sebentar ya kak\ncustomer: 3174 0125 0890 0003"
    results = IdNikRecognizer().analyze(text, ["ID_NIK"], _own_from(text))
    assert [text[r.start:r.end] for r in results] == ["3174 0125 0890 0003"]
    assert results[0].score >= 0.9  # the cue's boost, not the bare pattern's score


def test_a_number_begun_in_the_last_earlier_turn_is_found_whole():
    text = "agent: NIK nya kak?\ncustomer: 3174 0125\n0890 0003"  # a line wrapped mid-number
    assert _found(IdNikRecognizer(), text, _own_from(text)) == ["3174 0125\n0890 0003"]


@pytest.mark.parametrize(("text", "announced"), [
    ("nomor kartu kreditnya berapa kak", "CREDIT_CARD"),
    ("NO. REK nya apa", "BANK_ACCOUNT"),
    ("kirim kode OTP nya ya", "OTP"),
    ("Nomor KK sama NIK", "ID_NIK"),  # the last cue
    ("no order saya", ALLOWED),
    ("nomornya", GENERIC_NUMBER),
    ("(no.hp) 0812", "PHONE_NUMBER"),
    ("tanpa isyarat apa pun", None),
    ("nomorku", None),  # a cue is a whole word
])
def test_the_nearest_cue_is_found_whatever_its_case_and_punctuation(text, announced):
    found = CueFinder(DEFAULT_ALLOW_CUES).nearest(text, 0, len(text))
    assert (found[0] if found else None) == announced


def test_an_allow_cue_of_ones_own_may_start_with_a_symbol():
    finder = CueFinder(["#tiket", "ref-id"])
    assert finder.nearest("ini #tiket 4471", 0, 15) == (ALLOWED, 10)
    assert finder.nearest("REF-ID: 4471", 0, 12)[0] == ALLOWED
    assert finder.nearest("tiket 4471", 0, 10) is None  # without its symbol


def test_a_cue_whose_lower_case_is_no_prefix_is_found_all_the_same():
    assert CueFinder(DEFAULT_ALLOW_CUES).nearest("İD saya 3174", 0, 7)[0] == GENERIC_NUMBER


def test_cues_are_found_only_inside_the_range_asked_about():
    text = "nik saya, eh no hp saya 0812"
    finder = CueFinder(DEFAULT_ALLOW_CUES)
    assert finder.nearest(text, 0, 8)[0] == "ID_NIK"
    assert finder.nearest(text, 9, len(text))[0] == "PHONE_NUMBER"
    assert finder.nearest(text, 1, 8) is None  # "ik saya": no word starts a cue there
