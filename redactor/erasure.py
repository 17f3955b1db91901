"""Erasure by data subject (UU PDP art. 8, GDPR art. 17, PDPA, CCPA): find one person's
conversations by their phone number, NIK or e-mail address, or by a call or session id,
delete them everywhere, and sign a receipt saying what was removed.

Stored text is masked, so a subject cannot be found by their value. Two keyed pseudonyms can:

- the **erasure index**: when detection masks a phone number, NIK or e-mail address, the
  keyed hash of its normalised form is stored with the segment (table ``erasure_index``),
  never the value. Normalised so that the subject's own spelling finds it: digits only
  (written or spoken), a phone's ``+62``/``62``/``0062``/``0`` prefix read as ``0``, an
  e-mail address lowercased.
- the ``hash`` policy's tokens (``<PHONE_NUMBER:1f3a…>``): every spelling variant of the
  value is hashed as the policy would and looked for in the stored text.

The index key (``$REDACTOR_ERASURE_KEY``, 16+ characters) also signs the receipts, under a
derived key. Without it nothing is indexed (``erasure_index = "auto"``).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import regex as re

from .config import SECRET_TYPES, RedactorConfig
from .errors import ConfigError, KeyMissingError
from .spoken import spoken_digits

SubjectKind = Literal["phone", "nik", "email"]
SUBJECT_KINDS: tuple[str, ...] = ("phone", "nik", "email")
MIN_INDEXED_DIGITS = 6  # shorter numbers (prices, quantities, times) identify nobody
MIN_KEY_CHARS = 16
TOKEN_PREFIX = "ix:"
RECEIPT_VERSION = 1
# Entity types whose values may identify a subject by number or address; others (names,
# addresses) are not indexed: they cannot be normalised reliably enough to match a request.
_NOT_INDEXED = SECRET_TYPES | {"REDACTED", "DTMF", "PAUSED"}
_PII_LIKE_ID = re.compile(r"\d(?:[\d\s.\-/+]*\d){4,}|@")


def normalise_phone(value: str) -> str:
    """Digits of a phone number with its country prefix read as the trunk ``0``:
    "+62 812-3456-7890", "6281234567890", "0812 3456 7890" and "812 3456 7890" agree."""
    digits = _digits(value)
    for prefix in ("0062", "62"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 8:
            return "0" + digits[len(prefix):]
    if digits.startswith("8") and 9 <= len(digits) <= 12:
        return "0" + digits
    return digits


def normalise_nik(value: str) -> str:
    return _digits(value)


def normalise_email(value: str) -> str:
    return "".join(value.split()).casefold()


def _digits(value: str) -> str:
    written = re.sub(r"\D", "", value)
    return written if written else spoken_digits(value)


def _phone_variants(value: str) -> set[str]:
    """Every way the same phone number may have been written: what the ``hash`` policy
    hashed depends on how it was said."""
    local = normalise_phone(value)
    if not local.startswith("0"):
        return {local}
    rest = local[1:]
    return {local, rest, "62" + rest, "0062" + rest}


class SubjectIndex:
    """Keyed hashes of detected identifiers; never the identifiers."""

    def __init__(self, key: bytes) -> None:
        self._key = hmac.new(key, b"redactor erasure index", hashlib.sha256).digest()

    @classmethod
    def from_config(cls, config: RedactorConfig, environ: Mapping[str, str] | None = None) -> SubjectIndex | None:
        """The index the policy asks for, or None ("auto" without a key, or "off")."""
        environ = os.environ if environ is None else environ
        if config.erasure_index == "off":
            return None
        key = environ.get(config.erasure_key_env, "")
        if not key and config.erasure_index == "auto":
            return None
        return cls(erasure_key(environ, config.erasure_key_env))

    def token(self, kind: str, normalised: str) -> str:
        digest = hmac.new(self._key, f"{kind}\x00{normalised}".encode(), hashlib.sha256).hexdigest()
        return TOKEN_PREFIX + digest[:32]

    def entity_tokens(self, entity_type: str, value: str) -> set[str]:
        """What a detected value is indexed under: its digits (and, for a phone-like number,
        its local form), or its lowercased e-mail address."""
        if entity_type in _NOT_INDEXED:
            return set()
        if "@" in value:
            return {self.token("email", normalise_email(value))}
        digits = _digits(value)
        if len(digits) < MIN_INDEXED_DIGITS:
            return set()
        return {self.token("digits", digits), self.token("digits", normalise_phone(digits))}

    def query_tokens(self, kind: SubjectKind, value: str) -> set[str]:
        if kind == "email":
            return {self.token("email", normalise_email(value))}
        digits = normalise_phone(value) if kind == "phone" else normalise_nik(value)
        return {self.token("digits", digits)}

    def segment_tokens(self, text: str, entities: Iterable[Any]) -> tuple[str, ...]:
        """The tokens of the detected entities (``Entity`` objects with offsets into
        ``text``). A number split across messages or turns is indexed piece by piece, so a
        request for the whole number does not find it (see README)."""
        found: set[str] = set()
        for entity in entities:
            found |= self.entity_tokens(entity.entity_type, text[entity.start:entity.end])
        return tuple(sorted(found))


def erasure_key(environ: Mapping[str, str], name: str) -> bytes:
    value = environ.get(name, "")
    if len(value) < MIN_KEY_CHARS:
        raise KeyMissingError(f"the erasure index and receipts need a secret of at least "
                              f"{MIN_KEY_CHARS} characters in ${name}")
    return value.encode()


# --- finding a subject's conversations ------------------------------------------------------

@dataclass(frozen=True)
class ErasureRequest:
    """Who to erase: one of phone, nik, email (found through pseudonyms) or call/session
    (an id, as the client sent it)."""

    kind: Literal["phone", "nik", "email", "call", "session"]
    value: str

    def __post_init__(self) -> None:
        if self.kind not in (*SUBJECT_KINDS, "call", "session"):
            raise ConfigError(f"cannot erase by {self.kind!r}")
        if not self.value.strip():
            raise ConfigError(f"--{self.kind} needs a value")
        if self.kind in ("phone", "nik") and len(_digits(self.value)) < MIN_INDEXED_DIGITS:
            raise ConfigError(f"a {self.kind} needs at least {MIN_INDEXED_DIGITS} digits")
        if self.kind == "email" and "@" not in self.value:
            raise ConfigError("an e-mail address needs an @")


@dataclass
class Finder:
    """Everything that turns a request into stored conversations: the index key, the hash
    policy's operator, the ``--hash-ids`` key."""

    config: RedactorConfig
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    id_key: str | None = None

    def index(self) -> SubjectIndex:
        return SubjectIndex(erasure_key(self.environ, self.config.erasure_key_env))

    def session_ids(self, client_id: str) -> set[str]:
        """The ids a client's session or call id may be stored under."""
        from .keys import keyed_id

        ids = {client_id.strip()}
        if self.id_key:
            ids.add(keyed_id(self.id_key, client_id.strip()))
        return ids

    def hash_tokens(self, request: ErasureRequest) -> set[str]:
        """The ``<TYPE:pseudonym>`` tokens the hash policy wrote for this subject, if on."""
        from .operators import Operators

        hashed = [name for name in (*self.config.entities, "PHONE_NUMBER", "ID_NIK", "EMAIL_ADDRESS")
                  if self.config.policy(name).operator == "hash"]
        if not hashed or request.kind not in SUBJECT_KINDS:
            return set()
        operators = Operators(self.config, self.environ)
        values = (_phone_variants(request.value) if request.kind == "phone"
                  else {normalise_nik(request.value)} if request.kind == "nik"
                  else {normalise_email(request.value), request.value.strip()})
        return {operators.apply(name, value) for name in set(hashed) for value in values}

    def find(self, storage: Any, request: ErasureRequest) -> list[tuple[str, str]]:
        """(session_id, kind) of every stored conversation of the subject."""
        if request.kind in ("call", "session"):
            return storage.conversations_with_ids(self.session_ids(request.value))
        found = set(storage.subject_conversations(self.index().query_tokens(request.kind, request.value)))
        tokens = self.hash_tokens(request)
        if tokens:
            found |= set(storage.conversations_containing(tokens))
        if request.kind == "phone":  # ids that are the caller's number
            ids = set().union(*(self.session_ids(v) for v in _phone_variants(request.value)))
            found |= set(storage.conversations_with_ids(ids))
        return sorted(found)


