"""The printed appraisal form: its text, its fonts, one A4 page, the command line."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from csoffice import appraisal, auth, settings
from csoffice.appraisal.form import print_command, print_form
from csoffice.db.models import AuditLog, Reception
from csoffice.errors import CsofficeError, NotFound, PermissionDenied, ValidationError
from tests.conftest import needs_poppler, pdf_fonts, pdf_text, run_cli

pytestmark = needs_poppler
PERIOD = "2026-03"


def _grades(grade: str) -> dict[str, str]:
    return {item.code: grade for item in appraisal.current_scheme().items}


@pytest.fixture
def marked(manager, clerk):
    """王芳's March: self all A (100), supervisor all B (80), manager all C (60), all signed,
    closed: (20 × 100 + 30 × 80 + 50 × 60) / 100 = 74 → B."""
    settings.put(manager, {"office.name": "幸福汽车 4S 店客服部"})
    clerk.department = "客服部"
    clerk.save()
    supervisor = auth.create_staff(manager, "lijing", "李静", auth.Role.CLERK)
    appraisal.choose_supervisor(manager, clerk.id, PERIOD, supervisor.id)
    for marker, who, grade in (
        ("self", clerk, "A"),
        ("supervisor", supervisor, "B"),
        ("manager", manager, "C"),
    ):
        appraisal.save_marks(who, clerk.id, PERIOD, marker, _grades(grade))
        appraisal.sign(who, clerk.id, PERIOD, marker)
    appraisal.close_month(manager, clerk.id, PERIOD)
    for day in (3, 4):
        Reception.create(
            received_at=dt.datetime(2026, 3, day, 10),
            channel="phone",
            category="consult",
            handler=clerk,
        )
    return clerk


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


def test_form_text_fonts_and_one_page(marked, manager, tmp_path):
    out = print_form(manager, marked.id, PERIOD, tmp_path / "form.pdf")
    text = pdf_text(out)
    for expected in [
        "幸福汽车 4S 店客服部",
        "员工绩效考核表",
        "王芳（clerk1）",
        "2026-03",
        "客服部",
        "李静",  # the supervisor, in the header and beside the signature
        # groups with their weights, items with theirs
        "出勤",
        "知识技能",
        "40%",
        "工作业绩",
        "30%",
        "工作态度",
        "20%",
        "服务态度与亲和力",
        "经验与岗位匹配",
        "职业道德",
        # each marker's share
        "本人（20%）",
        "主管（30%）",
        "客服部经理（50%）",
        "合计（满分 100）",
        "综合得分：74 分（满分 100）— 等级 B（良好）",
        # the facts, and that they do not score
        "本月工作记录（仅供参考，不计分）",
        "接待登记数",
        "投诉结案时长中位数",
        "回访满意度",
        # signature lines
        "员工本人：",
        "主管：",
        "客服部经理：",
    ]:
        assert expected in text, expected
    # the attendance item (weight 10): A = 100 × 10 / 100 = 10, B = 8, C = 6 side by side
    squeezed = ["".join(line.split()) for line in text.splitlines()]
    assert "出勤10A10B8C6" in squeezed
    # professional ethics (weight 5): A = 5, B = 4, C = 3
    assert "职业道德5A5B4C3" in squeezed
    # the three markers' totals side by side on the total row
    total_line = next(line for line in text.splitlines() if "合计（满分 100）" in line)
    assert total_line.split()[-3:] == ["100", "80", "60"]
    reception_line = next(line for line in text.splitlines() if "接待登记数" in line)
    assert "接待登记数 2" in " ".join(reception_line.split())
    fonts = pdf_fonts(out)
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(line.split()[-5] == "yes" for line in rows), fonts  # emb column
    assert _pages(out) == 1
    assert (
        AuditLog.select().where(AuditLog.entity == "appraisal", AuditLog.action == "print").exists()
    )


def test_an_empty_month_prints_a_blank_form(manager, clerk, tmp_path):
    out = print_form(manager, clerk.id, PERIOD, tmp_path / "blank.pdf")
    text = pdf_text(out)
    assert "综合得分：暂无（尚无完整评分）" in text and "未结束" in text
    assert _pages(out) == 1


def test_an_incomplete_mark_says_so(manager, clerk, tmp_path):
    appraisal.save_marks(clerk, clerk.id, PERIOD, "self", {"attendance": "A", "honesty": "B"})
    text = pdf_text(print_form(manager, clerk.id, PERIOD, tmp_path / "part.pdf"))
    assert "未完成（2/15）" in text


def test_english_form(marked, manager, tmp_path):
    from csoffice.i18n import set_language

    set_language("en")
    text = pdf_text(print_form(manager, marked.id, PERIOD, tmp_path / "en.pdf"))
    assert "Staff appraisal form" in text
    assert "Combined score: 74 of 100 — grade B (Good)" in text


def test_only_those_concerned_may_print(marked, manager, tmp_path):
    outsider = auth.create_staff(manager, "zhangwei", "张伟", auth.Role.CLERK)
    with pytest.raises(PermissionDenied):
        print_form(outsider, marked.id, PERIOD, tmp_path / "no.pdf")
    assert not (tmp_path / "no.pdf").exists()
    print_form(marked, marked.id, PERIOD, tmp_path / "mine.pdf")  # their own


def test_print_command_arguments(marked, manager, tmp_path):
    with pytest.raises(NotFound):
        print_command(manager, ["nobody", PERIOD], tmp_path / "x.pdf")
    with pytest.raises(ValidationError):
        print_command(manager, ["clerk1", "2026-3"], tmp_path / "x.pdf")
    with pytest.raises(CsofficeError):
        print_command(manager, ["clerk1"], tmp_path / "x.pdf")
    print_command(manager, ["clerk1", PERIOD], tmp_path / "x.pdf")
    assert (tmp_path / "x.pdf").stat().st_size > 0


def test_command_line(marked, database, private_home, tmp_path):
    out = tmp_path / "cli.pdf"
    db = str(database.path)
    result = run_cli(
        "--db", db, "print", "appraisal", "clerk1", PERIOD, "--out", str(out), home=private_home
    )
    assert result.returncode == 0, result.stderr
    assert "员工绩效考核表" in pdf_text(out)
    unknown = run_cli(
        "--db", db, "print", "appraisal", "nobody", PERIOD, "--out", str(out), home=private_home
    )
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "csoffice: 没有用户名为“nobody”的员工。"
    bad = run_cli(
        "--db", db, "print", "appraisal", "clerk1", "2026-13", "--out", str(out), home=private_home
    )
    assert bad.returncode == 1
    assert bad.stderr.strip() == "csoffice: “2026-13”不是 2026-11 这样的月份。"
