"""The conversational dev set generator: seeded, and modelling what real conversations hold."""
from __future__ import annotations

import re

from benchmarks import conversations
from benchmarks.dataset import load
from benchmarks.run import CONVERSATION_DATA


def test_generation_is_seeded_and_the_committed_set_is_its_output():
    first, again = conversations.generate(50, seed=7), conversations.generate(50, seed=7)
    assert [s.to_json() for s in first] == [s.to_json() for s in again]
    assert [s.to_json() for s in load(CONVERSATION_DATA)[:50]] == [s.to_json() for s in first]


def test_gold_spans_point_at_pii_and_the_phenomena_are_there():
    samples = conversations.generate(400, seed=3)
    texts = "\n".join(s.text for s in samples)
    for s in samples:
        for span in s.spans:
            assert s.text[span.start:span.end].strip() == s.text[span.start:span.end] != ""
    types = {span.type for s in samples for span in s.spans}
    assert {"CREDIT_CARD", "ID_NIK", "PHONE_NUMBER", "OTP", "PIN", "PASSWORD",
            "SECURITY_ANSWER", "EMAIL_ADDRESS", "PERSON"} <= types
    for phenomenon in (r"\b(?:iya|mhm|uh huh|go on)\b", r"\b(?:bentar ya|hold on|let me check)\b",
                       r"\b(?:for|ate|won|too)\b", r"\b(?:lapan|tuju|smbilan)\b",
                       r"\b(?:eh salah|i mean)\b", r"\bresi\b|\btiket\b|\binvoice\b", r"Rp \d"):
        assert re.search(phenomenon, texts), phenomenon
    assert any(len([sp for sp in s.spans if sp.type == "CREDIT_CARD"]) > 1 for s in samples)
    assert {s.mode for s in samples} == {"written", "spoken"}
