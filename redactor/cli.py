"""Command line: ``redactor redact`` masks stdin line by line; ``redactor decrypt`` reverses
the ``encrypt`` policy for authorised use.

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
from typing import BinaryIO, TextIO

from .config import RedactorConfig
from .engine import LANG_OPTIONS, Redactor, RedactionResult, fail_closed
from .errors import DecryptionError, RedactorError
from .operators import decrypt_text

logger = logging.getLogger("redactor")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="redactor: %(message)s", stream=sys.stderr)
    try:
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
    return parser


if __name__ == "__main__":
    sys.exit(main())