# --- deleting, and the receipt --------------------------------------------------------------

@dataclass
class ErasureCounts:
    conversations: int = 0
    segments: int = 0
    recordings: int = 0
    files: int = 0
    index_entries: int = 0
    data_keys: int = 0
    message_ids: int = 0  # a chat session's client message ids (shared session state)
    console_rows: int = 0  # the console's summaries, search text and scorecards of them

    def add(self, other: Mapping[str, int]) -> None:
        for name, value in other.items():
            setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


def delete_files(paths: Iterable[str]) -> int:
    """Delete each recording and the ``.part`` it was written as (or recovered from)."""
    removed = 0
    for path in paths:
        for candidate in (Path(path), Path(path + ".part")):
            try:
                candidate.unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def erase_conversations(storage: Any, conversations: Sequence[tuple[str, str]]) -> ErasureCounts:
    """Delete every row and file of these conversations, and their data keys."""
    counts = ErasureCounts(conversations=len(conversations))
    for session_id, kind in conversations:
        removed, paths = storage.erase_conversation(session_id, kind)
        counts.add(removed)
        counts.files += delete_files(paths)
    return counts


_PSEUDONYM = re.compile(r"<([A-Z][A-Z0-9_]*):[^<>\s]+>")


def anonymise_conversations(storage: Any, conversations: Sequence[tuple[str, str]]) -> ErasureCounts:
    """Keep each conversation's masked transcript for QA statistics, unlinked from the
    subject: under a new random id, every pseudonym or ciphertext token (``<TYPE:…>``)
    reduced to its label ``<TYPE>``, with no index entries. Its recording (a voice) and old
    rows, index entries and data key are deleted as by :func:`erase_conversations`."""
    counts = ErasureCounts(conversations=len(conversations))
    for session_id, kind in conversations:
        kept = [segment for segment in storage.segments(session_id) if segment.kind == kind]
        removed, paths = storage.erase_conversation(session_id, kind)
        counts.add(removed)
        counts.files += delete_files(paths)
        new_id = f"anon-{secrets.token_hex(8)}"
        for segment in kept:
            storage.save_segment(_unlinked(segment, new_id))
    return counts


