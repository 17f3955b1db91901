"""Batch inputs without Ray: chat exports (JSONL, CSV, WhatsApp in Indonesian and English
formats), WAV headers (PCM, μ-law, A-law, extensible, truncated), output names, and one
conversation redacted as the live chat path does."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from batch.chats import ChatColumns, ChatFormatError, Turn, parse_time, read_chat, read_whatsapp
from batch.wav import WavError, read_wav_info, stream_audio
from batch.worker import RedactionWorker, SpeakerRoles, masked_stem, safe_error
from redactor.chat import ChatSession
from tests.speech import wav_bytes


def utc(*args) -> float:
    return datetime(*args, tzinfo=timezone.utc).timestamp()


WHATSAPP_EXPORTS = [
    # Android, Indonesian: day first, dots in the time
    ("04/03/21 10.01 - Budi: halo\n14/03/21 21.05 - Toko: ok\n", utc(2021, 3, 14, 21, 5)),
    # iOS, Indonesian
    ("[04/03/21 10.01.05] Budi: halo\n[14/03/21 21.05.09] Toko: ok\n", utc(2021, 3, 14, 21, 5, 9)),
    # Android, US: month first, 12-hour clock (narrow no-break space before PM, as new exports)
    ("3/4/21, 10:01 AM - Budi: halo\n3/14/21, 9:05\u202fPM - Toko: ok\n", utc(2021, 3, 14, 21, 5)),
    # iOS, US, with the left-to-right mark iOS puts before some lines
    ("\u200e[3/4/21, 10:01:05 AM] Budi: halo\n[3/14/21, 9:05:09 PM] Toko: ok\n", utc(2021, 3, 14, 21, 5, 9)),
    # Android, UK/Singapore: four-digit year, 24-hour clock
    ("04/03/2021, 10:01 - Budi: halo\n14/03/2021, 21:05 - Toko: ok\n", utc(2021, 3, 14, 21, 5)),
]


@pytest.mark.parametrize("export, last_time", WHATSAPP_EXPORTS)
def test_whatsapp_exports_in_indonesian_and_english_formats(tmp_path, export, last_time):
    path = tmp_path / "chat.txt"
    path.write_text(export, encoding="utf-8")
    turns = list(read_whatsapp(path))
    assert [(t.speaker, t.text) for t in turns] == [("Budi", "halo"), ("Toko", "ok")]
    assert turns[1].time == last_time


def test_whatsapp_multiline_messages_system_notices_and_forced_date_order(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "04/03/21 10.00 - Pesan dan panggilan terenkripsi secara end-to-end.\n"
        "04/03/21 10.01 - Budi: alamat saya\nJl. Melati No. 12\n\n"
        "04/03/21 10.02 - Toko: ok\n", encoding="utf-8")
    turns = list(read_whatsapp(path, "mdy"))  # ambiguous dates: the caller decides
    assert [t.speaker for t in turns] == ["system", "Budi", "Toko"]
    assert turns[1].text == "alamat saya\nJl. Melati No. 12\n"
    assert turns[0].time == utc(2021, 4, 3, 10, 0)


def test_a_text_file_that_is_not_a_whatsapp_export_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("nik saya 3174054509900003\n", encoding="utf-8")
    with pytest.raises(ChatFormatError) as error:
        list(read_whatsapp(path))
    assert "3174" not in str(error.value)


def test_jsonl_conversations_keep_file_order_and_report_bad_rows(tmp_path):
    path = tmp_path / "export.jsonl"
    rows = [
        {"chat": "a", "who": "agent", "ts": 1614852000, "body": "NIK-nya?"},
        {"chat": "b", "who": "customer", "body": "halo"},
        "not an object",
        {"chat": "a", "who": "customer", "ts": "2021-03-04T10:00:20Z", "body": "3174054509900003"},
        {"chat": "a", "who": "customer"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    columns = ChatColumns.parse("conversation=chat,speaker=who,time=ts,text=body")
    shard = read_chat(path, "jsonl", columns=columns, default_conversation="file")
    assert shard.conversations == {
        "a": [Turn("agent", "NIK-nya?", 1614852000.0), Turn("customer", "3174054509900003", utc(2021, 3, 4, 10, 0, 20))],
        "b": [Turn("customer", "halo")],
    }
    assert [str(e) for e in shard.errors] == [
        "line 3: not a JSON object", "line 5: no text in field 'body'", "line 6: not valid JSON"]


def test_shards_split_a_file_by_conversation_and_lose_nothing(tmp_path):
    path = tmp_path / "export.csv"
    lines = ["conversation_id,speaker,text"] + [f"c{i % 7},customer,pesan {i}" for i in range(70)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shards = [read_chat(path, "csv", default_conversation="f", shard=s, shards=3) for s in range(3)]
    ids = [set(s.conversations) for s in shards]
    assert set.union(*ids) == {f"c{i}" for i in range(7)} and sum(map(len, ids)) == 7
    for shard in shards:
        for conversation, turns in shard.conversations.items():
            assert [t.text for t in turns] == [f"pesan {i}" for i in range(70) if f"c{i % 7}" == conversation]


def test_csv_without_the_text_column_is_a_clear_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,message\n1,halo\n", encoding="utf-8")
    with pytest.raises(ChatFormatError, match="text column 'text'"):
        read_chat(path, "csv", default_conversation="f")


def test_bytes_that_are_not_utf8_make_an_unreadable_turn(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"conversation_id,speaker,text\nc,customer,kartu 4532\xff 0151\n")
    (turn,) = read_chat(path, "csv", default_conversation="f").conversations["c"]
    assert not turn.readable


@pytest.mark.parametrize("value, expected", [
    (1614852000, 1614852000.0), (1614852000123, 1614852000.123), ("1614852000", 1614852000.0),
    ("2021-03-04T10:00:00Z", utc(2021, 3, 4, 10)), ("2021-03-04 17:00:00+07:00", utc(2021, 3, 4, 10)),
    ("2021-03-04T10:00:00", utc(2021, 3, 4, 10)), ("kemarin", None), (None, None), ("", None),
])
def test_times_in_chat_exports(value, expected):
    assert parse_time(value) == (pytest.approx(expected) if expected else None)


def test_column_mapping_errors_name_the_field():
    with pytest.raises(ValueError, match="'speeker'"):
        ChatColumns.parse("speeker=who")


# --- WAV ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, bits, encoding, extensible", [
    (1, 16, "pcm_s16le", False), (7, 8, "mulaw", False), (6, 8, "alaw", False),
    (7, 8, "mulaw", True), (1, 16, "pcm_s16le", True),
])
def test_wav_headers_of_telephony_recordings(tmp_path, tag, bits, encoding, extensible):
    payload = bytes(range(256)) * 50  # 12 800 bytes
    path = tmp_path / "call.wav"
    path.write_bytes(wav_bytes(payload, tag, 2, 8000, bits, extensible=extensible))
    info = read_wav_info(path)
    assert (info.encoding, info.channels, info.sample_rate, info.truncated) == (encoding, 2, 8000, False)
    chunks = list(stream_audio(path, info, 0.1))  # read as needed: memory bounded
    assert b"".join(chunks) == payload and max(map(len, chunks)) == 800 * info.bytes_per_frame
    assert info.duration_s == pytest.approx(len(payload) / info.bytes_per_frame / 8000)


def test_a_recording_cut_short_is_read_to_its_last_whole_frame(tmp_path):
    path = tmp_path / "call.wav"
    path.write_bytes(wav_bytes(b"\x01\x02" * 1001 + b"\x03", 1, 2, 8000, 16, declared=100_000))
    info = read_wav_info(path)
    assert info.truncated and info.data_bytes == 2000
    assert len(b"".join(stream_audio(path, info, 0.02))) == 2000


@pytest.mark.parametrize("content, message", [
    (b"", "not a RIFF/WAVE file"),
    (b"RIFF\x00\x00\x00\x00WAVEjunk", "no fmt chunk"),
    (wav_bytes(b"\x00" * 100, 3, 1, 8000, 32), "unsupported WAV format 3 with 32-bit"),
    (wav_bytes(b"\x00" * 100, 1, 0, 8000, 16), "implausible header"),
])
def test_corrupt_or_unsupported_wav_headers_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "x.wav"
    path.write_bytes(content)
    with pytest.raises(WavError, match=message):
        read_wav_info(path)


# --- names, errors, conversations ---------------------------------------------------------------

@pytest.mark.parametrize("name, leaked", [
    ("+6281234567890_2021-03-04.wav", "81234567"),
    ("WhatsApp Chat with Budi Santoso.txt", "Santoso"),
    ("2021/03/nik 3174054509900003.jsonl", "3174054509900003"),
])
def test_output_names_mask_pii_in_input_names(redactor, name, leaked):
    stem = masked_stem(redactor, name, "abcd1234")
    assert leaked not in stem and stem.endswith("-abcd1234")
    assert all(c.isalnum() or c in "._-" for c in stem)


def test_errors_of_other_libraries_give_their_kind_not_their_message(tmp_path):
    missing = tmp_path / "Budi Santoso 081234567890.wav"
    with pytest.raises(OSError) as error:
        missing.open()
    assert safe_error(error.value) == "FileNotFoundError: No such file or directory"
    assert safe_error(KeyError("3174054509900003")) == "KeyError"


def test_speakers_are_stored_as_roles_never_as_names():
    roles = SpeakerRoles({"Toko Maju": "agent"})
    assert [roles.role(s) for s in ("toko maju", "Budi", "Pelanggan", "Siti", "Budi")] == [
        "agent", "speaker-1", "customer", "speaker-2", "speaker-1"]


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    return RedactionWorker({"out": str(tmp_path_factory.mktemp("out"))})


def test_a_conversation_is_redacted_with_its_earlier_turns_as_context(worker):
    turns = [
        Turn("agent", "boleh nomor kartunya?", 0.0),
        Turn("customer", "4532 0151", 10.0),
        Turn("customer", "1283 0366", 10.5),  # the rest of the card, within the hold-back
        Turn("agent", "dan nomor rekening?", 20.0),
        Turn("customer", "1234567890", 30.0),  # only the question says it is an account
    ]
    segments = list(worker.redact_conversation("c", turns))
    assert [s.seq for s in segments] == [0, 1, 2, 3, 4]
    assert [s.text for s in segments] == [
        "boleh nomor kartunya?", "<CREDIT_CARD>", "<CREDIT_CARD>", "dan nomor rekening?",
        "<BANK_ACCOUNT>"]


def _live_chat(worker, turns):
    """What the live server's chat path emits for the same messages at the same times."""
    session = ChatSession("c", worker.redactor, holdback_s=worker.settings.holdback_s)
    out = []
    for turn in turns:
        if session.deadline is not None and turn.time >= session.deadline:
            out += session.flush()  # the delay ran out before this message came
        out += session.accept(turn.speaker, turn.text, turn.time)
    return out + session.flush()


