"""The printed reports' domain wrappers (csoffice.reports.printed, csoffice.appraisal.form): a
viewer is refused and no file appears; a print writes the PDF and its audit row; and the
renderers alone turn the domain's figures and the letterhead into PDF bytes."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import appraisal, auth, desk_reports, reports, settings
from csoffice.appraisal.form import print_form
from csoffice.db.models import AuditLog
from csoffice.errors import PermissionDenied
from csoffice.printing.appraisal_form import render_form
from csoffice.printing.clerk_daily import render_clerk_daily
from csoffice.printing.department_report import render_department_report
from csoffice.printing.weekly_report import render_weekly_report
from csoffice.reports.printed import (
    monthly_report_pdf,
    print_clerk_daily,
    print_department_report,
    print_monthly_report,
    print_weekly_report,
)
from tests.conftest import needs_poppler, pdf_text
from tests.domain.test_reports import NOVEMBER, fill

pytestmark = needs_poppler
WEEK = reports.parse_period("2025-W47", "weekly")
LETTERHEAD = settings.Office("幸福汽车 4S 店客服部", "人民路 1 号", "0571-88886666")


@pytest.fixture
def out(tmp_path):
    """A folder of its own for the PDFs (the test database lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def viewer(manager):
    return auth.create_staff(manager, "viewer1", "赵敏", auth.Role.VIEWER)


def _prints(entity: str) -> list[AuditLog]:
    return list(AuditLog.select().where(AuditLog.entity == entity, AuditLog.action == "print"))


def _text(tmp_path, pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "rendered.pdf"
    path.write_bytes(pdf)
    return "".join(pdf_text(path).split())


@pytest.mark.parametrize(
    "print_one",
    [
        lambda actor, out: print_monthly_report(actor, NOVEMBER, out),
        lambda actor, out: print_weekly_report(actor, WEEK, out),
        lambda actor, out: print_department_report(actor, "aftersales", NOVEMBER, out),
        lambda actor, out: print_clerk_daily(actor, actor.id, dt.date(2025, 11, 24), out),
    ],
    ids=["monthly", "weekly", "department", "clerk-daily"],
)
def test_a_viewer_may_print_no_report(viewer, out, print_one):
    before = AuditLog.select().count()
    with pytest.raises(PermissionDenied):
        print_one(viewer, out / "no.pdf")
    assert not list(out.iterdir())  # no file, not even a partial one
    assert AuditLog.select().count() == before


def test_a_viewer_may_not_print_anothers_appraisal(viewer, clerk, out):
    with pytest.raises(PermissionDenied):
        print_form(viewer, clerk.id, "2025-11", out / "no.pdf")
    assert not list(out.iterdir())
    assert not _prints("appraisal")


def test_each_print_writes_its_pdf_and_audit_row(manager, clerk, out):
    fill(manager)
    monthly = print_monthly_report(manager, NOVEMBER, out / "m.pdf")
    weekly = print_weekly_report(manager, WEEK, out / "w.pdf")
    department = print_department_report(manager, "aftersales", NOVEMBER, out / "d.pdf")
    day = print_clerk_daily(manager, manager.id, dt.date(2025, 11, 24), out / "c.pdf")
    form = print_form(manager, clerk.id, "2025-11", out / "a.pdf")
    for path in (monthly, weekly, department, day, form):
        assert path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in out.iterdir()) == [
        "a.pdf",
        "c.pdf",
        "d.pdf",
        "m.pdf",
        "w.pdf",
    ]
    assert [row.summary for row in _prints("monthly_report")] == ["2025-11"]
    assert [row.summary for row in _prints("weekly_report")] == ["2025-W47"]
    assert [row.summary for row in _prints("department_report")] == ["aftersales 2025-11"]
    assert [(row.entity_id, row.summary) for row in _prints("clerk_daily")] == [
        (manager.id, "2025-11-24")
    ]
    assert [row.summary for row in _prints("appraisal")] == ["clerk1 2025-11 → a.pdf"]


def test_renderers_turn_the_figures_and_letterhead_into_pdf_bytes(manager, clerk, tmp_path):
    fill(manager)
    monthly = reports.monthly_report(NOVEMBER)
    text = _text(tmp_path, monthly_report_pdf(monthly, LETTERHEAD, "李经理"))
    assert "幸福汽车4S店客服部" in text and "李经理" in text and "人民路1号" in text
    assert monthly.complaints.items
    for line in monthly.complaints.items:
        assert line.number in text
    weekly = reports.weekly_report(WEEK)
    text = _text(tmp_path, render_weekly_report(weekly, LETTERHEAD, "李经理"))
    assert "周报" in text and "2025-W47" in text
    figures = desk_reports.department_figures(NOVEMBER, "aftersales")
    text = _text(tmp_path, render_department_report(figures, LETTERHEAD))
    assert "0571-88886666" in text
    assert figures.items and all(line.number in text for line in figures.items)
    day = desk_reports.clerk_day(manager.id, dt.date(2025, 11, 24))
    text = _text(tmp_path, render_clerk_daily(day, LETTERHEAD))
    assert manager.display_name in text
    view = appraisal.month(clerk.id, "2025-11")
    text = _text(tmp_path, render_form(view, LETTERHEAD, printed_by="李经理"))
    assert "员工绩效考核表" in text and "王芳" in text
