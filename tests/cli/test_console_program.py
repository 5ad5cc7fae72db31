"""The console program on an office PC: it works on the desk's database, the installed app names
it csoffice-cli beside the window program, and the window program points a command to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from csoffice import console
from csoffice.settings import LocalConfig
from tests.conftest import ROOT, run_cli


def test_without_db_it_works_on_the_database_set_in_the_desks_settings(tmp_path, private_home):
    desk = tmp_path / "shared" / "office.sqlite3"
    desk.parent.mkdir()
    LocalConfig(database_url=str(desk)).save()
    result = run_cli("init", home=private_home)
    assert result.returncode == 0, result.stderr
    assert str(desk) in result.stdout
    assert desk.exists()
    assert not (private_home / "data" / "csoffice.sqlite3").exists()
    # --db still wins.
    other = tmp_path / "other.sqlite3"
    assert run_cli("--db", str(other), "check", home=private_home).returncode == 0
    assert other.exists()


@pytest.mark.parametrize(
    ("platform", "executable", "expected"),
    [
        ("linux", "/opt/csoffice/csoffice", "/opt/csoffice/csoffice-cli"),
        ("win32", "/Programs/csoffice/csoffice.exe", "/Programs/csoffice/csoffice-cli.exe"),
    ],
)
def test_the_installed_app_names_the_console_program_beside_itself(
    monkeypatch, platform, executable, expected
):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", executable)
    monkeypatch.setattr(sys, "platform", platform)
    assert console.console_command() == [str(Path(expected))]
    examples = console.examples(Path("/backups"))
    assert examples[0].command.endswith(
        "csoffice-cli" + (".exe" if platform == "win32" else "") + " check"
    )
    assert examples[0].what == "检查数据库和各项台帐"


def test_from_the_sources_it_is_python_dash_m_csoffice():
    assert console.console_command() == [sys.executable, "-m", "csoffice"]


def test_a_command_given_to_the_window_program_is_pointed_to_the_console_program(tmp_path):
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "x.db"), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CSOFFICE_HOME": str(tmp_path / "home")},
    )
    assert result.returncode == 2
    assert "控制台程序" in result.stderr
    assert f"-m csoffice --db {tmp_path / 'x.db'} check" in result.stderr
    assert not (tmp_path / "x.db").exists()  # nothing was opened


def test_started_by_a_double_click_it_shows_its_help_and_waits_for_enter(monkeypatch, capsys):
    prompts = []
    monkeypatch.setattr(console, "owns_console_window", lambda: True)
    monkeypatch.setattr("builtins.input", prompts.append)
    assert console.run_console_program([]) == 0
    assert "migrate-to" in capsys.readouterr().out
    assert prompts == ["按回车键关闭此窗口。"]


def test_typed_or_scheduled_it_neither_waits_nor_swallows_the_status(monkeypatch, capsys):
    monkeypatch.setattr(console, "owns_console_window", lambda: True)  # as under Task Scheduler
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("waited for Enter"))
    assert console.run_console_program(["frobnicate"]) == 2
    assert console.run_console_program(["--version"]) == 0
    assert "csoffice" in capsys.readouterr().out


def test_the_printing_child_of_the_command_line_starts_through_the_console_program(monkeypatch):
    calls = []
    module = type(sys)("csoffice_print_job_stand_in")
    module.main = lambda argv: calls.append(argv) or 0
    monkeypatch.setitem(sys.modules, "csoffice_print_job_stand_in", module)
    monkeypatch.setattr(console, "PRINT_JOB", "csoffice_print_job_stand_in")
    monkeypatch.setattr(console.importlib.util, "find_spec", lambda name: True)
    assert console.run_console_program(["--print-job", "a.pdf", "--printer", "Office"]) == 0
    assert calls == [["a.pdf", "--printer", "Office"]]
