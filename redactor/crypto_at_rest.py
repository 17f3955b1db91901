"""Encryption at rest: envelope encryption of stored masked text with AES-256-GCM.

Each conversation gets its own random 256-bit data key. The data key is stored only wrapped
(AES-256-GCM) by a master key, named by its key id; rotating the master key re-wraps the data
keys and never touches the data. Master keys come from ``$REDACTOR_STORAGE_KEY`` or the file
named by ``$REDACTOR_STORAGE_KEY_FILE``: ``key_id:base64-of-32-bytes`` entries, one per line
(or comma-separated), the first one active; the others only unwrap older data keys.

AES-GCM is ``cryptography``'s, never our own. Every sealed value is bound (as associated data)
to where it belongs, so a ciphertext copied to another row or conversation fails to open.

Files (call recordings) are sealed as a stream of chunks, see :class:`SealedStreamWriter`, so
that they are written incrementally and a crash leaves every chunk already written readable.
Deleting a conversation's wrapped data key makes its text and files unreadable for good
(crypto-shredding), even in backups and copies of the files.
"""
from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import RedactorError

KEY_ENV = "REDACTOR_STORAGE_KEY"
KEY_FILE_ENV = "REDACTOR_STORAGE_KEY_FILE"
KEY_BYTES = 32
NONCE_BYTES = 12
SEALED_PREFIX = "aes256gcm:"  # marks a sealed text value
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
_WRAP_CONTEXT = b"redactor data key\x00"


class StorageKeyError(RedactorError):
    """A storage key is malformed or missing, or sealed data does not open (wrong key,
    tampered or moved). Messages name key ids, never key material or data."""


@dataclass(frozen=True)
class WrappedKey:
    """A conversation's data key as stored: the master key id and the sealed key."""

    key_id: str
    wrapped: str  # base64 of nonce + ciphertext + tag