@pytest.mark.parametrize("gap_s", [1.0, 300.0])
@pytest.mark.parametrize("first", ["kartu saya 4532 0151", "4532 0151"])
def test_export_times_replay_the_hold_back_delay(worker, gap_s, first):
    # Half a card, then the rest: within the hold-back the halves are analysed together; minutes
    # later the first half has gone out on its own, as it does live. Either way no digit leaks.
    turns = [Turn("customer", first, 0.0), Turn("customer", "1283 0366", gap_s)]
    segments = list(worker.redact_conversation("c", turns))
    assert [s.text for s in segments] == [s.text for s in _live_chat(worker, turns)]
    assert not any(ch.isdigit() for s in segments for ch in s.text)
    assert segments[1].text == "<CREDIT_CARD>"


def test_an_unreadable_message_is_masked_whole_and_the_conversation_goes_on(worker):
    turns = [Turn("customer", "halo"), Turn("customer", "kartu \udcff 4532"), Turn("customer", "terima kasih")]
    segments = list(worker.redact_conversation("c", turns))
    assert [(s.seq, s.text, s.failed) for s in segments] == [
        (0, "halo", False), (1, "<REDACTED>", True), (2, "terima kasih", False)]


# --- the command line and the database, before any Ray starts ------------------------------------

def test_bad_invocations_are_clear_errors_before_ray_starts(tmp_path, capsys):
    from redactor.cli import main

    secret = tmp_path / "Budi Santoso 081234567890"
    assert main(["batch", str(secret), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == "redactor: INPUT 1 does not exist\n"  # never the path
    policy = tmp_path / "policy.toml"
    policy.write_text("[entities.CREDIT_CARD]\noperator = 'shred'\n")
    (tmp_path / "a.jsonl").write_text("")
    assert main(["batch", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "out"),
                 "--config", str(policy)]) == 2
    assert "operator" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "a.jsonl"), "--out", "o", "--columns", "txt=body"]) == 2


