"""Test data and helpers for the console tests: a database holding a call (with its redacted
recording) and a chat as the server stores them, users, and logging in with fresh codes."""
from __future__ import annotations

import base64
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyotp

from redactor import RedactorConfig
from redactor.operators import Operators
from redactor.storage import Recording, Segment, StoredEntity, open_storage
from tests.live import DATA_PLACES, SENT_PII, SENT_WORDS

KEY_ENV = "CONSOLE_TEST_ENCRYPTION_KEY"
KEY = base64.b64encode(bytes(range(32))).decode()
#: Raw values behind the stored tokens: only a decrypt may show them, nothing may store them.
RAW_NIK = "3174096512880007"
RAW_NAME = "Sulistyowati"
SENT_PII.update({RAW_NIK, RAW_NAME})
SENT_WORDS.add(RAW_NAME)
CALL_ID = "call-20261204-0001"
CHAT_ID = "chat-4821"


@dataclass(frozen=True)
class Seeded:
    db: str
    data_dir: Path
    recording: Path


def seed(db_url: str, data_dir: Path, extra_calls: int = 0) -> Seeded:
    """A call with masked card, encrypted NIK and name, its redacted recording; a chat with a
    fail-closed message; ``extra_calls`` short calls more (for paging)."""
    DATA_PLACES.append(data_dir)
    operators = Operators(RedactorConfig.from_dict({"encryption_key_env": KEY_ENV, "entities": {
        "ID_NIK": {"operator": "encrypt"}, "PERSON": {"operator": "encrypt"}}}), {KEY_ENV: KEY})
    nik, name = operators.apply("ID_NIK", RAW_NIK), operators.apply("PERSON", RAW_NAME)
    lines = [
        ("agent", "Selamat pagi, dengan Bank Nusantara, saya Dewi. Ada yang bisa dibantu?", ()),
        ("customer", f"Pagi mbak, saya {name} mau blokir kartu saya", (("PERSON", name),)),
        ("agent", f"Baik, boleh sebutkan NIK Anda? {''}", ()),
        ("customer", f"NIK saya {nik} ya", (("ID_NIK", nik),)),
        ("agent", "Terima kasih. Nomor kartunya berapa?", ()),
        ("customer", "kartu saya <CREDIT_CARD> yang mau diblokir", (("CREDIT_CARD", "<CREDIT_CARD>"),)),
        ("agent", "Sudah kami blokir. Ada lagi yang bisa dibantu? Terima kasih, selamat pagi.", ()),
    ]
    spans = []
    with open_storage(db_url) as storage:
        for n in range(extra_calls):  # older than the two below, which head the list
            storage.save_segment(Segment(f"call-extra-{n:03d}", "call", 0, "agent", f"panggilan nomor {n} selesai", (),
                                         0.0, 2.0))
        clock = 0.0
        for seq, (speaker, text, entities) in enumerate(lines):
            length = 1.2 + 0.06 * len(text)
            stored = []
            for entity_type, value in entities:
                start = text.index(value)
                stored.append(StoredEntity(entity_type, start, start + len(value)))
                spans.append((clock + length * start / len(text), clock + length * (start + len(value)) / len(text)))
            storage.save_segment(Segment(CALL_ID, "call", seq, speaker, text, tuple(stored), clock, clock + length))
            clock += length + 0.4
        recordings = data_dir / "recordings"
        recordings.mkdir(parents=True, exist_ok=True)
        path = recordings / f"{CALL_ID}-0a1b2c3d.wav"
        write_call_audio(path, clock, spans)
        storage.save_recording(Recording(CALL_ID, str(path), 8000, 1, clock, "silence", tuple(spans)))
        storage.save_segment(Segment(CHAT_ID, "chat", 0, "customer", "halo, email saya <EMAIL_ADDRESS>",
                                     (StoredEntity("EMAIL_ADDRESS", 17, 32),)))
        storage.save_segment(Segment(CHAT_ID, "chat", 1, "customer", "<REDACTED>", (StoredEntity("UNKNOWN", 0, 10),),
                                     failed=True))
        storage.save_segment(Segment(CHAT_ID, "chat", 2, "agent", "Baik, kami kirim ke email tersebut.", ()))
    return Seeded(db_url, data_dir, path)


def write_call_audio(path: Path, duration: float, spans: list[tuple[float, float]], rate: int = 8000) -> None:
    """Speech-like bursts, silent over the masked spans (as the server's silence mode writes)."""
    t = np.arange(int(duration * rate)) / rate
    signal = 0.4 * np.sin(2 * np.pi * 220 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 2.5 * t)) ** 2
    for start, end in spans:
        signal[int(start * rate):int(end * rate)] = 0
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((signal * 32767).astype("<i2").tobytes())


def seed_scorecards(db_url: str, weeks: int = 8) -> None:
    """Weekly scorecards of three agents, backdated: what a supervisor's chart shows."""
    from datetime import datetime, timedelta, timezone

    from console.db import Database
    from console.scorecards import DEFAULT_CHECKLIST, Scorecards

    db = Database(db_url)
    try:
        cards = Scorecards(db)
        now = datetime.now(timezone.utc)
        for week in range(weeks):
            trends = {"dewi": 2 + min(3, week // 2), "budi": 3 if week % 3 == 0 else 4, "andre": 5 - min(3, week // 3)}
            for index, (agent, items) in enumerate(trends.items()):
                passed = set(DEFAULT_CHECKLIST[:items])
                card = cards.add(CALL_ID, "call", agent, "rina", passed, "")
                moment = now - timedelta(days=7 * (weeks - week), hours=index * 5)
                db.run("UPDATE console_scorecards SET created_at = ? WHERE id = ?", (db.time(moment), card.id))
    finally:
        db.close()


def cheap_hasher():
    """Argon2id with test-sized costs: the production costs take ~0.5 s per hash on a busy
    CI machine, and the tests hash hundreds of times. Production costs are tested once."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class Codes:
    """Fresh TOTP codes for a secret: each one of a later time step than the last given, as
    the console accepts each step once (a real user waits for the next code)."""

    def __init__(self, otpauth_uri: str) -> None:
        self.totp = pyotp.parse_uri(otpauth_uri)
        self.used: int | None = None

    def fresh(self) -> str:
        """A code of the current step, or of the next when the current one was used (the
        console accepts one step of drift either way); waits when both were used. Never
        the previous step: it could expire between here and the server."""
        import time

        step = int(time.time() // 30)
        candidate = step if self.used is None else max(self.used + 1, step)
        if candidate > step + 1:
            time.sleep((candidate - 1) * 30 - time.time() + 0.2)
        self.used = candidate
        return self.totp.generate_otp(candidate)

    def last(self) -> str:
        assert self.used is not None
        return self.totp.generate_otp(self.used)


def field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field in the page"
    return match.group(1)
