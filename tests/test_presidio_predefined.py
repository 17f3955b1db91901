"""Presidio's predefined recognizers we register: foreign IDs in English and code-mixed text."""
from __future__ import annotations

import pytest

from redactor import Redactor


@pytest.mark.parametrize("text, entity_type, value", [
    ("my ssn is 123-45-6789", "US_SSN", "123-45-6789"),
    ("my itin is 912-91-3457 thanks", "US_ITIN", "912-91-3457"),
    ("please transfer to IBAN DE89 3704 0044 0532 0130 00", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
    ("my ip is 192.168.10.24 when I log in", "IP_ADDRESS", "192.168.10.24"),
    ("send it to wallet 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ please", "CRYPTO", "16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ"),
    ("my NRIC is S0000001I for the record", "SG_NRIC_FIN", "S0000001I"),
    ("my nhs number is 401 023 2137", "UK_NHS", "401 023 2137"),
    ("the tax file number is 876 543 210", "AU_TFN", "876 543 210"),
    ("my national insurance number is AB 12 34 56 C", "UK_NINO", "AB 12 34 56 C"),
])
def test_foreign_identifiers_are_masked(redactor, text, entity_type, value):
    result = redactor.redact(text)
    assert value not in result.text
    start = text.index(value)
    assert any(e.start <= start and e.end >= start + len(value) for e in result.entities), result


def test_country_recognizers_run_only_on_english_or_code_mixed_text(redactor):
    # An Indonesian message: no US passport guessed from a bare 9-digit order of words.
    assert {e.entity_type for e in redactor.analyze("saya mau tanya soal paket A12345678 kak")} \
        .isdisjoint({"US_PASSPORT", "US_DRIVER_LICENSE"})


def test_a_failing_predefined_recognizer_fails_closed(monkeypatch):
    redactor = Redactor()
    [iban] = [r for r in redactor._analyzer.registry.recognizers if r.name == "IbanRecognizer"]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(iban, "analyze", broken)
    result = redactor.redact("my iban is DE89370400440532013000")
    assert result.failed and result.text == "<REDACTED>"


@pytest.mark.parametrize("text, expected", [
    ("invoice 776779697 is still unpaid", "invoice 776779697 is still unpaid"),  # passes the TFN checksum
    ("it is 776779697 I think", "it is <NUMBER> I think"),  # masked, but not called a TFN
    ("my tfn is 776779697", "my tfn is <AU_TFN>"),
])
def test_a_bare_number_gets_a_foreign_label_only_with_its_cue(redactor, text, expected):
    assert redactor.redact(text).text == expected
