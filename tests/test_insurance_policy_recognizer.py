"""Insurance policy numbers: codes of letters and digits next to a policy cue, masked whole
(spoken numbers already normalised, as the engine hands them over)."""
from __future__ import annotations

import pytest

from recognizers.insurance_policy_recognizer import InsurancePolicyRecognizer
from tests.support import detected


@pytest.fixture(scope="module")
def policy():
    return InsurancePolicyRecognizer()


POLICIES = [
    ("polis HK-2019-00381726, anak Aisyah", ["HK-2019-00381726"]),
    ("Polis TRV-24-0918273 sudah terbit", ["TRV-24-0918273"]),
    ("nomor polis dan nomor polisi kendaraan?\npolis AUTO/2023/JKT/004518", ["AUTO/2023/JKT/004518"]),
    ("no polis POL123456789", ["POL123456789"]),
    ("Mohon nomor polis.\nUL 7730 4418", ["UL 7730 4418"]),
    ("may i have your policy number\np l 2019 345", ["p l 2019 345"]),
    ("nomor polisnya h k 2021 004", ["h k 2021 004"]),
]

NOT_POLICIES = [
    "invoice INV/20241126/MPL",
    "resi TKL-2505-315914 ya",
    "polis saya sudah aktif sejak 2019 ya kak",  # a year, no code
    "nomor polisi B 1234 XYZ",  # a plate
    "HK-2019-00381726",  # no cue
]


@pytest.mark.parametrize("text, expected", POLICIES)
def test_policy_numbers(policy, text, expected):
    assert detected(policy, text) == expected


@pytest.mark.parametrize("text", NOT_POLICIES)
def test_look_alikes_are_not_policies(policy, text):
    assert detected(policy, text) == []
