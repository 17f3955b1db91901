"""Command line: ``redactor redact`` masks stdin line by line; ``redactor decrypt`` reverses
the ``encrypt`` policy for authorised use; ``redactor keys`` manages the server's API keys;
``redactor storage`` generates and rotates the keys of encryption at rest, reads stored
conversations and recordings back (decrypted with the key) and purges expired data;
``redactor erase`` erases one data subject's conversations; ``redactor audit
verify`` checks the console's audit log; ``redactor batch`` redacts archives
on Ray (:mod:`batch.cli`).

Contract (other tools depend on it): one output line per input line, in order, flushed as it
is written; with ``--jsonl`` each line is
``{"text": "<masked>", "entities": [{"type": "...", "start": 0, "end": 0, "score": 0.0}]}``
with offsets into that input line.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, TextIO

from .config import RedactorConfig
from .crypto_at_rest import KEY_ENV, KEY_FILE_ENV, Keyring, generate_key_entry
from .engine import LANG_OPTIONS, Redactor, RedactionResult, fail_closed
from .errors import DecryptionError, RedactorError
from .keys import create_key, list_keys, parse_key_id, revoke_key
from .operators import decrypt_text
from .storage import ApiKeyInfo, Storage, default_db, open_storage

logger = logging.getLogger("redactor")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="redactor: %(message)s", stream=sys.stderr)
    try:
        if args.command == "keys":
            return keys_command(args, sys.stdout)
        if args.command == "storage":
            return storage_command(args, sys.stdout)
        if args.command == "erase":
            return erase_command(args, sys.stdout)
        if args.command == "audit":
            from console.audit import verify_command  # the console's log; the engine never needs it

            return verify_command(args.db or default_db(), sys.stdout)
        if args.command == "batch":
            from batch.cli import batch_command

            return batch_command(args)
        config = RedactorConfig.from_file(args.config) if args.config else RedactorConfig()
        if args.command == "redact":
            return redact_stream(Redactor(config), sys.stdin.buffer, sys.stdout, args.lang, args.jsonl)
        return decrypt_stream(config, sys.stdin.buffer, sys.stdout)
    except RedactorError as exc:
        print(f"redactor: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def redact_stream(redactor: Redactor, source: BinaryIO, sink: TextIO, lang: str, jsonl: bool) -> int:
    for number, line in _lines(source):
        if line is None:
            logger.warning("line %d is not valid UTF-8: emitted fully masked", number)
            result = fail_closed("", "id", "input is not valid UTF-8")
        else:
            result = redactor.redact(line, lang)
        sink.write((to_json_line(result) if jsonl else result.text) + "\n")
        sink.flush()
    return 0


def decrypt_stream(config: RedactorConfig, source: BinaryIO, sink: TextIO) -> int:
    status = 0
    for number, line in _lines(source):
        try:
            sink.write(decrypt_text(line or "", key_env=config.encryption_key_env) + "\n")
        except DecryptionError as exc:
            print(f"redactor: line {number}: {exc}", file=sys.stderr)
            sink.write((line or "") + "\n")
            status = 1
        sink.flush()
    return status


def keys_command(args: argparse.Namespace, sink: TextIO) -> int:
    """``keys create|list|revoke``: storage only, the NLP engine is never loaded."""
    with open_storage(args.db or default_db()) as storage:
        if args.keys_command == "create":
            # stdout carries the key alone: scripts capture it.
            sink.write(create_key(storage, args.name) + "\n")
            print("redactor: store this key now; it cannot be shown again", file=sys.stderr)
            return 0
        if args.keys_command == "list":
            sink.write(keys_table(list_keys(storage)))
            return 0
        return _revoke(storage, args.key_id, sink)


def storage_command(args: argparse.Namespace, sink: TextIO) -> int:
    """``storage generate-key|rotate-key``: master keys of encryption at rest."""
    if args.storage_command == "generate-key":
        sink.write(generate_key_entry(args.key_id) + "\n")
        return 0
    if args.storage_command == "purge":
        from console.governance import run_purge  # the console's tables and audit log too

        config = RedactorConfig.from_file(args.config) if args.config else RedactorConfig()
        counts = run_purge(args.db or default_db(), config, args.data_dir / "recordings",
                           actor=f"cli:{_os_user()}", keyring=Keyring.from_environ())
        sink.write(json.dumps(counts, sort_keys=True) + "\n")
        return 0
    keyring = Keyring.from_environ()
    if args.storage_command == "show":
        return _show_conversation(args, keyring, sink)
    if args.storage_command == "export-recording":
        return _export_recording(args, keyring, sink)
    if keyring is None:
        print(f"redactor: no storage key: set ${KEY_ENV} or ${KEY_FILE_ENV}, the new key first",
              file=sys.stderr)
        return 1
    with open_storage(args.db or default_db(), keyring) as storage:
        count = storage.rotate_keys()
    sink.write(f"re-wrapped {count} data key(s) under storage key {keyring.active_id}\n")
    return 0


def _show_conversation(args: argparse.Namespace, keyring: Keyring | None, sink: TextIO) -> int:
    """A stored conversation's segments as JSON lines, decrypted when sealed."""
    with open_storage(args.db or default_db(), keyring) as storage:
        segments = storage.segments(args.session)
    if not segments:
        print("redactor: no stored conversation with that id", file=sys.stderr)
        return 1
    for s in segments:
        sink.write(json.dumps({"kind": s.kind, "seq": s.seq, "speaker": s.speaker, "start_s": s.start_s,
                               "end_s": s.end_s, "failed": s.failed, "text": s.text,
                               "entities": [e.as_json() for e in s.entities]}, ensure_ascii=False) + "\n")
    return 0


