"""The `redactor` command: its line contract, JSONL shape, bad input, decrypt."""
from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NIK = "3174054509900003"


def run(args: list[str], stdin: bytes, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "redactor", *args],
        input=stdin, capture_output=True, cwd=ROOT, timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_one_masked_line_per_input_line():
    lines = [f"nik saya {NIK}", "", "tidak ada data pribadi", "kartu 4532 0151 1283 0366\r"]
    done = run(["redact"], "\n".join(lines).encode() + b"\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().split("\n") == [
        "nik saya <ID_NIK>", "", "tidak ada data pribadi", "kartu <CREDIT_CARD>", ""]


def test_jsonl_contract():
    text = f"nik saya {NIK}"
    done = run(["redact", "--jsonl", "--lang", "id"], (text + "\n").encode())
    record = json.loads(done.stdout)
    assert set(record) == {"text", "entities"}
    assert record["text"] == "nik saya <ID_NIK>"
    [entity] = record["entities"]
    assert set(entity) == {"type", "start", "end", "score"}
    assert (entity["type"], text[entity["start"] : entity["end"]]) == ("ID_NIK", NIK)
    assert isinstance(entity["score"], float)


def test_invalid_utf8_line_is_masked_whole_and_the_rest_goes_on():
    done = run(["redact", "--jsonl"], b"\xff\xfe nik " + NIK.encode() + b"\nhalo\n")
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert out[0]["text"] == "<REDACTED>" and out[1]["text"] == "halo"
    assert b"line 1 is not valid UTF-8" in done.stderr and NIK.encode() not in done.stderr


def test_bad_config_exits_2_with_a_clear_message(tmp_path):
    bad = tmp_path / "policy.toml"
    bad.write_text("score_threshold = 7")
    done = run(["redact", "--config", str(bad)], b"halo\n")
    assert done.returncode == 2 and b"between 0 and 1" in done.stderr


def test_unknown_language_is_rejected():
    done = run(["redact", "--lang", "fr"], b"halo\n")
    assert done.returncode == 2 and b"invalid choice" in done.stderr


def test_encrypt_then_decrypt(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("entities:\n  ID_NIK: {operator: encrypt}\n")
    env = {"REDACTOR_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()}
    masked = run(["redact", "--config", str(policy)], f"nik saya {NIK}\n".encode(), env)
    assert masked.returncode == 0 and NIK.encode() not in masked.stdout
    restored = run(["decrypt", "--config", str(policy)], masked.stdout, env)
    assert restored.stdout.decode() == f"nik saya {NIK}\n"


def test_missing_key_is_reported_without_running():
    policy_env = {"REDACTOR_ENCRYPTION_KEY": ""}
    done = run(["decrypt"], b"x\n", policy_env)
    assert done.returncode == 2 and b"REDACTOR_ENCRYPTION_KEY" in done.stderr


@pytest.mark.parametrize("entry", [["redactor"], [sys.executable, "-m", "redactor"]])
def test_console_script_and_module_both_work(entry):
    exe = Path(sys.executable).parent / "redactor"
    command = [str(exe)] if entry == ["redactor"] else entry
    done = subprocess.run([*command, "redact"], input=f"nik {NIK}\n".encode(),
                          capture_output=True, cwd=ROOT, timeout=120)
    assert done.stdout == b"nik <ID_NIK>\n"


def test_each_line_is_answered_before_the_next_arrives():
    """Live use (a pipe from a chat system): output may not wait for the end of input."""
    proc = subprocess.Popen([sys.executable, "-m", "redactor", "redact"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        proc.stdin.write(f"nik {NIK}\n".encode())
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "no output while stdin is still open"
        assert proc.stdout.readline() == b"nik <ID_NIK>\n"
        proc.stdin.write(b"halo\n")
        proc.stdin.close()
        assert proc.stdout.readline() == b"halo\n"
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
