"""Long commands show their progress on stderr (a bar on a terminal, one line otherwise) and
stop cleanly on Ctrl+C, leaving nothing half-written."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys

from csoffice.progress import ProgressBar
from tests.conftest import ROOT, run_cli


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_and_one_line_otherwise():
    screen = Terminal()
    with ProgressBar("导入", stream=screen) as bar:
        bar(50, 100)
        bar(100, 100)
    assert "[" in screen.getvalue() and "100%" in screen.getvalue()
    assert screen.getvalue().endswith("\n")
    log = io.StringIO()
    with ProgressBar("导入", stream=log) as bar:
        for done in range(0, 1001, 10):
            bar(done, 1000)
    assert log.getvalue().count("\n") == 1 and "导入" in log.getvalue()


def _interrupted(args: list[str], home) -> subprocess.CompletedProcess:
    """Run a command, wait until its bar shows the work has started, then press Ctrl+C."""
    env = dict(os.environ, CSOFFICE_HOME=str(home), CSOFFICE_PROGRESS="bar")
    process = subprocess.Popen(
        [sys.executable, "-m", "csoffice", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen = b""
    while b"\r" not in seen:
        char = process.stderr.read(1)
        assert char, (seen, process.stdout.read())
        seen += char
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(args, process.returncode, out, seen + err)


def _count(path, table: str) -> int:
    with sqlite3.connect(path) as con:
        found = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    con.close()
    return found


def test_ctrl_c_stops_the_demo_with_nothing_written(tmp_path):
    path = tmp_path / "office.sqlite3"
    result = _interrupted(
        ["--db", str(path), "demo", "--customers", "40000", "--months", "12"], tmp_path
    )
    assert result.returncode == 130, result.stderr.decode()
    assert "未写入任何数据" in result.stderr.decode()
    assert _count(path, "customer") == 0
    assert _count(path, "reception") == 0
    assert run_cli("--db", str(path), "check", home=tmp_path).returncode == 0


def test_ctrl_c_stops_an_import_with_nothing_written(tmp_path):
    sheet = tmp_path / "customers.csv"
    with sheet.open("w", encoding="utf-8") as fh:
        fh.write("姓名,手机号码\n")
        for n in range(80_000):
            fh.write(f"客户{n},138{n:08d}\n")
    path = tmp_path / "office.sqlite3"
    result = _interrupted(["--db", str(path), "import", "customers", str(sheet)], tmp_path)
    assert result.returncode == 130, result.stderr.decode()
    assert _count(path, "customer") == 0
    assert _count(path, "customer_search_key") == 0


def test_a_command_in_a_pipe_prints_one_summary_line(tmp_path):
    result = run_cli(
        "--db",
        str(tmp_path / "o.sqlite3"),
        "demo",
        "--customers",
        "20",
        "--months",
        "1",
        home=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1 and "\r" not in result.stderr