def _export_recording(args: argparse.Namespace, keyring: Keyring | None, sink: TextIO) -> int:
    """A call's recording as a playable WAV file, decrypted when sealed."""
    from pathlib import Path

    from audio.recording import SEALED_SUFFIX, read_wav

    with open_storage(args.db or default_db(), keyring) as storage:
        recording = storage.recording(args.call)
        path = Path(recording.path) if recording else None
        if path is None or not path.is_file():
            print("redactor: no recording file for that call", file=sys.stderr)
            return 1
        sealed = path.name.endswith(SEALED_SUFFIX)
        if sealed and keyring is None:
            print(f"redactor: the recording is encrypted at rest: set ${KEY_ENV} or ${KEY_FILE_ENV}",
                  file=sys.stderr)
            return 1
        wav = read_wav(path, storage.data_key(args.call) if sealed else None, args.call)
    Path(args.output).write_bytes(wav)
    sink.write(f"wrote {len(wav)} bytes of WAV to {args.output}\n")
    return 0


def erase_command(args: argparse.Namespace, sink: TextIO) -> int:
    """``erase --phone|--nik|--email|--call|--session VALUE``: delete the subject's
    conversations everywhere and print the signed receipt; ``erase --verify-receipt FILE``."""
    import os

    from .crypto_at_rest import Keyring
    from .erasure import ErasureRequest, erasure_key, verify_receipt
    from .keys import MIN_ID_KEY_CHARS

    config = RedactorConfig.from_file(args.config) if args.config else RedactorConfig()
    if args.verify_receipt:
        with open(args.verify_receipt, encoding="utf-8") as source:
            receipt = json.load(source)
        if verify_receipt(erasure_key(os.environ, config.erasure_key_env), receipt):
            sink.write(f"receipt {receipt.get('receipt_id')} OK: signature valid\n")
            return 0
        sink.write("receipt INVALID: it was changed after it was signed, or another key signed it\n")
        return 1
    from console.governance import run_erasure  # the console's rows and audit log too

    kind = next(name for name in ("phone", "nik", "email", "call", "session") if getattr(args, name))
    id_key = os.environ.get("REDACTOR_ID_KEY", "")
    receipt = run_erasure(args.db or default_db(), config, ErasureRequest(kind, getattr(args, kind)),
                          actor=f"cli:{_os_user()}", environ=os.environ,
                          id_key=id_key if len(id_key) >= MIN_ID_KEY_CHARS else None,
                          keyring=Keyring.from_environ(), anonymise=args.anonymise)
    text = json.dumps(receipt, indent=2, sort_keys=True) + "\n"
    if args.receipt:
        with open(args.receipt, "w", encoding="utf-8") as out:
            out.write(text)
    sink.write(text)
    removed = receipt["removed"]
    print(f"redactor: erased {removed['conversations']} conversation(s), {removed['segments']} segment(s), "
          f"{removed['recordings']} recording(s)", file=sys.stderr)
    return 0


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _revoke(storage: Storage, key: str, sink: TextIO) -> int:
    # `key` may be a full key: messages show only its id, never its secret.
    key_id = parse_key_id(key)
    if key_id is None:
        print("redactor: not a key id (8 hex characters) or an API key", file=sys.stderr)
        return 1
    if not revoke_key(storage, key_id):
        print(f"redactor: no active API key with id {key_id}", file=sys.stderr)
        return 1
    sink.write(f"revoked {key_id}\n")
    return 0


