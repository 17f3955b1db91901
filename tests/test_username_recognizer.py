"""USERNAME: social-media handles ("@rina_putri92") and usernames after their cue."""
from __future__ import annotations

import pytest

from redactor import Redactor
from recognizers.username_recognizer import HandleRecognizer, UsernameRecognizer

HANDLES = HandleRecognizer()
CUED = UsernameRecognizer()


def found(recognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, ["USERNAME"])]


@pytest.mark.parametrize(("text", "expected"), [
    ("follow IG aku @rina_putri92 ya kak", ["@rina_putri92"]),
    ("cc @rina.putri, @andi_99", ["@rina.putri", "@andi_99"]),
    ("@budi tolong cek", ["@budi"]),
    ("DM ke @jual.murah.official aja", ["@jual.murah.official"]),
    ("email budi@mail.com", []),  # an email address is another entity
    ("transfer 50rb @rek bca", []),  # "@" for "at" before a chat word
    ("harga @ 5000", []),
    ("meet @ 10am", []),
])
def test_handles(text, expected):
    assert found(HANDLES, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("username saya budi_s88", ["budi_s88"]),
    ("ig: dodi.kurniawan", ["dodi.kurniawan"]),
    ("akun ig gw dodikur", ["dodikur"]),
    ("id line nya rinaputri", ["rinaputri"]),
    ("usernamenya: sitirahma", ["sitirahma"]),
    ("username tiktok aku itu kiki.cantik", ["kiki.cantik"]),
    ("akun ig saya kena hack", []),  # a sentence, not a username
    ("username apa ya kak", []),
    ("tolong cek akun ig gw", []),
    ("lupa username saya", []),
])
def test_usernames_after_their_cue(text, expected):
    assert found(CUED, text) == expected


def test_usernames_are_masked_by_the_engine():
    result = Redactor().redact("kak tolong cek akun ig gw @rina_putri92, username shopee rinaputri92")
    assert "rina" not in result.text, result.text
    assert [e.entity_type for e in result.entities] == ["USERNAME", "USERNAME"]