def _unlinked(segment: Any, new_id: str) -> Any:
    from dataclasses import replace as replaced

    from .storage import StoredEntity

    pieces, entities, cursor = [], [], 0
    for entity in segment.entities:
        pieces.append(segment.text[cursor:entity.start])
        token = segment.text[entity.start:entity.end]
        token = _PSEUDONYM.sub(r"<\1>", token)
        start = sum(map(len, pieces))
        pieces.append(token)
        entities.append(StoredEntity(entity.type, start, start + len(token)))
        cursor = entity.end
    pieces.append(_PSEUDONYM.sub(r"<\1>", segment.text[cursor:]))
    return replaced(segment, session_id=new_id, text="".join(pieces), entities=tuple(entities), subject_keys=())


def shown_id(session_id: str, key: bytes) -> str:
    """A conversation id as a receipt may show it: as stored, unless it looks like a phone
    number or address (a client's own id), then as a keyed reference."""
    if not _PII_LIKE_ID.search(session_id):
        return session_id
    return "ref:" + hmac.new(key, session_id.encode(), hashlib.sha256).hexdigest()[:16]


def make_receipt(key: bytes, request: ErasureRequest, index: SubjectIndex | None, actor: str,
                 conversations: Sequence[tuple[str, str]], counts: ErasureCounts,
                 now: datetime | None = None, action: str = "delete") -> dict[str, Any]:
    """The signed receipt: what was asked (the kind, and the subject's keyed pseudonym, never
    the value), what was removed (counts and conversation ids), when, by whom."""
    signing = _receipt_key(key)
    subject = (sorted(index.query_tokens(request.kind, request.value))[0]  # type: ignore[arg-type]
               if index is not None and request.kind in SUBJECT_KINDS else None)
    body = {
        "version": RECEIPT_VERSION,
        "receipt_id": secrets.token_hex(8),
        "erased_at": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "erased_by": actor,
        "request": {"by": request.kind, "subject": subject, "action": action},
        "removed": counts.as_dict(),
        "conversations": [{"id": shown_id(session_id, signing), "kind": kind}
                          for session_id, kind in conversations],
    }
    return {**body, "signature": _sign(signing, body)}


def verify_receipt(key: bytes, receipt: Mapping[str, Any]) -> bool:
    body = {name: value for name, value in receipt.items() if name != "signature"}
    signature = receipt.get("signature")
    return isinstance(signature, str) and hmac.compare_digest(signature, _sign(_receipt_key(key), body))


def _receipt_key(key: bytes) -> bytes:
    return hmac.new(key, b"redactor erasure receipt", hashlib.sha256).digest()


def _sign(key: bytes, body: Mapping[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "hmac-sha256:" + hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