def keys_table(keys: Sequence[ApiKeyInfo]) -> str:
    """Aligned columns KEY_ID, NAME, CREATED, REVOKED (UTC); never a hash."""
    rows = [("KEY_ID", "NAME", "CREATED", "REVOKED")] + [
        (key.key_id, key.name or "-", _utc(key.created_at),
         _utc(key.revoked_at) if key.revoked_at else "-")
        for key in keys
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + f"  {row[3]}\n"
        for row in rows
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def to_json_line(result: RedactionResult) -> str:
    entities = [
        {"type": e.entity_type, "start": e.start, "end": e.end, "score": round(e.score, 4)}
        for e in result.entities
    ]
    return json.dumps({"text": result.text, "entities": entities}, ensure_ascii=False)


def _lines(source: BinaryIO) -> Iterator[tuple[int, str | None]]:
    """Numbered input lines without their line ending; None for a line that is not UTF-8."""
    for number, raw in enumerate(source, start=1):
        try:
            yield number, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield number, None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="redactor", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    redact = commands.add_parser("redact", help="mask PII in stdin, one message per line")
    redact.add_argument("--lang", choices=LANG_OPTIONS, default="auto",
                        help="language of the messages (default: decide per message)")
    redact.add_argument("--jsonl", action="store_true",
                        help="write one JSON object per line with the entities found")
    redact.add_argument("--config", metavar="FILE", help="policy file (.toml, .yaml)")
    decrypt = commands.add_parser(
        "decrypt", help="restore encrypted tokens in masked stdin (needs the encryption key)")
    decrypt.add_argument("--config", metavar="FILE", help="policy file naming the key variable")
    _add_keys_parser(commands)
    storage = commands.add_parser("storage", help="encryption at rest of stored conversations")
    storage_commands = storage.add_subparsers(dest="storage_command", required=True)
    generate = storage_commands.add_parser("generate-key", help="print a new master key entry (key_id:base64)")
    generate.add_argument("key_id", metavar="KEY_ID", help="a name for the key, e.g. 2026-12")
    rotate = storage_commands.add_parser(
        "rotate-key", help="re-wrap every data key under the active (first) storage key")
    rotate.add_argument("--db", metavar="DB", help="SQLite file or postgresql:// URL (default: $REDACTOR_DB,"
                                                   " else data/redactor.db)")
    show = storage_commands.add_parser(
        "show", help="print a stored conversation's masked segments as JSON lines (decrypted with the key)")
    show.add_argument("session", metavar="ID", help="the chat session or call id as stored")
    export = storage_commands.add_parser(
        "export-recording", help="write a call's redacted recording as a WAV file (decrypted with the key)")
    export.add_argument("call", metavar="CALL_ID", help="the call id as stored")
    export.add_argument("output", metavar="OUT.wav")
    for command in (show, export):
        command.add_argument("--db", metavar="DB", help="SQLite file or postgresql:// URL (default: $REDACTOR_DB,"
                                                        " else data/redactor.db)")
    purge = storage_commands.add_parser(
        "purge", help="delete what the retention periods say has expired (policy file, console settings)")
    purge.add_argument("--config", metavar="FILE", help="policy file with a [retention] table")
    purge.add_argument("--data-dir", type=Path, default=Path("data"),
                       help="the server's --data-dir, holding recordings/ (default: data/)")
    purge.add_argument("--db", metavar="DB", help="SQLite file or postgresql:// URL (default:"
                                                  " $REDACTOR_DB, else data/redactor.db)")
    _add_erase_parser(commands)
    audit = commands.add_parser("audit", help="the console's audit log")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser("verify", help="check its hash chain; exit 1 at the first broken entry")
    verify.add_argument("--db", metavar="DB", help="SQLite file or postgresql:// URL (default: $REDACTOR_DB,"
                                                   " else data/redactor.db)")
    from batch.cli import add_batch_parser  # argparse only: Ray loads when a batch runs

    add_batch_parser(commands)
    return parser


def _add_erase_parser(commands: argparse._SubParsersAction) -> None:
    erase = commands.add_parser(
        "erase", help="erase one data subject's conversations everywhere; prints a signed receipt",
        description="Finds the subject's conversations through the erasure index (needs "
                    "$REDACTOR_ERASURE_KEY, which also signs the receipt) and the hash policy's "
                    "pseudonyms, and deletes their rows, recordings, .part files, index entries "
                    "and data keys. A --call or --session id is the client's (hashed with "
                    "$REDACTOR_ID_KEY when the server ran with --hash-ids).")
    who = erase.add_mutually_exclusive_group(required=True)
    for name, what in (("phone", "phone number, any spelling (+62, 0, spaces)"), ("nik", "NIK"),
                       ("email", "e-mail address"), ("call", "call id"), ("session", "chat session id"),
                       ("verify_receipt", "check a receipt's signature (a file) instead")):
        who.add_argument(f"--{name.replace('_', '-')}", metavar="FILE" if name == "verify_receipt" else "VALUE",
                         help=what)
    erase.add_argument("--receipt", metavar="FILE", help="also write the receipt to this file")
    erase.add_argument("--anonymise", action="store_true",
                       help="keep the masked transcripts (for QA statistics) under new random ids, with "
                            "every pseudonym reduced to its label; recordings are deleted all the same")
    erase.add_argument("--config", metavar="FILE", help="policy file (hash policy, erasure key variable)")
    erase.add_argument("--db", metavar="DB", help="SQLite file or postgresql:// URL (default:"
                                                  " $REDACTOR_DB, else data/redactor.db)")


def _add_keys_parser(commands: argparse._SubParsersAction) -> None:
    keys = commands.add_parser("keys", help="create, list and revoke the server's API keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create a key and print it (shown only once)")
    create.add_argument("--name", default="", help="what the key is for (shown in lists)")
    listing = key_commands.add_parser("list", help="list the keys (ids, names, dates)")
    revoke = key_commands.add_parser("revoke", help="revoke a key; exit 1 if it is not active")
    revoke.add_argument("key_id", metavar="KEY_ID", help="the key's id (or the full key)")
    for command in (create, listing, revoke):
        command.add_argument("--db", metavar="DB",
                             help="SQLite file or postgresql:// URL (default: $REDACTOR_DB, else"
                                  " data/redactor.db; a URL with a password is better in"
                                  " $REDACTOR_DB, as arguments show in ps)")


if __name__ == "__main__":
    sys.exit(main())
