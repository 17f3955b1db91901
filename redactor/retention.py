"""Retention: stored data is kept no longer than the policy says (UU PDP art. 43, GDPR art.
5(1)(e), PDPA's retention limitation, PCI DSS 3.2.1).

A chat or call conversation expires when its last segment is older than its channel's
transcript period; a recording when it is older than the recording period. Expired data is
deleted with everything derived from it: rows, erasure index entries, data keys (encryption
at rest), recording files, and the ``.part`` files of interrupted calls. Run by the server in
the background and by ``redactor storage purge``; the console's own tables (its audit log,
its summaries of conversations) are handled by :mod:`console.governance`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .config import RetentionPolicy
from .erasure import ErasureCounts, delete_files



@dataclass
class PurgeResult:
    chat: ErasureCounts = field(default_factory=ErasureCounts)
    call: ErasureCounts = field(default_factory=ErasureCounts)
    recordings: int = 0
    recording_files: int = 0
    orphan_part_files: int = 0
    conversations: list[tuple[str, str]] = field(default_factory=list)  # what was purged

    def as_dict(self) -> dict[str, Any]:
        return {"chat": self.chat.as_dict(), "call": self.call.as_dict(), "recordings": self.recordings,
                "recording_files": self.recording_files, "orphan_part_files": self.orphan_part_files}

    @property
    def anything(self) -> bool:
        return bool(self.conversations or self.recordings or self.recording_files or self.orphan_part_files)


def cutoff(days: float, now: datetime) -> datetime:
    return now - timedelta(days=days)


def purge(storage: Any, policy: RetentionPolicy, recordings_dir: Path | None = None,
          now: datetime | None = None) -> PurgeResult:
    """Delete what ``policy`` says has expired at ``now``; blocking (the server runs it on a
    worker thread)."""
    now = now or datetime.now(timezone.utc)
    result = PurgeResult()
    for kind, days in (("chat", policy.chat_transcript_days), ("call", policy.call_transcript_days)):
        if days is None:
            continue
        expired = [(session_id, kind) for session_id in storage.expired_conversations(kind, cutoff(days, now))]
        # A call's recording follows its own period, not its transcript's.
        counts = erase_transcripts(storage, expired)
        setattr(result, kind, counts)
        result.conversations += expired
    if policy.call_recording_days is not None:
        before = cutoff(policy.call_recording_days, now)
        paths = storage.expired_recordings(before)
        result.recordings = sum(storage.delete_recording_row(path) for path in paths)
        result.recording_files = delete_files(paths)
        if recordings_dir is not None:
            result.orphan_part_files = delete_stale_parts(recordings_dir, before)
    return result


def erase_transcripts(storage: Any, conversations: list[tuple[str, str]]) -> ErasureCounts:
    """Like :func:`redactor.erasure.erase_conversations`, but a call's recording rows and files stay."""
    counts = ErasureCounts(conversations=len(conversations))
    for session_id, kind in conversations:
        removed, _ = storage.erase_conversation(session_id, kind, recordings=False)
        counts.add(removed)
    return counts


def delete_stale_parts(directory: Path, before: datetime) -> int:
    """``.part`` files no live call writes any more (untouched since ``before``): left by a
    crash and not recovered, or recovered under a call nobody knows."""
    removed, limit = 0, before.timestamp()
    for partial in directory.glob("*.part"):
        try:
            if partial.stat().st_mtime < limit:
                partial.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed
