"""``redactor batch INPUT... --out DIR``: the command line of the batch job.

Only argparse here: Ray and the engine are imported when the command runs, so ``redactor
redact`` does not pay for them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from redactor.engine import LANG_OPTIONS
from redactor.errors import RedactorError

WHATSAPP_DATES = ("auto", "dmy", "mdy")


def add_batch_parser(commands: argparse._SubParsersAction) -> None:
    batch = commands.add_parser(
        "batch", help="redact archives of chats and call recordings on Ray",
        description="Redact chat exports (JSONL, CSV, WhatsApp .txt) and call recordings "
                    "(.wav: PCM, μ-law, A-law; mono or stereo) on local Ray or a Ray cluster. "
                    "A re-run with the same --out skips finished files.")
    batch.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                       help="files or folders (walked recursively)")
    batch.add_argument("--out", required=True, type=Path, metavar="DIR",
                       help="masked JSONL, redacted WAVs, report.json and the resume state")
    batch.add_argument("--config", metavar="FILE", help="policy file (.toml, .yaml)")
    batch.add_argument("--lang", choices=LANG_OPTIONS, default="auto")
    batch.add_argument("--columns", default="", metavar="FIELD=COLUMN,...",
                       help="CSV/JSONL columns: conversation, speaker, time, text (defaults: "
                            "conversation_id, speaker, time, text)")
    batch.add_argument("--whatsapp-dates", choices=WHATSAPP_DATES, default="auto",
                       help="day-first (Indonesian) or month-first (US) dates; auto decides per file")
    batch.add_argument("--speaker", action="append", default=[], metavar="NAME=ROLE",
                       help="store a chat speaker as ROLE (e.g. 'Toko Budi=agent'); other names "
                            "become speaker-1, speaker-2, ...")
    batch.add_argument("--call-speakers", default="", metavar="SPEAKER,...",
                       help="speaker of each channel (default: customer for mono; customer,agent)")
    batch.add_argument("--audio-redaction", choices=("silence", "tone"), default="silence")
    batch.add_argument("--vosk-model", metavar="DIR",
                       help="Vosk model (default: $REDACTOR_VOSK_MODEL, else an installed one)")
    batch.add_argument("--db", metavar="DB",
                       help="also store into the server's database (SQLite file or postgresql:// URL)")
    batch.add_argument("--address", metavar="ADDR",
                       help="Ray cluster (ray://head:10001); default $RAY_ADDRESS, else local Ray")
    batch.add_argument("--num-cpus", type=int, metavar="N",
                       help="cores of local Ray (default: all)")
    batch.add_argument("--ray-temp-dir", type=Path, metavar="DIR",
                       help="local Ray's session, log and spill files (default: a private "
                            "temporary directory, removed afterwards)")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar")


def batch_command(args: argparse.Namespace) -> int:
    from .chats import ChatColumns
    from .job import BatchOptions, report_text, run_batch
    from .worker import WorkerSettings

    try:
        columns = ChatColumns.parse(args.columns)
        speakers = dict(_pair(item) for item in args.speaker)
    except ValueError as exc:
        print(f"redactor: {exc}", file=sys.stderr)
        return 2
    settings = WorkerSettings(
        out=str(args.out.resolve()), config=args.config, lang=args.lang,
        columns=vars(columns), date_order=args.whatsapp_dates, speaker_map=speakers,
        call_speakers=tuple(s.strip() for s in args.call_speakers.split(",") if s.strip()),
        audio_redaction=args.audio_redaction, vosk_model=args.vosk_model)
    options = BatchOptions(
        inputs=tuple(args.inputs), out=args.out, worker=settings, db=args.db,
        address=args.address, num_cpus=args.num_cpus, ray_temp_dir=args.ray_temp_dir,
        progress=not args.no_progress)
    try:
        report = run_batch(options)
    except KeyboardInterrupt:
        print("redactor: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    except RedactorError:
        raise  # the CLI prints these (their messages never hold input text)
    except Exception as exc:  # noqa: BLE001 - Ray's errors carry worker tracebacks: kind only
        print(f"redactor: the Ray job failed ({type(exc).__name__}); finished files are kept, "
              "run the same command again to resume", file=sys.stderr)
        return 1
    print(report_text(report), file=sys.stderr)
    return 1 if report["errors"] else 0


def _pair(item: str) -> tuple[str, str]:
    name, sep, role = item.rpartition("=")
    if not sep or not name.strip() or not role.strip():
        raise ValueError("--speaker takes NAME=ROLE")
    return name.strip(), role.strip()
