"""The printer queue's answers the desk must hear plainly: a stopped queue, one refusing jobs,
no printer at all — with a stand-in for CUPS's own tools on the PATH, so the shared real
queue is never stopped by a test."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from csoffice.printing import spool
from tests.conftest import run_cli


def fake_cups(
    folder: Path, lpstat: str, lp: str = "echo 'request id is desk-7 (1 file(s))'"
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in (("lpstat", lpstat), ("lp", lp)):
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def cups_bin(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


LISTING = """case "$1" in
  -e) echo desk ;;
  -d) echo "system default destination: desk" ;;
  -p) {status} ;;
esac"""


def test_a_queue_refusing_jobs_is_said_and_nothing_is_sent(
    cups_bin, manager, database, private_home
):
    fake_cups(cups_bin, LISTING.format(status="echo 'desk not accepting requests since today -'"))
    problem = spool.queue_problem("desk")
    assert problem is not None and problem.kind == "refusing"
    assert problem.message == "打印机“desk”目前拒绝接收打印作业。"
    result = run_cli(
        "--db",
        str(database.path),
        "report",
        "daily",
        "2026-11-24",
        "--printer",
        "default",
        home=private_home,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["csoffice: 打印机“desk”目前拒绝接收打印作业。"]


def test_a_stopped_queue_is_named(cups_bin):
    fake_cups(cups_bin, LISTING.format(status="echo 'printer desk disabled since today -'"))
    problem = spool.queue_problem("desk")
    assert problem is not None and problem.kind == "stopped"
    assert "已暂停" in problem.message


def test_no_printer_at_all(cups_bin):
    fake_cups(cups_bin, "exit 0")
    with pytest.raises(spool.PrinterError) as error:
        spool.resolve("default")
    assert "没有安装打印机" in str(error.value)


def test_paper_names():
    assert spool.PageSize(419.53, 595.28).cups_media() == "A5"
    assert spool.PageSize(841.89, 595.28).name == "A4"  # landscape A4 is still A4 paper
    assert spool.PageSize(242.65, 153.07).cups_media() == "Custom.243x153"
    assert spool.PageSize(242.65, 153.07).describe() == "86 × 54 mm"