def test_storing_a_unit_twice_stores_each_segment_once(tmp_path, worker):
    from batch.job import store_outputs
    from batch.worker import write_segment
    from redactor.storage import open_storage

    turns = [Turn("customer", "halo"), Turn("customer", "nik saya 3174054509900003")]
    (tmp_path / "chats").mkdir()
    with open(tmp_path / "chats" / "a.jsonl", "w", encoding="utf-8") as sink:
        for segment in worker.redact_conversation("conv-a", turns):
            write_segment(sink, segment)
    summary = {"outputs": ["chats/a.jsonl"]}
    with open_storage(str(tmp_path / "db.sqlite")) as storage:
        store_outputs(storage, tmp_path, summary)
        store_outputs(storage, tmp_path, summary)  # an interrupted run, redone
        assert [(s.seq, s.text) for s in storage.segments("conv-a")] == [
            (0, "halo"), (1, "nik saya <ID_NIK>")]


def test_units_shard_large_chat_files_skip_the_output_and_change_with_their_file(tmp_path):
    import os

    from batch.job import discover_units

    archive = tmp_path / "archive"
    (archive / "2021").mkdir(parents=True)
    (archive / "2021" / "big.jsonl").write_text("x" * 2500)
    (archive / "call.wav").write_bytes(b"RIFF")
    (archive / "notes.pdf").write_bytes(b"%PDF")
    (archive / "out" / "chats").mkdir(parents=True)
    (archive / "out" / "chats" / "big.jsonl").write_text("{}")  # an earlier run's output
    units, ignored = discover_units([archive], archive / "out", shard_bytes=1000)
    assert [(u.name, u.kind, u.shard, u.shards) for u in units] == [
        ("call.wav", "call", 0, 1), ("2021/big.jsonl", "chat", 0, 3),
        ("2021/big.jsonl", "chat", 1, 3), ("2021/big.jsonl", "chat", 2, 3)]
    assert ignored == 1 and len({u.key for u in units}) == 4
    os.utime(archive / "call.wav", ns=(0, 0))  # the file changed: its unit is new
    again, _ = discover_units([archive], archive / "out", shard_bytes=1000)
    assert again[0].key != units[0].key and [u.key for u in again[1:]] == [u.key for u in units[1:]]
