"""The QA review console: masked transcripts and redacted recordings in the browser, behind
passwords + TOTP, least-privilege roles and a hash-chained audit log.

A separate process from the live server (its own port and attack surface), reading the
server's tables and keeping its own (``console_*``) in the same database. It imports
:mod:`redactor`; the engine never imports it.
"""
