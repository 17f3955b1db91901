"""API keys of the websocket server: ``rk_<key_id>_<secret>``.

``key_id`` is 8 hex characters, public: it finds the key and names it in lists and logs.
``secret`` is ``secrets.token_urlsafe(32)``; only its SHA-256 is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from .errors import StorageError
from .storage import ApiKeyInfo, Storage

KEY_PREFIX = "rk_"
_SECRET_BYTES = 32
_KEY_ID = re.compile(r"[0-9a-f]{8}")
# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet, which includes "_":
# the key id is found by position, never by splitting on "_".
_KEY = re.compile(r"rk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")
_ID_ATTEMPTS = 3  # fresh key ids to try when one is taken (1 in 4 billion per existing key)


def create_key(storage: Storage, name: str = "") -> str:
    """Create and store a key; returns the full key, which cannot be shown again."""
    for _ in range(_ID_ATTEMPTS - 1):
        try:
            return _add_key(storage, name)
        except StorageError:
            continue  # most likely the key id is taken: draw another
    return _add_key(storage, name)


def verify_key(storage: Storage, presented: str | None) -> bool:
    """True for an active key whose secret matches; False for anything else.

    A storage failure raises StorageError rather than returning False: the caller should
    answer "unavailable", not "unauthorised"."""
    return authenticate(storage, presented) is not None


def authenticate(storage: Storage, presented: str | None) -> str | None:
    """The key id of an active key whose secret matches (quotas are counted per key id);
    None for anything else. Storage failures raise, as in :func:`verify_key`."""
    match = _KEY.fullmatch(presented) if isinstance(presented, str) else None
    if match is None:
        return None
    key_id, secret = match.groups()
    stored = storage.api_key_hash(key_id)
    return key_id if stored is not None and hmac.compare_digest(stored, _hash_secret(secret)) else None


MIN_ID_KEY_CHARS = 16


def keyed_id(key: str, client_id: str) -> str:
    """What is stored in place of a client's session or call id when ids are hashed
    (``--hash-ids``): HMAC-SHA256 under a deployment secret, so that ids that are phone
    numbers are not stored, while the same id still finds the same session."""
    digest = hmac.new(key.encode("utf-8"), client_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"hmac:{digest[:32]}"


def revoke_key(storage: Storage, key_id: str) -> bool:
    """Revoke by key id or full key; False when unknown, already revoked or malformed."""
    found = parse_key_id(key_id)
    return found is not None and storage.revoke_api_key(found)


def list_keys(storage: Storage) -> list[ApiKeyInfo]:
    """Every key with its id, name and dates (never secrets or hashes), oldest first."""
    return storage.list_api_keys()


def parse_key_id(text: str) -> str | None:
    """The key id of a key id or a full key, else None; safe to show where the key is not."""
    if _KEY_ID.fullmatch(text):
        return text
    match = _KEY.fullmatch(text)
    return match.group(1) if match else None


def _add_key(storage: Storage, name: str) -> str:
    key_id = secrets.token_hex(4)
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    storage.add_api_key(key_id, name, _hash_secret(secret))
    return f"{KEY_PREFIX}{key_id}_{secret}"


def _hash_secret(secret: str) -> str:
    # A plain SHA-256 suffices: the secret is 256 random bits, so unlike a password it
    # cannot be guessed from its hash, and a slow hash (bcrypt, scrypt) would only slow
    # down every connection.
    return hashlib.sha256(secret.encode("ascii")).hexdigest()
