"""Batch redaction of archives on Ray: chat exports and call recordings, one laptop to a
cluster. ``redactor batch INPUT... --out DIR`` (see :mod:`batch.cli`); in Python,
:func:`run_batch` with :class:`BatchOptions`.

Imports go one way: ``batch`` uses ``redactor`` and ``audio``, never the reverse (the CLI
hook imports :mod:`batch.cli` only for the ``batch`` command).
"""
from __future__ import annotations

from .chats import ChatColumns, ChatFormatError
from .job import BatchError, BatchOptions, discover_units, run_batch
from .wav import WavError
from .worker import WorkerSettings

__all__ = ["BatchError", "BatchOptions", "ChatColumns", "ChatFormatError", "WavError",
           "WorkerSettings", "discover_units", "run_batch"]
