import pytest

from console.compliance import flags
from redactor.storage import Segment, StoredEntity


def segment(speaker, text, kind="chat"):
    entities = []
    for label in ("CREDIT_CARD", "ID_NIK", "BANK_ACCOUNT", "OTP", "PHONE_NUMBER"):
        start = text.find(f"<{label}>")
        if start >= 0:
            entities.append(StoredEntity(label, start, start + len(label) + 2))
    return Segment("s1", kind, 0, speaker, text, tuple(entities))


CASES = [
    ("agent", "Baik, nomor kartu Anda <CREDIT_CARD> ya?", "call", {("read_back", "CREDIT_CARD")}),
    ("agent", "NIK bapak <ID_NIK>, benar?", "call", {("read_back", "ID_NIK")}),
    ("agent", "Your OTP is <OTP>", "chat", {("read_back", "OTP")}),
    ("agent", "Nomor HP <PHONE_NUMBER> sudah terdaftar", "call", set()),
    ("agent", "Boleh sebutkan kode OTP yang masuk?", "call", {("secret_request", "secret")}),
    ("agent", "Can you tell me your PIN please", "call", {("secret_request", "secret")}),
    ("agent", "Mohon berikan password akun Anda", "chat", {("secret_request", "secret")}),
    ("agent", "Jangan berikan OTP kepada siapa pun.", "call", set()),
    ("agent", "Silakan ketik nomor kartu lengkap Anda", "chat", {("secret_request", "full_card_number")}),
    ("agent", "Silakan ketik nomor kartu lengkap Anda", "call", set()),
    ("customer", "kartu saya <CREDIT_CARD>", "chat", {("forbidden_channel", "CREDIT_CARD")}),
    ("customer", "kartu saya <CREDIT_CARD>", "call", set()),
    ("customer", "boleh minta OTP?", "chat", set()),
    ("customer", "HP saya <PHONE_NUMBER>", "chat", set()),
]


@pytest.mark.parametrize("speaker, text, kind, expected", CASES)
def test_flags(speaker, text, kind, expected):
    found = flags([segment(speaker, text, kind)])
    assert {(flag.kind, flag.detail) for flag in found} == expected


def test_flag_never_holds_the_text():
    found = flags([segment("agent", "Boleh sebutkan kode OTP 123456?", "call")])
    assert found and all("123456" not in str(flag.as_json()) for flag in found)
