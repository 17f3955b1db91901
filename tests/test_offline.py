"""Nothing may download at run time: the engine must work with the network cut off."""
from __future__ import annotations

from redactor import Redactor


def test_loading_and_redacting_emails_never_touches_the_network(no_network):
    redactor = Redactor()
    text = "email saya rina.sari@kantor.co.id atau rina@mail.example.com ya"
    result = redactor.redact(text)
    assert result.text == "email saya <EMAIL_ADDRESS> atau <EMAIL_ADDRESS> ya"
    assert no_network == []
