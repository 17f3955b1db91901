"""Nothing may download at run time: the engine must work with the network cut off."""
from __future__ import annotations

import socket

import pytest

from redactor import Redactor


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_loading_and_redacting_emails_never_touches_the_network(no_network):
    redactor = Redactor()
    text = "email saya rina.sari@kantor.co.id atau rina@mail.example.com ya"
    result = redactor.redact(text)
    assert result.text == "email saya <EMAIL_ADDRESS> atau <EMAIL_ADDRESS> ya"
    assert no_network == []
