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


GOOD_ROWS = [
    ["发票", "能开专票吗？", "可以，请提供开票信息。", "专票，发票"],
    ["保养", "多久保养一次？", "每 5000 公里或半年一次。", "保养"],
]


def _library_sheet(path, rows) -> None:
    """An office's own sheet: a title row above the header, columns in its own order."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["客服部常用答复（2026 版）"])
    sheet.append(["主题", "客户问题", "标准答复", "关键词"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_import_answers_command_is_all_or_nothing(tmp_path):
    import csv
    import os
    import shutil

    from tests.office_sheets import convert

    db_path = tmp_path / "office.sqlite3"
    open_database(db_path)
    auth.default_manager()
    close_database()
    home = tmp_path / "home"
    bad = tmp_path / "bad.xlsx"
    _library_sheet(
        bad,
        [
            ["发票", "能开专票吗？", "可以，请提供开票信息。", "专票，发票"],
            ["保养", "多久保养一次？", "", "保养"],  # sheet row 4: no answer
            ["保养", "", "每 5000 公里一次。", "保养"],  # sheet row 5: no question
        ],
    )
    refused = run_cli("--db", str(db_path), "import", "answers", str(bad), home=home)
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1  # one line: nothing imported
    assert "第 4 行" in refused.stdout and "第 5 行" in refused.stdout
    assert "第 3 行" not in refused.stdout
    open_database(db_path)
    assert answers.entries() == []  # not even the good row
    close_database()

    good = tmp_path / "good.csv"
    with good.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["主题", "客户问题", "标准答复", "关键词"])
        writer.writerows(GOOD_ROWS)
    sheets = [good]
    if shutil.which("soffice") or os.environ.get("CSOFFICE_REQUIRE_OFFICE") == "1":
        # The same rows as LibreOffice saves them, in a sheet of its own.
        ours = tmp_path / "good.xlsx"
        _library_sheet(ours, GOOD_ROWS)
        sheets.append(convert(ours, "ods", tmp_path / "lo"))
    done = run_cli("--db", str(db_path), "import", "answers", str(sheets[0]), home=home)
    assert done.returncode == 0, done.stderr
    assert "2" in done.stdout
    for again in sheets:  # the same rows again add nothing
        twice = run_cli("--db", str(db_path), "import", "answers", str(again), home=home)
        assert twice.returncode == 0, twice.stderr
    open_database(db_path)
    assert sorted(e.question for e in answers.entries()) == ["多久保养一次？", "能开专票吗？"]
    close_database()
    wrong = run_cli(
        "--db", str(db_path), "import", "answers", str(good), "--skip-invalid", home=home
    )
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1
