"""``redactor-console``: serve the console; on the first run, create the admin and print
their one-time enrolment (password, ``otpauth://`` URI and a QR code for the terminal)."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TextIO

import segno

from redactor.config import RedactorConfig
from redactor.crypto_at_rest import KEY_FILE_ENV, Keyring
from redactor.errors import RedactorError
from redactor.storage import default_db

from .audit import AuditLog
from .auth import Accounts, Enrolment
from .db import Database


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="redactor-console: %(message)s", stream=sys.stderr)
    if args.alert_webhook and not args.alert_webhook.startswith(("https://", "http://")):
        print("redactor-console: --alert-webhook must be an http(s):// URL", file=sys.stderr)
        return 2
    if bool(args.certfile) != bool(args.keyfile):
        print("redactor-console: --certfile and --keyfile go together", file=sys.stderr)
        return 2
    try:
        policy = RedactorConfig.from_file(args.config) if args.config else RedactorConfig()
        storage_keyring = Keyring.from_environ(
            {KEY_FILE_ENV: args.storage_key_file} if args.storage_key_file else os.environ)
        if args.backfill_compliance:
            done = backfill_compliance(args.db, args.data_dir, policy, storage_keyring)
            print(f"redactor-console: compliance flags computed for {done} conversation(s)")
            return 0
        enrolment = first_admin(args.db)
    except RedactorError as exc:
        print(f"redactor-console: {exc}", file=sys.stderr)
        return 2
    secret = os.environ.get(args.alert_webhook_secret_env, "")
    scheme = "https" if args.certfile else "http"
    print(f"redactor-console: serving on {scheme}://{args.host}:{args.port}/", flush=True)
    if enrolment:
        print_enrolment(enrolment, sys.stdout)
    import uvicorn

    from .app import Settings, create_app

    settings = Settings(args.db, args.data_dir, secure_cookies=bool(args.certfile),
                        idle=timedelta(minutes=args.idle_minutes), absolute=timedelta(hours=args.absolute_hours),
                        encryption_key_env=policy.encryption_key_env, compliance=policy.compliance,
                        alert_webhook=args.alert_webhook, alert_webhook_secret=secret,
                        watch_interval_s=args.watch_interval, storage_keyring=storage_keyring,
                        policy=policy)
    # No access log: the audit log is the record of who did what, and URLs carry searches.
    uvicorn.run(create_app(settings), host=args.host, port=args.port, ssl_certfile=args.certfile,
                ssl_keyfile=args.keyfile, access_log=False, server_header=False, log_level="warning")
    return 0


def backfill_compliance(db_url: str, data_dir: Path, policy: RedactorConfig,
                        keyring: Keyring | None = None) -> int:
    """Compliance flags computed for every stored conversation (data stored before the console
    ran, or after a change of the ``[compliance]`` rules); how many conversations."""
    from .compliance import ComplianceStore
    from .conversations import Conversations

    db = Database(db_url)
    try:
        return ComplianceStore(db, Conversations(db, data_dir, keyring), policy.compliance).backfill()
    finally:
        db.close()


def first_admin(db_url: str) -> Enrolment | None:
    """The first admin's enrolment when the database has no console user yet, else None."""
    db = Database(db_url)
    try:
        accounts = Accounts(db)
        if accounts.count():
            return None
        enrolment = accounts.create("admin", {"admin", "supervisor"})
        AuditLog(db).append("-", "user_create", "admin", "cli", roles=["admin", "supervisor"], first_run=True)
        return enrolment
    finally:
        db.close()


def print_enrolment(enrolment: Enrolment, out: TextIO) -> None:
    out.write(
        "\nFirst run: an administrator was created. This is shown ONCE; store it now.\n"
        f"  username: {enrolment.username}\n  password: {enrolment.password}\n"
        f"  authenticator: {enrolment.otpauth_uri}\n  or scan:\n")
    out.flush()
    segno.make(enrolment.otpauth_uri, error="m").terminal(out=out, compact=True)
    out.write("\n")
    out.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="redactor-console", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--db", default=default_db(),
                        help="the server's database: SQLite file or postgresql:// URL (default: $REDACTOR_DB,"
                             " else data/redactor.db)")
    parser.add_argument("--data-dir", type=Path, default=Path("data"),
                        help="the server's data directory; recordings are served only from inside it")
    parser.add_argument("--config", help="the server's policy file: names the variable holding the encryption key"
                                         " that decrypt uses (default $REDACTOR_ENCRYPTION_KEY)")
    parser.add_argument("--storage-key-file", help="the server's storage master keys, to read what it stored"
                                                   " encrypted at rest (default $REDACTOR_STORAGE_KEY_FILE,"
                                                   " or the entries in $REDACTOR_STORAGE_KEY)")
    parser.add_argument("--certfile", help="TLS certificate (PEM): serves https with Secure cookies")
    parser.add_argument("--keyfile", help="TLS private key (PEM)")
    parser.add_argument("--alert-webhook", default=os.environ.get("REDACTOR_ALERT_WEBHOOK", ""),
                        help="POST access-anomaly alerts (JSON, no PII) to this URL (default $REDACTOR_ALERT_WEBHOOK)")
    parser.add_argument("--alert-webhook-secret-env", default="REDACTOR_ALERT_WEBHOOK_SECRET",
                        help="the variable holding the secret that signs them (default $REDACTOR_ALERT_WEBHOOK_SECRET)")
    parser.add_argument("--watch-interval", type=float, default=60,
                        help="seconds between background rounds: new conversations' compliance flags, the anomaly scan,"
                             " alert delivery (default 60; 0 turns them off)")
    parser.add_argument("--backfill-compliance", action="store_true",
                        help="compute the compliance flags of every stored conversation, then exit")
    parser.add_argument("--idle-minutes", type=float, default=15, help="session idle timeout (default 15)")
    parser.add_argument("--absolute-hours", type=float, default=8, help="session absolute timeout (default 8)")
    return parser
