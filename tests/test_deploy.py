"""deploy/: the systemd unit and its environment file agree with the server they start."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

import server

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNIT = DEPLOY / "redactor-server.service"
CODE = [*Path(server.__file__).parent.glob("redactor/*.py"), Path(server.__file__)]


def unit_settings() -> dict[str, list[str]]:
    """key → values ([Service], [Unit], [Install] together), continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", UNIT.read_text())
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_stopping_waits_for_draining_then_the_workers_own_deadline():
    settings = unit_settings()
    assert settings["KillSignal"] == ["SIGTERM"] and settings["KillMode"] == ["mixed"]
    assert float(settings["TimeoutStopSec"][0]) > server.DRAIN_TIMEOUT_S + server.STOP_MARGIN_S
    assert settings["Restart"] == ["on-failure"]


def test_the_command_line_is_one_the_server_accepts():
    command = shlex.split(unit_settings()["ExecStart"][0])
    assert command[0].endswith("/redactor-server")
    args = server._parser().parse_args(command[1:])
    assert args.host == "0.0.0.0" and args.data_dir == Path("/var/lib/redactor")
    assert str(args.data_dir) in unit_settings()["ReadWritePaths"]


def test_every_variable_of_the_environment_file_is_one_the_code_reads():
    names = re.findall(r"^#? ?(REDACTOR_[A-Z_]+)=", (DEPLOY / "redactor.env.example").read_text(), re.MULTILINE)
    code = "\n".join(path.read_text() for path in CODE)
    assert "REDACTOR_DB" in names and "REDACTOR_VOSK_MODEL" in names
    assert [name for name in names if name not in code] == []


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path):
    copy = tmp_path / UNIT.name  # the program is not installed here: any executable stands in
    copy.write_text(re.sub(r"ExecStart=\S+", "ExecStart=/bin/true", UNIT.read_text()))
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Unknown" not in result.stderr, result.stderr
