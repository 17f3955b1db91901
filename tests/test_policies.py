"""Policies: config files, each operator, keys from the environment, the decrypt path."""
from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from redactor import (
    ConfigError,
    DecryptionError,
    EntityPolicy,
    KeyMissingError,
    Redactor,
    RedactorConfig,
)
from redactor.operators import Operators, decrypt_text, mask_keep_last

AES_KEY = base64.b64encode(bytes(range(32))).decode()
KEYS = {"REDACTOR_HASH_KEY": "a-long-enough-test-secret", "REDACTOR_ENCRYPTION_KEY": AES_KEY}
CARD = "4532 0151 1283 0366"
NIK = "3174054509900003"


def policy_config(**entities: dict) -> RedactorConfig:
    return RedactorConfig.from_dict({"entities": entities})


@pytest.mark.parametrize(
    "value, keep, expected",
    [
        ("4532 0151 1283 0366", 4, "**** **** **** 0366"),
        ("4532-0151-1283-0366", 4, "****-****-****-0366"),
        ("4532015112830366", 0, "****************"),
        ("empat lima tiga dua nol satu lima satu", 4, "****0151"),
        ("Budi Santoso", 4, "**** *******"),
    ],
)
def test_mask_keeps_only_last_digits(value, keep, expected):
    assert mask_keep_last(value, EntityPolicy(operator="mask", keep_last=keep)) == expected


def test_each_operator_end_to_end():
    config = policy_config(
        CREDIT_CARD={"operator": "mask"},
        ID_NIK={"operator": "encrypt"},
        PHONE_NUMBER={"operator": "remove"},
        EMAIL_ADDRESS={"operator": "replace", "label": "[email]"},
        CARD_CVV={"operator": "hash"},
    )
    redactor = Redactor(config, environ=KEYS)
    text = f"kartu {CARD} cvv 123, nik {NIK}, hp 081234567890, mail budi@example.co.id"
    masked = redactor.redact(text).text
    assert "**** **** **** 0366" in masked
    assert "hp ," in masked and "0812" not in masked
    assert "[email]" in masked
    assert "cvv <CARD_CVV:" in masked
    assert NIK not in masked and "<ID_NIK:enc:" in masked
    assert NIK in redactor.decrypt(masked)


def test_hash_is_a_stable_keyed_pseudonym_across_written_and_spoken():
    ops = Operators(policy_config(ID_NIK={"operator": "hash"}), KEYS)
    written = ops.apply("ID_NIK", "3174 0545 0990 0003")
    spoken = ops.apply("ID_NIK", "tiga satu tujuh empat nol lima empat lima nol sembilan sembilan nol nol nol nol tiga")
    assert written == spoken == ops.apply("ID_NIK", NIK)
    other_key = Operators(policy_config(ID_NIK={"operator": "hash"}),
                          {"REDACTOR_HASH_KEY": "another-long-test-secret"})
    assert other_key.apply("ID_NIK", NIK) != written
    assert written != ops.apply("ID_NIK", "3174054509900004")
    assert written.startswith("<ID_NIK:") and len(written) == len("<ID_NIK:>") + 16


def test_encryption_roundtrip_is_randomised_and_authenticated():
    ops = Operators(policy_config(ID_NIK={"operator": "encrypt"}), KEYS)
    first, second = ops.apply("ID_NIK", NIK), ops.apply("ID_NIK", NIK)
    assert first != second  # fresh nonce each time
    assert decrypt_text(f"a {first} b", KEYS) == f"a {NIK} b"
    tampered = first[:-3] + ("AAA" if not first.endswith("AAA>") else "BBB") + ">"
    with pytest.raises(DecryptionError) as raised:
        decrypt_text(tampered, KEYS)
    assert NIK not in str(raised.value)
    relabelled = first.replace("<ID_NIK:", "<PERSON:")  # type is authenticated data
    with pytest.raises(DecryptionError):
        decrypt_text(relabelled, KEYS)
    wrong_key = {"REDACTOR_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()}
    with pytest.raises(DecryptionError):
        decrypt_text(first, wrong_key)


@pytest.mark.parametrize(
    "operator, environ",
    [("hash", {}), ("hash", {"REDACTOR_HASH_KEY": "short"}), ("encrypt", {}),
     ("encrypt", {"REDACTOR_ENCRYPTION_KEY": "bm90LWEta2V5"})],
)
def test_missing_or_weak_keys_fail_at_startup(operator, environ):
    with pytest.raises(KeyMissingError):
        Operators(policy_config(PERSON={"operator": operator}), environ)


def test_toml_and_yaml_configs_load_the_same(tmp_path):
    toml = tmp_path / "policy.toml"
    toml.write_text(
        'score_threshold = 0.6\nallow_list = ["Halo BCA"]\ntime_budget_ms = 900\n'
        '[default]\noperator = "replace"\n'
        '[entities.CREDIT_CARD]\noperator = "mask"\nkeep_last = 4\n'
        '[entities.PERSON]\noperator = "hash"\n'
    )
    yaml = tmp_path / "policy.yaml"
    yaml.write_text(
        "score_threshold: 0.6\nallow_list: [Halo BCA]\ntime_budget_ms: 900\n"
        "default: {operator: replace}\n"
        "entities:\n  CREDIT_CARD: {operator: mask, keep_last: 4}\n  PERSON: {operator: hash}\n"
    )
    loaded = RedactorConfig.from_file(toml)
    assert loaded == RedactorConfig.from_file(yaml)
    assert loaded.policy("CREDIT_CARD").operator == "mask"
    assert loaded.policy("ID_NIK").operator == "replace"
    assert loaded.threshold("PERSON") == 0.6 and loaded.allow_list == ("Halo BCA",)


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        ("score_threshold = 2", ".toml", "between 0 and 1"),
        ("[entities.PERSON]\noperator = 'shred'", ".toml", "unknown operator"),
        ("colour = 'blue'", ".toml", "unknown config keys"),
        ("entities: [1, 2]", ".yaml", "'entities' must map"),
        ("entities: {PERSON: {keep_last: four}}", ".yaml", "invalid policy"),
        ("= broken", ".toml", "not valid"),
        ("a: b", ".json", "must end in"),
        ("allow_list: 5", ".yaml", "allow_list"),
    ],
)
def test_bad_configs_give_clear_errors(tmp_path, content, suffix, message):
    path = tmp_path / f"policy{suffix}"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        RedactorConfig.from_file(path)


def test_missing_config_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        RedactorConfig.from_file(tmp_path / "absent.toml")


def test_bundled_example_policy_works():
    example = Path(__file__).resolve().parents[1] / "examples" / "policy.toml"
    redactor = Redactor(RedactorConfig.from_file(example), environ=KEYS)
    masked = redactor.redact(f"nama saya Budi Santoso, kartu {CARD}, nik {NIK}").text
    assert "**** **** **** 0366" in masked and "<PERSON:" in masked and "<ID_NIK:enc:" in masked
    assert NIK in redactor.decrypt(masked)
