"""Operators that turn one detected span into its masked form, and the matching decrypt path.

We do not route these through presidio-anonymizer: its operators only see the span text and
take secrets through a params dict, while we need the spoken-digit value of a span (so that
"empat lima ..." and "45..." mask and pseudonymise alike) and keep keys out of any dict
that a library might log.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import replace

import regex as re
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .config import DEFAULT_ENCRYPTION_KEY_ENV, EntityPolicy, RedactorConfig
from .errors import DecryptionError, KeyMissingError
from .spoken import spoken_digits

HASH_HEX_CHARS = 16
NONCE_BYTES = 12
ENCRYPTED_TOKEN = re.compile(r"<([A-Z][A-Z0-9_]*):enc:([A-Za-z0-9_\-]+)>")


class Operators:
    """Applies the configured policy to spans; holds the keys it needs, read once."""

    def __init__(self, config: RedactorConfig, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        self._config = config
        policies = [config.default, *config.entities.values()]
        self._hash_key = _key_bytes(environ, config.hash_key_env) if any(
            p.operator == "hash" for p in policies
        ) else None
        self._aead = AESGCM(_aes_key(environ, config.encryption_key_env)) if any(
            p.operator == "encrypt" for p in policies
        ) else None

    def apply(self, entity_type: str, value: str, partial: bool = False) -> str:
        """``partial``: ``value`` is one piece of a split number; ``mask`` keeps none of it."""
        policy = self._config.policy(entity_type)
        if policy.operator == "replace":
            return policy.label if policy.label is not None else f"<{entity_type}>"
        if policy.operator == "mask":
            return mask_keep_last(value, replace(policy, keep_last=0) if partial else policy)
        if policy.operator == "hash":
            return f"<{entity_type}:{self._pseudonym(entity_type, value)}>"
        if policy.operator == "encrypt":
            return f"<{entity_type}:enc:{self._encrypt(entity_type, value)}>"
        return ""  # remove

    def _pseudonym(self, entity_type: str, value: str) -> str:
        assert self._hash_key is not None
        message = f"{entity_type}\x00{canonical(value)}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()[:HASH_HEX_CHARS]

    def _encrypt(self, entity_type: str, value: str) -> str:
        assert self._aead is not None
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode(), entity_type.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def canonical(value: str) -> str:
    """One form per value: the digits for numbers (written or spoken), else folded words.

    So the pseudonym of a card typed in chat equals the one of the same card spoken on a call.
    """
    digits = spoken_digits(value)
    if len(digits) >= 3:
        return digits
    return " ".join(value.casefold().split())


def mask_keep_last(value: str, policy: EntityPolicy) -> str:
    """Mask every letter/digit but the last ``keep_last`` digits (PCI style), keeping separators.

    A spoken span ("empat lima ... enam") is rendered from its digits, since keeping the last
    characters of number words would reveal a digit.
    """
    keep, char = policy.keep_last, policy.mask_char
    digits = spoken_digits(value)
    if any(c.isdigit() for c in value) or not digits:
        kept = 0
        out = []
        for c in reversed(value):
            if c.isalnum():
                out.append(c if c.isdigit() and kept < keep else char)
                kept += c.isdigit()
            else:
                out.append(c)
        return "".join(reversed(out))
    visible = digits[-keep:] if keep else ""
    return char * (len(digits) - len(visible)) + visible


def decrypt_text(text: str, environ: Mapping[str, str] | None = None,
                 key_env: str = DEFAULT_ENCRYPTION_KEY_ENV) -> str:
    """Replace every ``<TYPE:enc:…>`` token in ``text`` by its plaintext (authorised use only)."""
    environ = os.environ if environ is None else environ
    aead = AESGCM(_aes_key(environ, key_env))

    def open_token(match: re.Match) -> str:
        entity_type, token = match.group(1), match.group(2)
        try:
            blob = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
            return aead.decrypt(nonce, sealed, entity_type.encode()).decode()
        except (InvalidTag, ValueError, binascii.Error):
            raise DecryptionError(
                f"cannot decrypt a {entity_type} token: wrong key or tampered token"
            ) from None

    return ENCRYPTED_TOKEN.sub(open_token, text)


def _key_bytes(environ: Mapping[str, str], name: str) -> bytes:
    value = environ.get(name, "")
    if len(value) < 16:
        raise KeyMissingError(
            f"the hash policy needs a secret of at least 16 characters in ${name}"
        )
    return value.encode()


def _aes_key(environ: Mapping[str, str], name: str) -> bytes:
    value = environ.get(name, "")
    try:
        key = base64.b64decode(value, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise KeyMissingError(
            f"encryption needs a base64-encoded 32-byte key in ${name} "
            "(make one with: python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())')"
        )
    return key
