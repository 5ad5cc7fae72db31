"""The command line for the department report, a clerk's work report, a churn call list and the
answer library's export: one line out, exit 0; a wrong argument is one line on stderr."""

from __future__ import annotations

from openpyxl import load_workbook

from csoffice import answers, auth
from csoffice.answers import AnswerInput
from csoffice.db.database import close_database, open_database
from tests.conftest import run_cli


def test_print_and_export_commands(tmp_path):
    db_path = tmp_path / "office.sqlite3"
    open_database(db_path)
    manager = auth.default_manager()
    answers.create(manager, AnswerInput(topic="发票", question="能开专票吗？", text="可以。"))
    close_database()
    home = tmp_path / "home"
    for args in (
        ["print", "department", "service", "2026-06", "--out", str(tmp_path / "d.pdf")],
        ["print", "clerk-daily", manager.username, "2026-06-10", "--out", str(tmp_path / "c.pdf")],
        ["print", "call-list", "dissatisfied", "--out", str(tmp_path / "l.pdf")],
        ["export", "answers", "--out", str(tmp_path / "a.xlsx")],
    ):
        result = run_cli("--db", str(db_path), *args, home=home)
        assert result.returncode == 0, result.stderr
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert [c.value for c in sheet[2]][3:5] == ["能开专票吗？", "可以。"]
    wrong = run_cli(
        "--db",
        str(db_path),
        "print",
        "department",
        "nosuch",
        "2026-06",
        "--out",
        str(tmp_path / "x.pdf"),
        home=home,
    )
    assert wrong.returncode != 0 and len(wrong.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()
