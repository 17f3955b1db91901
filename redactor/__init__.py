"""Live PII redaction for Indonesian/English contact-centre chat and call transcripts.

    >>> from redactor import Redactor
    >>> redactor = Redactor()
    >>> redactor.redact("nik saya tiga satu tujuh empat ...").text
"""
from __future__ import annotations

from .config import EntityPolicy, RedactorConfig
from .engine import Entity, RedactionResult, Redactor
from .errors import (
    ConfigError,
    DecryptionError,
    DetectionError,
    InvalidInputError,
    KeyMissingError,
    ProtocolError,
    RedactorError,
    StorageError,
)

__all__ = [
    "ConfigError",
    "DecryptionError",
    "DetectionError",
    "Entity",
    "EntityPolicy",
    "InvalidInputError",
    "KeyMissingError",
    "ProtocolError",
    "RedactionResult",
    "Redactor",
    "RedactorConfig",
    "RedactorError",
    "StorageError",
]