class Keyring:
    """Master keys by id; the first is the active one (used to wrap new data keys)."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise StorageKeyError("no storage key given")
        ids = [key_id for key_id, _ in keys]
        if len(set(ids)) != len(ids):
            raise StorageKeyError("storage key ids must be unique")
        self._keys = {key_id: AESGCM(key) for key_id, key in keys}
        self.active_id = ids[0]

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """``id:base64`` entries separated by newlines or commas; ``#`` starts a comment."""
        keys = []
        for number, entry in enumerate(re.split(r"[,\n]", text), start=1):
            entry = entry.split("#", 1)[0].strip()
            if not entry:
                continue
            key_id, _, encoded = entry.rpartition(":")
            if not _KEY_ID.fullmatch(key_id):
                raise StorageKeyError(f"storage key entry {number}: expected key_id:base64 (id of"
                                      " letters, digits, '_', '.', '-')")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                key = b""
            if len(key) != KEY_BYTES:
                raise StorageKeyError(f"storage key {key_id}: not base64 of {KEY_BYTES} bytes")
            keys.append((key_id, key))
        return cls(keys)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Keyring | None:
        """The configured keyring, or None when no key is configured."""
        if environ.get(KEY_ENV):
            return cls.parse(environ[KEY_ENV])
        if environ.get(KEY_FILE_ENV):
            path = Path(environ[KEY_FILE_ENV])
            try:
                return cls.parse(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise StorageKeyError(f"cannot read storage key file {path} ({type(exc).__name__})") from None
        return None

    def new_data_key(self, conversation: str) -> tuple[bytes, WrappedKey]:
        """A fresh data key for a conversation and its wrapped form under the active key."""
        data_key = AESGCM.generate_key(bit_length=256)
        return data_key, self.wrap(data_key, conversation)

    def wrap(self, data_key: bytes, conversation: str) -> WrappedKey:
        sealed = _seal(self._keys[self.active_id], data_key, _WRAP_CONTEXT + conversation.encode())
        return WrappedKey(self.active_id, base64.b64encode(sealed).decode())

    def unwrap(self, wrapped: WrappedKey, conversation: str) -> bytes:
        aead = self._keys.get(wrapped.key_id)
        if aead is None:
            raise StorageKeyError(f"data key wrapped by storage key {wrapped.key_id!r}, which is not configured")
        try:
            return _open(aead, base64.b64decode(wrapped.wrapped), _WRAP_CONTEXT + conversation.encode())
        except (binascii.Error, ValueError):
            raise StorageKeyError(f"a data key under storage key {wrapped.key_id!r} does not open") from None

    def rewrap(self, wrapped: WrappedKey, conversation: str) -> WrappedKey:
        """The same data key wrapped by the active key (rotation): the data is untouched."""
        return self.wrap(self.unwrap(wrapped, conversation), conversation)


def generate_key_entry(key_id: str) -> str:
    """A new master key as a ``key_id:base64`` entry for the key file or variable."""
    if not _KEY_ID.fullmatch(key_id):
        raise StorageKeyError("a key id is 1-32 letters, digits, '_', '.' or '-'")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


def seal_text(data_key: bytes, text: str, context: str) -> str:
    """``text`` sealed under a conversation's data key, bound to ``context`` (the row)."""
    sealed = _seal(AESGCM(data_key), text.encode("utf-8"), context.encode())
    return SEALED_PREFIX + base64.b64encode(sealed).decode()


def open_text(data_key: bytes, stored: str, context: str) -> str:
    if not is_sealed(stored):
        raise StorageKeyError("value is not sealed")
    try:
        blob = base64.b64decode(stored[len(SEALED_PREFIX):], validate=True)
        return _open(AESGCM(data_key), blob, context.encode()).decode("utf-8")
    except (binascii.Error, ValueError):
        raise StorageKeyError("a sealed value does not open (wrong key, or tampered or moved)") from None


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


# A sealed stream: MAGIC, a random 16-byte stream id, a 2-byte length and the public ``info``
# (e.g. sample rate and channels: no content), then chunks of a 4-byte length and
# nonce + ciphertext + tag. Each chunk is bound to the context, the header, its index and
# whether it is the last one: chunks cannot be reordered, moved, or dropped from the end of a
# closed stream unnoticed.
STREAM_MAGIC = b"RDXSEAL1"
_STREAM_ID_BYTES = 16
_HEADER_FIXED = len(STREAM_MAGIC) + _STREAM_ID_BYTES + 2  # then the info
_CHUNK_OVERHEAD = NONCE_BYTES + 16


def is_sealed_stream(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a sealed stream."""
    return head.startswith(STREAM_MAGIC)


class SealedStreamWriter:
    """Writes a sealed stream to ``file``: :meth:`write` one chunk at a time, then :meth:`close`
    (which writes the empty last chunk; the file object itself stays open)."""

    def __init__(self, file: BinaryIO, data_key: bytes, context: str, info: bytes) -> None:
        if len(info) > 0xFFFF:
            raise ValueError("stream info too long")
        self._file = file
        self._aead = AESGCM(data_key)
        self._header = STREAM_MAGIC + secrets.token_bytes(_STREAM_ID_BYTES) + struct.pack("<H", len(info)) + info
        self._context = context.encode()
        self._index = 0
        file.write(self._header)

    def write(self, data: bytes, last: bool = False) -> None:
        if self._index < 0:
            raise ValueError("sealed stream already closed")
        if not data and not last:
            return  # an empty chunk marks the end
        sealed = _seal(self._aead, data, _chunk_context(self._context, self._header, self._index, last))
        self._file.write(struct.pack("<I", len(sealed)) + sealed)
        self._index = -1 if last else self._index + 1

    def close(self) -> None:
        self.write(b"", last=True)


@dataclass(frozen=True)
class StreamLayout:
    """What a sealed stream's structure says, readable without its key."""

    info: bytes
    complete_bytes: int  # file bytes up to the end of the last whole chunk
    plaintext_bytes: int  # plaintext in those chunks
    closed: bool  # a last chunk was written (the stream was closed, not cut by a crash)


def stream_layout(file: BinaryIO) -> StreamLayout:
    """The structure of the sealed stream in ``file`` (from its start). Raises StorageKeyError
    when it is not a sealed stream."""
    file.seek(0)
    header = file.read(_HEADER_FIXED)
    if len(header) < _HEADER_FIXED or not is_sealed_stream(header):
        raise StorageKeyError("not a sealed stream")
    info = file.read(struct.unpack("<H", header[-2:])[0])
    position = file.tell()
    plaintext = 0
    closed = False
    while (prefix := file.read(4)) and len(prefix) == 4:
        length = struct.unpack("<I", prefix)[0]
        if length < _CHUNK_OVERHEAD or len(file.read(length)) < length:
            break  # cut by a crash
        position += 4 + length
        plaintext += length - _CHUNK_OVERHEAD
        if length == _CHUNK_OVERHEAD:  # only the last chunk is empty
            closed = True
            break
    return StreamLayout(info, position, plaintext, closed)


def open_stream(blob: bytes, data_key: bytes, context: str) -> tuple[bytes, bytes, bool]:
    """``(info, plaintext, closed)`` of a sealed stream; ``closed`` is False for a stream cut by a
    crash (every whole chunk is returned). Raises StorageKeyError when a chunk does not open."""
    if not is_sealed_stream(blob) or len(blob) < _HEADER_FIXED:
        raise StorageKeyError("not a sealed stream")
    info_end = _HEADER_FIXED + struct.unpack("<H", blob[_HEADER_FIXED - 2:_HEADER_FIXED])[0]
    header, aead, position, index = blob[:info_end], AESGCM(data_key), info_end, 0
    pieces: list[bytes] = []
    last = False
    while position + 4 <= len(blob):
        length = struct.unpack("<I", blob[position:position + 4])[0]
        chunk = blob[position + 4:position + 4 + length]
        if length < _CHUNK_OVERHEAD or len(chunk) < length:
            break
        last = length == _CHUNK_OVERHEAD
        try:
            pieces.append(_open(aead, chunk, _chunk_context(context.encode(), header, index, last)))
        except ValueError:
            raise StorageKeyError("a sealed file does not open (wrong key, or tampered or moved)") from None
        if last:
            break
        position += 4 + length
        index += 1
    return header[_HEADER_FIXED:], b"".join(pieces), last


def _chunk_context(context: bytes, header: bytes, index: int, last: bool) -> bytes:
    return b"stream\x00" + context + b"\x00" + header + struct.pack("<QB", index, last)


def _seal(aead: AESGCM, plaintext: bytes, associated: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)  # random: 2^-32 collision bound far above our volumes
    return nonce + aead.encrypt(nonce, plaintext, associated)


def _open(aead: AESGCM, blob: bytes, associated: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + 16:
        raise ValueError("too short")
    try:
        return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated)
    except InvalidTag:
        raise ValueError("authentication failed") from None
