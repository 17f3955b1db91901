from __future__ import annotations

import socket

import pytest

from recognizers import email_recognizer
from redactor import Redactor


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """One engine for the whole run: loading spaCy is the slow part."""
    return Redactor()


@pytest.fixture
def no_network(monkeypatch) -> list:
    """Refuse every connection and name lookup; the list records each attempt."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # Name lookup comes first: without it a download attempt would fail before connect().
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # Drop the suffix list loaded by earlier tests, so that it is loaded again, offline.
    monkeypatch.setattr(email_recognizer.OFFLINE_TLD_EXTRACT, "_extractor", None)
    return attempts
