"""Secrets: OTP, PIN, password and security answers, found after their cue, never kept."""
from __future__ import annotations

import pytest

from recognizers.otp_recognizer import OtpRecognizer
from recognizers.password_recognizer import PasswordRecognizer
from recognizers.pin_recognizer import PinRecognizer
from recognizers.security_answer_recognizer import SecurityAnswerRecognizer
from redactor import ConfigError, Redactor, RedactorConfig
from tests.support import detected


@pytest.mark.parametrize("text, expected", [
    ("kode OTP nya 858761", ["858761"]),
    ("kode verifikasi saya 4821", ["4821"]),
    ("the verification code is 093 441", ["093 441"]),
    ("one-time password: 55120987", ["55120987"]),
    ("OTP yang masuk ke hp saya 771203", ["771203"]),
    ("otp nya 123 ya kak, total 250000", []),  # too short; the total is no OTP
    ("jangan berikan kode OTP ke siapa pun. nomor tiket 448812", []),  # a reference after it
    ("saya sudah bayar 150000", []),
])
def test_otp(text, expected):
    assert detected(OtpRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("pin atm saya 123456", ["123456"]),
    ("PIN: 4455", ["4455"]),
    ("my pin is 908172", ["908172"]),
    ("pin saya lupa, nomor order 123456", []),
    ("lokasi pin di peta", []),
])
def test_pin(text, expected):
    assert detected(PinRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("password saya Rahasia123!", ["Rahasia123!"]),
    ("kata sandi: kucing 123 ya", ["kucing 123"]),
    ("passwordnya Budi_2020.", ["Budi_2020"]),
    ("my password is hunter2", ["hunter2"]),
    ("permisi kak pass nya rahasia99x", ["rahasia99x"]),
    ("passnya sayang88# tgl 10/05/2025", ["sayang88#"]),
    ("pass akun saya Mawar_77", ["Mawar_77"]),
    ("passnya salah terus", []),
    ("boarding pass saya hilang", []),
    # a bare "pass" (also a word) before a value shaped like a secret
    ("user id ANDIKA0988 pass Bandung@88", ["Bandung@88"]),
    ("email dimas.anggara.p@gmail.com pass dimas1234", ["dimas1234"]),
    ("saya gak bisa pass ujian", []),
    ("season pass 2024 masih aktif?", []),
    ("sandi baru saya M4ju#Bank", ["M4ju#Bank"]),
    ("passcode 8812", ["8812"]),
    ("saya lupa password", []),
    ("password saya lupa kak", []),
    ("reset password dong", []),
    ("passwordnya salah terus", []),
])
def test_password(text, expected):
    assert detected(PasswordRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("nama hewan peliharaan saya Mochi", ["Mochi"]),
    ("pertanyaan keamanan: nama ibu kandung, jawabannya Siti Aminah ya kak", ["Siti Aminah"]),
    ("my mother's maiden name is Smith", ["Smith"]),
    ("the name of your first pet? Rex", ["Rex"]),
    ("boleh disebutkan nomor ktp dan nama ibu kandung", []),
    ("nama hewan peliharaan apa ya?", []),
])
def test_security_answer(text, expected):
    assert detected(SecurityAnswerRecognizer(), text) == expected


@pytest.mark.parametrize("text, masked", [
    ("kode OTP nya 858761", "kode OTP nya <OTP>"),
    ("pin atm saya 123456", "pin atm saya <PIN>"),
    ("password saya Rahasia123!", "password saya <PASSWORD>"),
    ("nama hewan peliharaan saya Mochi", "nama hewan peliharaan saya <SECURITY_ANSWER>"),
    ("kode otp nya delapan lima delapan tujuh enam satu", "kode otp nya <OTP>"),
])
def test_secrets_are_masked_by_the_engine(redactor, text, masked):
    assert redactor.redact(text).text == masked


@pytest.mark.parametrize("operator", ["hash", "encrypt", "mask"])
@pytest.mark.parametrize("secret", ["OTP", "PIN", "PASSWORD", "SECURITY_ANSWER"])
def test_a_policy_cannot_pseudonymise_encrypt_or_partly_show_a_secret(secret, operator):
    with pytest.raises(ConfigError, match=f"{secret} is a secret"):
        RedactorConfig.from_dict({"entities": {secret: {"operator": operator}}})


def test_a_default_operator_that_keeps_information_does_not_reach_secrets():
    config = RedactorConfig.from_dict({"default": {"operator": "mask"}})
    assert config.policy("PIN").operator == "replace"
    assert config.policy("ID_NIK").operator == "mask"
    assert Redactor(config).redact("pin atm saya 123456").text == "pin atm saya <PIN>"
    removed = RedactorConfig.from_dict({"entities": {"PASSWORD": {"operator": "remove"}}})
    assert Redactor(removed).redact("password saya Rahasia123!").text == "password saya "
