"""`redactor batch` end to end on one shared local Ray (2 CPUs): chats (JSONL, CSV, a WhatsApp
export) and stereo recordings (μ-law, PCM) with the real Vosk model; corrupt files reported and
skipped; an interrupted run resumed; the database filled; and no raw PII in the outputs, in
Ray's session and log files or its spill directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip("ray", reason="Ray is the optional 'batch' extra: pip install '.[batch]'")

from batch import BatchOptions, WorkerSettings, run_batch  # noqa: E402
from batch.job import REPORT_NAME, start_local_ray  # noqa: E402
from redactor.storage import open_storage  # noqa: E402
from tests.live import DATA_PLACES, SENT_PII, SENT_WORDS  # noqa: E402
from tests.speech import g711_stereo, read_wav, wav_bytes, words_heard  # noqa: E402

NIK, CARD, PHONE, EMAIL, ACCOUNT = (
    "3174054509900003", "4532015112830366", "0812-3456-7890", "budi.santoso@gmail.com", "1234567890")
NAME = "Budi Santoso"
CHAT_PII = (NIK, "4532 0151", "1283 0366", PHONE, EMAIL, ACCOUNT, "Santoso")
SENT_PII.update(CHAT_PII)
# The exports' own column names (JSONL and CSV alike), mapped with --columns.
COLUMNS = {"conversation": "chat", "speaker": "role", "time": "ts", "text": "message"}


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    temp_dir = tmp_path_factory.mktemp("ray")
    if ray.is_initialized():
        pytest.skip("another Ray is running in this process")
    start_local_ray(num_cpus=2, temp_dir=temp_dir)
    yield temp_dir
    ray.shutdown()


def conversation_rows(conversation: str) -> list[dict]:
    lines = [
        ("agent", "Selamat pagi, boleh NIK-nya untuk verifikasi?"),
        ("customer", f"nik saya {NIK}"),
        ("agent", "nomor kartunya?"),
        ("customer", "4532 0151"),
        ("customer", "1283 0366"),  # the rest of the card, in a second bubble
        ("customer", f"hp {PHONE}, email {EMAIL}"),
        ("agent", "rekening untuk refund?"),
        ("customer", ACCOUNT),  # only the agent's question says it is an account
    ]
    times = [0, 5, 10, 15, 16, 20, 25, 30]  # the second half of the card within the hold-back
    return [{"chat": conversation, "role": speaker, "ts": 1614852000 + time, "message": text}
            for time, (speaker, text) in zip(times, lines)]


def write_chats(folder: Path) -> None:
    rows = [row for c in ("c-1", "c-2", "c-3") for row in conversation_rows(c)]
    with open(folder / "export.jsonl", "w", encoding="utf-8") as sink:
        for row in rows:
            sink.write(json.dumps(row) + "\n")
        sink.write("{not json\n")
    csv = ["chat,role,message"] + [f"k-{i},{r['role']},\"{r['message']}\"" for i in range(2)
                                   for r in conversation_rows("x")]
    (folder / "platform.csv").write_text("\n".join(csv) + "\n", encoding="utf-8")
    (folder / f"WhatsApp Chat with {NAME}.txt").write_text(
        "04/03/21 10.00 - Pesan dan panggilan terenkripsi secara end-to-end.\n"
        f"04/03/21 10.01 - {NAME}: halo, no hp saya {PHONE}\n"
        "04/03/21 10.02 - Toko Maju: baik kak, untuk verifikasi NIK-nya?\n"
        f"14/03/21 10.03 - {NAME}: {NIK}\n", encoding="utf-8")


def write_corrupt(folder: Path) -> None:
    (folder / "broken.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt garbage" + os.urandom(64))
    (folder / "wrong-columns.csv").write_text("id,body\n1,halo\n", encoding="utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory, korean_call):
    speech, terms = korean_call
    SENT_WORDS.update(terms)
    folder = tmp_path_factory.mktemp("archive")
    write_chats(folder)
    calls = folder / "calls" / "2021-03"
    calls.mkdir(parents=True)
    mulaw = g711_stereo(speech.samples, "mulaw")  # speech on the second channel
    (calls / "+6281234567890_mulaw.wav").write_bytes(wav_bytes(mulaw, 7, 2, 8000, 8))
    pcm = np.stack([speech.samples, np.zeros_like(speech.samples)], axis=1)  # speech first
    (calls / "pcm.wav").write_bytes(wav_bytes(pcm.astype("<i2").tobytes(), 1, 2, 8000, 16))
    write_corrupt(folder)
    policy = folder.parent / f"{folder.name}-policy.toml"
    policy.write_text(f"[entities.EMPLOYEE_NAME]\ndeny_list = {json.dumps(list(terms))}\n")
    return folder, policy, speech, terms


def options(archive_dir: Path, out: Path, policy: Path | None, **settings) -> BatchOptions:
    worker = WorkerSettings(out=str(out), config=str(policy) if policy else None,
                            speaker_map={"Toko Maju": "agent"}, columns=COLUMNS, **settings)
    DATA_PLACES.append(out)
    return BatchOptions(inputs=(archive_dir,), out=out, worker=worker, db=str(out / "redactor.db"),
                        progress=False)


@pytest.fixture(scope="module")
def first_run(local_ray, archive, tmp_path_factory, speech_model_path):
    folder, policy, _, _ = archive
    out = tmp_path_factory.mktemp("out")
    # Each call has the customer on a different channel: the mu-law one on the second.
    report = run_batch(options(folder, out, policy, vosk_model=str(speech_model_path)))
    return out, report


def segments(out: Path, pattern: str) -> list[dict]:
    return [json.loads(line) for path in sorted(out.glob(pattern)) for line in path.open()]


def test_chats_are_masked_in_order_with_their_earlier_turns_as_context(first_run):
    out, report = first_run
    jsonl = segments(out, "chats/export-*.jsonl")
    assert sorted({s["session_id"] for s in jsonl}) == ["c-1", "c-2", "c-3"]
    for conversation in ("c-1", "c-2", "c-3"):
        mine = [s for s in jsonl if s["session_id"] == conversation]
        assert [s["seq"] for s in mine] == list(range(8))
        assert [s["text"] for s in mine][1:] == [
            "nik saya <ID_NIK>", "nomor kartunya?", "<CREDIT_CARD>", "<CREDIT_CARD>",
            "hp <PHONE_NUMBER>, email <EMAIL_ADDRESS>", "rekening untuk refund?", "<BANK_ACCOUNT>"]
        assert set(mine[0]) == {"session_id", "kind", "seq", "speaker", "text", "entities",
                                "start_s", "end_s", "failed"}
    csv = segments(out, "chats/platform-*.jsonl")
    assert len(csv) == 16 and {s["session_id"] for s in csv} == {"k-0", "k-1"}
    assert report["warnings"][0]["rows"] == ["line 25: not valid JSON"]


def test_a_whatsapp_export_is_one_conversation_with_senders_as_roles(first_run):
    out, _ = first_run
    (path,) = out.glob("chats/WhatsApp*.jsonl")
    assert "Santoso" not in path.name
    chat = segments(out, "chats/WhatsApp*.jsonl")
    assert [(s["speaker"], s["text"]) for s in chat] == [
        ("system", "Pesan dan panggilan terenkripsi secara end-to-end."),
        ("speaker-1", "halo, no hp saya <PHONE_NUMBER>"),
        ("agent", "baik kak, untuk verifikasi NIK-nya?"),
        ("speaker-1", "<ID_NIK>"),
    ]


def test_stereo_recordings_are_transcribed_masked_and_written_redacted(first_run, archive):
    out, report = first_run
    _, _, speech, terms = archive
    assert report["totals"]["calls"] == 2
    (pcm,) = out.glob("calls/*pcm-*.wav")
    # The μ-law file's name is masked from "+6281234567890_mulaw" (the model may take the
    # word after the number for a name too): it is the other recording.
    (mulaw,) = set(out.glob("calls/*.wav")) - {pcm}
    for wav, speech_channel in ((mulaw, 1), (pcm, 0)):
        assert "81234567" not in wav.name  # the caller's number in the archive's file name
        finals = segments(out, f"calls/{wav.stem}.jsonl")
        assert finals and {s["speaker"] for s in finals} == {"customer agent".split()[speech_channel]}
        assert not words_heard(" ".join(s["text"] for s in finals), terms)
        spans = [(s["start_s"], s["end_s"]) for s in finals for e in s["entities"]]
        assert any(e["type"] == "EMPLOYEE_NAME" for s in finals for e in s["entities"])
        samples, rate = read_wav(wav)
        assert rate == 8000 and samples.shape[1] == 2
        assert len(samples) == pytest.approx(len(speech.samples), abs=1)
        assert spans and all(s is not None for s in spans[0])
    with open_storage(str(out / "redactor.db")) as storage:
        for wav in out.glob("calls/*.wav"):
            recording = storage.recording(wav.stem)
            assert recording is not None and Path(recording.path) == wav.resolve() and recording.spans
            assert len(storage.segments(wav.stem)) == len(segments(out, f"calls/{wav.stem}.jsonl"))


def test_the_speech_under_masked_words_is_silenced(first_run):
    out, _ = first_run
    with open_storage(str(out / "redactor.db")) as storage:
        (wav,) = out.glob("calls/*pcm-*.wav")
        spans = storage.recording(wav.stem).spans
    samples, rate = read_wav(wav)
    for start, end in spans:
        assert not samples[round(start * rate) : round(end * rate)].any()
    assert samples[:, 0].any()  # the rest of the speech is still there


def test_corrupt_files_are_reported_by_masked_name_and_skipped(first_run):
    out, report = first_run
    errors = {e["file"].rsplit("-", 1)[0]: e["error"] for e in report["errors"]}
    assert errors == {"broken": "WavError: no data chunk",
                      "wrong-columns": "ChatFormatError: CSV header has no text column 'message'"}
    assert report["finished"] == report["units"] - 2 == 5
    assert json.loads((out / REPORT_NAME).read_text()) == report


def test_report_counts_entities_failures_and_throughput(first_run):
    _, report = first_run
    totals, run = report["totals"], report["this_run"]
    assert totals["entities"]["ID_NIK"] == 3 + 2 + 1 and totals["entities"]["CREDIT_CARD"] == 10
    assert totals["entities"]["EMPLOYEE_NAME"] >= 2
    assert totals["chat_messages"] == 24 + 16 + 4 and totals["failed_segments"] == 0
    assert run["messages_per_s"] > 0 and run["audio_s_per_s"] > 0 and totals["audio_s"] > 10


def test_models_are_loaded_once_per_worker(first_run):
    out, _ = first_run
    markers = [json.loads(p.read_text()) for p in (out / ".batch" / "done").glob("*.json")]
    by_worker: dict[int, list[dict]] = {}
    for marker in markers:
        by_worker.setdefault(marker["worker"], []).append(marker)
    assert 1 <= len(by_worker) <= 2  # the actor pool: one worker per CPU
    assert max(len(units) for units in by_worker.values()) >= 2
    for units in by_worker.values():
        last = max(units, key=lambda m: m["loads"]["speech_model"])["loads"]
        assert last["redactor"] == 1 and last["speech_model"] <= 1


def test_an_interrupted_run_resumes_where_it_stopped(local_ray, archive, tmp_path):
    folder = tmp_path / "chats"
    folder.mkdir()
    write_chats(folder)
    out = tmp_path / "out"

    def stop_after_first(summary):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(options(folder, out, None), on_summary=stop_after_first)
    interrupted = json.loads((out / REPORT_NAME).read_text())
    assert interrupted["this_run"]["interrupted"] and interrupted["finished"] == 1
    report = run_batch(options(folder, out, None))
    assert report["this_run"]["skipped_already_done"] == 1
    assert report["this_run"]["finished"] == 2 and report["finished"] == 3
    assert not list(out.rglob("*.part"))
    with open_storage(str(out / "redactor.db")) as storage:  # stored once, in order
        assert [s.seq for s in storage.segments("c-2")] == list(range(8))
        assert [s.seq for s in storage.segments("k-1")] == list(range(8))


def test_detection_failures_fail_closed_and_are_counted(local_ray, tmp_path):
    folder = tmp_path / "chats"
    folder.mkdir()
    write_chats(folder)
    policy = tmp_path / "policy.toml"
    policy.write_text("time_budget_ms = 1\n")  # most analyses run over this budget
    report = run_batch(options(folder, tmp_path / "out", policy))
    chats = segments(tmp_path / "out", "chats/*.jsonl")
    failed = [s for s in chats if s["failed"]]
    assert len(chats) == 44 and report["totals"]["failed_segments"] == len(failed) > 0
    assert {(s["text"], s["entities"][0]["type"]) for s in failed} == {("<REDACTED>", "REDACTED")}


def files_holding(places: list[Path], needles) -> list[tuple[str, str]]:
    found = []
    for place in places:
        for path in place.rglob("*"):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                found += [(str(path), n) for n in needles if n.encode() in data]
    return found


def test_no_raw_pii_in_outputs_ray_sessions_logs_or_spill_files(first_run, local_ray, archive):
    out, _ = first_run
    _, _, _, terms = archive
    logs = list(local_ray.rglob("logs"))
    assert logs and any(p.name.startswith("worker") for log in logs for p in log.iterdir())
    assert files_holding([out, local_ray], CHAT_PII + (NAME, "81234567890")) == []
    # Korean terms: whole words only in the outputs' text (they occur inside longer words)
    texts = " ".join(s["text"] for s in segments(out, "calls/*.jsonl"))
    assert not words_heard(texts, terms)


def test_the_command_line_runs_its_own_local_ray_and_keeps_the_terminal_clean(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_chats(folder)
    write_corrupt(folder)
    (folder / "broken.wav").unlink()  # no recordings: no Vosk in this one
    ray_dir = Path(f"/tmp/rb-{os.getpid()}")  # short: Ray's socket paths have a length limit
    out = tmp_path / "out"
    DATA_PLACES.append(out)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    env.pop("RAY_ADDRESS", None)
    result = subprocess.run(
        [sys.executable, "-m", "redactor", "batch", str(folder), "--out", str(out),
         "--num-cpus", "1", "--ray-temp-dir", str(ray_dir), "--speaker", "Toko Maju=agent",
         "--columns", ",".join(f"{k}={v}" for k, v in COLUMNS.items())],
        capture_output=True, text=True, timeout=300, env=env)
    try:
        assert result.returncode == 1, result.stderr[-2000:]  # one file failed
        assert "3/4 files done" in result.stderr and "wrong-columns" in result.stderr
        assert [n for n in CHAT_PII + (NAME,) if n in result.stdout + result.stderr] == []
        assert (ray_dir / "session_latest").exists()
        assert files_holding([ray_dir, out], CHAT_PII + (NAME,)) == []
    finally:
        subprocess.run(["rm", "-rf", str(ray_dir)], check=False)
