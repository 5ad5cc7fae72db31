"""The monthly and weekly reports as they are printed: text (pdftotext), fonts, paper size, no
Chinese left in the English report, and the ``report`` command with --lang."""

from __future__ import annotations

import re
import subprocess

import pytest

from csoffice import auth, reports, settings
from csoffice.db.models import AuditLog
from csoffice.i18n import set_language
from csoffice.reports.printed import monthly_report_pdf, print_monthly_report, print_weekly_report
from tests.conftest import needs_poppler, pdf_fonts, pdf_text, run_cli
from tests.domain.test_reports import ENGLISH, NOVEMBER, fill

# Ideographs (incl. Extension A), CJK punctuation, full-width forms: none may be left in English.
CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)


def flat(text: str) -> str:
    return " ".join(text.split())


def page_sizes(path) -> list[tuple[float, float]]:
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    ]


def assert_embedded_a4(path) -> None:
    fonts = pdf_fonts(path).splitlines()[2:]
    assert fonts, "no fonts"
    for line in fonts:
        assert line.split()[-5] == "yes", line  # the "emb" column: every font embedded
    sizes = page_sizes(path)
    assert len(sizes) >= 3  # several pages
    for width, height in sizes:  # A4, portrait or (the complaint list) landscape
        assert sorted((round(width), round(height))) == [595, 842]


@needs_poppler
def test_chinese_monthly_report(tmp_path, manager):
    settings.put(manager, {"office.name": "幸福汽车 4S 店客服部"})
    ids = fill(manager)
    reports.save_note(manager, "monthly", NOVEMBER, "回访接通率偏低", "增加晚间回访时段")
    path = print_monthly_report(manager, NOVEMBER, tmp_path / "monthly.pdf")
    text = flat(pdf_text(path))
    squeezed = "".join(text.split())
    assert "客服中心服务月报" in squeezed and "幸福汽车4S店客服部" in squeezed
    assert "2025年11月" in squeezed
    assert "编制人" in squeezed and "客服部经理" in squeezed  # cover block and signatures
    figures = reports.monthly_report(NOVEMBER)
    for line in figures.complaints.items:  # every complaint of the month, by number
        assert line.number in text
    assert len(figures.complaints.items) == 4 and len(ids) == 4
    assert "本期全部投诉明细（4件）" in squeezed and "合计：4件投诉。" in squeezed
    assert "结案率75.0%" in squeezed  # (2 closed + 1 rejected) of 4
    assert "平均处理时长42小时" in squeezed and "90%投诉处理时长不超过2.5天" in squeezed
    assert "50.0%（2件中1件）" in squeezed  # company at fault
    assert "回访接通率偏低" in squeezed and "增加晚间回访时段" in squeezed
    assert "客户回访" in squeezed and "本期应回访5" in squeezed
    assert "新增会员2" in squeezed and "兑换礼品积分40" in squeezed
    assert_embedded_a4(path)
    printed = AuditLog.get(AuditLog.action == "print", AuditLog.entity == "monthly_report")
    assert printed.summary == "2025-11"


@needs_poppler
def test_english_monthly_report_has_no_chinese(tmp_path, manager):
    settings.put(manager, {"office.name": "Harbour Motors Service Desk"})
    alice = auth.create_staff(manager, "alice", "Alice Wang", auth.Role.MANAGER)
    fill(manager, ENGLISH)
    reports.save_note(alice, "monthly", NOVEMBER, "Calls not reached", "Call in the evening")
    set_language("en")
    report = reports.monthly_report(NOVEMBER)
    path = tmp_path / "monthly.pdf"
    path.write_bytes(monthly_report_pdf(report, settings.office(), "Alice Wang"))
    text = pdf_text(path)
    assert not CJK.findall(text), sorted(set(CJK.findall(text)))
    one = flat(text)
    assert "Monthly service report" in one and "November 2025" in one
    assert "Closure rate 75.0%" in one
    # 60 h is shown in days: 2.5.
    assert "Average time to resolve 42 h" in one and "90% were resolved within 2.5 days" in one
    assert "Average time to first response 3.8 h" in one and "90% were answered within 10 h" in one
    assert "50.0% (1 of 2)" in one
    assert "Every complaint received (4)" in one and "Total: 4 complaints." in one
    assert "Air conditioner rattles" in one
    assert "Calls not reached" in one and "Call in the evening" in one
    assert "Prepared by: " in one and "Manager: " in one
    assert_embedded_a4(path)


@needs_poppler
def test_weekly_report(tmp_path, manager):
    ids = fill(manager)
    reports.save_note(manager, "weekly", "2025-W48", "建议未及时转交", "每周一汇总建议")
    week = reports.parse_period("2025-W48")
    path = print_weekly_report(manager, week, tmp_path / "weekly.pdf")
    squeezed = "".join(pdf_text(path).split())
    assert "客服周报" in squeezed and "2025年第48周" in squeezed
    assert "建议周末延长营业时间" in squeezed  # the suggestion, in full
    from csoffice.db.models import Complaint

    assert Complaint.get_by_id(ids["d"]).number in squeezed  # received 30 Nov 23:00
    assert Complaint.get_by_id(ids["c"]).number not in squeezed  # 20 Nov: week 47
    assert "每周一汇总建议" in squeezed
    assert_embedded_a4(path)


@needs_poppler
def test_report_command_in_english(tmp_path, database, manager, private_home):
    fill(manager, ENGLISH)
    db_path = str(database.path)
    out = tmp_path / "m.pdf"
    result = run_cli(
        "--db", db_path, "report", "monthly", "2025-11", "--out", str(out), "--lang", "en",
        home=private_home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = flat(pdf_text(out))
    assert "Monthly service report" in text and "Closure rate 75.0%" in text
    result = run_cli(
        "--db", db_path, "report", "weekly", "2025-W48", "--out", str(tmp_path / "w.pdf"),
        home=private_home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "客服周报" in "".join(pdf_text(tmp_path / "w.pdf").split())
    result = run_cli(
        "--db", db_path, "report", "monthly", "2025-W48", "--out", str(tmp_path / "x.pdf"),
        "--lang", "en", home=private_home,
    )  # fmt: skip
    assert result.returncode == 1
    assert "The monthly report is for a month, written like 2026-11." in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_an_empty_month_still_prints(tmp_path, manager, language):
    set_language(language)
    path = print_monthly_report(manager, reports.parse_period("2030-02"), tmp_path / "empty.pdf")
    assert path.stat().st_size > 0
