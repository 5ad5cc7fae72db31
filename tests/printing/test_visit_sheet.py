"""The daily return-visit sheet (回访日报) as printed: its text (pdftotext), the embedded font,
landscape A4, and a job through the real CUPS queue when the test printer is set."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from pathlib import Path

import pytest

from csoffice import customers, service_events, visit_day, visits
from csoffice.db.models import ReturnVisit
from csoffice.service_events import ServiceEventInput
from csoffice.visits import ResultInput
from tests.conftest import needs_poppler, pdf_fonts, pdf_text

DAY = dt.date(2026, 3, 5)


def _calls(clerk) -> None:
    for name, mobile in (("张伟", "13812345678"), ("刘䶮", "13912345678")):
        cid = customers.create(clerk, customers.CustomerInput(name=name, mobile=mobile)).id
        data = ServiceEventInput(kind="repair", date=DAY - dt.timedelta(days=3), product="空调")
        service_events.add(clerk, cid, data, today=DAY)
    visits.schedule_due_visits(clerk, DAY)
    for visit, (score, fixed) in zip(
        ReturnVisit.select().order_by(ReturnVisit.id), ((5, "是"), (1, "否")), strict=True
    ):
        data = ResultInput(True, {"问题是否已解决？": "还在漏水" if score == 1 else ""}, score)
        data.choices = {"问题是否已解决？": fixed}
        visits.record_result(clerk, visit.id, data, at=dt.datetime.combine(DAY, dt.time(10)))


@needs_poppler
def test_sheet_lists_the_days_calls(clerk, tmp_path):
    _calls(clerk)
    sheet = visit_day.sheet(DAY)
    assert (sheet.done, sheet.reached, sheet.dissatisfied, sheet.average) == (2, 2, 1, 3.0)
    path = visit_day.print_sheet(clerk, DAY, tmp_path / "sheet.pdf")
    text = pdf_text(path)
    assert "回访日报" in text and "刘䶮" in text and "139****5678" in text
    assert "问题是否已解决？：否；还在漏水" in text
    assert "13912345678" not in text  # phones masked on paper
    assert "Type 3" not in pdf_fonts(path) and "yes" in pdf_fonts(path).split("\n")[2]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276" in info  # landscape A4


def test_an_empty_day_says_so(clerk, tmp_path):
    path = visit_day.print_sheet(clerk, DAY, tmp_path / "empty.pdf")
    assert "当天没有回访记录" in pdf_text(path)


@pytest.mark.skipif(not os.environ.get("CSOFFICE_TEST_PRINTER"), reason="no test printer queue")
def test_sheet_goes_through_the_print_queue(clerk, tmp_path):
    _calls(clerk)
    path = visit_day.print_sheet(clerk, DAY, tmp_path / "queued.pdf")
    out = Path(os.environ.get("CSOFFICE_TEST_PRINTER_DIR", "/var/spool/cups-pdf-out"))
    before = set(out.glob("*.pdf"))
    subprocess.run(
        ["lp", "-d", os.environ["CSOFFICE_TEST_PRINTER"], "-t", "visit-sheet", str(path)],
        check=True,
        capture_output=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not set(out.glob("*.pdf")) - before:
        time.sleep(0.5)
    (printed,) = set(out.glob("*.pdf")) - before
    while time.monotonic() < deadline:  # cups-pdf may still be writing it
        done = subprocess.run(["pdfinfo", str(printed)], capture_output=True).returncode == 0
        if done:
            break
        time.sleep(0.5)
    # cups-pdf re-renders the job with Ghostscript: the Chinese glyphs are drawn but no longer
    # extract as text; the date and the page (landscape A4) do.
    assert "2026-03-05" in pdf_text(printed)
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True).stdout
    assert "A4" in info and "Page rot:        90" in info  # A4, turned to landscape


def test_printing_needs_a_desk_role_and_is_audited(clerk, viewer, tmp_path):
    from csoffice.db.models import AuditLog
    from csoffice.errors import PermissionDenied
    from csoffice.printing.visit_sheet import visit_sheet_pdf

    _calls(clerk)
    with pytest.raises(PermissionDenied):
        visit_day.print_sheet(viewer, DAY, tmp_path / "v.pdf")
    assert not list(tmp_path.glob("v.pdf*"))
    assert AuditLog.select().where(AuditLog.entity == "visit_sheet").count() == 0
    written = visit_day.print_sheet(clerk, DAY, tmp_path / "s.pdf")
    assert written.read_bytes().startswith(b"%PDF")
    (row,) = AuditLog.select().where(AuditLog.entity == "visit_sheet")
    assert (row.staff_id, row.action, row.summary) == (clerk.id, "print", "2026-03-05")
    assert visit_sheet_pdf(visit_day.sheet(DAY)).startswith(b"%PDF")  # renders from data alone


@needs_poppler
def test_report_visit_day_command(tmp_path, database, private_home):
    from csoffice import auth
    from csoffice.db.database import close_database
    from tests.conftest import run_cli

    manager = auth.default_manager()
    _calls(auth.create_staff(manager, "clerk1", "王芳", auth.Role.CLERK))
    close_database()
    out = tmp_path / "day.pdf"
    args = ["--db", str(database.path), "report", "visit-day"]
    result = run_cli(*args, "2026-03-05", "--out", str(out), home=private_home)
    assert result.returncode == 0, result.stderr
    assert "刘䶮" in pdf_text(out) and "回访日报" in pdf_text(out)
    bad = run_cli(*args, "2026-13-40", "--out", str(out), home=private_home)
    assert bad.returncode == 1 and "2026-13-40" in bad.stderr
