"""The one exception tree of the redactor.

Every error we raise derives from :class:`RedactorError`. Messages never contain the text
being redacted: they may end up in logs, and raw PII must never reach a log.

    RedactorError
    ├── ConfigError
    │   └── KeyMissingError
    ├── DetectionError
    ├── DecryptionError
    ├── StorageError
    ├── ProtocolError      (.code: what a websocket client gets in {"type": "error"})
    └── InvalidInputError  (also a ValueError)

``audio.AudioFormatError`` stays outside: ``audio`` must not import the NLP engine.
"""
from __future__ import annotations


class RedactorError(Exception):
    """Base class of every error raised by this package."""


class ConfigError(RedactorError):
    """The policy configuration (file or object) is invalid."""


class KeyMissingError(ConfigError):
    """A policy needs a secret (hash or encryption key) that the environment does not hold."""


class DetectionError(RedactorError):
    """Analysis failed or ran out of its time budget; the message was masked whole."""


class DecryptionError(RedactorError):
    """An encrypted token could not be decrypted (wrong key or tampered token)."""


class StorageError(RedactorError):
    """The database failed; the message names the operation, never the stored values."""


class InvalidInputError(RedactorError, ValueError):
    """The caller passed something that is not a message (wrong type, unknown language)."""


class ProtocolError(RedactorError):
    """A client frame the server cannot accept. ``code`` is stable for clients to act on;
    ``message`` says what was wrong with the frame, never what it contained."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
