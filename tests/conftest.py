from __future__ import annotations

import pytest

from redactor import Redactor


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """One engine for the whole run: loading spaCy is the slow part."""
    return Redactor()
