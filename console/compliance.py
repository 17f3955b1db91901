"""Agent compliance flags computed from masked segments with speaker attribution.

Works only on masked text and entity labels, so a flag never carries a value:
- ``read_back``: an agent segment holding a full identifier placeholder (card, NIK, account, OTP);
- ``secret_request``: an agent asking for an OTP, PIN, password, or (on chat) the full card number;
- ``forbidden_channel``: a customer typing PII that the channel's policy forbids (a card in chat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from redactor.storage import Segment

READ_BACK_TYPES = frozenset({"CREDIT_CARD", "ID_NIK", "BANK_ACCOUNT", "OTP", "IBAN_CODE"})
FORBIDDEN_IN_CHAT = frozenset({"CREDIT_CARD", "OTP", "PIN", "PASSWORD", "CVV"})
AGENT_SPEAKERS = frozenset({"agent", "agen", "cs"})

_ASK = r"(?:boleh|bisa|mohon|tolong|sebutkan|berikan|kasih|minta|please|can you|could you|tell me|give me|what is|what's|read me|send)"
_SECRET = r"(?:otp|kode (?:verifikasi|otp)|pin|password|kata sandi|sandi|passcode|one[- ]time)"
_SECRET_REQUEST = re.compile(rf"\b{_ASK}\b[^.?!]{{0,40}}\b{_SECRET}\b|\b{_SECRET}\b[^.?!]{{0,25}}(?:nya|anda|kamu|your)?\b[^.?!]{{0,15}}\?",
                             re.IGNORECASE)
_FULL_CARD = re.compile(r"\b(?:nomor kartu(?: kredit| debit)? (?:lengkap|lengkapnya)|full card number|"
                        r"(?:all|semua) (?:16|enam belas) (?:digit|angka))", re.IGNORECASE)

# "Never give your OTP to anyone" is the SOP warning, not a request.
_WARNING = re.compile(r"\b(?:jangan|never|do not|don't|tidak perlu|tidak pernah)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    session_id: str
    seq: int
    speaker: str
    kind: str  # read_back | secret_request | forbidden_channel
    detail: str  # an entity type or the secret asked for; never a value

    def as_json(self) -> dict[str, object]:
        return {"session_id": self.session_id, "seq": self.seq, "speaker": self.speaker,
                "kind": self.kind, "detail": self.detail}


def is_agent(speaker: str) -> bool:
    return speaker.strip().lower().split(":")[0] in AGENT_SPEAKERS


def flags(segments: Iterable[Segment]) -> list[Flag]:
    found = []
    for segment in segments:
        found.extend(segment_flags(segment))
    return found


def segment_flags(segment: Segment) -> list[Flag]:
    types = {entity.type for entity in segment.entities}
    flag = lambda kind, detail: Flag(segment.session_id, segment.seq, segment.speaker, kind, detail)
    if is_agent(segment.speaker):
        out = [flag("read_back", kind) for kind in sorted(types & READ_BACK_TYPES)]
        if _SECRET_REQUEST.search(segment.text) and not _WARNING.search(segment.text):
            out.append(flag("secret_request", "secret"))
        if segment.kind == "chat" and _FULL_CARD.search(segment.text):
            out.append(flag("secret_request", "full_card_number"))
        return out
    if segment.kind == "chat":
        return [flag("forbidden_channel", kind) for kind in sorted(types & FORBIDDEN_IN_CHAT)]
    return []
